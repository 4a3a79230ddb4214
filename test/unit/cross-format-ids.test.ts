/**
 * The same library exported in several formats yields the same ids for the same papers. The
 * Blue-Light library is in the corpus as RIS and EndNote XML (the MEDLINE .nbib named in the issue
 * is not in ../shared/corpus, so it cannot be compared here).
 */
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/screening/import-records';
import { corpusAvailable, corpusBytes } from './helpers/corpus';

const EXPORTS = ['ris/Reflib__blue-light.ris', 'endnote_xml/Reflib__blue-light.xml'];

describe.runIf(corpusAvailable)('Blue-Light library across formats', () => {
  const byFormat = EXPORTS.map((file) => importFiles([{ file, bytes: corpusBytes(file) }]));

  it('imports all 102 records from each export', () => {
    for (const outcome of byFormat) expect(outcome.records.length + outcome.duplicates.length).toBe(102);
  });

  it('gives every paper the same id in every export', () => {
    const [ris, xml] = byFormat.map((outcome) => [...outcome.records, ...outcome.duplicates]);
    const xmlById = new Map(xml.map((record) => [record.id, record]));
    for (const record of ris) {
      const twin = xmlById.get(record.id);
      expect(twin, `${record.id} "${record.title}" from RIS has no twin in the EndNote XML`).toBeDefined();
      expect(twin!.title.toLowerCase().replace(/\W+/g, '')).toBe(record.title.toLowerCase().replace(/\W+/g, ''));
    }
    expect(new Set(xml.map((r) => r.id))).toEqual(new Set(ris.map((r) => r.id)));
  });

  it('finds the RIS and XML copies to be duplicates of each other when imported together', () => {
    const both = importFiles(EXPORTS.map((file) => ({ file, bytes: corpusBytes(file) })));
    expect(both.records.length + both.duplicates.length).toBe(204);
    expect(both.duplicates.length).toBeGreaterThanOrEqual(102);
    for (const duplicate of both.duplicates.filter((d) => d.provenance.file.endsWith('.xml'))) {
      expect(duplicate.duplicateOf.replace(/~\d+$/, '')).toBe(duplicate.id.replace(/~\d+$/, ''));
    }
  });
});
