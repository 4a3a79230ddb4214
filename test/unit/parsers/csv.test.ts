import { describe, expect, it } from 'vitest';
import { csvImporter, splitAuthors } from '../../../src/parsers/csv';
import { importBytes, importText } from '../../../src/parsers/index';

const parse = (text: string) => csvImporter.parse(text, 'refs.csv');

describe('CSV importer', () => {
  it('comma, semicolon and tab delimiters, chosen by the header', () => {
    for (const d of [',', ';', '\t']) {
      const text = [`Title${d}Authors${d}Year${d}DOI`, `"First, with a comma"${d}"Smith, J.; Doe, A."${d}2020${d}10.1000/xyz`, `Second${d}${d}2021${d}`].join('\n');
      const { records, problems } = parse(text);
      expect(problems, JSON.stringify(d)).toEqual([]);
      expect(records.map((r) => r.title)).toEqual(['First, with a comma', 'Second']);
      expect(records[0]).toMatchObject({ authors: ['Smith, J.', 'Doe, A.'], year: 2020, doi: '10.1000/xyz', provenance: { format: 'csv', line: 2, index: 0 } });
    }
  });

  it('an Excel "sep=" first line and a UTF-8 BOM', () => {
    const bytes = new TextEncoder().encode('\ufeffsep=;\r\nTitle;Abstract\r\nA title, with comma;An abstract\r\n');
    const result = importBytes(bytes, 'excel.csv');
    expect(result.format).toBe('csv');
    expect(result.records).toMatchObject([{ title: 'A title, with comma', abstract: 'An abstract', provenance: { line: 3 } }]);
  });

  it('ragged rows: short rows are filled, extra cells kept, the rest imports, each reported at its line', () => {
    const { records, problems } = parse('title,abstract,year\nOne,Abstract one,2001\nTwo,Abstract two\nThree,Abstract three,2003,surprise\nFour,Abstract four,2004\n');
    expect(records.map((r) => r.title)).toEqual(['One', 'Two', 'Three', 'Four']);
    expect(records[2].metadata).toEqual({ 'column 4': 'surprise' });
    expect(problems).toEqual([
      expect.objectContaining({ line: 3, severity: 'warning', message: expect.stringMatching(/2 field\(s\) but the header has 3/) }),
      expect.objectContaining({ line: 4, severity: 'warning', message: expect.stringMatching(/4 field\(s\)/) }),
    ]);
  });

  it('label and other unknown columns are kept in metadata verbatim', () => {
    const { records } = parse('record_id,title,abstract,label_included,label_abstract_screening,notes\n7,Paper,Text,1,0,"  keep  me "\n8,Other,Text,0,,\n');
    expect(records[0].metadata).toEqual({ record_id: '7', label_included: '1', label_abstract_screening: '0', notes: '  keep  me ' });
    expect(records[1].metadata).toEqual({ record_id: '8', label_included: '0' });
  });

  it('entirely empty rows are skipped silently, including rows of bare delimiters', () => {
    const { records, problems } = parse('Title;Year\n\nA;2001\n;;\n   \nB;2002\n\n');
    expect(records.map((r) => [r.title, r.provenance.line])).toEqual([
      ['A', 3],
      ['B', 6],
    ]);
    expect(problems).toEqual([]);
  });

  it('quoted fields with line breaks and quotes keep the right line numbers', () => {
    const { records } = parse('title,abstract\n"Multi\nline ""quoted"" title","abstract\r\nover lines"\nNext,x\n');
    expect(records.map((r) => [r.title, r.abstract, r.provenance.line])).toEqual([
      ['Multi line "quoted" title', 'abstract over lines', 2],
      ['Next', 'x', 5],
    ]);
  });

  it('an unterminated quote loses only its own row', () => {
    const { records, problems } = parse('Title,Year\nGood one,2020\n"Broken,2021\nGood two,2022\nGood three,2023\n');
    expect(records.map((r) => r.title)).toEqual(['Good one', 'Good two', 'Good three']);
    expect(problems).toEqual([expect.objectContaining({ line: 3, severity: 'error', message: expect.stringMatching(/quoted field is not closed/) })]);
  });

  it('a CSV without any title-like column still imports, with a clear problem', () => {
    const { records, problems } = parse('id,name,score\n1,alpha,3\n2,beta,4\n');
    expect(records).toHaveLength(2);
    expect(records[0].metadata).toEqual({ id: '1', name: 'alpha', score: '3' });
    expect(problems).toEqual([expect.objectContaining({ line: 1, severity: 'error', message: expect.stringMatching(/No title column/) })]);
    expect(importText('id,name,score\n1,alpha,3\n2,beta,4\n', 'table.csv').format).toBe('csv');
  });

  it('preamble lines before the header (Embase re-saved by Excel) are skipped', () => {
    const { records, problems } = parse('SEARCH QUERY;dinosaur:ti;;\n-------;;;\n;;;\nTitle;Source title;Publication Year;Medline PMID\nA dinosaur;Nature;2024;123\n');
    expect(records).toMatchObject([{ title: 'A dinosaur', journal: 'Nature', year: 2024, pmid: '123', provenance: { line: 5 } }]);
    expect(problems).toEqual([expect.objectContaining({ line: 1, severity: 'info', message: expect.stringMatching(/Skipped 2 line\(s\) before the header row at line 4/) })]);
  });

  it('maps exporter columns case-insensitively, with first/last page pairs and per-row fallbacks', () => {
    const text =
      'Authors,Author full names,Article Title,Source title,Source,Publication Year,Volume,Issue,Page start,Page end,DOI,PubMed ID,Author Keywords,Index Keywords,Link,Document Type\n' +
      'Doe J.; Roe R.,"Doe, Jane (123456); Roe, Richard (654321)",A title,J Test,Scopus,2019,5,2,10,19,https://doi.org/10.5555/ABC,31234567,one; two,three,http://x.org,Conference Paper\n' +
      'Solo A.,,Other,,Scopus,2018,,,7,,,,,,,Book Chapter\n';
    const { records } = parse(text);
    expect(records[0]).toMatchObject({
      title: 'A title',
      authors: ['Doe, Jane', 'Roe, Richard'],
      journal: 'J Test',
      year: 2019,
      volume: '5',
      issue: '2',
      pages: '10-19',
      doi: '10.5555/abc',
      pmid: '31234567',
      keywords: ['one', 'two'],
      url: 'http://x.org',
      type: 'conference-paper',
    });
    expect(records[0].metadata).toMatchObject({ Authors: 'Doe J.; Roe R.', Source: 'Scopus', 'Index Keywords': 'three' });
    expect(records[1]).toMatchObject({ authors: ['Solo, A.'], pages: '7', type: 'book-chapter' });
    expect(records[1].journal).toBeUndefined();
  });

  it('"Source" is the journal when there is no better column (Cochrane, Embase)', () => {
    const { records } = parse('Title,Source,Year\nA,Trials,2011\nB,Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014,\n');
    expect(records[0]).toMatchObject({ journal: 'Trials', year: 2011 });
    expect(records[1]).toMatchObject({ journal: 'Endoscopic Ultrasound', year: 2014, volume: '3', issue: '3', pages: '152-160' });
  });

  it('splits the author lists of the exporters', () => {
    expect(splitAuthors('Liu R., Adler D.G.')).toEqual(['Liu, R.', 'Adler, D.G.']);
    expect(splitAuthors("Griffin DK, Larkin DM, O'Connor RE.")).toEqual(['Griffin, DK', 'Larkin, DM', "O'Connor, RE."]);
    expect(splitAuthors('Smith, John')).toEqual(['Smith, John']);
    expect(splitAuthors('Smith, J., Doe, A.')).toEqual(['Smith, J.', 'Doe, A.']);
    expect(splitAuthors('Joseph Rottman, Erran Carmel, Mary Lacity')).toEqual(['Rottman, Joseph', 'Carmel, Erran', 'Lacity, Mary']);
    expect(splitAuthors('Yang, Z. and Jiang, B.')).toEqual(['Yang, Z.', 'Jiang, B.']);
    expect(splitAuthors('Barrett, Paul M; Willis, Katherine J; ')).toEqual(['Barrett, Paul M', 'Willis, Katherine J']);
    expect(splitAuthors('E J Reimer; G S Dunn')).toEqual(['Reimer, E J', 'Dunn, G S']);
    expect(splitAuthors('Aria, Massimo|Cuccurullo, Corrado')).toEqual(['Aria, Massimo', 'Cuccurullo, Corrado']);
    expect(splitAuthors("['Marx, Karl', 'Lindgren, Astrid']")).toEqual(['Marx, Karl', 'Lindgren, Astrid']);
    expect(splitAuthors('Andy SmithTom Weber', { runTogether: true })).toEqual(['Smith, Andy', 'Weber, Tom']);
  });

  it('mixed line endings', () => {
    const { records } = parse('title,year\r\nA,2001\nB,2002\r\nC,2003\rD,2004\n');
    expect(records.map((r) => [r.title, r.provenance.line])).toEqual([
      ['A', 2],
      ['B', 3],
      ['C', 4],
      ['D', 5],
    ]);
  });

  it('sniffs tables with a title column, and not tagged formats or prose', () => {
    expect(csvImporter.sniff('Title,Authors,Year\nA,B,2001\nC,D,2002\n')).toBeGreaterThanOrEqual(0.5);
    expect(csvImporter.sniff('abstract;title;doi\nx;y;z\n')).toBeGreaterThanOrEqual(0.5);
    expect(csvImporter.sniff('TY  - JOUR\nTI  - A title, with a comma\nAU  - Smith, J\nER  - \n')).toBe(0);
    expect(csvImporter.sniff('PMID- 123\nTI  - Title, again\nAU  - Smith J\n\nPMID- 456\nTI  - Other\n')).toBe(0);
    expect(csvImporter.sniff('<8>\nTitle\n  Effects of things: a review.\nSource\n  Journal.\n')).toBe(0);
    expect(csvImporter.sniff('This is a paragraph, with commas, about things.\nAnd another one, also with commas.\n')).toBe(0);
    expect(csvImporter.sniff('@article{a,\n  title\t\t= {x},\n}\n')).toBe(0);
  });

  it('a 20 MB file is read quickly', () => {
    const row = (i: number) => `${i},"Title number ${i}: a study of things","Smith, J.; Doe, A.",${'"' + 'An abstract sentence, with commas. '.repeat(14) + '"'},2020,1\n`;
    const text = 'record_id,title,authors,abstract,year,label_included\n' + Array.from({ length: 40000 }, (_, i) => row(i)).join('');
    expect(text.length).toBeGreaterThan(20e6);
    const started = performance.now();
    const { records } = parse(text);
    expect(records).toHaveLength(40000);
    expect(performance.now() - started).toBeLessThan(10000);
  });
});
