/**
 * The UTF-8 fast path of the RIS import (Latin-1 view of the bytes, only non-ASCII values decoded, see
 * Utf8Text and parseRisUtf8) must be invisible: importBytes gives exactly what decoding the whole file and
 * importing the text gave before, on the whole corpus, the seeds, hand-made edge cases and random documents;
 * and the fast helpers it uses agree with the regexes they stand in for.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Utf8Text, decodeBytes, looksBinary, utf8Body } from '../../../src/parsers/decode';
import { importBytes, importText, type FileImportResult } from '../../../src/parsers/index';
import { parseYear } from '../../../src/parsers/normalise';
import { parseRisUtf8, plainDoi, risImporter, yearOf } from '../../../src/parsers/ris';
import { authorList, clean, cleanAuthor, doiIn, fastGivenFamily, isPlaceholder, joinPages, needsCleaning } from '../../../src/parsers/tagged';
import type { FormatId } from '../../../src/screening/record';
import { CORPUS_DIR, SEEDS_DIR, corpusAvailable, readManifest } from '../helpers/corpus';
import { seededRandom } from '../../../src/screening/ranking/random';

/** What importBytes returned before the fast path: the whole file decoded, then importText. */
function reference(bytes: Uint8Array, file: string, forced?: FormatId): FileImportResult {
  if (bytes.length === 0 || looksBinary(bytes)) return importBytes(bytes, file, forced);
  const decoded = decodeBytes(bytes);
  return { ...importText(decoded.text, file, forced), encoding: decoded.encoding };
}

/**
 * Both paths agree: the registry (sniffed and forced to RIS), and the RIS parser on bytes and on text.
 * Large results are compared as JSON (deep equality, and above all its diff on failure, is slow on them).
 */
function expectSamePaths(bytes: Uint8Array, file = 'case.ris'): void {
  const same = (actual: unknown, expected: unknown) => {
    const a = JSON.stringify(actual);
    const b = JSON.stringify(expected);
    if (a.length > 200_000) expect(a === b, 'results differ').toBe(true);
    else expect(actual).toStrictEqual(expected);
  };
  same(importBytes(bytes, file), reference(bytes, file));
  same(importBytes(bytes, file, 'ris'), reference(bytes, file, 'ris'));
  const body = utf8Body(bytes);
  if (body) same(parseRisUtf8(body, file), risImporter.parse(decodeBytes(bytes).text, file));
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

describe.runIf(corpusAvailable)('UTF-8 fast path on the corpus', () => {
  const paths = new Set<string>(readManifest().map((row) => join(CORPUS_DIR, row.path)));
  for (const path of filesUnder(join(CORPUS_DIR, 'ris'))) paths.add(path);
  const files = [...paths].filter((path) => existsSync(path));

  it('covers the RIS corpus', () => {
    expect(files.filter((path) => path.includes('/ris/')).length).toBeGreaterThanOrEqual(90);
  });

  it.each(files.map((path) => [relative(CORPUS_DIR, path), path] as const))('%s', (file, path) => {
    expectSamePaths(readFileSync(path), file);
  });
});

describe('UTF-8 fast path on the seeds', () => {
  it.each(readdirSync(SEEDS_DIR).sort())('%s', (name) => {
    expectSamePaths(readFileSync(join(SEEDS_DIR, name)), `seeds/${name}`);
  });
});

describe('UTF-8 fast path edge cases', () => {
  const record = (...lines: string[]) => ['TY  - JOUR', ...lines, 'ER  - ', ''].join('\r\n');
  const cases: Record<string, string> = {
    'NBSP and BOM at value ends': record('TI  - Title\u00a0', 'T2  - \u00a0 Journal', 'AB  - x \ufeff', 'N1  - \ufeff\u00a0'),
    'à ends a value (C3 A0: the A0 byte is no space)': record('TI  - Voilà', 'AU  - Dupont, À', 'KW  - à', 'N1  - là \u00a0'),
    'wide spaces inside values': record('TI  - A\u00a0B\u2003C  D', 'AU  - Smith,\u00a0J', 'KW  - a\u3000b'),
    'BOM before tag lines': `\ufeff${record('\ufeffTI  - x', '\ufeff\ufeffAU  - Müller, K')}`,
    'loose tag forms with non-ASCII': record('KW - é', 'A1\t- Müller, K', 'PMID - 123', 'DOI - 10.1000/ü', 'Y2 -  2020'),
    'continuation lines with non-ASCII': record('AB  - Première ligne', 'deuxième ligne — suite', '  troisième', 'KW  - un', 'deux é', 'AU  - Øst, K', 'Ärzte, B'),
    'non-ASCII lines outside records': [
      'Provider: Ovid — Médecine',
      'Ünrecognised text that is longer than sixty characters, with ëxtra àccents everywhere…',
      record('TI  - x'),
      'NL  - Ñandú',
      'Stray line after the record, é',
    ].join('\r\n'),
    'blank-looking lines inside a record': record('TI  - x', '\u00a0', '\ufeff', ' \t ', 'PY  - 2020', '', 'more text é'),
    'flattened one-line record with non-ASCII': 'TY  - JOUR AU  - Müller, K AU  - Ørsted, H TI  - Über alles ER  - \r\n',
    'line and paragraph separators, NEL': record('TI  - a\u2028b', 'AB  - c\u2029d\u0085e', 'N1  - \u0085'),
    'four-byte characters': record('TI  - 😀 smile', 'AU  - 😀', 'KW  - end 😀', '😀  - not a tag', 'N1  - 𝔘𝔫𝔦𝔠𝔬𝔡𝔢'),
    'non-ASCII where a tag would be': record('É1  - x', 'TÍ  - y', 'T\u00a0 - z'),
    'non-ASCII record type and years': record('TY  - JOURÉ', 'PY  - 2019é', 'Y1  - ２０２０', 'DA  - 2018/01/01/é'),
    'empty and whitespace values': record('TI  -', 'AU  - ', 'KW  -  ', 'AB  - \t', 'N1  -  é '),
    'ER variants': ['TY  - JOUR', 'TI  - a', 'ER  -', 'TY  - JOUR', 'TI  - b', 'ER  -\t', 'TY  - BOOK', 'TI  - ç', 'ER  - é'].join('\n'),
    'LF line ends': record('TI  - ü').replace(/\r\n/g, '\n'),
    'mixed LF and CRLF': 'TY  - JOUR\nTI  - é\r\nAU  - Ü, A\nER  - \r\n',
    'bare CR (decoded path)': 'TY  - JOUR\rTI  - é\r\nAU  - Ü, A\rER  - \r',
    'CR at the end': 'TY  - JOUR\r\nTI  - é\r\nER  - \r',
    'no final line end': 'TY  - JOUR\r\nTI  - é\r\nER  - é',
    'record without ER, truncated in a value': 'TY  - JOUR\r\nTI  - é\r\nAB  - abc ü',
    'PubMed ids and DOIs around non-ASCII': record('AN  - 12345678', 'DB  - MEDLINE®', 'DO  - 10.1234/ABC.é', 'UR  - https://doi.org/10.1/x?é=1', 'N1  - PMID: 123 é'),
  };
  it.each(Object.entries(cases))('%s', (_name, text) => {
    expectSamePaths(utf8(text));
    expectSamePaths(utf8(`\ufeff${text}`));
  });

  it('a second BOM and UTF-16 input keep the decoded path', () => {
    const text = record('TI  - Über');
    expectSamePaths(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(`\ufeff${text}`)]));
    expect(utf8Body(new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41]))).toBeUndefined();
    const le = Buffer.from(`\ufeff${text}`, 'utf16le');
    expectSamePaths(new Uint8Array(le));
    expectSamePaths(new Uint8Array(le.subarray(2))); // no BOM: guessed from the NULs
    const be = Buffer.from(le);
    be.swap16();
    expectSamePaths(new Uint8Array(be));
    expect(utf8Body(new Uint8Array(le))).toBeUndefined();
  });

  it('Windows-1252 input keeps the decoded path', () => {
    const bytes = new Uint8Array(Buffer.from(record('TI  - caf\xe9 \x93quoted\x94', 'AU  - M\xfcller, K'), 'latin1'));
    expect(utf8Body(bytes)).toBeUndefined();
    expectSamePaths(bytes);
  });

  it('files larger than the sniffed head', () => {
    const records: string[] = [];
    for (let i = 0; i < 3000; i++) {
      records.push(record(`TI  - Étude ${i} — ${'ü'.repeat(i % 7)}`, `AU  - Ørsted, H${i % 3 ? '' : '\u00a0'}`, `AB  - ${'x'.repeat(i % 50)} 😀`));
    }
    const big = records.join('');
    expect(Buffer.byteLength(big)).toBeGreaterThan(300_000);
    expectSamePaths(utf8(big));
    // A four-byte character on (and across) the 256 KB mark where the sniffed head is cut.
    const head = `${record('TI  - é')}N1  - `;
    for (let shift = 0; shift < 4; shift++) {
      const pad = 262_144 - shift - Buffer.byteLength(head);
      // (Digits: a run of 64K letters sends the plain-text sniffer's prose regex into a minute of backtracking.)
      const bytes = utf8(`${head}${'1'.repeat(pad)}😀\r\n${big}`);
      expect(bytes[262_144 - shift]).toBe(0xf0);
      expectSamePaths(bytes);
    }
    // RIS further in than the head: the decoded path decides.
    expectSamePaths(utf8(`${'\r\n'.repeat(140_000)}${big}`));
    expectSamePaths(utf8(`${'Just some prose, not RIS at all. '.repeat(9000)}\r\n${big}`));
    // Not RIS at all: CSV with a RIS-looking tail.
    expectSamePaths(utf8(`title,authors,year\r\n${'"Étude",Müller,2020\r\n'.repeat(20_000)}${big}`));
  });
});

describe('UTF-8 fast path on random documents', () => {
  const random = seededRandom(20_260_601);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const pieces = ['word', 'Title', 'é', 'à', 'Ü', 'ß', 'İ', '\u00a0', '\ufeff', '😀', '—', '’', '\u2028', '\u0085', '\t', '  ', ' ', 'e\u0301', '研究', 'Ωμέγα', ',', ';', '.', '-', '10.1234/x', '2021', 'PMID: 123', 'van', 'MD', ''];
  const text = () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(pieces)).join(pick(['', ' ', ' ']));
  const tags = ['TY', 'TI', 'T1', 'AU', 'A1', 'KW', 'AB', 'N2', 'PY', 'Y1', 'DA', 'DO', 'SP', 'EP', 'N1', 'UR', 'T2', 'JO', 'VL', 'IS', 'AN', 'DB', 'ZZ', 'M3', 'U1'];
  const line = (): string => {
    const r = random();
    if (r < 0.6) return `${pick(tags)}  - ${text()}`;
    if (r < 0.65) return 'ER  - ';
    if (r < 0.7) return 'TY  - JOUR';
    if (r < 0.75) return `${pick(['KW - ', 'A1\t- ', 'PMID - ', '\ufeffTI  - ', 'AU -  '])}${text()}`;
    if (r < 0.85) return text();
    return pick(['', ' ', '\u00a0', '1.', 'Record #2 of 9', 'Provider: Ovid é', 'TY  - JOUR AU  - Ü, A TI  - é ER  - ']);
  };
  const documents = Array.from({ length: 300 }, () => {
    const eol = pick(['\r\n', '\n', '\r\n', random() < 0.1 ? '\r' : '\n']);
    const lines = Array.from({ length: 2 + Math.floor(random() * 40) }, line);
    return (random() < 0.2 ? '\ufeff' : '') + lines.join(eol) + (random() < 0.7 ? eol : '');
  });
  it.each(documents.map((doc, i) => [i, doc] as const))('document %i', (_i, doc) => {
    expectSamePaths(utf8(doc), 'random.ris');
  });
});

describe('Utf8Text', () => {
  it('finds non-ASCII bytes in any range, in any order of queries', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 40; round++) {
      const length = Math.floor(random() * 9000);
      const density = random() < 0.3 ? 0 : random() * 0.01;
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) bytes[i] = random() < density ? 0x80 + Math.floor(random() * 128) : 32 + Math.floor(random() * 95);
      const text = new Utf8Text(bytes);
      expect(text.text.length).toBe(length);
      for (let q = 0; q < 300; q++) {
        const a = Math.floor(random() * (length + 1));
        const b = a + Math.floor(random() * Math.min(length - a + 1, random() < 0.5 ? 40 : 5000));
        const naive = bytes.subarray(a, b).some((byte) => byte >= 0x80);
        expect(text.hasHigh(a, b)).toBe(naive);
      }
    }
  });

  it('slices as the decoded text would', () => {
    const source = 'abc é 😀 — z';
    const bytes = Buffer.from(source, 'utf8');
    const text = new Utf8Text(bytes);
    expect(text.slice(0, bytes.length)).toBe(source);
    expect(text.slice(0, 3)).toBe('abc');
    expect(text.slice(4, 6)).toBe('é');
  });
});

describe('fast helpers agree with what they stand in for', () => {
  const random = seededRandom(99);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

  // The regex fastGivenFamily used before its ASCII scanner (the scanner must give the same results).
  const GIVEN_FAMILY = /^((?:(?:\p{Lu}\.?(?:-\p{Lu}\.?)?|\p{Lu}[\p{L}'’-]*) )+)(\p{Lu}[\p{L}'’-]*\p{Ll})$/u;
  const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'le', 'la', 'dos', 'das', 'ter', 'ten', 'bin', 'al']);
  const ORGANISATION_WORDS = /\b(organi[sz]ation|association|institute|institut|group|committee|council|agency|department|ministry|society|cent(re|er)|foundation|university|collaboration|collaborative|network|trust|board|commission|office|services?|federation|consortium|team|investigators|alliance|program(me)?|project|panel|working|national|international|authority|company|inc|ltd|gmbh|corporation)\b/i;
  function givenFamilyBefore(name: string): string | undefined {
    if (name.length > 80) return undefined;
    const match = GIVEN_FAMILY.exec(name);
    if (!match) return undefined;
    const given = match[1].slice(0, -1);
    const lastGiven = given.slice(given.lastIndexOf(' ') + 1);
    if (PARTICLES.has(lastGiven.toLowerCase()) || ORGANISATION_WORDS.test(name)) return undefined;
    return `${match[2]}, ${given}`;
  }

  it('fastGivenFamily', () => {
    const tokens = ['L', 'H', 'M.', 'J.-P.', 'J-P', 'A.-B', 'Sverre', 'Lindholm', "O'Brien", 'Smith-Jones', 'Björn', 'Dahlöf', 'Ørsted', 'İlker', 'van', 'Van', 'de', 'DE', 'la', 'della', 'Della', 'MD', 'PhD', 'Trust', 'Group', 'x', 'ab', 'Ab', 'A1', 'A.B.', 'A..', 'A-', '-A', 'A’b', "A'", 'Mc', 'Ab-', 'AB', 'aB', 'Ä.', 'Ä', 'Jean–Paul', 'Inc', ''];
    const names = ['L H Lindholm', 'Björn Dahlöf', 'J.-P. Dupont', 'Jan van Berg', 'J. Trust', 'A Van Berg', 'A  B', ' A Bc', 'A Bc ', 'Bc', 'A B'];
    for (let i = 0; i < 20_000; i++) names.push(Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(tokens)).join(random() < 0.95 ? ' ' : '  '));
    for (const name of names) expect(fastGivenFamily(name), name).toBe(givenFamilyBefore(name));
  });

  it('one-word authors', () => {
    const DEGREES = /^(?:MD|M\.D\.|PhD|Ph\.?D\.?|MPH|M\.P\.H\.|RN|BSN|MSN|DNP|APRN|FAAN|FACSM|FACS|FACP|FRCP|FRCPC|FRCS|MBBS|MBChB|MB|BS|BSc|MSc|MS|MA|BA|DDS|DMD|DO|DrPH|ScD|PharmD|MBA|MSW|LCSW|CNS|NP|PA-C|OTR|DPT|EdD|PsyD|MHS|MSPH|MMed|FRACP|FRANZCP|CCC-SLP)\.?$/;
    for (const word of ['Anonymous', 'anonymous', 'WHO', 'Dr', 'MD', 'PhD', 'Msc', 'MSc', 'BA', 'Committee', 'GROUP', 'Inc', 'X', 'xY', 'Zz']) {
      expect(authorList([word]), word).toEqual(DEGREES.test(word) ? [] : [cleanAuthor(word)].filter(Boolean));
    }
  });

  it('needsCleaning', () => {
    const isWideSpace = (c: number) =>
      c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
    // The loop it replaced.
    function needsCleaningBefore(raw: string): boolean {
      let previousSpace = true;
      for (let i = 0; i < raw.length; i++) {
        const c = raw.charCodeAt(i);
        if (c <= 32) {
          if (c !== 32 || previousSpace) return true;
          previousSpace = true;
        } else {
          previousSpace = false;
          if (c >= 0xa0 && isWideSpace(c)) return true;
        }
      }
      return previousSpace;
    }
    const chars = ['a', 'B', ' ', ' ', '\t', '\n', '\r', '\x0b', '\x01', '\x1f', '\x7f', '\x85', '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', 'é', '😀'];
    const values = ['', ' ', 'a', 'a b', 'a  b', ' a', 'a ', 'a\u00a0b'];
    for (let i = 0; i < 20_000; i++) values.push(Array.from({ length: Math.floor(random() * 7) }, () => pick(chars)).join(''));
    for (const value of values) expect(needsCleaning(value), JSON.stringify(value)).toBe(needsCleaningBefore(value));
  });

  it('isPlaceholder', () => {
    const PLACEHOLDER = /^\[?\s*(?:n\/?a|none|null|no abstract(?: available)?|abstract not available|not available)\.?\s*\]?$/i;
    const values = ['NA', 'n/a', 'N/A.', '[No abstract available]', ' none', '\tnull', 'Abstract not available', 'not available.', '[ na ]', 'nA', 'Na', 'no', 'x', '', '{na}', '\u00a0na', 'ñ', 'A', 'abc'];
    const chars = ['n', 'N', 'a', 'A', '/', '[', ']', ' ', '\t', '.', 'o', 'e', 'x', '\u00a0', '\ufeff', 'é'];
    for (let i = 0; i < 5000; i++) values.push(Array.from({ length: Math.floor(random() * 6) }, () => pick(chars)).join(''));
    for (const value of values) expect(isPlaceholder(value), JSON.stringify(value)).toBe(value.length <= 40 && PLACEHOLDER.test(value));
  });

  it('joinPages', () => {
    const DASHES = /\s*(?:--?|[‐‑‒–—−])\s*/;
    function joinPagesBefore(start: string | undefined, end?: string | undefined): string | undefined {
      let first = clean(start);
      let last = clean(end);
      if (first && /^no\b/i.test(first) && (!last || /specified/i.test(last) || /pagination|specified/i.test(first))) return undefined;
      if (first && !last) {
        const parts = first.split(DASHES);
        if (parts.length === 2 && parts[0] && parts[1]) [first, last] = parts;
      }
      if (!first) return last;
      if (!last || last === first) return first;
      if (/^\d+$/.test(first) && /^\d+$/.test(last) && last.length < first.length && Number(last) < Number(first)) {
        last = first.slice(0, first.length - last.length) + last;
      }
      return `${first}-${last}`;
    }
    const chars = ['1', '2', '4', '5', '8', '-', '–', '—', '−', '‐', ' ', 'e', 'n', 'N', 'o', 'O', 'x', 'S', 'p', '\u00a0'];
    const values: (string | undefined)[] = [undefined, '', '210', 'e0123', '454-81', '454–481', 'No', 'no pagination specified', 'Nope', 'N/A', '12 - 14'];
    for (let i = 0; i < 5000; i++) values.push(Array.from({ length: Math.floor(random() * 7) }, () => pick(chars)).join(''));
    for (const start of values) {
      expect(joinPages(start), JSON.stringify(start)).toBe(joinPagesBefore(start));
      const end = pick(values);
      expect(joinPages(start, end), JSON.stringify([start, end])).toBe(joinPagesBefore(start, end));
    }
  });

  it('yearOf and plainDoi', () => {
    const yearChars = ['1', '2', '0', '9', '5', '/', ' ', 'a', '２'];
    const years = ['2010', '1499', '1500', '2100', '2101', '0000', '20 1', '2010/01/01/', ''];
    for (let i = 0; i < 5000; i++) years.push(Array.from({ length: Math.floor(random() * 6) }, () => pick(yearChars)).join(''));
    for (const value of years) expect(yearOf(value), value).toBe(parseYear(value));

    const doiChars = ['1', '0', '.', '/', '2', '3', '4', 'A', 'b', '-', ')', ']', ';', "'", '"', '%', '2F', ' ', 'é', 'İ', ':', '>', '}', ','];
    const dois = ['10.1234/abc', '10.1234/ABC.', '10.12345678901/x', '10.123/x', '10.1234/', '10.1234/a%2Fb', '10.1234/a b', '10.1234/ü', 'doi:10.1234/x', '10.1234/x).'];
    for (let i = 0; i < 5000; i++) dois.push(`10.${Array.from({ length: Math.floor(random() * 14) }, () => pick(doiChars)).join('')}`);
    for (const value of dois) {
      const fast = plainDoi(value);
      if (fast !== undefined) expect(fast, value).toBe(doiIn(value));
    }
    expect(plainDoi('10.1234/ABC.')).toBe('10.1234/abc');
  });
});

