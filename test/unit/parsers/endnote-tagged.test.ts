import { describe, expect, it } from 'vitest';
import { importText } from '../../../src/parsers/index';
import { endnoteTaggedImporter } from '../../../src/parsers/endnote-tagged';

describe('EndNote / Refer tagged', () => {
  it('reads the fields of blank-line separated records, %T before %0 included', () => {
    const text = [
      '%0 Journal Article',
      '%T How trust leads to commitment',
      '%A Guo, Wenbo',
      '%A Straub, Detmar W.',
      '%J Management Information Systems Quarterly',
      '%D 2021',
      '%V 45',
      '%N 3',
      '%P 1309-48',
      '%R 10.25300/MISQ/2021/15123',
      '%U https://aisel.aisnet.org/misq/vol45/iss3/13',
      '%K trust',
      'governance',
      '%X IS research has extensively examined',
      'the role of trust.',
      '',
      '%T Second record',
      '%0 Book Section',
      '%B A book',
      '%I Publisher',
    ].join('\n');
    const result = importText(text, 'refs.enw');
    expect(result.format).toBe('endnote-tagged');
    expect(result.problems).toEqual([]);
    expect(result.records[0]).toMatchObject({
      title: 'How trust leads to commitment',
      authors: ['Guo, Wenbo', 'Straub, Detmar W.'],
      journal: 'Management Information Systems Quarterly',
      year: 2021,
      volume: '45',
      issue: '3',
      pages: '1309-1348',
      doi: '10.25300/misq/2021/15123',
      url: 'https://aisel.aisnet.org/misq/vol45/iss3/13',
      keywords: ['trust', 'governance'],
      abstract: 'IS research has extensively examined the role of trust.',
      type: 'journal-article',
    });
    expect(result.records[1]).toMatchObject({ title: 'Second record', journal: 'A book', type: 'book-chapter', provenance: { line: 17, index: 1 } });
  });

  it('starts a record at a second %0 and skips type-only records with a warning', () => {
    const { records, problems } = endnoteTaggedImporter.parse('%0\n%A testA0\n%T testT\n%0 Journal\n%0 Book\n%B testB1\n', 'e.enw');
    expect(records.map((r) => [r.title, r.journal, r.provenance.line])).toEqual([
      ['testT', undefined, 1],
      ['', 'testB1', 5],
    ]);
    expect(problems).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringMatching(/no data/) }),
      expect.objectContaining({ line: 5, message: expect.stringMatching(/no title/) }),
    ]);
  });
});
