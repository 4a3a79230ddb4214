/**
 * Conformance over the real export files in ../shared/corpus (read at test time, never copied):
 * every file imports with the manifest's record count (or a count checked by hand, with the reason),
 * every record whose source has a title gets one, and no U+FFFD appears where the source was valid text.
 */
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/parsers/decode';
import { importBytes } from '../../src/parsers/index';
import { COUNT_CORRECTIONS, UNTITLED_IN_SOURCE } from './helpers/corpus-expectations';
import { corpusAvailable, corpusBytes, readManifest } from './helpers/corpus';


/** The importer expected for each manifest format (content-sniffed). */
const EXPECTED_FORMAT: Record<string, string[]> = {
  ris: ['ris'],
  medline: ['medline'],
  bibtex: ['bibtex'],
  csl_json: ['csl-json'],
  endnote_xml: ['endnote-xml'],
  csv: ['csv'],
  labeled_csv: ['csv'],
  wos_tagged: ['wos'],
  ovid_tagged: ['ovid'],
  refworks_tagged: ['refworks'],
  endnote_refer_tagged: ['endnote-tagged'],
  pubmed_xml: ['pubmed-xml'],
  proquest_txt: ['proquest'],
};

describe.runIf(corpusAvailable)('corpus conformance', () => {
  const rows = corpusAvailable ? readManifest() : [];

  it('covers every file in the manifest', () => {
    expect(rows.length).toBeGreaterThan(250);
  });

  it.each(rows.map((row) => [row.path, row] as const))('%s', (_path, row) => {
    const bytes = corpusBytes(row.path);
    const result = importBytes(bytes, row.path);
    const expected = COUNT_CORRECTIONS[row.path]?.count ?? row.recordCount;

    if (expected > 0) expect(EXPECTED_FORMAT[row.format] ?? [row.format]).toContain(result.format);
    expect(result.records.length, JSON.stringify(result.problems.slice(0, 5))).toBe(expected);

    const untitled = result.records.filter((record) => record.title.trim() === '').length;
    expect(untitled).toBe(UNTITLED_IN_SOURCE[row.path]?.count ?? 0);

    const sourceHadReplacement = decodeBytes(bytes).text.includes('\ufffd');
    if (!sourceHadReplacement) expect(JSON.stringify(result.records)).not.toContain('\ufffd');

    result.records.forEach((record, index) => {
      expect(record.provenance).toMatchObject({ file: row.path, format: result.format, index });
      expect(record.provenance.line).toBeGreaterThanOrEqual(1);
    });
  });
});
