import { describe, expect, it } from 'vitest';
import { importText } from '../../../src/parsers/index';
import { refworksImporter } from '../../../src/parsers/refworks';

const RECORD = [
  'RT Book, Section',
  'SR Electronic(1)',
  'ID 206',
  'A1 Stansfeld,Stephen',
  'A1 Fuhrer,Rebecca',
  'T1 Depression and coronary heart disease',
  'YR 2002',
  'SP 101',
  'OP 123',
  'K1 Etiology',
  'K1 Heart Disorders',
  'AB (From the chapter) This chapter discusses the evidence',
  'NO doi: 10.1086/374030',
  'T2 Stress and the heart',
  'PB BMJ Books',
].join('\n');

describe('RefWorks', () => {
  it('reads the fields', () => {
    const result = importText(RECORD, 'refworks.txt');
    expect(result.format).toBe('refworks');
    expect(result.problems).toEqual([]);
    expect(result.records[0]).toMatchObject({
      title: 'Depression and coronary heart disease',
      authors: ['Stansfeld, Stephen', 'Fuhrer, Rebecca'],
      year: 2002,
      journal: 'Stress and the heart',
      pages: '101-123',
      doi: '10.1086/374030',
      abstract: '(From the chapter) This chapter discusses the evidence',
      keywords: ['Etiology', 'Heart Disorders'],
      type: 'book-chapter',
      metadata: { SR: 'Electronic(1)', ID: '206', NO: 'doi: 10.1086/374030', PB: 'BMJ Books' },
    });
  });

  it('skips the legend block and reads several records', () => {
    const legend = 'Refworks Export Tagged Format\n\nCharacter Set=utf-8\n\nTag legend\n*****\nRT=Reference Type\nA1=Primary Authors\n*****\nBEGIN EXPORTED REFERENCES\n\n';
    const { records, problems } = refworksImporter.parse(`${legend}${RECORD}\n\nRT Journal Article\nT1 Second\nYR 2003\n`, 'r.txt');
    expect(records.map((r) => [r.title, r.type, r.provenance.line])).toEqual([
      ['Depression and coronary heart disease', 'book-chapter', 12],
      ['Second', 'journal-article', 28],
    ]);
    expect(problems).toEqual([]);
  });

  it('warns about unknown text before the first record', () => {
    const { problems } = refworksImporter.parse(`Hello there\n${RECORD}`, 'r.txt');
    expect(problems).toEqual([expect.objectContaining({ line: 1 })]);
  });
});
