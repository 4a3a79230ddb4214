/**
 * The tagged formats (RIS, MEDLINE, Web of Science, Ovid, RefWorks, EndNote/Refer) over every matching file of
 * ../shared/corpus, read at test time: the format is told by content, the record count is the manifest's (or a
 * count checked by hand, with the reason), every record whose source has a title gets it, no U+FFFD appears,
 * and provenance points at a real line.
 */
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../../src/parsers/decode';
import { importBytes } from '../../../src/parsers/index';
import { COUNT_CORRECTIONS, UNTITLED_IN_SOURCE } from '../helpers/corpus-expectations';
import { corpusAvailable, corpusBytes, readManifest } from '../helpers/corpus';

const FORMATS: Record<string, string> = {
  ris: 'ris',
  medline: 'medline',
  wos_tagged: 'wos',
  ovid_tagged: 'ovid',
  refworks_tagged: 'refworks',
  endnote_refer_tagged: 'endnote-tagged',
};

describe.runIf(corpusAvailable)('tagged formats over the corpus', () => {
  const rows = corpusAvailable ? readManifest().filter((row) => FORMATS[row.format]) : [];

  it('finds the tagged files in the manifest', () => {
    expect(rows.length).toBeGreaterThan(130);
  });

  it.each(rows.map((row) => [row.path, row] as const))('%s', (path, row) => {
    const bytes = corpusBytes(path);
    const result = importBytes(bytes, path);
    const expected = COUNT_CORRECTIONS[path]?.count ?? row.recordCount;

    if (expected > 0) expect(result.format).toBe(FORMATS[row.format]);
    expect(result.records.length, JSON.stringify(result.problems.slice(0, 5))).toBe(expected);

    const untitled = result.records.filter((record) => record.title.trim() === '').length;
    expect(untitled).toBe(UNTITLED_IN_SOURCE[path]?.count ?? 0);

    if (!decodeBytes(bytes).text.includes('\ufffd')) expect(JSON.stringify(result.records)).not.toContain('\ufffd');

    const lines = decodeBytes(bytes).text.split(/\r\n|\r|\n/).length;
    result.records.forEach((record, index) => {
      expect(record.provenance).toMatchObject({ file: path, format: result.format, index });
      expect(record.provenance.line).toBeGreaterThanOrEqual(1);
      expect(record.provenance.line).toBeLessThanOrEqual(lines);
      expect(record.authors.every((author) => author.trim().length > 0)).toBe(true);
    });
    for (const problem of result.problems) {
      expect(problem.file).toBe(path);
      expect(problem.line).toBeGreaterThanOrEqual(0);
      expect(problem.message.length).toBeGreaterThan(10);
    }
  });

  it('reads the fields of a typical record of each format', () => {
    const first = (path: string) => importBytes(corpusBytes(path), path).records[0];

    expect(first('ris/Reflib__blue-light.ris')).toMatchObject({
      title: expect.stringMatching(/^Formulation of Herbal Gel of Antirrhinum majus/),
      authors: expect.arrayContaining(['Shahtalebi, M. A.']),
      year: 2018,
      journal: 'Adv Biomed Res',
      doi: '10.4103/abr.abr_99_17',
      pmid: '29657938',
      type: 'journal-article',
    });
    expect(first('medline/synthesisr__PubMed_example.txt')).toMatchObject({
      title: 'Differences in nitrate and phosphorus export between wooded and grassed riparian zones from farmland to receiving waterways under varying rainfall conditions.',
      authors: expect.arrayContaining(['Neilen, Amanda D', 'Burford, Michele A']),
      year: 2017,
      journal: 'The Science of the total environment',
      volume: '598',
      pages: '188-197',
      doi: '10.1016/j.scitotenv.2017.04.075',
      pmid: '28441597',
    });
    expect(first('wos_tagged/zotero-translators__Web_of_Science_Tagged__testcase07.txt')).toMatchObject({
      title: 'Importance of methane-derived carbon as a basal resource for two benthic consumers in arctic lakes',
      authors: ['Medvedeff, Cassandra A.', 'Hershey, Anne E.'],
      year: 2013,
      journal: 'Hydrobiologia',
      pages: '221-230',
      doi: '10.1007/s10750-012-1232-8',
    });
    expect(first('other/zotero-translators__OVID_Tagged__testcase03.ovid.txt')).toMatchObject({
      title: 'Take Ten: Need-to-Know Facts About Breast Cancer.',
      authors: ['Peterson, James A.'],
      journal: "ACSM'S Health & Fitness Journal",
      year: 2010,
      volume: '14',
      issue: '1',
      doi: '10.1249/fit.0b013e3181c6723d',
    });
    expect(first('other/jabref__OvidImporterTest4.txt')).toMatchObject({
      title: 'Cloud water interception and element deposition differ largely between Norway spruce stands along an elevation transect in Harz Mountains, Germany.',
      authors: ['Kohler, Lars', 'Leuschner, Christoph', 'Hauck, Markus', 'Hertel, Dietrich'],
      journal: 'Ecohydrology',
      volume: '8',
      issue: '6',
      pages: '1048-1064',
      year: 2015,
    });
    expect(first('other/zotero-translators__RefWorks_Tagged__testcase04.refworks.txt')).toMatchObject({
      title: "The Empire's New Clothes",
      authors: ['Brennan, Timothy'],
      journal: 'Critical Inquiry',
      year: 2003,
      pages: '337-367',
      doi: '10.1086/374030',
    });
    expect(first('other/colrev__enl_data.enl')).toMatchObject({
      title: expect.stringMatching(/^How Trust Leads to Commitment/),
      authors: ['Guo, Wenbo', 'Straub, Detmar W.', 'Zhang, Pengzhu', 'Cai, Zhao'],
      journal: 'Management Information Systems Quarterly',
      year: 2021,
      pages: '1309-1348',
    });
  });
});
