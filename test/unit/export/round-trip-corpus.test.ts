/**
 * Round trip over every file of ../shared/corpus (read at test time): import, export in each format,
 * import the export with our own importers, and get back the same records with the same ids.
 * Fields compared: title, authors, year, journal, volume, issue, pages, DOI, PMID, URL, abstract,
 * keywords. Compared as the importers normalise them, which loses nothing: white space collapsed (RIS
 * values are single lines, several importers collapse it), page ranges with a plain hyphen ("3 - 5",
 * "4–23", "225--240" are read as 3-5, 4-23, 225-240 by the RIS and BibTeX importers).
 */
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../../src/screening/import-records';
import { formatRecords, RECORD_EXPORT_FORMATS, type RecordExportFormat } from '../../../src/screening/export/index';
import type { ExportItem } from '../../../src/screening/export/outcome';
import type { BibRecord } from '../../../src/screening/record';
import { stripMarkup } from '../../../src/parsers/normalise';
import { KNOWN_DIFFERENCES } from './round-trip-known';
import { corpusAvailable, corpusBytes, readManifest } from '../helpers/corpus';

const SCREENING: ExportItem['screening'] = {
  final: 'excluded',
  finalStage: 'title-abstract',
  reason: 'wrong population',
  stages: [
    {
      stage: 'title-abstract',
      state: 'excluded',
      verdict: 'exclude',
      reason: 'wrong population',
      decisions: [
        { reviewer: 'alice@example.org', verdict: 'exclude', reason: 'wrong population', note: 'adults only =SUM(A1)', time: '2026-01-02T10:00:00.000Z' },
        { reviewer: 'bob@example.org', verdict: 'include', reason: null, note: null, time: '2026-01-02T11:00:00.000Z' },
      ],
      resolution: { reviewer: 'carol@example.org', verdict: 'exclude', reason: 'wrong population', note: null, time: '2026-01-03T09:00:00.000Z' },
      conflict: 'verdict',
    },
  ],
};

export function comparable(record: BibRecord) {
  const text = (value: string | undefined) => (value === undefined ? undefined : (stripMarkup(value, { entities: true }) ?? '').replace(/\s+/g, ' ').trim() || undefined);
  const pages = (value: string | undefined) => text(value)?.replace(/\s*(?:-+|–|—)\s*/g, '-');
  return {
    id: record.id,
    title: text(record.title),
    authors: record.authors.map((author) => text(author)),
    year: record.year,
    journal: text(record.journal),
    volume: text(record.volume),
    issue: text(record.issue),
    pages: pages(record.pages),
    doi: record.doi,
    pmid: record.pmid,
    url: text(record.url),
    abstract: text(record.abstract),
    keywords: [...new Set(record.keywords.flatMap((keyword) => keyword.split(/[,;]/)).map((keyword) => text(keyword.replace(/\.$/, ''))).filter(Boolean))].sort(),
  };
}

export function roundTrip(records: readonly BibRecord[], format: RecordExportFormat, withScreening = true) {
  const text = formatRecords(
    records.map((record) => ({ record, screening: withScreening ? SCREENING : undefined })),
    format,
  );
  const again = importFiles([{ file: `export.${format}`, bytes: new TextEncoder().encode(text) }]);
  return { text, again: [...again.records, ...again.duplicates], problems: again.problems };
}

describe.runIf(corpusAvailable)('export round trip over the corpus', () => {
  const rows = corpusAvailable ? readManifest() : [];

  it('covers every file in the manifest', () => {
    expect(rows.length).toBeGreaterThan(250);
  });

  it.each(rows.map((row) => [row.path]))('%s', (path) => {
    const outcome = importFiles([{ file: path, bytes: corpusBytes(path) }]);
    const records = [...outcome.records, ...outcome.duplicates];
    if (records.length === 0) return;
    const found: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const format of RECORD_EXPORT_FORMATS) {
      const { again, problems } = roundTrip(records, format);
      const errors = problems.filter((problem) => problem.severity === 'error').map((problem) => `${problem.line}: ${problem.message}`);
      found[format] = { records: again.length, errors: errors.slice(0, 3), differ: differingFields(records, again) };
      expected[format] = { records: records.length, errors: [], differ: KNOWN_DIFFERENCES[format]?.[path] ?? [] };
    }
    expect(found).toEqual(expected);
  });
});

/**
 * The fields that differ between the records and their round trip. Records sharing a base id (the
 * same DOI twice in a file) are matched by content: which copy is "~2" follows a hash of all the
 * record's fields, including metadata the target format does not carry.
 */
function differingFields(records: readonly BibRecord[], again: readonly BibRecord[]): string[] {
  const base = (id: string) => id.replace(/~\d+$/, '');
  const key = (record: BibRecord) => JSON.stringify({ ...comparable(record), id: base(record.id) });
  const returned = new Set(again.map(key));
  const byId = new Map(again.map((record) => [record.id, record]));
  const fields = new Set<string>();
  for (const record of records) {
    if (returned.has(key(record))) continue;
    const twin = byId.get(record.id);
    if (!twin) {
      fields.add('id');
      continue;
    }
    const a = comparable(record) as Record<string, unknown>;
    const b = comparable(twin) as Record<string, unknown>;
    for (const field of Object.keys(a)) if (JSON.stringify(a[field]) !== JSON.stringify(b[field])) fields.add(field);
  }
  return [...fields].sort();
}
