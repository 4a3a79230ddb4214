/** Bad input gets a clear problem with file, line and reason, and the good records of a file still import. */
import { describe, expect, it } from 'vitest';
import { importBytes, importText } from '../../src/parsers/index';
import { importFiles } from '../../src/screening/import-records';

const bytes = (text: string) => new TextEncoder().encode(text);

const goodRis = (title: string) => `TY  - JOUR\nTI  - ${title}\nAU  - Smith, J\nPY  - 2020\nER  - \n`;

describe('bad input', () => {
  it('binary files', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const result = importBytes(png, 'figure.png');
    expect(result.records).toEqual([]);
    expect(result.problems).toEqual([expect.objectContaining({ file: 'figure.png', line: 0, severity: 'error', message: expect.stringMatching(/binary/) })]);
  });

  it('unreadable files', () => {
    const outcome = importFiles([{ file: 'locked.ris', bytes: new Uint8Array(), readError: 'EACCES: permission denied' }]);
    expect(outcome.problems).toEqual([expect.objectContaining({ file: 'locked.ris', message: expect.stringMatching(/could not be read: EACCES/) })]);
  });

  it('empty files, including only white space or a BOM', () => {
    for (const content of ['', '   \n\r\n', '\ufeff']) {
      const result = importBytes(bytes(content), 'empty.ris');
      expect(result.records).toEqual([]);
      expect(result.problems[0]).toMatchObject({ file: 'empty.ris', line: 0, message: expect.stringMatching(/empty/) });
    }
  });

  it('truncated records: the complete ones import, the cut one is reported at its line', () => {
    const text = goodRis('First complete record') + goodRis('Second complete record') + 'TY  - JOUR\nTI  - Cut off in the mid';
    const result = importText(text, 'cut.ris');
    expect(result.records.map((r) => r.title)).toEqual(['First complete record', 'Second complete record', 'Cut off in the mid']);
    expect(result.problems).toContainEqual(expect.objectContaining({ file: 'cut.ris', line: 11 }));
  });

  it('records without a title are reported with their line and kept', () => {
    const text = goodRis('Has a title') + 'TY  - JOUR\nAU  - Nobody, N\nPY  - 2001\nER  - \n';
    const result = importText(text, 'untitled.ris');
    expect(result.records).toHaveLength(2);
    expect(result.problems).toContainEqual(expect.objectContaining({ file: 'untitled.ris', line: 6, message: expect.stringMatching(/title/i) }));
  });

  it('unknown formats', () => {
    const result = importText('{"settings": {"theme": "dark"}, "values": [1, 2, 3]}', 'config.json');
    expect(result.records).toEqual([]);
    expect(result.problems[0]).toMatchObject({ file: 'config.json', line: 0, message: expect.stringMatching(/Unknown format/) });
  });

  it('a list of bare PMIDs needs an online lookup, and says so', () => {
    const result = importText('39953407\n31985242\r\n12345678\n', 'pmids.txt');
    expect(result.records).toEqual([]);
    expect(result.problems[0].message).toMatch(/PubMed ids.*online lookup/);
  });

  it('a broken BibTeX entry between good ones does not lose them', () => {
    const text = '@article{a, title={Good one}, year=2020}\n@article{b, title={Broken, year=2020\n\n@article{c, title={Good two}, year=2021}\n';
    const result = importText(text, 'refs.bib');
    expect(result.records.map((r) => r.title)).toEqual(expect.arrayContaining(['Good one', 'Good two']));
    expect(result.problems).toContainEqual(expect.objectContaining({ file: 'refs.bib', line: expect.any(Number) }));
    expect(result.problems.some((p) => p.line >= 2)).toBe(true);
  });

  it('a CSV row with broken quoting still leaves the other rows', () => {
    const text = 'Title,Abstract,Year\nFirst paper,Some abstract,2020\n"Second, with ""quotes""",Another,2021\nThird paper,"unterminated,2022\n';
    const result = importText(text, 'refs.csv');
    expect(result.records.map((r) => r.title).slice(0, 2)).toEqual(['First paper', 'Second, with "quotes"']);
    expect(result.problems.length).toBeGreaterThan(0);
  });
});
