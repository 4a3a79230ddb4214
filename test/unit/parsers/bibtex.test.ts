import { describe, expect, it } from 'vitest';
import { bibtexImporter } from '../../../src/parsers/bibtex';
import { importText } from '../../../src/parsers/index';

const parse = (text: string) => bibtexImporter.parse(text, 'refs.bib');

describe('BibTeX importer', () => {
  it('a broken entry between good ones: the good ones import, the broken one is an error at its line', () => {
    const text = [
      '@article{good1,',
      '  title = {First good entry},',
      '  year = 2020',
      '}',
      '@article{broken,',
      '  title = {Never closed,',
      '  year = 2021',
      '',
      '@article{good2,',
      '  title = {Second good entry},',
      '  author = {Doe, Jane},',
      '}',
    ].join('\n');
    const { records, problems } = parse(text);
    expect(records.map((r) => r.title)).toEqual(['First good entry', 'Second good entry']);
    expect(records.map((r) => r.provenance.line)).toEqual([1, 9]);
    expect(records.map((r) => r.provenance.index)).toEqual([0, 1]);
    expect(problems).toEqual([expect.objectContaining({ file: 'refs.bib', line: 6, severity: 'error', message: expect.stringMatching(/entry at line 5.*not closed/) })]);
  });

  it('a file cut off inside the last entry keeps the entries before it', () => {
    const { records, problems } = parse('@book{a, title={Complete}}\n@book{b, title={Cut off in the mi');
    expect(records.map((r) => r.title)).toEqual(['Complete']);
    expect(problems[0]).toMatchObject({ line: 2, severity: 'error' });
  });

  it('@string macros with # concatenation, and crossref inheritance', () => {
    const text = `
@string{procs = "Proceedings of the "}
@STRING(conf = procs # {Tenth Conference})
@inproceedings{child,
  author = {M{\\"u}ller, Hans and Jane Doe},
  title = {A paper},
  pages = {10--20},
  crossref = {parent}
}
@proceedings{parent,
  title = conf,
  booktitle = conf,
  year = 2019,
  publisher = {ACM}
}`;
    const { records, problems } = parse(text);
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({
      title: 'A paper',
      authors: ['Müller, Hans', 'Doe, Jane'],
      journal: 'Proceedings of the Tenth Conference',
      year: 2019,
      pages: '10-20',
      type: 'conference-paper',
      provenance: { line: 4 },
    });
    expect(records[1]).toMatchObject({ title: 'Proceedings of the Tenth Conference', year: 2019 });
  });

  it('LaTeX accents, special letters, dashes and case-protection braces', () => {
    const { records } = parse(
      '@article{x, title = {{\\"O}ber {\\\'e}t{\\\'{e}} \\c{c}a {\\aa}r {\\ss} {\\o} --- {DNA} in {\\emph{E. coli}} 10--20}, author = {Fran{\\c c}ois Dupont and {\\\'E}mile Zola}}',
    );
    expect(records[0].title).toBe('Öber été ça år ß ø — DNA in E. coli 10–20');
    expect(records[0].authors).toEqual(['Dupont, François', 'Zola, Émile']);
  });

  it('paren-delimited entries, comma-first style and fields with "+" and ":"', () => {
    const text = `@Article(paren, title = "Paren entry", year = "2001")

@ARTICLE{ commafirst
 , author = {Jean Cesar}
 , title = {Comma first}
 , year = {2013}
}
@book{plus,
  title = {Plus fields},
  AUTHOR = {U. Author},
  AUTHOR+an:username = {1="@ausername"},
  date-added = {2020-01-01},
}`;
    const { records, problems } = parse(text);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.title)).toEqual(['Paren entry', 'Comma first', 'Plus fields']);
    expect(records[1]).toMatchObject({ authors: ['Cesar, Jean'], year: 2013 });
    expect(records[2].metadata?.['date-added']).toBe('2020-01-01');
  });

  it('missing commas between fields: reads on and warns', () => {
    const { records, problems } = parse('@article{k,\n  title = {No comma after me}\n  year = {1999}\n  journal = {J}\n}');
    expect(records[0]).toMatchObject({ title: 'No comma after me', year: 1999, journal: 'J' });
    expect(problems).toEqual([
      expect.objectContaining({ line: 3, severity: 'warning', message: expect.stringMatching(/missing comma after field "title"/) }),
      expect.objectContaining({ line: 4, severity: 'warning', message: expect.stringMatching(/missing comma after field "year"/) }),
    ]);
  });

  it('% comments, @comment, @preamble and JabRef metadata are not records; commented-out entries stay out', () => {
    const text = `% Encoding: UTF-8
% @article{commented, title={Not me}}
@preamble{ "\\makeatletter" }
@comment{ignore this}
@Comment{jabref-meta: grouping:
0 AllEntriesGroup:;
1 StaticGroup:Markings\\;2\\;1\\;\\;\\;\\;;
}
@article{real,
  % a comment between fields
  title = {The only record},
}`;
    const { records, problems } = parse(text);
    expect(problems).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ title: 'The only record', provenance: { line: 9 } });
  });

  it('DOI, PMID, URL, keywords and the rest of the fields', () => {
    const { records } = parse(`@article{k,
  title = {T}, doi = {https://doi.org/10.1000/ABC\\_1}, pmid = {12345},
  url = {http://example.org/a\\_b?x=1\\&y=2}, keywords = {alpha; beta, gamma},
  note = {A {\\em note}}, issn = {1234-5678}
}`);
    expect(records[0]).toMatchObject({ doi: '10.1000/abc_1', pmid: '12345', url: 'http://example.org/a_b?x=1&y=2', keywords: ['alpha', 'beta', 'gamma'] });
    expect(records[0].metadata).toMatchObject({ 'bibtex-key': 'k', 'bibtex-type': 'article', note: 'A note', issn: '1234-5678' });
  });

  it('Scopus quirks: spaces in keys and field names; entries without a key', () => {
    const { records, problems } = parse('@article{Conference paper2022775,\n title = {Spaced key},\n funding_text 1 = {Fund}\n}\n@misc{ title = {No key} }');
    expect(records.map((r) => r.title)).toEqual(['Spaced key', 'No key']);
    expect(records[0].metadata).toMatchObject({ 'bibtex-key': 'Conference paper2022775', 'funding_text 1': 'Fund' });
    expect(problems).toEqual([expect.objectContaining({ line: 5, severity: 'warning', message: expect.stringMatching(/no citation key/) })]);
  });

  it('undefined macros are kept as text with a warning; entries without a title are reported', () => {
    const { records, problems } = parse('@article{a, title = {T}, journal = jomch}\n@misc{b, author = {X}}');
    expect(records[0].journal).toBe('jomch');
    expect(records[1].title).toBe('');
    expect(problems).toEqual([
      expect.objectContaining({ line: 1, severity: 'warning', message: expect.stringMatching(/undefined @string macro "jomch"/) }),
      expect.objectContaining({ line: 2, severity: 'warning', message: expect.stringMatching(/no title/) }),
    ]);
  });

  it('record types from BibTeX, BibLaTeX and Mendeley entry types', () => {
    const types = ['article', 'inproceedings', 'incollection', 'phdthesis', 'techreport', 'book', 'online', 'misc', 'book_section', 'web_page', 'unpublished'];
    const { records } = parse(types.map((t, i) => `@${t}{k${i}, title = {T${i}}}`).join('\n'));
    expect(records.map((r) => r.type)).toEqual([
      'journal-article',
      'conference-paper',
      'book-chapter',
      'thesis',
      'report',
      'book',
      'web-page',
      'other',
      'book-chapter',
      'web-page',
      'preprint',
    ]);
  });

  it('CRLF and bare CR line ends give the right lines', () => {
    expect(parse('%c\r\n\r\n@article{a,\r\n title={A}}\r\n@article{b, title={B}}').records.map((r) => r.provenance.line)).toEqual([3, 5]);
    expect(parse('%c\r\r@article{a,\r title={A}}\r@article{b, title={B}}').records.map((r) => r.provenance.line)).toEqual([3, 5]);
  });

  it('sniffs BibTeX and nothing else', () => {
    expect(bibtexImporter.sniff('% comment\n\n@article{a, title={x}}')).toBeGreaterThanOrEqual(0.5);
    expect(bibtexImporter.sniff('@Comment{jabref-meta: databaseType:bibtex;}')).toBeGreaterThanOrEqual(0.5);
    expect(bibtexImporter.sniff('TY  - JOUR\nTI  - Mail me at someone@example.org\nER  - \n')).toBe(0);
    expect(bibtexImporter.sniff('PMID- 123\nTI  - Title\n')).toBe(0);
    expect(bibtexImporter.sniff('title,abstract\n"@home",x\n')).toBe(0);
    expect(importText('@article{a, title={Picked by the registry}}', 'x.txt').format).toBe('bibtex');
  });

  it('a large file is read quickly (well under a second per megabyte)', () => {
    const entry = (i: number) =>
      `@article{key${i},\n  author = {Smith, John and M{\\"u}ller, Anna},\n  title = {A study of {DNA} repair number ${i}},\n  journal = {Journal of Things},\n  year = {2020},\n  abstract = {${'Plain abstract text without any markup at all. '.repeat(20)}},\n  doi = {10.1000/${i}},\n}\n`;
    const text = Array.from({ length: 4000 }, (_, i) => entry(i)).join('\n');
    const started = performance.now();
    const { records } = parse(text);
    const seconds = (performance.now() - started) / 1000;
    expect(records).toHaveLength(4000);
    expect(seconds).toBeLessThan(Math.max(1, text.length / 1e6));
  });
});
