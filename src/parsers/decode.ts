/**
 * Bytes -> text. Exports arrive as UTF-8 (with or without BOM), UTF-16 (EndNote, JabRef) or legacy
 * Windows-1252. We try the BOM, then a UTF-16 guess from NUL bytes, then strict UTF-8, and fall back
 * to Windows-1252, which maps every byte to a real character, so no U+FFFD replaces source text.
 */
import { isAscii, isUtf8 } from 'node:buffer';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gbk' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  hadBom: boolean;
}

export function decodeBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: decodeOrFallback(bytes.subarray(3)), encoding: 'utf-8', hadBom: true };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', hadBom: true };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', hadBom: true };
  }
  const utf16 = guessUtf16WithoutBom(bytes);
  if (utf16) return { text: new TextDecoder(utf16).decode(bytes), encoding: utf16, hadBom: false };
  const utf8 = tryUtf8(bytes);
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8', hadBom: false };
  if (looksLikeGb2312(bytes)) return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk', hadBom: false };
  return { text: decodeWindows1252(bytes), encoding: 'windows-1252', hadBom: false };
}

/**
 * Chinese GBK/GB2312 text (e.g. BibTeX from CNKI): every non-ASCII byte is part of a pair with both
 * bytes in the GB2312 range 0xA1–0xFE. Western Windows-1252 text almost never looks like that (its
 * accented letters are followed by ASCII), so only such files are read as GBK.
 */
function looksLikeGb2312(bytes: Uint8Array): boolean {
  let pairs = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] < 0x80) continue;
    const lead = bytes[i];
    const trail = bytes[i + 1];
    if (lead < 0xa1 || lead > 0xf7 || trail === undefined || trail < 0xa1 || trail > 0xfe) return false;
    pairs++;
    i++;
  }
  return pairs >= 2;
}

function decodeOrFallback(bytes: Uint8Array): string {
  return tryUtf8(bytes) ?? decodeWindows1252(bytes);
}

/**
 * Node's TextDecoder('windows-1252') decodes as ISO-8859-1, turning 0x80–0x9F (curly quotes, dashes,
 * €) into control characters, so that range is mapped here from the WHATWG Windows-1252 table.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]));
}

function tryUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The bytes decodeBytes would decode as UTF-8 (after a UTF-8 BOM, or valid UTF-8 that does not look like
 * UTF-16), as a Buffer over the same memory; undefined for anything decodeBytes treats otherwise (UTF-16,
 * Windows-1252, GBK), and for a second BOM after the first (which TextDecoder would drop as well).
 */
export function utf8Body(bytes: Uint8Array): Buffer | undefined {
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return undefined;
  else if (guessUtf16WithoutBom(bytes)) return undefined;
  if (bytes.length >= start + 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) return undefined;
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start);
  return isUtf8(body) ? body : undefined;
}

const BLOCK_BITS = 10;

/**
 * Valid UTF-8 read through its Latin-1 view: `text` has one character per byte (a one-byte string made at
 * memory-copy speed, half the size of the UTF-16 decoding), so every ASCII character, and with them all the
 * structure of a tagged export, is where the decoded text would have it, offsets are byte offsets, and a
 * range without bytes >= 0x80 reads the same in both. Ranges with such bytes are decoded from the bytes.
 * Which ranges hold them is found without a pass over the text in JavaScript: blocks of 1 KB are tested with
 * isAscii (SIMD, in C++), and only blocks that hold a non-ASCII byte are searched, once each, front to back.
 */
export class Utf8Text {
  readonly text: string;
  private readonly blocks: Uint8Array;
  /** The first byte >= 0x80 at or after `from` (the length when there is none). */
  private high = -1;
  private from = 0;

  constructor(readonly bytes: Buffer) {
    this.text = bytes.toString('latin1');
    this.blocks = new Uint8Array((bytes.length >> BLOCK_BITS) + 1);
  }

  /** True when bytes[start, end) holds a non-ASCII byte. Fastest when called with increasing ranges. */
  hasHigh(start: number, end: number): boolean {
    if (start < this.from || start > this.high) {
      this.from = start;
      this.high = this.nextHigh(start);
    }
    return this.high < end;
  }

  /** The decoded text of bytes[start, end) (which must start and end at character boundaries). */
  decode(start: number, end: number): string {
    return this.bytes.toString('utf8', start, end);
  }

  /** text.slice(start, end) as the decoded text has it. */
  slice(start: number, end: number): string {
    return this.hasHigh(start, end) ? this.decode(start, end) : this.text.slice(start, end);
  }

  private nextHigh(from: number): number {
    const bytes = this.bytes;
    const length = bytes.length;
    const blocks = this.blocks;
    let i = from;
    while (i < length) {
      const block = i >> BLOCK_BITS;
      const blockEnd = Math.min(length, (block + 1) << BLOCK_BITS);
      let state = blocks[block];
      if (state === 0) {
        // A plain Uint8Array view: Buffer's subarray() makes a Buffer, through a JavaScript constructor.
        const start = block << BLOCK_BITS;
        state = isAscii(new Uint8Array(bytes.buffer, bytes.byteOffset + start, blockEnd - start)) ? 1 : 2;
        blocks[block] = state;
      }
      if (state === 2) {
        for (; i < blockEnd; i++) if (bytes[i] >= 0x80) return i;
      }
      i = blockEnd;
    }
    return length;
  }
}

/** Text in UTF-16 without a BOM has a NUL in every other byte for ASCII characters. */
function guessUtf16WithoutBom(bytes: Uint8Array): TextEncoding | undefined {
  const sample = Math.min(bytes.length, 4096) & ~1;
  if (sample < 4) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenNuls++;
    if (bytes[i + 1] === 0) oddNuls++;
  }
  const pairs = sample / 2;
  if (evenNuls > pairs * 0.4 && oddNuls < pairs * 0.05) return 'utf-16be';
  if (oddNuls > pairs * 0.4 && evenNuls < pairs * 0.05) return 'utf-16le';
  return undefined;
}

/** How binary formats a review folder may hold begin: PDF, PNG, JPEG, GIF, ZIP (docx, xlsx), gzip, 7z, OLE (doc, xls), SQLite, ELF. */
const BINARY_SIGNATURES: readonly number[][] = [
  [0x25, 0x50, 0x44, 0x46],
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
  [0x47, 0x49, 0x46, 0x38],
  [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x4b, 0x05, 0x06],
  [0x1f, 0x8b],
  [0x37, 0x7a, 0xbc, 0xaf],
  [0xd0, 0xcf, 0x11, 0xe0],
  [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66],
  [0x7f, 0x45, 0x4c, 0x46],
];

/**
 * True when the bytes look like a binary file (images, PDFs, archives) rather than text: a known
 * signature, or control characters among the first 8 KB of bytes other than NUL. NULs alone do not
 * make a file binary: in a text export they are damage, reported and left out (src/parsers/nul.ts).
 * Random bytes hold about 9 % control characters; text exports next to none.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  if (guessUtf16WithoutBom(bytes) || (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return false;
  }
  if (BINARY_SIGNATURES.some((signature) => signature.every((byte, i) => bytes[i] === byte))) return true;
  let seen = 0;
  let control = 0;
  for (let i = 0; i < bytes.length && seen < 8192; i++) {
    const byte = bytes[i];
    if (byte === 0) continue;
    seen++;
    if (byte < 9 || (byte > 13 && byte < 32)) control++;
  }
  return control / Math.max(seen, 1) > 0.03;
}

/** Splits text into lines, accepting LF, CRLF and bare CR line ends. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
