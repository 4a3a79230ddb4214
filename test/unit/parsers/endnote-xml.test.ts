import { describe, expect, it } from 'vitest';
import { endnoteXmlImporter } from '../../../src/parsers/endnote-xml';
import { importText } from '../../../src/parsers/index';

const style = (text: string) => `<style face="normal" font="default" size="100%">${text}</style>`;

const record = (n: number, extra = '') => `    <record>
      <ref-type name="Journal Article">17</ref-type>
      <contributors><authors><author>${style(`Author${n}, A.`)}</author><author>${style('Second, B. C.')}</author></authors></contributors>
      <titles><title>${style(`Title ${n}`)}</title><secondary-title>${style('Journal &amp; Co')}</secondary-title></titles>
      <periodical><full-title>${style('Journal of Things')}</full-title></periodical>
      <pages>${style('1-10')}</pages><volume>${style('3')}</volume><number>${style('4')}</number>
      <keywords><keyword>${style('alpha\rbeta')}</keyword><keyword>${style('gamma')}</keyword></keywords>
      <dates><year>${style('2019')}</year><pub-dates><date>${style('Mar 3')}</date></pub-dates></dates>
      <electronic-resource-num>${style('https://doi.org/10.1000/ABC' + n)}</electronic-resource-num>
      <accession-num>${style(String(31000000 + n))}</accession-num>
      <remote-database-provider>${style('NLM')}</remote-database-provider>
      <urls><related-urls><url>${style('https://example.org/' + n)}</url></related-urls></urls>
      <label>${style('include')}</label>${extra}
    </record>
`;

const file = (...records: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <records>\n${records.join('')}  </records>\n</xml>\n`;

describe('EndNote XML importer', () => {
  it('reads the fields of a record, with <style> runs, entities and line numbers', () => {
    const { records, problems } = endnoteXmlImporter.parse(file(record(1), record(2)), 'lib.xml');
    expect(problems).toEqual([]);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      title: 'Title 1',
      authors: ['Author1, A.', 'Second, B. C.'],
      journal: 'Journal of Things',
      year: 2019,
      volume: '3',
      issue: '4',
      pages: '1-10',
      doi: '10.1000/abc1',
      pmid: '31000001',
      url: 'https://example.org/1',
      keywords: ['alpha', 'beta', 'gamma'],
      type: 'journal-article',
      provenance: { file: 'lib.xml', format: 'endnote-xml', line: 4, index: 0 },
    });
    expect(records[0].metadata).toMatchObject({ label: 'include', 'titles/secondary-title': 'Journal & Co', 'dates/pub-dates': 'Mar 3' });
    expect(records[1].provenance.line).toBe(19);
  });

  it('a truncated file still yields the complete records before the cut', () => {
    const whole = file(record(1), record(2), record(3));
    const cut = whole.slice(0, whole.indexOf('Title 3'));
    const { records, problems } = endnoteXmlImporter.parse(cut, 'cut.xml');
    expect(records.map((r) => r.title)).toEqual(['Title 1', 'Title 2']);
    expect(problems).toEqual([expect.objectContaining({ file: 'cut.xml', line: 34, severity: 'error', message: expect.stringMatching(/no closing tag/) })]);
  });

  it('a record missing its end tag in the middle of the file loses only itself', () => {
    const broken = record(2).replace('</record>', '');
    const { records, problems } = endnoteXmlImporter.parse(file(record(1), broken, record(3)), 'mid.xml');
    expect(records.map((r) => r.title)).toEqual(['Title 1', 'Title 3']);
    expect(problems).toEqual([expect.objectContaining({ line: 19, severity: 'error' })]);
  });

  it('malformed XML inside a record is reported with its line and the record read leniently', () => {
    const { records, problems } = endnoteXmlImporter.parse(file(record(1), record(2).replace('Title 2', 'Title 2 & more')), 'amp.xml');
    expect(records.map((r) => r.title)).toEqual(['Title 1', 'Title 2 & more']);
    expect(problems).toEqual([expect.objectContaining({ line: 22, severity: 'warning', message: expect.stringMatching(/Malformed XML/) })]);
  });

  it('multi-part rich text, plain values without <style>, HTML in titles, numeric ref types', () => {
    const xml = file(`<record><ref-type>5</ref-type><titles><title><style face="normal">Part one </style><style face="italic">in italics</style> &lt;i&gt;tagged&lt;/i&gt;</title><secondary-title>A Book</secondary-title></titles><dates><year>2001</year></dates></record>`);
    const [r] = endnoteXmlImporter.parse(xml, 'x.xml').records;
    expect(r).toMatchObject({ title: 'Part one in italics tagged', journal: 'A Book', type: 'book-chapter', year: 2001 });
  });

  it('records without a title are kept and reported', () => {
    const { records, problems } = endnoteXmlImporter.parse(file('<record><ref-type name="Generic">13</ref-type></record>'), 'x.xml');
    expect(records).toHaveLength(1);
    expect(problems).toEqual([expect.objectContaining({ line: 4, message: expect.stringMatching(/no title/) })]);
  });

  it('sniffs EndNote XML only', () => {
    expect(endnoteXmlImporter.sniff(file(record(1)))).toBeGreaterThanOrEqual(0.5);
    expect(endnoteXmlImporter.sniff('<?xml version="1.0"?><PubmedArticleSet><PubmedArticle></PubmedArticle></PubmedArticleSet>')).toBe(0);
    expect(endnoteXmlImporter.sniff('TY  - JOUR\nER  - \n')).toBe(0);
    expect(importText(file(record(1)), 'lib.xml').format).toBe('endnote-xml');
  });
});
