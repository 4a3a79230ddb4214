/**
 * Tokenisation shared by indexing, querying, phrase checks and highlighting: lower case, accents
 * folded, split on anything that is not a letter, digit or combining mark. Offsets are UTF-16
 * positions in the original text, so highlights land on the characters the user sees.
 */

/** Longer tokens are cut to this many characters (they are noise: URLs, sequences, hashes). */
export const MAX_TERM_LENGTH = 48;

const WORD_NON_ASCII = /[\p{L}\p{N}\p{M}]/u;
const MARKS = /\p{M}/gu;

/** Letters NFD does not decompose, folded by hand. */
const SPECIAL_FOLDS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ς: 'σ',
};
const SPECIAL = /[ßæœøłđðþıς]/g;

/** Per ASCII code: 0 separator, 1 lower-case letter or digit, 2 upper-case letter. */
export const ASCII_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = 1;
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = 2;

/** Per byte: the lower-case ASCII letter or digit it is, or 0 for anything else (separators, non-ASCII). */
export const ASCII_LOWER = new Uint8Array(256);
for (let c = 48; c <= 57; c++) ASCII_LOWER[c] = c;
for (let c = 97; c <= 122; c++) ASCII_LOWER[c] = c;
for (let c = 65; c <= 90; c++) ASCII_LOWER[c] = c | 32;

/** Whether the non-ASCII code unit at `i` (its value `code`) belongs to a word. */
export function isWordNonAscii(text: string, i: number, code: number): boolean {
  // Surrogate pairs: test the whole code point (e.g. mathematical letters).
  if (code >= 0xd800 && code <= 0xdbff) return WORD_NON_ASCII.test(text.slice(i, i + 2));
  if (code >= 0xdc00 && code <= 0xdfff) {
    if (i === 0) return false;
    const high = text.charCodeAt(i - 1);
    return high >= 0xd800 && high <= 0xdbff && WORD_NON_ASCII.test(text.slice(i - 1, i + 1));
  }
  return WORD_NON_ASCII.test(text[i]);
}

function isWordAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code < 128 ? ASCII_CLASS[code] !== 0 : isWordNonAscii(text, i, code);
}

/** End (exclusive) of the token starting at `start`. */
export function tokenEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && isWordAt(text, i)) i++;
  return i;
}

/** Lower case, accents and ligature-like letters folded: "Müller" -> "muller", "Straße" -> "strasse". */
export function foldTerm(token: string): string {
  const lower = token.toLowerCase();
  let ascii = true;
  for (let i = 0; i < lower.length; i++) {
    if (lower.charCodeAt(i) >= 128) {
      ascii = false;
      break;
    }
  }
  const folded = ascii ? lower : lower.normalize('NFD').replace(MARKS, '').replace(SPECIAL, (ch) => SPECIAL_FOLDS[ch] ?? ch);
  return folded.length > MAX_TERM_LENGTH ? folded.slice(0, MAX_TERM_LENGTH) : folded;
}

/** The term of the token text[start, end) that holds a non-ASCII or upper-case character. */
export function foldedTermOf(text: string, start: number, end: number): string {
  // Cut very long tokens before folding (folding never shortens by more than half).
  return foldTerm(text.slice(start, Math.min(end, start + MAX_TERM_LENGTH * 2)));
}

/**
 * Calls `visit(term, start, end)` for every token of `text` in order; `start`/`end` are offsets of the
 * token in `text` (end exclusive). Tokens that fold to nothing (a lone combining mark) are skipped.
 */
export function scanTokens(text: string, visit: (term: string, start: number, end: number) => void): void {
  const length = text.length;
  let i = 0;
  while (i < length) {
    if (!isWordAt(text, i)) {
      i++;
      continue;
    }
    const start = i;
    let plain = true; // ASCII lower case and digits only: the slice is the term.
    while (i < length) {
      const code = text.charCodeAt(i);
      if (code < 128) {
        const cls = ASCII_CLASS[code];
        if (cls === 0) break;
        if (cls === 2) plain = false;
      } else {
        if (!isWordNonAscii(text, i, code)) break;
        plain = false;
      }
      i++;
    }
    const term = plain ? text.slice(start, Math.min(i, start + MAX_TERM_LENGTH)) : foldedTermOf(text, start, i);
    if (term.length > 0) visit(term, start, i);
  }
}

/** The terms of `text`, in order (duplicates kept). */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  scanTokens(text, (term) => terms.push(term));
  return terms;
}

/** Edits a query word of `length` characters may differ by: none below 4, one for 4–7, two from 8. */
export function allowedEdits(length: number): number {
  return length < 4 ? 0 : length < 8 ? 1 : 2;
}
