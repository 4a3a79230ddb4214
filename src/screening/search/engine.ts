/**
 * Full-text search over the records of a review: an inverted index ranked by BM25F, with typo
 * tolerance, prefixes, phrases, exclusions, field filters and lazy match positions.
 *
 * Design
 * - Tokens (tokenize.ts): lower case, accents folded, split on non-alphanumerics. Each distinct term
 *   gets a dense id in a hash-table vocabulary (vocabulary.ts); indexing looks terms up straight from
 *   the text, allocating only for new terms.
 * - Postings: for each term, the records holding it and, packed in one 32-bit word, its frequency in
 *   each field (title 6 bits, abstract 10, authors 4, keywords 4, full text 8; saturating). They live
 *   in one growable byte arena as chains of blocks that double in size (16 bytes to 16 KB), each
 *   posting two varints (the gap from the previous record, with a flag for the common "once in the
 *   abstract"; then the packed frequencies unless flagged), so adding records appends in O(their
 *   terms), there is no object per term, and a (term, record) pair costs about 3 bytes. Additions are
 *   gathered in a batch and appended term by term (a counting sort), so each chain's tail is touched
 *   once per batch.
 * - Ranking: BM25F (k1 1.2; field weights title 3, abstract 1, authors 2, keywords 2, full text 0.4;
 *   length normalisation per field). Results are ordered by penalty first — how far the words that
 *   matched are from the typed ones: 0 for the word itself, 1 for a completion of the word being typed,
 *   2 per edit (Algolia's "typo first" tie-breaking) — then by score. So the top of "cancer" is records
 *   with "cancer", never records that only hold "canker". Every match is returned, not a top k: scores
 *   accumulate in dense per-record arrays and one numeric sort of packed keys ranks them.
 * - Words: every positive word must match (the extension's search box); when that finds nothing and
 *   the query has two or more free words, it falls back to records matching any of them, ranked by how
 *   many match (`relaxed` in the response).
 * - Typos: a word may differ by one edit (4–7 letters) or two (8 or more), none below 4 (the length
 *   of the word as typed), measured as restricted Damerau–Levenshtein (edit-distance.ts). Candidates
 *   come from a walk of a trie of the vocabulary (trie.ts) that computes exactly that distance, so
 *   nothing within the rule is missed and nothing outside it gets in; it takes a few milliseconds at
 *   most over 54,000 terms (well under one for one edit). The last word of a query that does not end
 *   in white space also matches the terms it starts (2+ letters), as the user types.
 * - fuse.js does what it is good at: ranked fuzzy matching of short strings in modest lists, where
 *   its looser, substring-and-proximity notion of similarity is the point. It matches author: values
 *   against the distinct author-name tokens (names are what people misremember beyond one or two
 *   edits — "Tchaikovsky"/"Chaikovsky", "ohara"/"O'Hara" — and that list is a fraction of the
 *   vocabulary), and it proposes "did you mean" terms from the vocabulary, bucketed by length, for a
 *   word that matches nothing (only when a search finds nothing, so its cost stays off the common
 *   path). It does not do the main typo expansion: over the vocabulary its bitap scan costs 40–150 ms
 *   per query word, still 35–70 ms bucketed by length (bench/search.ts measures it beside the trie
 *   walk's 1–3 ms), and its score is not an edit distance, so its candidates would still have to be
 *   checked against the rule.
 * - Phrases ("mental health"): records holding every term in one of the phrase's fields are checked
 *   against the text (an ASCII regular expression, falling back to tokenising when the text has
 *   non-ASCII characters), after the cheaper conditions, so only surviving candidates pay for it.
 * - Incremental: add (or replace) and remove records at any time. Removal marks the record deleted and
 *   corrects the statistics (df, field lengths); postings of deleted records are skipped until
 *   compact() rebuilds (`needsCompaction` says when it is worth it).
 * - Positions are not stored: positions(id, query) re-tokenises that one record's fields and marks the
 *   terms the query expanded to, so only records actually shown pay for highlighting.
 *
 * This module is synchronous and pure (no I/O). service.ts wraps it for the extension host: a
 * worker_threads worker (or, where workers are unavailable, slices that yield) and cancellation of
 * superseded queries.
 */
import Fuse, { type IFuseOptions } from 'fuse.js';
import { osaDistance } from './edit-distance';
import { parseQuery, SEARCH_FIELDS, type Clause, type ParsedQuery, type SearchField, type WordClause, type YearClause } from './query';
import { TermTrie } from './trie';
import { ASCII_CLASS, ASCII_LOWER, allowedEdits, foldedTermOf, isWordNonAscii, MAX_TERM_LENGTH, scanTokens, tokenEnd } from './tokenize';
import { HASH_PRIME, HASH_START, Vocabulary } from './vocabulary';

/** What the index reads from a record (BibRecord has all of it). */
export interface SearchableRecord {
  id: string;
  title: string;
  authors: readonly string[];
  year?: number;
  abstract?: string;
  keywords: readonly string[];
  fullText?: string;
}

export interface SearchOptions {
  /** Treat the last word as a prefix when the query does not end in white space (default true). */
  prefix?: boolean;
  /** 'all' (default): every word must match, relaxing to 'any' when none does; 'any': at least one. */
  match?: 'all' | 'any';
  /** Polled during the search; returning true abandons it with SearchCancelled. */
  shouldCancel?: () => boolean;
}

export interface SearchResult {
  id: string;
  /** BM25F relevance (higher is better). */
  score: number;
  /** Distance of the matched words from the typed ones: 1 per completed prefix, 2 per edit (lower ranks first). */
  penalty: number;
}

export interface WordSuggestion {
  /** A query word that matched no record. */
  word: string;
  /** Close vocabulary terms (fuse.js), best first. */
  terms: string[];
}

export interface SearchResponse {
  query: string;
  /** Number of matching records (= results.length). */
  total: number;
  /** Every matching record, best first. */
  results: SearchResult[];
  /** No record matched every word; these match some (ranked by how many). */
  relaxed: boolean;
  /** Parts of the query that were ignored, and why. */
  warnings: string[];
  /** For words that matched nothing, when the search found nothing. */
  suggestions: WordSuggestion[];
}

/** [start, end) UTF-16 offsets into a field's text. */
export type Span = [start: number, end: number];

export interface MatchPositions {
  title: Span[];
  abstract: Span[];
  /** One list per author of the record, in order. */
  authors: Span[][];
  /** One list per keyword of the record, in order. */
  keywords: Span[][];
  fullText: Span[];
}

export interface IndexStats {
  records: number;
  deleted: number;
  terms: number;
  postings: number;
  trieNodes: number;
  /** Bytes held by the index's own arrays and term strings (records are the caller's). */
  bytes: number;
}

export class SearchCancelled extends Error {
  constructor() {
    super('search superseded by a newer one');
    this.name = 'SearchCancelled';
  }
}

const F_TITLE = 0;
const F_ABSTRACT = 1;
const F_AUTHORS = 2;
const F_KEYWORDS = 3;
const F_FULLTEXT = 4;
const FIELD_COUNT = 5;
const FIELD_BIT: Record<SearchField, number> = { title: 1, abstract: 2, authors: 4, keywords: 8, fullText: 16 };
const ALL_FIELDS = 31;
/** Bit position and saturation of each field's frequency in a posting's packed word (abstract lowest: most postings are abstract-only and then fit one varint byte). */
const SHIFT = [10, 0, 16, 20, 24];
const MAX_TF = [63, 1023, 15, 15, 255];
const FIELD_WEIGHT = [3, 1, 2, 2, 0.4];
const FIELD_B = [0.75, 0.75, 0.3, 0.3, 0.75];
const K1 = 1.2;

const PENALTY_PREFIX = 1;
const PENALTY_PER_EDIT = 2;
const WEIGHT_PREFIX = 0.9;
const WEIGHT_BY_EDITS = [1, 0.7, 0.5, 0.4];
const MIN_PREFIX = 2;

/** Posting blocks: a 12-byte header (next block, end of data, end of block) then varint postings. */
const BLOCK_HEADER = 12;
const FIRST_BLOCK = 16;
const MAX_BLOCK = 16384;
/** Room a posting may need: two varints (4 + 5 bytes). */
const MAX_POSTING_BYTES = 10;

const ENCODER = new TextEncoder();
/** Postings gathered before appending them to the chains term by term. */
const BATCH_POSTINGS = 1 << 18;

/** fuse.js over author-name tokens: anchored near the start of the name, about one error in three characters. */
const AUTHOR_FUSE: IFuseOptions<string> = {
  includeScore: true,
  isCaseSensitive: true,
  ignoreFieldNorm: true,
  shouldSort: false,
  threshold: 0.34,
  location: 0,
  distance: 4,
};
/** fuse.js for "did you mean" over a length bucket of the vocabulary. */
const SUGGEST_FUSE: IFuseOptions<string> = { includeScore: true, isCaseSensitive: true, ignoreFieldNorm: true, ignoreLocation: true, threshold: 0.45 };

interface Expansion {
  term: number;
  penalty: number;
  weight: number;
}

interface CompiledWord {
  mask: number;
  expansions: Expansion[];
  /** Unrestricted word: optional when relaxing to 'any'. */
  free: boolean;
  clause?: WordClause;
}

interface CompiledPhrase {
  terms: string[];
  mask: number;
  regex?: RegExp;
}

interface Plan {
  words: CompiledWord[];
  phraseWords: CompiledWord[];
  phrases: CompiledPhrase[];
  negatedWords: { term: number; mask: number }[];
  negatedPhrases: CompiledPhrase[];
  years: YearClause[];
  warnings: string[];
  unmatched: WordClause[];
}

const NON_ASCII = /[^\x00-\x7f]/;

export class SearchIndex {
  // Vocabulary and per-term arrays.
  private vocab!: Vocabulary;
  private trie!: TermTrie;
  private termsKnown = 0;
  private termCapacity = 0;
  private head!: Int32Array;
  private tail!: Int32Array;
  private df!: Int32Array;
  private scratch!: Uint32Array;
  private isAuthorTerm!: Uint8Array;
  private authorTerms: string[] = [];
  private authorFuse: Fuse<string> | undefined;
  private suggestBuckets = new Map<number, Fuse<string>>();
  private suggestIndexedUpTo = 0;
  // Postings arena: one buffer seen as bytes (postings) and as int32 (block headers).
  private pool!: Uint8Array;
  private poolInts!: Int32Array;
  private poolUsed = 0;
  private lastDoc!: Int32Array;
  private postingCount = 0;
  // Per-record arrays.
  private docCount = 0;
  private docCapacity = 0;
  private live = 0;
  private docIds: string[] = [];
  private records: (SearchableRecord | undefined)[] = [];
  private idToDoc = new Map<string, number>();
  private alive!: Uint8Array;
  private years!: Int16Array;
  private fieldLength: Uint32Array[] = [];
  private fieldTotal = new Float64Array(FIELD_COUNT);
  private invNorm: Float32Array[] = [];
  private normVersion = -1;
  private version = 0;
  // Postings of the records being added, appended to the chains term by term (see flushBatch).
  private batchCount = 0;
  private batchTerm = new Int32Array(4096);
  private batchDoc = new Int32Array(4096);
  private batchPacked = new Int32Array(4096);
  private batchSortedDoc = new Int32Array(4096);
  private batchSortedPacked = new Int32Array(4096);
  private batchOffset = new Int32Array(0);
  // Scratch for indexing one record.
  private textBytes = new Uint8Array(4096);
  private touched = new Int32Array(256);
  private touchedCount = 0;
  // Query work arrays (sized to docCapacity on demand).
  private workCapacity = 0;
  private queryGen = 0;
  private clauseGen = 0;
  private accStamp!: Uint32Array;
  private accScore!: Float64Array;
  private accPen!: Uint16Array;
  private accMatched!: Uint8Array;
  private accOptional!: Uint8Array;
  private hitDocs!: Int32Array;
  private clauseStamp!: Uint32Array;
  private clauseScore!: Float64Array;
  private clausePen!: Uint8Array;
  private clauseDocs!: Int32Array;
  private excludedStamp!: Uint32Array;
  private candidateDocs = new Int32Array(0);

  constructor(records?: Iterable<SearchableRecord>) {
    this.reset();
    if (records) this.add(records);
  }

  /** Number of (live) records. */
  get size(): number {
    return this.live;
  }

  has(id: string): boolean {
    return this.idToDoc.has(id);
  }

  /** Adds records; a record whose id is already indexed replaces it. */
  add(records: Iterable<SearchableRecord>): void {
    for (const record of records) {
      this.addOne(record);
      if (this.batchCount >= BATCH_POSTINGS) this.flushBatch();
    }
    this.flushBatch();
    if (this.batchTerm.length > 65536) {
      // A bulk add grew the batch buffers; give the memory back.
      this.batchTerm = new Int32Array(4096);
      this.batchDoc = new Int32Array(4096);
      this.batchPacked = new Int32Array(4096);
      this.batchSortedDoc = new Int32Array(4096);
      this.batchSortedPacked = new Int32Array(4096);
    }
  }

  /** Removes records by id; returns how many were indexed. */
  remove(ids: Iterable<string>): number {
    let removed = 0;
    for (const id of ids) {
      const doc = this.idToDoc.get(id);
      if (doc !== undefined) {
        this.removeDoc(doc);
        removed++;
      }
    }
    return removed;
  }

  clear(): void {
    this.reset();
  }

  /** True when deleted records outnumber live ones (and there are enough to matter). */
  get needsCompaction(): boolean {
    const deleted = this.docCount - this.live;
    return deleted > 1000 && deleted > this.live;
  }

  /** Rebuilds the index from the live records, dropping deleted postings and unused terms. */
  compact(): void {
    const kept = this.liveRecords();
    this.reset();
    this.add(kept);
  }

  /** The indexed records, in the order they were (last) added. */
  liveRecords(): SearchableRecord[] {
    const kept: SearchableRecord[] = [];
    for (let doc = 0; doc < this.docCount; doc++) {
      const record = this.records[doc];
      if (this.alive[doc] && record) kept.push(record);
    }
    return kept;
  }

  stats(): IndexStats {
    let termChars = 0;
    for (const term of this.vocab.terms) termChars += term.length;
    const perTerm =
      this.head.byteLength + this.tail.byteLength + this.lastDoc.byteLength + this.df.byteLength + this.scratch.byteLength + this.isAuthorTerm.byteLength;
    const perDoc =
      this.alive.byteLength + this.years.byteLength + this.fieldLength.reduce((sum, a) => sum + a.byteLength, 0) + this.invNorm.reduce((sum, a) => sum + a.byteLength, 0);
    const work = this.workCapacity * (4 + 8 + 2 + 1 + 1 + 4 + 4 + 8 + 1 + 4 + 4) + this.candidateDocs.byteLength + this.batchTerm.byteLength * 5 + this.batchOffset.byteLength;
    // Strings: ~16 bytes of header plus one byte a character (one-byte strings); the id map ~40 bytes an entry.
    const strings = this.vocab.size * 16 + termChars + this.docCount * 8 + this.idToDoc.size * 40;
    return {
      records: this.live,
      deleted: this.docCount - this.live,
      terms: this.vocab.size,
      postings: this.postingCount,
      trieNodes: this.trie.nodeCount,
      bytes: this.pool.byteLength + perTerm + perDoc + work + this.trie.bytes + this.vocab.bytes + strings,
    };
  }

  /** Every record matching `query`, best first. Throws SearchCancelled when `shouldCancel` says so. */
  search(query: string, options: SearchOptions = {}): SearchResponse {
    const parsed = parseQuery(query, options.prefix ?? true);
    const plan = this.compile(parsed);
    const cancel = options.shouldCancel;
    const match = options.match ?? 'all';
    let results = this.evaluate(plan, match, cancel);
    let relaxed = false;
    if (results.length === 0 && match === 'all' && plan.words.filter((w) => w.free).length >= 2) {
      results = this.evaluate(plan, 'any', cancel);
      relaxed = results.length > 0;
    }
    // "Did you mean" only when nothing matched: fuse.js over the vocabulary is the slow part of a search.
    const suggestions = results.length === 0 ? plan.unmatched.map((clause) => ({ word: clause.term, terms: this.suggest(clause.term, 3, cancel) })) : [];
    return { query, total: results.length, results, relaxed, warnings: plan.warnings, suggestions };
  }

  /** Where `query` matches in record `id`, for highlighting (undefined when the record is not indexed). */
  positions(id: string, query: string, options: Pick<SearchOptions, 'prefix'> = {}): MatchPositions | undefined {
    const doc = this.idToDoc.get(id);
    const record = doc === undefined ? undefined : this.records[doc];
    if (!record) return undefined;
    const plan = this.compile(parseQuery(query, options.prefix ?? true));
    const termsByField: Set<string>[] = [];
    const phrasesByField: string[][][] = [];
    for (let f = 0; f < FIELD_COUNT; f++) {
      const bit = 1 << f;
      const terms = new Set<string>();
      for (const word of plan.words) if (word.mask & bit) for (const e of word.expansions) terms.add(this.vocab.terms[e.term]);
      termsByField.push(terms);
      phrasesByField.push(plan.phrases.filter((p) => p.mask & bit).map((p) => p.terms));
    }
    const spans = (text: string | undefined, f: number): Span[] => (text ? matchSpans(text, termsByField[f], phrasesByField[f]) : []);
    return {
      title: spans(record.title, F_TITLE),
      abstract: spans(record.abstract, F_ABSTRACT),
      authors: record.authors.map((a) => spans(a, F_AUTHORS)),
      keywords: record.keywords.map((k) => spans(k, F_KEYWORDS)),
      fullText: spans(record.fullText, F_FULLTEXT),
    };
  }

  /** Number of live records holding `term` (a single folded term) in any field. */
  documentFrequency(term: string): number {
    const id = this.vocab.get(term);
    return id < 0 ? 0 : this.df[id];
  }

  /** The distinct terms seen so far (including terms whose records were all removed, until compact()). */
  terms(): readonly string[] {
    return this.vocab.terms;
  }

  /** Terms a query word expands to (for tests and diagnostics): [term, penalty] pairs. */
  expand(word: string, options: { prefix?: boolean; fuzzy?: boolean } = {}): [string, number][] {
    const clause: WordClause = { kind: 'word', term: word, negated: false, fuzzy: options.fuzzy ?? true, prefix: options.prefix ?? false, author: false };
    return this.expansionsOf(clause).map((e) => [this.vocab.terms[e.term], e.penalty]);
  }

  /**
   * Close vocabulary terms for a word of 4+ letters: fuse.js over the terms one letter shorter, as
   * long and one longer (one bucket each, built on first use), best first.
   */
  suggest(word: string, limit = 3, cancel?: () => boolean): string[] {
    if (word.length < 4) return [];
    const terms = this.vocab.terms;
    for (let t = this.suggestIndexedUpTo; t < terms.length; t++) this.suggestBuckets.get(terms[t].length)?.add(terms[t]);
    this.suggestIndexedUpTo = terms.length;
    const found: { term: string; score: number; df: number }[] = [];
    for (const length of [word.length, word.length - 1, word.length + 1]) {
      if (cancel?.()) throw new SearchCancelled();
      let fuse = this.suggestBuckets.get(length);
      if (!fuse) {
        fuse = new Fuse(
          terms.filter((t) => t.length === length),
          SUGGEST_FUSE,
        );
        this.suggestBuckets.set(length, fuse);
      }
      for (const hit of fuse.search(word)) {
        const id = this.vocab.get(hit.item);
        if (id >= 0 && this.df[id] > 0 && hit.item !== word) found.push({ term: hit.item, score: hit.score ?? 1, df: this.df[id] });
      }
    }
    found.sort((a, b) => a.score - b.score || b.df - a.df);
    return found.slice(0, limit).map((f) => f.term);
  }

  // ---------------------------------------------------------------- indexing

  private reset(): void {
    this.vocab = new Vocabulary();
    this.trie = new TermTrie();
    this.termsKnown = 0;
    this.termCapacity = 0;
    this.head = new Int32Array(0);
    this.tail = new Int32Array(0);
    this.lastDoc = new Int32Array(0);
    this.df = new Int32Array(0);
    this.scratch = new Uint32Array(0);
    this.isAuthorTerm = new Uint8Array(0);
    this.ensureTermCapacity(1024);
    this.authorTerms = [];
    this.authorFuse = undefined;
    this.suggestBuckets = new Map();
    this.suggestIndexedUpTo = 0;
    this.pool = new Uint8Array(1 << 16);
    this.poolInts = new Int32Array(this.pool.buffer);
    this.poolUsed = 4; // offset 0 means "no block"
    this.postingCount = 0;
    this.docCount = 0;
    this.docCapacity = 0;
    this.live = 0;
    this.docIds = [];
    this.records = [];
    this.idToDoc = new Map();
    this.alive = new Uint8Array(0);
    this.years = new Int16Array(0);
    this.fieldLength = SEARCH_FIELDS.map(() => new Uint32Array(0));
    this.invNorm = SEARCH_FIELDS.map(() => new Float32Array(0));
    this.fieldTotal = new Float64Array(FIELD_COUNT);
    this.ensureDocCapacity(256);
    this.normVersion = -1;
    this.version++;
    this.workCapacity = 0;
  }

  private addOne(added: SearchableRecord): void {
    // A snapshot: removal re-reads the record, so later changes to the caller's object must not reach it.
    const record = snapshot(added);
    const existing = this.idToDoc.get(record.id);
    if (existing !== undefined) this.removeDoc(existing);
    const doc = this.docCount;
    if (doc === this.docCapacity) this.ensureDocCapacity(doc * 2);
    this.docCount++;
    const lengths = this.scanRecord(record);
    const { touched, scratch, df } = this;
    if (this.batchCount + this.touchedCount > this.batchTerm.length) this.growBatch(this.batchCount + this.touchedCount);
    const { batchTerm, batchDoc, batchPacked } = this;
    let b = this.batchCount;
    for (let k = 0; k < this.touchedCount; k++) {
      const t = touched[k];
      batchTerm[b] = t;
      batchDoc[b] = doc;
      batchPacked[b] = scratch[t] | 0;
      b++;
      df[t]++;
      scratch[t] = 0;
    }
    this.batchCount = b;
    this.postingCount += this.touchedCount;
    for (let f = 0; f < FIELD_COUNT; f++) {
      this.fieldLength[f][doc] = lengths[f];
      this.fieldTotal[f] += lengths[f];
    }
    this.docIds[doc] = record.id;
    this.records[doc] = record;
    this.alive[doc] = 1;
    const year = record.year;
    this.years[doc] = year !== undefined && Number.isInteger(year) && year > 0 && year < 10000 ? year : 0;
    this.idToDoc.set(record.id, doc);
    this.live++;
    this.version++;
  }

  private removeDoc(doc: number): void {
    const record = this.records[doc];
    if (!this.alive[doc] || !record) return;
    this.scanRecord(record);
    const { touched, scratch, df } = this;
    for (let k = 0; k < this.touchedCount; k++) {
      df[touched[k]]--;
      scratch[touched[k]] = 0;
    }
    for (let f = 0; f < FIELD_COUNT; f++) this.fieldTotal[f] -= this.fieldLength[f][doc];
    this.alive[doc] = 0;
    this.records[doc] = undefined;
    this.idToDoc.delete(this.docIds[doc]);
    this.live--;
    this.version++;
  }

  /** Counts the record's terms per field into `scratch` (listing them in `touched`); returns field lengths. */
  private scanRecord(record: SearchableRecord): number[] {
    this.touchedCount = 0;
    const lengths = [0, 0, 0, 0, 0];
    lengths[F_TITLE] = this.scanText(record.title, F_TITLE);
    if (record.abstract) lengths[F_ABSTRACT] = this.scanText(record.abstract, F_ABSTRACT);
    for (const author of record.authors) lengths[F_AUTHORS] += this.scanText(author, F_AUTHORS);
    for (const keyword of record.keywords) lengths[F_KEYWORDS] += this.scanText(keyword, F_KEYWORDS);
    if (record.fullText) lengths[F_FULLTEXT] = this.scanText(record.fullText, F_FULLTEXT);
    return lengths;
  }

  /**
   * The indexing tokeniser: the same tokens as scanTokens (a test holds them equal), but words are
   * hashed while scanning and looked up without creating a string. All-ASCII text (nearly all of it)
   * is scanned as bytes, which V8 reads much faster than charCodeAt.
   */
  private scanText(text: string | undefined, field: number): number {
    if (!text) return 0;
    const n = text.length;
    if (this.textBytes.length < n) this.textBytes = new Uint8Array(Math.max(n, this.textBytes.length * 2));
    const encoded = ENCODER.encodeInto(text, this.textBytes);
    if (encoded.read !== n || encoded.written !== n) return this.scanChars(text, field);
    const bytes = this.textBytes;
    const vocab = this.vocab;
    let count = 0;
    let i = 0;
    while (i < n) {
      let c = ASCII_LOWER[bytes[i]];
      if (c === 0) {
        i++;
        continue;
      }
      const start = i;
      let h = HASH_START;
      do {
        h = Math.imul(h ^ c, HASH_PRIME);
        c = ++i < n ? ASCII_LOWER[bytes[i]] : 0;
      } while (c !== 0);
      let end = i;
      if (end - start > MAX_TERM_LENGTH) {
        end = start + MAX_TERM_LENGTH;
        h = HASH_START;
        for (let k = start; k < end; k++) h = Math.imul(h ^ ASCII_LOWER[bytes[k]], HASH_PRIME);
      }
      this.countTerm(vocab.internAsciiBytes(bytes, text, start, end, h), field);
      count++;
    }
    return count;
  }

  /** scanText for text with non-ASCII characters. */
  private scanChars(text: string, field: number): number {
    const n = text.length;
    const vocab = this.vocab;
    let count = 0;
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      if (c < 128 ? ASCII_CLASS[c] === 0 : !isWordNonAscii(text, i, c)) {
        i++;
        continue;
      }
      const start = i;
      const cut = start + MAX_TERM_LENGTH;
      let h = HASH_START;
      let ascii = true;
      while (i < n) {
        c = text.charCodeAt(i);
        if (c >= 128) {
          if (isWordNonAscii(text, i, c)) ascii = false;
          break;
        }
        const cls = ASCII_CLASS[c];
        if (cls === 0) break;
        if (i < cut) h = Math.imul(h ^ (cls === 2 ? c | 32 : c), HASH_PRIME);
        i++;
      }
      let t: number;
      if (ascii) {
        t = vocab.internAsciiRange(text, start, i < cut ? i : cut, h);
      } else {
        i = tokenEnd(text, start);
        const term = foldedTermOf(text, start, i);
        if (term.length === 0) continue;
        t = vocab.intern(term);
      }
      this.countTerm(t, field);
      count++;
    }
    return count;
  }

  /** One occurrence of term `t` in `field` of the record being scanned. */
  private countTerm(t: number, field: number): void {
    if (t >= this.termsKnown) this.newTerm(t);
    const scratch = this.scratch;
    const p = scratch[t];
    if (p === 0) {
      if (this.touchedCount === this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.touchedCount++] = t;
    }
    if (field === F_AUTHORS && this.isAuthorTerm[t] === 0) this.newAuthorTerm(t);
    const shift = SHIFT[field];
    const max = MAX_TF[field];
    if (((p >>> shift) & max) < max) scratch[t] = p + 2 ** shift;
  }

  private newTerm(t: number): void {
    if (t >= this.termCapacity) this.ensureTermCapacity(Math.max(t + 1, this.termCapacity * 2));
    this.trie.insert(this.vocab.terms[t], t);
    this.termsKnown = t + 1;
  }

  private newAuthorTerm(t: number): void {
    this.isAuthorTerm[t] = 1;
    const term = this.vocab.terms[t];
    this.authorTerms.push(term);
    this.authorFuse?.add(term);
  }

  /**
   * Appends the batch's postings to the chains, grouped by term (a counting sort), so each chain's
   * tail is visited once per batch rather than once per posting: scattered appends were most of the
   * build time.
   */
  private flushBatch(): void {
    const count = this.batchCount;
    if (count === 0) return;
    if (this.batchOffset.length < this.termCapacity) this.batchOffset = new Int32Array(this.termCapacity);
    const { batchTerm, batchDoc, batchPacked, batchSortedDoc, batchSortedPacked, batchOffset } = this;
    const terms: number[] = [];
    for (let i = 0; i < count; i++) {
      const t = batchTerm[i];
      if (batchOffset[t] === 0) terms.push(t);
      batchOffset[t]++;
    }
    let start = 0;
    const starts = new Int32Array(terms.length + 1);
    for (let k = 0; k < terms.length; k++) {
      const t = terms[k];
      starts[k] = start;
      const n = batchOffset[t];
      batchOffset[t] = start;
      start += n;
    }
    starts[terms.length] = start;
    for (let i = 0; i < count; i++) {
      const at = batchOffset[batchTerm[i]]++;
      batchSortedDoc[at] = batchDoc[i];
      batchSortedPacked[at] = batchPacked[i];
    }
    for (let k = 0; k < terms.length; k++) {
      const t = terms[k];
      for (let at = starts[k]; at < starts[k + 1]; at++) this.appendPosting(t, batchSortedDoc[at], batchSortedPacked[at]);
      batchOffset[t] = 0;
    }
    this.batchCount = 0;
  }

  private growBatch(needed: number): void {
    const size = Math.max(needed, this.batchTerm.length * 2);
    const grow = (old: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const next = new Int32Array(size);
      next.set(old);
      return next;
    };
    this.batchTerm = grow(this.batchTerm);
    this.batchDoc = grow(this.batchDoc);
    this.batchPacked = grow(this.batchPacked);
    this.batchSortedDoc = new Int32Array(size);
    this.batchSortedPacked = new Int32Array(size);
  }

  /** Appends (doc, packed frequencies) to term t's chain: varint(delta * 2 + [packed is 1]), then varint(packed) unless it is 1. */
  private appendPosting(t: number, doc: number, packed: number): void {
    let block = this.tail[t];
    if (block === 0) {
      block = this.allocBlock(FIRST_BLOCK);
      this.head[t] = block;
      this.tail[t] = block;
    } else if (this.poolInts[(block >> 2) + 1] + MAX_POSTING_BYTES > this.poolInts[(block >> 2) + 2]) {
      const size = this.poolInts[(block >> 2) + 2] - block - BLOCK_HEADER;
      const next = this.allocBlock(Math.min(size * 2, MAX_BLOCK));
      this.poolInts[block >> 2] = next;
      this.tail[t] = next;
      block = next;
    }
    const bytes = this.pool;
    let p = this.poolInts[(block >> 2) + 1];
    let v = (doc - this.lastDoc[t]) * 2 + (packed === 1 ? 1 : 0);
    this.lastDoc[t] = doc;
    while (v > 127) {
      bytes[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    bytes[p++] = v;
    if (packed !== 1) {
      v = packed >>> 0;
      while (v > 127) {
        bytes[p++] = (v & 127) | 128;
        v >>>= 7;
      }
      bytes[p++] = v;
    }
    this.poolInts[(block >> 2) + 1] = p;
  }

  private allocBlock(dataBytes: number): number {
    const size = BLOCK_HEADER + dataBytes; // a multiple of 4, so blocks stay aligned for the int32 view
    if (this.poolUsed + size > this.pool.length) {
      const capacity = Math.max(this.poolUsed + size, Math.floor((this.pool.length * 1.5) / 4) * 4);
      const grown = new Uint8Array(capacity);
      grown.set(this.pool.subarray(0, this.poolUsed));
      this.pool = grown;
      this.poolInts = new Int32Array(grown.buffer);
    }
    const block = this.poolUsed;
    this.poolUsed += size;
    const header = block >> 2;
    this.poolInts[header] = 0;
    this.poolInts[header + 1] = block + BLOCK_HEADER;
    this.poolInts[header + 2] = block + size;
    return block;
  }

  private ensureTermCapacity(capacity: number): void {
    if (capacity <= this.termCapacity) return;
    const grow = <T extends Int32Array | Uint32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.head = grow(this.head, (n) => new Int32Array(n));
    this.tail = grow(this.tail, (n) => new Int32Array(n));
    this.lastDoc = grow(this.lastDoc, (n) => new Int32Array(n));
    this.df = grow(this.df, (n) => new Int32Array(n));
    this.scratch = grow(this.scratch, (n) => new Uint32Array(n));
    this.isAuthorTerm = grow(this.isAuthorTerm, (n) => new Uint8Array(n));
    this.termCapacity = capacity;
  }

  private ensureDocCapacity(capacity: number): void {
    if (capacity <= this.docCapacity) return;
    const alive = new Uint8Array(capacity);
    alive.set(this.alive);
    this.alive = alive;
    const years = new Int16Array(capacity);
    years.set(this.years);
    this.years = years;
    this.fieldLength = this.fieldLength.map((old) => {
      const next = new Uint32Array(capacity);
      next.set(old);
      return next;
    });
    this.docCapacity = capacity;
  }

  // ---------------------------------------------------------------- querying

  private compile(parsed: ParsedQuery): Plan {
    const plan: Plan = { words: [], phraseWords: [], phrases: [], negatedWords: [], negatedPhrases: [], years: [], warnings: parsed.warnings, unmatched: [] };
    for (const clause of parsed.clauses) this.compileClause(clause, plan);
    return plan;
  }

  private compileClause(clause: Clause, plan: Plan): void {
    if (clause.kind === 'year') {
      plan.years.push(clause);
      return;
    }
    const mask = clause.fields ? clause.fields.reduce((m, f) => m | FIELD_BIT[f], 0) : ALL_FIELDS;
    if (clause.kind === 'phrase') {
      const phrase: CompiledPhrase = { terms: clause.terms, mask, regex: phraseRegex(clause.terms) };
      if (clause.negated) {
        plan.negatedPhrases.push(phrase);
        return;
      }
      plan.phrases.push(phrase);
      for (const term of clause.terms) {
        const id = this.vocab.get(term);
        plan.phraseWords.push({ mask, free: false, expansions: id >= 0 && this.df[id] > 0 ? [{ term: id, penalty: 0, weight: 1 }] : [] });
      }
      return;
    }
    if (clause.negated) {
      const id = this.vocab.get(clause.term);
      if (id >= 0) plan.negatedWords.push({ term: id, mask });
      return;
    }
    const expansions = this.expansionsOf(clause);
    if (expansions.length === 0 && !clause.author) plan.unmatched.push(clause);
    plan.words.push({ mask, expansions, free: !clause.fields, clause });
  }

  private expansionsOf(clause: WordClause): Expansion[] {
    const byTerm = new Map<number, Expansion>();
    const offer = (term: number, penalty: number, weight: number) => {
      if (this.df[term] <= 0) return;
      const known = byTerm.get(term);
      if (!known || penalty < known.penalty || (penalty === known.penalty && weight > known.weight)) byTerm.set(term, { term, penalty, weight });
    };
    const word = clause.term;
    const exact = this.vocab.get(word);
    if (exact >= 0) offer(exact, 0, 1);
    if (clause.fuzzy) {
      const edits = allowedEdits(word.length);
      if (edits > 0) this.trie.fuzzy(word, edits, (term, distance) => offer(term, distance * PENALTY_PER_EDIT, WEIGHT_BY_EDITS[distance]));
    }
    if (clause.prefix && word.length >= MIN_PREFIX) this.trie.withPrefix(word, (term) => offer(term, PENALTY_PREFIX, WEIGHT_PREFIX));
    if (clause.author && word.length >= 3) {
      if (!this.authorFuse) this.authorFuse = new Fuse([...this.authorTerms], AUTHOR_FUSE);
      for (const hit of this.authorFuse.search(word)) {
        const term = this.vocab.get(hit.item);
        if (term < 0) continue;
        const penalty = hit.item.startsWith(word) ? PENALTY_PREFIX : PENALTY_PER_EDIT * osaDistance(word, hit.item, 3);
        offer(term, penalty, Math.max(0.2, 1 - (hit.score ?? 0)));
      }
    }
    return [...byTerm.values()];
  }

  private ensureWork(): void {
    if (this.workCapacity >= this.docCapacity) return;
    const n = this.docCapacity;
    this.accStamp = new Uint32Array(n);
    this.accScore = new Float64Array(n);
    this.accPen = new Uint16Array(n);
    this.accMatched = new Uint8Array(n);
    this.accOptional = new Uint8Array(n);
    this.hitDocs = new Int32Array(n);
    this.clauseStamp = new Uint32Array(n);
    this.clauseScore = new Float64Array(n);
    this.clausePen = new Uint8Array(n);
    this.clauseDocs = new Int32Array(n);
    this.excludedStamp = new Uint32Array(n);
    this.workCapacity = n;
    this.queryGen = 0;
    this.clauseGen = 0;
  }

  private ensureNorms(): void {
    if (this.normVersion === this.version && this.invNorm[0].length >= this.docCount) return;
    const live = Math.max(1, this.live);
    for (let f = 0; f < FIELD_COUNT; f++) {
      if (this.invNorm[f].length < this.docCapacity) this.invNorm[f] = new Float32Array(this.docCapacity);
      const inv = this.invNorm[f];
      const lengths = this.fieldLength[f];
      const avg = this.fieldTotal[f] / live || 1;
      const w = FIELD_WEIGHT[f];
      const b = FIELD_B[f];
      for (let d = 0; d < this.docCount; d++) inv[d] = w / (1 - b + (b * lengths[d]) / avg);
    }
    this.normVersion = this.version;
  }

  private evaluate(plan: Plan, match: 'all' | 'any', cancel: (() => boolean) | undefined): SearchResult[] {
    this.ensureWork();
    this.ensureNorms();
    if (this.queryGen >= 0xfffffff0 || this.clauseGen >= 0xfffffff0) {
      this.workCapacity = 0;
      this.ensureWork();
    }
    const qgen = ++this.queryGen;
    const mandatory = [...(match === 'all' ? plan.words : plan.words.filter((w) => !w.free)), ...plan.phraseWords];
    const optional = match === 'all' ? [] : plan.words.filter((w) => w.free);
    let hits = 0;
    for (let k = 0; k < mandatory.length; k++) {
      const count = this.runClause(mandatory[k], qgen, k === 0 ? -1 : k, cancel);
      if (count === 0) return [];
      hits = this.mergeClause(qgen, count, false, hits);
    }
    for (const clause of optional) {
      const count = this.runClause(clause, qgen, mandatory.length === 0 ? -1 : mandatory.length, cancel);
      hits = this.mergeClause(qgen, count, true, hits);
    }
    if (cancel?.()) throw new SearchCancelled();

    for (const negated of plan.negatedWords) this.markExcluded(negated.term, negated.mask, qgen);

    const anyClause = mandatory.length + optional.length > 0;
    const limit = anyClause ? hits : this.docCount;
    const { hitDocs, alive, accMatched, accOptional, excludedStamp, years } = this;
    if (this.candidateDocs.length < limit) this.candidateDocs = new Int32Array(this.docCapacity);
    const candidates = this.candidateDocs;
    let found = 0;
    for (let i = 0; i < limit; i++) {
      const d = anyClause ? hitDocs[i] : i;
      if (alive[d] === 0) continue;
      if (anyClause && (accMatched[d] !== mandatory.length || (optional.length > 0 && accOptional[d] === 0))) continue;
      if (excludedStamp[d] === qgen) continue;
      if (plan.years.length > 0 && !yearsAccept(plan.years, years[d])) continue;
      if (plan.phrases.length > 0 || plan.negatedPhrases.length > 0) {
        if ((i & 255) === 0 && cancel?.()) throw new SearchCancelled();
        const record = this.records[d] as SearchableRecord;
        if (!plan.phrases.every((p) => recordHasPhrase(record, p))) continue;
        if (plan.negatedPhrases.some((p) => recordHasPhrase(record, p))) continue;
      }
      candidates[found++] = d;
    }
    return this.rank(candidates, found, anyClause, optional.length);
  }

  /** Scores one clause into the clause arrays; `required` >= 0 keeps only records that matched that many clauses. Returns the count. */
  private runClause(clause: CompiledWord, qgen: number, required: number, cancel: (() => boolean) | undefined): number {
    const gen = ++this.clauseGen;
    const { pool, poolInts: ints, head, df, alive, accStamp, accMatched, clauseStamp, clauseScore, clausePen, clauseDocs } = this;
    const [inv0, inv1, inv2, inv3, inv4] = this.invNorm;
    const mask = clause.mask;
    const m0 = mask & 1;
    const m1 = mask & 2;
    const m2 = mask & 4;
    const m3 = mask & 8;
    const m4 = mask & 16;
    const n = this.live;
    let count = 0;
    for (const expansion of clause.expansions) {
      const t = expansion.term;
      const dfT = df[t];
      if (dfT <= 0) continue;
      const idf = Math.log(1 + (n - dfT + 0.5) / (dfT + 0.5)) * expansion.weight;
      const penalty = expansion.penalty;
      let d = 0;
      for (let block = head[t]; block !== 0; block = ints[block >> 2]) {
        const end = ints[(block >> 2) + 1];
        let p = block + BLOCK_HEADER;
        while (p < end) {
          let b = pool[p++];
          let v = b & 127;
          if (b > 127) {
            b = pool[p++];
            v |= (b & 127) << 7;
            if (b > 127) {
              b = pool[p++];
              v |= (b & 127) << 14;
              if (b > 127) v |= (pool[p++] & 127) << 21;
            }
          }
          d += v >>> 1;
          let x = 1;
          if ((v & 1) === 0) {
            b = pool[p++];
            x = b & 127;
            if (b > 127) {
              b = pool[p++];
              x |= (b & 127) << 7;
              if (b > 127) {
                b = pool[p++];
                x |= (b & 127) << 14;
                if (b > 127) {
                  b = pool[p++];
                  x |= (b & 127) << 21;
                  if (b > 127) x = (x >>> 0) + (pool[p++] & 15) * 268435456;
                }
              }
            }
          }
          if (alive[d] === 0) continue;
          if (required >= 0 && (accStamp[d] !== qgen || accMatched[d] !== required)) continue;
          let tf = 0;
          let f: number;
          if (m0 && (f = (x >>> 10) & 63)) tf += f * inv0[d];
          if (m1 && (f = x & 1023)) tf += f * inv1[d];
          if (m2 && (f = (x >>> 16) & 15)) tf += f * inv2[d];
          if (m3 && (f = (x >>> 20) & 15)) tf += f * inv3[d];
          if (m4 && (f = x >>> 24)) tf += f * inv4[d];
          if (tf === 0) continue;
          const s = (idf * tf * (K1 + 1)) / (K1 + tf);
          if (clauseStamp[d] !== gen) {
            clauseStamp[d] = gen;
            clausePen[d] = penalty;
            clauseScore[d] = s;
            clauseDocs[count++] = d;
          } else if (penalty < clausePen[d] || (penalty === clausePen[d] && s > clauseScore[d])) {
            clausePen[d] = penalty;
            clauseScore[d] = s;
          }
        }
      }
      if (cancel?.()) throw new SearchCancelled();
    }
    return count;
  }

  private mergeClause(qgen: number, count: number, optional: boolean, hits: number): number {
    const { accStamp, accScore, accPen, accMatched, accOptional, hitDocs, clauseScore, clausePen, clauseDocs } = this;
    for (let i = 0; i < count; i++) {
      const d = clauseDocs[i];
      if (accStamp[d] !== qgen) {
        accStamp[d] = qgen;
        accScore[d] = 0;
        accPen[d] = 0;
        accMatched[d] = 0;
        accOptional[d] = 0;
        hitDocs[hits++] = d;
      }
      accScore[d] += clauseScore[d];
      accPen[d] += clausePen[d];
      if (optional) accOptional[d]++;
      else accMatched[d]++;
    }
    return hits;
  }

  private markExcluded(term: number, mask: number, qgen: number): void {
    this.forEachPosting(term, (doc, packed) => {
      if (tfInMask(packed, mask)) this.excludedStamp[doc] = qgen;
    });
  }

  /** Decodes term t's postings in record order (the hot loop in runClause inlines the same decoding). */
  private forEachPosting(t: number, visit: (doc: number, packed: number) => void): void {
    const { pool, poolInts: ints } = this;
    let doc = 0;
    for (let block = this.head[t]; block !== 0; block = ints[block >> 2]) {
      const end = ints[(block >> 2) + 1];
      let p = block + BLOCK_HEADER;
      while (p < end) {
        let v = 0;
        let scale = 1;
        let b: number;
        do {
          b = pool[p++];
          v += (b & 127) * scale;
          scale *= 128;
        } while (b > 127);
        doc += Math.floor(v / 2);
        let packed = 1;
        if (v % 2 === 0) {
          packed = 0;
          scale = 1;
          do {
            b = pool[p++];
            packed += (b & 127) * scale;
            scale *= 128;
          } while (b > 127);
        }
        visit(doc, packed);
      }
    }
  }

  /** Orders candidates by (optional words missed, penalty, score desc, record order) with one numeric sort. */
  private rank(candidates: Int32Array, count: number, scored: boolean, optionalCount: number): SearchResult[] {
    const results: SearchResult[] = new Array(count);
    if (!scored) {
      for (let i = 0; i < count; i++) results[i] = { id: this.docIds[candidates[i]], score: 0, penalty: 0 };
      return results;
    }
    const { accScore, accPen, accOptional } = this;
    let maxScore = 0;
    for (let i = 0; i < count; i++) if (accScore[candidates[i]] > maxScore) maxScore = accScore[candidates[i]];
    const docBits = Math.max(1, Math.ceil(Math.log2(this.docCount + 1)));
    const docScale = 2 ** docBits;
    const scoreLevels = 2 ** (53 - 16 - docBits) - 1;
    const scoreScale = maxScore > 0 ? scoreLevels / maxScore : 0;
    const keys = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const d = candidates[i];
      const tier = Math.min(63, optionalCount - accOptional[d]) * 1024 + Math.min(1023, accPen[d]);
      const q = Math.min(scoreLevels, Math.floor(accScore[d] * scoreScale));
      keys[i] = (tier * (scoreLevels + 1) + (scoreLevels - q)) * docScale + d;
    }
    keys.sort();
    for (let i = 0; i < count; i++) {
      const d = keys[i] % docScale;
      results[i] = { id: this.docIds[d], score: accScore[d], penalty: accPen[d] };
    }
    return results;
  }
}

function snapshot(record: SearchableRecord): SearchableRecord {
  const copy: SearchableRecord = { id: record.id, title: record.title ?? '', authors: [...(record.authors ?? [])], keywords: [...(record.keywords ?? [])] };
  if (record.year !== undefined) copy.year = record.year;
  if (record.abstract) copy.abstract = record.abstract;
  if (record.fullText) copy.fullText = record.fullText;
  return copy;
}

function tfInMask(packed: number, mask: number): boolean {
  for (let f = 0; f < FIELD_COUNT; f++) if (mask & (1 << f) && (packed >>> SHIFT[f]) & MAX_TF[f]) return true;
  return false;
}

function yearsAccept(clauses: YearClause[], year: number): boolean {
  for (const clause of clauses) {
    const inside = year !== 0 && year >= clause.from && year <= clause.to;
    if (clause.negated ? inside : !inside) return false;
  }
  return true;
}

/**
 * A regular expression finding the phrase in ASCII text: the terms, case-insensitively, separated by
 * ASCII non-alphanumerics, not inside a longer word. Undefined when a term is not plain ASCII.
 */
function phraseRegex(terms: string[]): RegExp | undefined {
  if (terms.some((t) => !/^[a-z0-9]+$/.test(t) || t.length >= MAX_TERM_LENGTH)) return undefined;
  const word = 'A-Za-z0-9\\u0080-\\uffff';
  return new RegExp(`(?<![${word}])${terms.join(`[^${word}]+`)}(?![${word}])`, 'i');
}

function textHasPhrase(text: string | undefined, phrase: CompiledPhrase): boolean {
  if (!text) return false;
  if (phrase.regex) {
    if (phrase.regex.test(text)) return true;
    if (!NON_ASCII.test(text)) return false;
  }
  return phraseStarts(tokensOf(text), phrase.terms).length > 0;
}

function recordHasPhrase(record: SearchableRecord, phrase: CompiledPhrase): boolean {
  const mask = phrase.mask;
  if (mask & 1 && textHasPhrase(record.title, phrase)) return true;
  if (mask & 2 && textHasPhrase(record.abstract, phrase)) return true;
  if (mask & 4 && record.authors.some((a) => textHasPhrase(a, phrase))) return true;
  if (mask & 8 && record.keywords.some((k) => textHasPhrase(k, phrase))) return true;
  if (mask & 16 && textHasPhrase(record.fullText, phrase)) return true;
  return false;
}

interface Token {
  term: string;
  start: number;
  end: number;
}

function tokensOf(text: string): Token[] {
  const tokens: Token[] = [];
  scanTokens(text, (term, start, end) => tokens.push({ term, start, end }));
  return tokens;
}

/** Indexes of tokens where `terms` occurs as a run. */
function phraseStarts(tokens: Token[], terms: string[]): number[] {
  const starts: number[] = [];
  outer: for (let i = 0; i + terms.length <= tokens.length; i++) {
    for (let k = 0; k < terms.length; k++) if (tokens[i + k].term !== terms[k]) continue outer;
    starts.push(i);
  }
  return starts;
}

/** Spans of `text` holding one of `terms` or one of `phrases`, sorted, overlaps merged. */
function matchSpans(text: string, terms: Set<string>, phrases: string[][]): Span[] {
  if (terms.size === 0 && phrases.length === 0) return [];
  const tokens = tokensOf(text);
  const spans: Span[] = [];
  for (const token of tokens) if (terms.has(token.term)) spans.push([token.start, token.end]);
  for (const phrase of phrases) {
    for (const i of phraseStarts(tokens, phrase)) spans.push([tokens[i].start, tokens[i + phrase.length - 1].end]);
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  return merged;
}
