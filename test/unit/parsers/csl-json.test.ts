import { describe, expect, it } from 'vitest';
import { cslJsonImporter } from '../../../src/parsers/csl-json';
import { importText } from '../../../src/parsers/index';

const items = [
  {
    id: 'a',
    type: 'article-journal',
    title: 'A <i>rich</i> title &amp; more',
    author: [{ family: 'Gogh', given: 'Vincent', 'non-dropping-particle': 'van' }, { literal: 'The Consortium' }],
    issued: { 'date-parts': [[2019, 5, 1]] },
    'container-title': 'Journal of Art',
    volume: 3,
    issue: '2',
    page: '10-20',
    DOI: '10.1000/ABC',
    PMID: '123456',
    abstract: 'An abstract.',
    keyword: 'one, two',
    URL: 'https://example.org',
    publisher: 'Pub',
    editor: [{ family: 'Ed', given: 'A.' }],
  },
  { id: 'b', type: 'chapter', title: 'Raw date', issued: { raw: '2018-03' } },
  { id: 'c', type: 'webpage', title: 'Literal season', issued: { literal: 'Spring 2017', season: 1 } },
  { id: 'd', type: 'book', title: 'BC', issued: { 'date-parts': [['-333']] } },
];

describe('CSL-JSON importer', () => {
  it('maps CSL items, with line numbers of their opening braces', () => {
    const text = JSON.stringify(items, null, 2);
    const { records, problems } = cslJsonImporter.parse(text, 'items.json');
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({
      title: 'A rich title & more',
      authors: ['van Gogh, Vincent', 'The Consortium'],
      year: 2019,
      journal: 'Journal of Art',
      volume: '3',
      issue: '2',
      pages: '10-20',
      doi: '10.1000/abc',
      pmid: '123456',
      abstract: 'An abstract.',
      keywords: ['one', 'two'],
      url: 'https://example.org',
      type: 'journal-article',
      provenance: { file: 'items.json', format: 'csl-json', line: 2, index: 0 },
    });
    expect(records[0].metadata).toMatchObject({ id: 'a', publisher: 'Pub', editor: 'Ed, A.' });
    expect(records.map((r) => [r.type, r.year])).toEqual([
      ['journal-article', 2019],
      ['book-chapter', 2018],
      ['web-page', 2017],
      ['book', undefined],
    ]);
    const lines = text.split('\n');
    for (const record of records) expect(lines[record.provenance.line - 1].trim()).toBe('{');
  });

  it('accepts a single item and {"items": [...]}', () => {
    expect(cslJsonImporter.parse(JSON.stringify(items[1]), 'one.json').records.map((r) => r.title)).toEqual(['Raw date']);
    expect(cslJsonImporter.parse(JSON.stringify({ items: items.slice(0, 2) }), 'wrapped.json').records.map((r) => r.title)).toEqual(['A rich title & more', 'Raw date']);
  });

  it('broken JSON: the readable items still import, the broken one is reported at its line', () => {
    const text = `[\n  {"type": "book", "title": "Good one"},\n  {"type": "book", "title": "Broken" "x": 1},\n  {"type": "book", "title": "Good two"},\n  {"type": "book", "title": "Cut off`;
    const { records, problems } = cslJsonImporter.parse(text, 'broken.json');
    expect(records.map((r) => [r.title, r.provenance.line])).toEqual([
      ['Good one', 2],
      ['Good two', 4],
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, severity: 'error', message: expect.stringMatching(/CSL item skipped/) }),
        expect.objectContaining({ line: 5, severity: 'error', message: expect.stringMatching(/CSL item skipped/) }),
      ]),
    );
  });

  it('sniffs CSL-JSON and not other JSON', () => {
    expect(cslJsonImporter.sniff(JSON.stringify(items))).toBeGreaterThanOrEqual(0.5);
    expect(cslJsonImporter.sniff('{"paper_id": "x", "metadata": {"title": "T", "authors": [{"first": "A", "last": "B"}]}, "body_text": []}')).toBe(0);
    expect(cslJsonImporter.sniff('{"settings": {"theme": "dark"}}')).toBe(0);
    expect(cslJsonImporter.sniff('title,type\nx,y\n')).toBe(0);
    expect(importText(JSON.stringify(items), 'x.json').format).toBe('csl-json');
  });
});
