import { describe, expect, it } from 'vitest';
import { decodeBytes, looksBinary, splitLines } from '../../../src/parsers/decode';
import { mapRecordType, normaliseAuthor, normaliseDoi, normalisePmid, parseYear, splitKeywords } from '../../../src/parsers/normalise';

const encoder = new TextEncoder();

describe('decodeBytes', () => {
  it('reads UTF-8 with and without BOM', () => {
    expect(decodeBytes(encoder.encode('Konkolÿ'))).toMatchObject({ text: 'Konkolÿ', encoding: 'utf-8', hadBom: false });
    expect(decodeBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('é')]))).toMatchObject({ text: 'é', hadBom: true });
  });

  it('reads UTF-16 LE and BE, with BOM and without', () => {
    const le = Buffer.from('\ufeffTY  - JOUR é', 'utf16le');
    expect(decodeBytes(le)).toMatchObject({ text: 'TY  - JOUR é', encoding: 'utf-16le' });
    const be = Buffer.from(Buffer.from('@article{x, title={é}}', 'utf16le')).swap16();
    expect(decodeBytes(be)).toMatchObject({ text: '@article{x, title={é}}', encoding: 'utf-16be' });
  });

  it('falls back to Windows-1252 for invalid UTF-8, keeping every character', () => {
    const bytes = new Uint8Array([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x20, 0x93, 0x71, 0x94, 0x20, 0x80]);
    const decoded = decodeBytes(bytes);
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toBe('Müller “q” €');
    expect(decoded.text).not.toContain('\ufffd');
  });

  it('recognises binary files', () => {
    expect(looksBinary(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02]))).toBe(true);
    expect(looksBinary(encoder.encode('TY  - JOUR\r\nER  -\r\n'))).toBe(false);
    expect(looksBinary(Buffer.from('\ufeffabc', 'utf16le'))).toBe(false);
  });

  it('splits LF, CRLF and bare CR lines', () => {
    expect(splitLines('a\r\nb\rc\nd')).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('normalisation', () => {
  it('normalises DOIs', () => {
    expect(normaliseDoi('https://doi.org/10.1186/S12888-025-06572-2.')).toBe('10.1186/s12888-025-06572-2');
    expect(normaliseDoi('doi:10.1037/prj0000404 [doi]')).toBe('10.1037/prj0000404');
    expect(normaliseDoi('10.1002/%28sici%291097')).toBe('10.1002/(sici)1097');
    expect(normaliseDoi('not a doi')).toBeUndefined();
  });

  it('reads PMIDs and years', () => {
    expect(normalisePmid('PMID: 39953407 [Indexed for MEDLINE]')).toBe('39953407');
    expect(parseYear('2025/02/14/')).toBe(2025);
    expect(parseYear('Winter 1998')).toBe(1998);
    expect(parseYear('n.d.')).toBeUndefined();
  });

  it('writes authors as "Family, Given"', () => {
    expect(normaliseAuthor('M. Ambreen')).toBe('Ambreen, M.');
    expect(normaliseAuthor('M. R. van Kesteren')).toBe('van Kesteren, M. R.');
    expect(normaliseAuthor('Kohn L')).toBe('Kohn, L');
    expect(normaliseAuthor('De Lepeleire,  Jan')).toBe('De Lepeleire, Jan');
    expect(normaliseAuthor('WHO')).toBe('WHO');
    expect(normaliseAuthor('World Health Organization')).toBe('World Health Organization');
    expect(normaliseAuthor('PRISMA-P Group')).toBe('PRISMA-P Group');
  });

  it('maps source types and splits keywords', () => {
    expect(mapRecordType('JOUR')).toBe('journal-article');
    expect(mapRecordType('inproceedings')).toBe('conference-paper');
    expect(mapRecordType('ELEC')).toBe('web-page');
    expect(mapRecordType('phdthesis')).toBe('thesis');
    expect(splitKeywords('a; b;c')).toEqual(['a', 'b', 'c']);
    expect(splitKeywords('a, b')).toEqual(['a', 'b']);
  });
});
