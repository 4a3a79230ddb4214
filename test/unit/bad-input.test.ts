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

  describe('NUL bytes in a text export: reported by line, the rest imports', () => {
    /** `count` NULs spread over the file at fixed places (after a few characters of a line); their lines. */
    const damage = (text: string, count: number) => {
      const lines = text.split('\n');
      const damaged: number[] = [];
      for (let k = 0; k < count; k++) {
        const index = Math.floor(((k + 0.5) * lines.length) / count);
        if (lines[index].length < 3) continue;
        lines[index] = `${lines[index].slice(0, 3)}\0${lines[index].slice(3)}`;
        damaged.push(index + 1);
      }
      return { bytes: Buffer.from(lines.join('\n'), 'utf8'), damaged: [...new Set(damaged)] };
    };
    const risFile = Array.from({ length: 100 }, (_, i) => `TY  - JOUR\nTI  - Record number ${i} about ${'screening '.repeat(20)}\nAU  - Smith, J\nPY  - 2020\nAB  - ${'An abstract sentence. '.repeat(112)}\nER  - \n`).join('\n');
    const bibFile = Array.from({ length: 100 }, (_, i) => `@article{key${i},\n  title = {Record number ${i}},\n  author = {Smith, J},\n  year = {2020},\n  abstract = {${'An abstract sentence. '.repeat(25)}}\n}\n`).join('\n');

    it.each([
      ['ris', risFile, 'refs.ris'],
      ['bibtex', bibFile, 'refs.bib'],
    ])('%s: 50 NULs do not reject the file; every record imports and each damaged line is named', (format, text, file) => {
      expect(text.length).toBeGreaterThan(format === 'ris' ? 250_000 : 55_000);
      const { bytes, damaged } = damage(text, 50);
      expect(damaged.length).toBeGreaterThan(40);
      const result = importBytes(bytes, file);
      expect(result.format).toBe(format);
      expect(result.records).toHaveLength(100);
      expect(result.records.every((record) => !record.title.includes('\0') && !(record.abstract ?? '').includes('\0'))).toBe(true);
      const nul = result.problems.filter((problem) => /NUL/.test(problem.message));
      expect(nul.slice(0, 20).map((problem) => problem.line)).toEqual(damaged.slice(0, 20));
      expect(nul[0]).toMatchObject({ file, severity: 'warning', message: expect.stringMatching(/A NUL byte .*left out/) });
      expect(nul[20]).toMatchObject({ line: damaged[20], message: `${damaged.length - 20} more NUL bytes on ${damaged.length - 20} more lines left out.` });
      // Without the NULs, the same records.
      const clean = importBytes(Buffer.from(text, 'utf8'), file);
      expect(result.records.map((record) => [record.title, record.abstract])).toEqual(clean.records.map((record) => [record.title, record.abstract]));
    });

    it('a run of NULs (a zero-filled block) in the middle of a record, with CRLF lines', () => {
      const text = `TY  - JOUR\r\nTI  - First\r\nER  - \r\nTY  - JOUR\r\nTI  - Sec${'\0'.repeat(4096)}ond\r\nER  - \r\n`;
      const result = importBytes(Buffer.from(text, 'utf8'), 'block.ris');
      expect(result.records.map((record) => record.title)).toEqual(['First', 'Second']);
      expect(result.problems).toEqual([expect.objectContaining({ line: 5, message: expect.stringMatching(/^4096 NUL bytes/) })]);
    });

    it('a file of nothing but NULs is damaged, not binary', () => {
      const result = importBytes(new Uint8Array(1000), 'zeros.ris');
      expect(result.records).toEqual([]);
      expect(result.problems).toEqual([expect.objectContaining({ line: 0, severity: 'error', message: expect.stringMatching(/nothing but NUL bytes/) })]);
    });

    it('binary files stay binary: signatures, and random bytes', () => {
      const random = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 2654435761) >>> 24);
      for (const [name, bytes] of [
        ['a.pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n', 'latin1')],
        ['a.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0])],
        ['a.bin', random],
      ] as const) {
        expect(importBytes(bytes, name).problems[0]?.message, name).toMatch(/binary/);
      }
    });
  });
});
