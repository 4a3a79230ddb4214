/**
 * TF-IDF features of records for screening prioritisation, built once per record and reused across
 * retrains.
 *
 * - Terms: the search engine's tokeniser (lower case, accents folded; src/screening/search/tokenize.ts),
 *   tokens of one character dropped (and, optionally, English stop words), then words and bigrams of
 *   consecutive remaining words (as scikit-learn's TfidfVectorizer forms n-grams).
 *   Title, abstract and each keyword are tokenised separately, so no bigram spans two fields.
 * - Weights: sublinear tf (1 + ln tf), smooth idf (ln((1 + n) / (1 + df)) + 1, n = live records), each
 *   record's vector l2-normalised: scikit-learn's `TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)`.
 * - Vocabulary bounded by document frequency: a term counts only when minDf ≤ df ≤ maxDf · n (minDf
 *   from minDfRecords records on; below, every term counts).
 *
 * Storage: every record's distinct terms (feature ids) and their 1 + ln tf, appended to growable typed
 * arrays (CSR); words in a Map, bigrams in an open-addressing table keyed by their two word ids (no
 * strings). Adding records tokenises only them; idf and the per-record norms are recomputed lazily
 * (O(non-zeros), a few ms) when the record set changed. A feature's value in a record is
 * `ltf[k] * idf[feature] * rowScale[row]` — idf and norms are never multiplied into the stored arrays.
 */
import { scanTokens } from '../search/tokenize';

export interface FeatureOptions {
  /** Minimum number of records a term must occur in to count (default 2)… */
  minDf?: number;
  /** …once there are at least this many records (default 50); in smaller sets every term counts. */
  minDfRecords?: number;
  /** Terms occurring in more than this share of the records are dropped (default 0.95). */
  maxDf?: number;
  /** Word pairs as well as words (default true). */
  bigrams?: boolean;
  /** Drop English stop words (default false: as scikit-learn's default; stop words carry signal in bigrams such as "compared with"). */
  stopWords?: boolean;
  /** Each title term counts this many times (default 1: the title is one more field). */
  titleWeight?: number;
  /** Authors (surname + initials, as given) as features of their own (default false). */
  authors?: boolean;
}

/** The text a record contributes. */
export interface FeatureText {
  title: string;
  abstract?: string;
  keywords?: readonly string[];
  authors?: readonly string[];
}

/** A compact English stop-word list (function words that carry no topic). */
const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each either few for from further had has have having he her here hers him his how ' +
    'however i if in into is it its itself just me more most my no nor not of off on once only or other our ours out over own ' +
    'per same she should so some such than that the their theirs them then there these they this those through thus to too ' +
    'under until up upon very via was we were what when where whether which while who whom whose why will with within without ' +
    'would yet you your'
  ).split(' '),
);

const EMPTY = -1;

/** (word id, word id) → feature id, open addressing with linear probing. */
class PairTable {
  private keyA = new Int32Array(1 << 12).fill(EMPTY);
  private keyB = new Int32Array(1 << 12);
  private value = new Int32Array(1 << 12);
  private size = 0;

  get(a: number, b: number): number {
    const mask = this.keyA.length - 1;
    let slot = PairTable.hash(a, b) & mask;
    for (;;) {
      const ka = this.keyA[slot];
      if (ka === EMPTY) return EMPTY;
      if (ka === a && this.keyB[slot] === b) return this.value[slot];
      slot = (slot + 1) & mask;
    }
  }

  set(a: number, b: number, value: number): void {
    if ((this.size + 1) * 2 > this.keyA.length) this.grow();
    this.insert(a, b, value);
    this.size++;
  }

  private insert(a: number, b: number, value: number): void {
    const mask = this.keyA.length - 1;
    let slot = PairTable.hash(a, b) & mask;
    while (this.keyA[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.keyA[slot] = a;
    this.keyB[slot] = b;
    this.value[slot] = value;
  }

  private grow(): void {
    const { keyA, keyB, value } = this;
    this.keyA = new Int32Array(keyA.length * 2).fill(EMPTY);
    this.keyB = new Int32Array(keyA.length * 2);
    this.value = new Int32Array(keyA.length * 2);
    for (let i = 0; i < keyA.length; i++) if (keyA[i] !== EMPTY) this.insert(keyA[i], keyB[i], value[i]);
  }

  private static hash(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return (h ^ (h >>> 12)) >>> 0;
  }
}

function grownInt32(array: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const next = new Int32Array(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

function grownFloat32(array: Float32Array<ArrayBuffer>, needed: number): Float32Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const next = new Float32Array(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

function grownUint8(array: Uint8Array<ArrayBuffer>, needed: number): Uint8Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const next = new Uint8Array(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

/**
 * Sparse rows whose value at (row, k) is `value[k] * colScale[index[k]] * rowScale[row]`; what the
 * classifier trains on and scores. Row r's entries are k in [rowStart[r], rowEnd[r]).
 */
export interface SparseRows {
  readonly rowStart: Int32Array;
  readonly rowEnd: Int32Array;
  readonly index: Int32Array;
  readonly value: Float32Array;
  readonly colScale: Float32Array;
  readonly rowScale: Float32Array;
  /** Number of columns (feature ids are below it). */
  readonly columns: number;
  /** Every row with a non-zero rowScale has unit length (lets the classifier skip computing norms). */
  readonly normalised?: boolean;
}

export class FeatureStore implements SparseRows {
  readonly minDf: number;
  readonly minDfRecords: number;
  readonly maxDf: number;
  readonly bigrams: boolean;
  readonly stopWords: boolean;
  readonly titleWeight: number;
  readonly authors: boolean;

  // Rows (records), CSR.
  rowStart = new Int32Array(1024);
  rowEnd = new Int32Array(1024);
  private liveFlags = new Uint8Array(1024);
  private rowCount = 0;
  private live = 0;
  index = new Int32Array(1 << 16);
  /** 1 + ln(tf) of each stored entry. */
  value = new Float32Array(1 << 16);
  private entries = 0;

  // Features.
  private readonly words = new Map<string, number>();
  private readonly pairs = new PairTable();
  /** Per feature: its word's text (words), or '' (bigrams, which keep their two word ids instead). */
  private readonly wordText: string[] = [];
  private firstWord = new Int32Array(1 << 14);
  private secondWord = new Int32Array(1 << 14);
  private df = new Int32Array(1 << 14);
  private featureCount = 0;

  // Derived lazily.
  colScale = new Float32Array(0);
  rowScale = new Float32Array(0);
  readonly normalised = true;
  /** Bumped whenever prepare() recomputes idf and norms (a model fitted before then is stale). */
  version = 0;
  private dirty = true;
  private vocabulary = 0;

  // Scratch for counting one record's terms.
  private stamp = new Int32Array(1 << 14);
  private slot = new Int32Array(1 << 14);
  private stampValue = 0;
  private docFeatures: number[] = [];
  private docCounts: number[] = [];

  constructor(options: FeatureOptions = {}) {
    this.minDf = options.minDf ?? 2;
    this.minDfRecords = options.minDfRecords ?? 50;
    this.maxDf = options.maxDf ?? 0.95;
    this.bigrams = options.bigrams ?? true;
    this.stopWords = options.stopWords ?? false;
    this.titleWeight = Math.max(1, options.titleWeight ?? 1);
    this.authors = options.authors ?? false;
  }

  /** Rows ever allocated (live or removed); row numbers are below it. */
  get rows(): number {
    return this.rowCount;
  }

  get liveRows(): number {
    return this.live;
  }

  get columns(): number {
    return this.featureCount;
  }

  /** Stored entries of live and removed rows (memory is about 8 bytes each). */
  get storedEntries(): number {
    return this.entries;
  }

  isLive(row: number): boolean {
    return row >= 0 && row < this.rowCount && this.liveFlags[row] === 1;
  }

  /** Tokenises a record and appends it as a new row; returns the row number. */
  add(text: FeatureText): number {
    this.stampValue++;
    if (this.stampValue === 0x7fffffff) {
      this.stamp.fill(0);
      this.stampValue = 1;
    }
    this.docFeatures.length = 0;
    this.docCounts.length = 0;
    this.addField(text.title, this.titleWeight);
    if (this.authors && text.authors) for (const author of text.authors) this.addAuthor(author);
    if (text.abstract) this.addField(text.abstract);
    if (text.keywords) for (const keyword of text.keywords) this.addField(keyword);

    const row = this.rowCount++;
    if (row >= this.rowStart.length) {
      this.rowStart = grownInt32(this.rowStart, row + 1);
      this.rowEnd = grownInt32(this.rowEnd, row + 1);
      this.liveFlags = grownUint8(this.liveFlags, row + 1);
    }
    const n = this.docFeatures.length;
    this.index = grownInt32(this.index, this.entries + n);
    this.value = grownFloat32(this.value, this.entries + n);
    const start = this.entries;
    for (let i = 0; i < n; i++) {
      const feature = this.docFeatures[i];
      this.index[start + i] = feature;
      this.value[start + i] = 1 + Math.log(this.docCounts[i]);
      this.df[feature]++;
    }
    this.entries += n;
    this.rowStart[row] = start;
    this.rowEnd[row] = start + n;
    this.liveFlags[row] = 1;
    this.live++;
    this.dirty = true;
    return row;
  }

  /** Removes a row from the counts (its storage stays until the store is rebuilt). */
  remove(row: number): void {
    if (!this.isLive(row)) return;
    for (let k = this.rowStart[row]; k < this.rowEnd[row]; k++) this.df[this.index[k]]--;
    this.liveFlags[row] = 0;
    this.live--;
    this.dirty = true;
  }

  /** Recomputes idf and the row norms if records were added or removed since the last call. */
  prepare(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.version++;
    const n = this.live;
    const features = this.featureCount;
    if (this.colScale.length < features) this.colScale = new Float32Array(Math.max(features, this.colScale.length * 2));
    const colScale = this.colScale;
    const df = this.df;
    const maxDf = this.maxDf * n;
    const minDf = n >= this.minDfRecords ? this.minDf : 1;
    let vocabulary = 0;
    for (let f = 0; f < features; f++) {
      const d = df[f];
      if (d >= minDf && d <= maxDf && d > 0) {
        colScale[f] = Math.log((1 + n) / (1 + d)) + 1;
        vocabulary++;
      } else {
        colScale[f] = 0;
      }
    }
    this.vocabulary = vocabulary;
    if (this.rowScale.length < this.rowCount) this.rowScale = new Float32Array(Math.max(this.rowCount, this.rowScale.length * 2));
    const { rowStart, rowEnd, index, value, rowScale, liveFlags } = this;
    for (let r = 0; r < this.rowCount; r++) {
      if (liveFlags[r] === 0) {
        rowScale[r] = 0;
        continue;
      }
      let sum = 0;
      for (let k = rowStart[r]; k < rowEnd[r]; k++) {
        const x = value[k] * colScale[index[k]];
        sum += x * x;
      }
      rowScale[r] = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    }
  }

  /** Terms that currently count (minDf ≤ df ≤ maxDf · n). */
  get vocabularySize(): number {
    this.prepare();
    return this.vocabulary;
  }

  /** The text of a feature: "word" or "word word". */
  term(feature: number): string {
    const first = this.firstWord[feature];
    const second = this.secondWord[feature];
    return second === EMPTY ? this.wordText[first] : `${this.wordText[first]} ${this.wordText[second]}`;
  }

  /** A row's tf-idf vector as term → weight (terms outside the vocabulary left out); for tests and explanations. */
  vector(row: number): Map<string, number> {
    this.prepare();
    const out = new Map<string, number>();
    if (!this.isLive(row)) return out;
    for (let k = this.rowStart[row]; k < this.rowEnd[row]; k++) {
      const x = this.value[k] * this.colScale[this.index[k]] * this.rowScale[row];
      if (x !== 0) out.set(this.term(this.index[k]), x);
    }
    return out;
  }

  /** Document frequency of a term ("word" or "word word"), 0 when unknown. */
  documentFrequency(term: string): number {
    const parts = term.split(' ');
    const first = this.words.get(parts[0]);
    if (first === undefined) return 0;
    if (parts.length === 1) return this.df[first];
    const second = this.words.get(parts[1]);
    if (second === undefined) return 0;
    const feature = this.pairs.get(first, second);
    return feature === EMPTY ? 0 : this.df[feature];
  }

  private addField(text: string, weight = 1): void {
    let previous = EMPTY;
    scanTokens(text, (term) => {
      if (term.length < 2 || (this.stopWords && STOP_WORDS.has(term))) return;
      const word = this.wordId(term);
      this.count(word, weight);
      if (this.bigrams && previous !== EMPTY) this.count(this.pairId(previous, word), weight);
      previous = word;
    });
  }

  /** An author as one feature, "@" + the folded tokens of the name (no word can start with "@"). */
  private addAuthor(author: string): void {
    const parts: string[] = [];
    scanTokens(author, (term) => void parts.push(term));
    if (parts.length > 0) this.count(this.wordId(`@${parts.join(' ')}`));
  }

  private count(feature: number, weight = 1): void {
    if (this.stamp[feature] === this.stampValue) {
      this.docCounts[this.slot[feature]] += weight;
      return;
    }
    this.stamp[feature] = this.stampValue;
    this.slot[feature] = this.docFeatures.length;
    this.docFeatures.push(feature);
    this.docCounts.push(weight);
  }

  private wordId(term: string): number {
    let id = this.words.get(term);
    if (id === undefined) {
      id = this.newFeature(this.wordText.length, EMPTY);
      this.wordText[id] = term;
      this.words.set(term, id);
    }
    return id;
  }

  private pairId(first: number, second: number): number {
    let id = this.pairs.get(first, second);
    if (id === EMPTY) {
      id = this.newFeature(first, second);
      this.wordText[id] = '';
      this.pairs.set(first, second, id);
    }
    return id;
  }

  private newFeature(first: number, second: number): number {
    const id = this.featureCount++;
    if (id >= this.df.length) {
      const size = id + 1;
      this.df = grownInt32(this.df, size);
      this.firstWord = grownInt32(this.firstWord, size);
      this.secondWord = grownInt32(this.secondWord, size);
      this.stamp = grownInt32(this.stamp, size);
      this.slot = grownInt32(this.slot, size);
    }
    // A word's own id is its first word.
    this.firstWord[id] = second === EMPTY ? id : first;
    this.secondWord[id] = second;
    return id;
  }
}
