/**
 * The vocabulary: distinct terms to dense ids in an open-addressing hash table. Indexing looks terms up
 * straight from the record text (a range of bytes or characters and its hash, computed while
 * scanning) and allocates a string only for a term it has never seen.
 */
import { ASCII_LOWER } from './tokenize';

const FNV_OFFSET = -2128831035; // 0x811c9dc5 as int32
const FNV_PRIME = 16777619;

/** FNV-1a over UTF-16 code units, as int32; the indexer computes the same hash while scanning. */
export function hashTerm(term: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), FNV_PRIME);
  return h;
}

export const HASH_START = FNV_OFFSET;
export const HASH_PRIME = FNV_PRIME;

export class Vocabulary {
  /** Term by id. */
  readonly terms: string[] = [];
  private hashes = new Int32Array(1024);
  /** ASCII terms' characters, for comparing with scanned bytes; termLength is -1 for other terms. */
  private chars = new Uint8Array(8192);
  private charsUsed = 0;
  private termOffset = new Int32Array(1024);
  private termLength = new Int32Array(1024);
  /** Open addressing, linear probing: pairs of (hash, id + 1) so a probe reads one cache line; id + 1 = 0 is empty. */
  private table = new Int32Array(4096);
  private mask = 2047;

  get size(): number {
    return this.terms.length;
  }

  /** Id of `term`, or -1. */
  get(term: string): number {
    const h = hashTerm(term);
    const { table, mask } = this;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = table[2 * slot + 1] - 1;
      if (id < 0) return -1;
      if (table[2 * slot] === h && this.terms[id] === term) return id;
    }
  }

  /** Id of `term`, added if new. */
  intern(term: string, hash = hashTerm(term)): number {
    const { table, mask } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = table[2 * slot + 1] - 1;
      if (id < 0) return this.insert(term, hash, slot);
      if (table[2 * slot] === hash && this.terms[id] === term) return id;
    }
  }

  /**
   * Id of the term spelled by bytes[start, end) — ASCII letters and digits, upper case lowered —
   * whose hash is `hash`; `text` holds the same characters at the same offsets. Adds it if new.
   */
  internAsciiBytes(bytes: Uint8Array, text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    const { termLength, termOffset, chars, table, mask } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = table[2 * slot + 1] - 1;
      if (id < 0) return this.insert(text.slice(start, end).toLowerCase(), hash, slot);
      if (table[2 * slot] === hash && termLength[id] === length) {
        const offset = termOffset[id];
        let k = 0;
        for (; k < length; k++) {
          if (chars[offset + k] !== ASCII_LOWER[bytes[start + k]]) break;
        }
        if (k === length) return id;
      }
    }
  }

  /** As internAsciiBytes, reading the characters from `text` (used for text that is not all ASCII). */
  internAsciiRange(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    const { termLength, termOffset, chars, table, mask } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = table[2 * slot + 1] - 1;
      if (id < 0) return this.insert(text.slice(start, end).toLowerCase(), hash, slot);
      if (table[2 * slot] === hash && termLength[id] === length) {
        const offset = termOffset[id];
        let k = 0;
        for (; k < length; k++) {
          let c = text.charCodeAt(start + k);
          if (c >= 65 && c <= 90) c |= 32;
          if (chars[offset + k] !== c) break;
        }
        if (k === length) return id;
      }
    }
  }

  /** Bytes held by the table and character store (the term strings themselves are counted apart). */
  get bytes(): number {
    return this.hashes.byteLength + this.table.byteLength + this.chars.byteLength + this.termOffset.byteLength + this.termLength.byteLength;
  }

  private insert(term: string, hash: number, slot: number): number {
    const id = this.terms.length;
    this.terms.push(term);
    if (id === this.hashes.length) {
      this.hashes = grow(this.hashes, id * 2);
      this.termOffset = grow(this.termOffset, id * 2);
      this.termLength = grow(this.termLength, id * 2);
    }
    this.hashes[id] = hash;
    let ascii = true;
    for (let k = 0; k < term.length; k++) if (term.charCodeAt(k) >= 128) ascii = false;
    if (ascii) {
      if (this.charsUsed + term.length > this.chars.length) {
        const chars = new Uint8Array(Math.max(this.chars.length * 2, this.charsUsed + term.length));
        chars.set(this.chars);
        this.chars = chars;
      }
      this.termOffset[id] = this.charsUsed;
      this.termLength[id] = term.length;
      for (let k = 0; k < term.length; k++) this.chars[this.charsUsed++] = term.charCodeAt(k);
    } else {
      this.termLength[id] = -1;
    }
    this.table[2 * slot] = hash;
    this.table[2 * slot + 1] = id + 1;
    if (this.terms.length * 2 > this.mask + 1) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = (this.mask + 1) * 2;
    const table = new Int32Array(slots * 2);
    const mask = slots - 1;
    for (let id = 0; id < this.terms.length; id++) {
      let slot = this.hashes[id] & mask;
      while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = this.hashes[id];
      table[2 * slot + 1] = id + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

function grow(old: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(size);
  next.set(old);
  return next;
}
