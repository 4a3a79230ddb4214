/**
 * The structured formats (BibTeX, CSL-JSON, EndNote XML, PubMed XML, CSV and the labelled CSV datasets)
 * over the real export files in ../shared/corpus, read at test time: counts, sniffed format, titles,
 * provenance, no U+FFFD, and spot checks of mapped fields per exporter.
 */
import { describe, expect, it } from 'vitest';
import type { ParsedRecord } from '../../../src/screening/record';
import { decodeBytes } from '../../../src/parsers/decode';
import { importBytes, type FileImportResult } from '../../../src/parsers/index';
import { COUNT_CORRECTIONS, UNTITLED_IN_SOURCE } from '../helpers/corpus-expectations';
import { corpusAvailable, corpusBytes, readManifest } from '../helpers/corpus';

const FORMATS: Record<string, string> = {
  bibtex: 'bibtex',
  csl_json: 'csl-json',
  endnote_xml: 'endnote-xml',
  pubmed_xml: 'pubmed-xml',
  csv: 'csv',
  labeled_csv: 'csv',
};

const cache = new Map<string, FileImportResult>();
function load(path: string): FileImportResult {
  let result = cache.get(path);
  if (!result) {
    result = importBytes(corpusBytes(path), path);
    cache.set(path, result);
  }
  return result;
}

function find(records: ParsedRecord[], predicate: (r: ParsedRecord) => boolean): ParsedRecord {
  const record = records.find(predicate);
  expect(record, 'record not found').toBeDefined();
  return record as ParsedRecord;
}

describe.runIf(corpusAvailable)('structured formats over the corpus', () => {
  const rows = corpusAvailable ? readManifest().filter((row) => row.format in FORMATS) : [];

  it('has files of every structured format', () => {
    for (const format of Object.keys(FORMATS)) expect(rows.some((row) => row.format === format), format).toBe(true);
  });

  it.each(rows.map((row) => [row.path, row] as const))('%s', (path, row) => {
    const result = load(path);
    expect(result.format).toBe(FORMATS[row.format]);
    const expected = COUNT_CORRECTIONS[path]?.count ?? row.recordCount;
    expect(result.records.length, JSON.stringify(result.problems.filter((p) => p.severity === 'error').slice(0, 3))).toBe(expected);
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);

    const untitled = result.records.filter((r) => !r.title.trim());
    expect(untitled.length).toBe(UNTITLED_IN_SOURCE[path]?.count ?? 0);
    // Each untitled record is reported at its line.
    for (const record of untitled.slice(0, 20)) {
      expect(result.problems).toContainEqual(expect.objectContaining({ line: record.provenance.line, message: expect.stringMatching(/title/i) }));
    }

    const text = decodeBytes(corpusBytes(path)).text;
    if (!text.includes('\ufffd')) expect(JSON.stringify(result.records)).not.toContain('\ufffd');
    const lines = text.split(/\r\n|\r|\n/).length;
    let previous = 0;
    result.records.forEach((record, index) => {
      expect(record.provenance).toMatchObject({ file: path, format: result.format, index });
      expect(record.provenance.line).toBeGreaterThanOrEqual(Math.max(1, previous));
      expect(record.provenance.line).toBeLessThanOrEqual(lines);
      previous = record.provenance.line;
      expect(record.title).not.toMatch(/<\/?(i|b|sup|sub|style|mml:\w+)\b/);
      expect(record.title).not.toMatch(/\\["'`^~]|\{\\/);
    });
  });

  describe('BibTeX', () => {
    it('@string macros, # concatenation and month macros', () => {
      const [record] = load('bibtex/bibtexparser__article_with_strings.bib').records;
      expect(record).toMatchObject({ title: 'An amazing title', authors: ['César, Jean'], journal: 'Nice Journal', year: 2013, volume: '12', pages: '12-23' });
      expect(record.metadata).toMatchObject({ 'bibtex-key': 'Cesar2013', comments: 'A comment', month: '01' });
    });

    it('LaTeX accents and special letters become Unicode; case-protecting braces go', () => {
      const { records } = load('bibtex/bibtexparser__biber-examples.bib');
      const aksin = find(records, (r) => r.metadata?.['bibtex-key'] === 'set:aksin');
      // The source writes {\k{C}}etinkaya: C with an ogonek, which has no precomposed form.
      expect(aksin.authors.slice(0, 4)).toEqual(['Aksın, Özge', 'Türkmen, Hayati', 'Artok, Levent', 'C\u0328etinkaya, Bekir']);
      expect(aksin.authors).toContain('Büyükgüngör, Orhan');
      expect(aksin.title).toBe('Effect of immobilization on catalytic characteristics of saturated Pd-N-heterocyclic carbenes in Mizoroki-Heck reactions');
      expect(aksin).toMatchObject({ journal: 'J. Organomet. Chem.', year: 2006, volume: '691', issue: '13', pages: '3027-3036' });
    });

    it('crossref: an inproceedings inherits booktitle and year from its proceedings', () => {
      const { records } = load('bibtex/zotero-translators__BibTeX__testcase03.bib');
      expect(records[0]).toMatchObject({ title: 'Some publication title', journal: 'Proceedings of the Xth Conference on XYZ', year: 2006, type: 'conference-paper' });
      expect(records[0].authors).toEqual(['Author, First', 'Author, Second']);
    });

    it('UTF-16 files with a BOM, JabRef comments and @string', () => {
      for (const path of ['bibtex/jabref__tiny-LE-withBOM.bib', 'bibtex/jabref__tiny-BE-withBOM.bib', 'bibtex/jabref__tiny-BE-noBOM.bib']) {
        const [record] = load(path).records;
        expect(record).toMatchObject({ title: 'Investigation of the best suture pattern to close a stuffed Christmas turkey', journal: 'Veterinary Record', year: 2011, doi: '10.1136/vr.d6221' });
        expect(record.authors[2]).toBe('van Galen, G.');
      }
    });

    it('GBK-encoded Chinese BibTeX is decoded as GBK, not as Windows-1252 mojibake', () => {
      const result = load('bibtex/bibtexparser__gbk_test.bib');
      expect(result.encoding).toBe('gbk');
      expect(result.records[0]).toMatchObject({ title: 'Test Title', authors: ['凯撒'], journal: '测试期刊', year: 2013 });
    });

    it('Scopus quirks: citation keys and field names with spaces', () => {
      expect(load('bibtex/colrev__scopus_bib.bib').records.map((r) => r.metadata?.['bibtex-key'])).toContain('Conference paper2022775');
      const scopus = load('bibtex/synthesisr__Scopus_bib_example.bib').records;
      expect(scopus[0].metadata?.['funding_text 1']).toMatch(/^The Special Fund/);
    });

    it('junk pasted into an EBSCO field is skipped with a warning, the entry kept', () => {
      const result = load('bibtex/colrev__ebsco_bib.bib');
      expect(result.records[1].title).toBe('When sharing fixes prices.');
      expect(result.problems).toContainEqual(expect.objectContaining({ severity: 'warning', line: 19 }));
    });
  });

  describe('CSL-JSON', () => {
    it('maps names, dates and containers, and strips rich-text markup', () => {
      const [first] = load('csl_json/citation-js__biblatex-csl.json').records;
      expect(first).toMatchObject({ title: 'Roverandom', authors: ['Tolkien, J R R'], year: 2008, journal: 'Tales from the Perilous Realm', pages: '1-97', type: 'book' });
      const records = load('csl_json/zotero-better-bibtex__Export of creator-type fields from embedded CSL variables #365 uppercase DOI #825.csl.json').records;
      expect(find(records, (r) => r.doi === '10.1093/ref:odnb/10183').title).toBe('Frithuswith (d. 727)');
    });

    it('BC and out-of-range years are not read as modern years', () => {
      const records = load('csl_json/zotero-better-bibtex__Season ranges should be exported as pseudo-months (13-16, or 21-24) #860.csl.json').records;
      expect(find(records, (r) => r.title === '-2011-21/-2012-22').year).toBeUndefined();
      expect(find(records, (r) => r.title === 'months out of range').year).toBe(2017);
    });
  });

  describe('EndNote XML', () => {
    it('reads <style> runs, dates, DOI, PubMed accession numbers and keywords', () => {
      const [first] = load('endnote_xml/Reflib__blue-light.xml').records;
      expect(first).toMatchObject({
        title: 'Formulation of Herbal Gel of Antirrhinum majus Extract and Evaluation of its Anti-Propionibacterium acne Effects',
        journal: 'Adv Biomed Res',
        year: 2018,
        volume: '7',
        pages: '53',
        doi: '10.4103/abr.abr_99_17',
        pmid: '29657938',
        type: 'journal-article',
      });
      expect(first.authors[0]).toBe('Shahtalebi, M. A.');
      expect(first.keywords).toContain('blue light');
      expect(first.abstract).toMatch(/^BACKGROUND: Antirrhinum majus/);
    });

    it('decodes entities and keeps other elements (label, notes) in metadata', () => {
      const [record] = load('endnote_xml/Reflib__multipart.xml').records;
      expect(record).toMatchObject({ title: 'Foo & Bar', journal: 'Foo & Journal', abstract: 'Foo & Bar', keywords: ['Foo & Bar', 'Baz & Quz'] });
      const report = load('endnote_xml/jabref__EndnoteXmlImporterTestReport.xml').records[0];
      expect(report).toMatchObject({ type: 'report', year: 2005 });
      expect(report.metadata?.label).toBe('B1040');
    });

    it('every DOI of the Blue-Light library is read', () => {
      const xml = load('endnote_xml/Reflib__blue-light.xml').records;
      expect(xml).toHaveLength(102);
      expect(xml.filter((r) => r.doi).length).toBe(72); // every <electronic-resource-num>
    });
  });

  describe('PubMed XML', () => {
    it('titles with <i> and MathML become text', () => {
      expect(load('other/jabref__MedlineImporterTestArticleItalics.xml').records[0].title).toBe('Genome-wide significant risk factors on chromosome 19 and the APOE locus.');
      const mathml = load('other/jabref__MedlineImporterTestMathML.xml').records[0];
      expect(mathml.title).toBe('CellML 2.0.');
      expect(mathml.abstract).not.toContain('<');
    });

    it('authors, collective names, DOI from ELocationID, PMID, keywords', () => {
      const [record] = load('other/jabref__MedlineImporterTestArticleID.xml').records;
      expect(record).toMatchObject({ pmid: '26711635', doi: '10.1016/j.diagmicrobio.2015.11.017', year: 2015, journal: 'Diagnostic microbiology and infectious disease' });
      expect(record.authors[0]).toBe('Rhein, Joshua');
      expect(record.authors).toContain('ASTRO-CM Team');
      expect(record.keywords).toContain('Cryptococcal meningitis');
    });

    it('MedlineDate years and MeSH headings', () => {
      expect(load('other/jabref__MedlineImporterTestKeywordSingleEntry.xml').records[0]).toMatchObject({ year: 1999, pages: '25-138', volume: '13', issue: '2' });
      const mesh = load('other/jabref__MedlineImporterTestMeshHeadingList.xml').records[0];
      expect(mesh.keywords).toEqual(['Humans', 'Software', 'Kidney Diseases', 'Models, Theoretical', 'Sample Heading']);
      expect(mesh.metadata?.mesh).toContain('*Kidney Diseases/diagnosis/epidemiology/therapy');
    });

    it('PubmedBookArticle: books and book chapters', () => {
      const book = load('other/jabref__MedlineImporterTestPubmedBook.xml').records[0];
      expect(book).toMatchObject({ type: 'book', title: 'Rheumatoid Arthritis: National Clinical Guideline for Management and Treatment in Adults', year: 2009, pmid: '21413195' });
      const chapter = load('other/jabref__MedlineImporterTestBookArticleSet.xml').records[0];
      expect(chapter).toMatchObject({ type: 'book-chapter', title: 'Title for some article', doi: '10.3275/8949' });
    });
  });

  describe('CSV exporters', () => {
    const first = (path: string) => load(path).records[0];

    it.each([
      ['csv/citation-file-formatting___baseline_scopus.csv', { year: 2024, journal: 'Nature Communications', doi: '10.1038/s41467-024-46843-2', pmid: '38580657' }, 'Wilson, Lauren N.'],
      ['csv/metaknowledge__scopus_testing.csv.scopus', { year: 2016, journal: 'IEEE Transactions on Applied Superconductivity', volume: '26', issue: '4' }, 'Yagai, T.'],
      ['csv/bibliometrix__lens_sample.csv', { year: 2020, journal: 'Environment systems & decisions', pages: '1-12', pmid: '33251087' }, 'Radanliev, Petar'],
      ['csv/bibliometrix__openalex_sample.csv', { year: 2017, journal: 'Journal of Informetrics', doi: '10.1016/j.joi.2017.08.007' }, 'Aria, Massimo'],
      ['csv/citation-file-formatting___baseline_pubmed.csv', { year: 2020, journal: 'Eur J Med Genet', pmid: '30922926' }, 'Griffin, DK'],
      ['csv/asreview__embase.csv', { year: 2014, journal: 'Endoscopic Ultrasound', volume: '3', issue: '3', pages: '152-160' }, 'Liu, R.'],
      ['csv/citation-file-formatting___baseline_excel.csv', { year: 2024, journal: 'Nature Communications', pmid: '38773066' }, 'Yang, Z.'],
      ['csv/colrev__ieee_csv.csv', { journal: 'Computer', doi: '10.1109/mc.2011.377' }, 'Rottman, Joseph'],
      ['csv/colrev__springer_csv.csv', { year: 2000, journal: 'Nature', doi: '10.1007/11111' }, 'Smith, Andy'],
      ['csv/citation-file-formatting___baseline_covidence.csv', { year: 2024, journal: 'Nature Communications' }, 'Yang, Z.'],
      ['csv/citation-file-formatting___baseline_rayyan.csv', { year: 2024, journal: 'Nat. Commun.' }, 'Yang, Z.'],
      ['csv/citation-file-formatting___baseline_zotero.csv', { year: 2024, journal: 'Nature Communications' }, 'Yang, Z.'],
      ['csv/citation-file-formatting___baseline_cochrane.csv', { year: 2011, journal: 'Trials', pmid: '21314913' }, 'Bywater, T'],
      ['csv/citation-file-formatting___baseline_cinahl.csv', { year: 2024, journal: 'PLoS ONE' }, 'Curry Rogers, Kristina'],
      ['csv/citation-file-formatting___baseline_googlescholar.csv', { year: 2001, journal: 'Biological Reviews', pages: '411-447' }, 'Barrett, Paul M'],
      ['csv/synthesisr__eviatlas.csv', { year: 2019, journal: 'Environmental Evidence', doi: '10.1186/s13750-019-0167-1' }, 'Haddaway, Neal R.'],
      ['csv/asreview__generic_tab.tsv', { year: 2014, volume: '9' }, 'Marx, Karl'],
    ] as const)('%s', (path, fields, author) => {
      const record = first(path);
      expect(record.title.length).toBeGreaterThan(5);
      expect(record).toMatchObject(fields);
      expect(record.authors[0]).toBe(author);
    });

    it('Scopus keeps its database-name "Source" column in metadata, not as the journal', () => {
      const record = first('csv/citation-file-formatting___baseline_scopus.csv');
      expect(record.metadata?.Source).toBe('Scopus');
      expect(record.metadata?.['Index Keywords']).toBeDefined();
    });

    it('Abstrackr: duplicate column names are kept apart, labels kept in metadata', () => {
      const record = first('csv/citation-file-formatting___baseline_abstrackr.csv');
      expect(record.metadata).toMatchObject({ '(internal) id': '41893415', consensus: 'o', 'labeled_at (2)': '2024-08-15 08:42:23' });
    });
  });

  describe('labelled screening datasets', () => {
    const labeled = rows.filter((row) => row.format === 'labeled_csv');
    it.each(labeled.map((row) => [row.path, row] as const))('%s keeps label_included for every record', (path, row) => {
      const { records } = load(path);
      expect(records.every((r) => r.metadata?.label_included === '0' || r.metadata?.label_included === '1')).toBe(true);
      const included = /(\d+) label_included=1/.exec(row.quirks);
      if (included) expect(records.filter((r) => r.metadata?.label_included === '1').length).toBe(Number(included[1]));
      expect(records.filter((r) => r.abstract).length).toBe(Number(/(\d+) with non-empty abstract/.exec(row.quirks)?.[1] ?? records.filter((r) => r.abstract).length));
    });
  });
});
