/**
 * Non-blocking search for the extension host. The same SearchService interface has two
 * implementations:
 *
 * - WorkerSearchService (the default): the SearchIndex lives in a worker_threads worker
 *   (dist/workers/search-worker.js). Records cross in slices of bounded size, each posted in one short
 *   synchronous step with a yield to the event loop after it and at most a few slices in flight, so
 *   neither copying nor indexing ever holds the extension host's thread for long; searches run in the
 *   worker, and the results come back as columns (typed arrays transferred, not copied).
 * - SlicedSearchService: the index on the calling thread, built in slices of a few milliseconds that
 *   yield between them; for hosts without worker threads.
 *
 * Superseded searches: each search() makes every earlier pending search resolve at once as
 * `{ cancelled: true }`, so a caller never receives stale results. In the worker, the search in
 * progress also stops early: it polls a shared counter (Atomics) that the newer search bumped.
 * Mutations (add, remove, clear) apply in call order; a search issued during a long add sees the
 * records indexed so far.
 */
import { existsSync } from 'node:fs';
import { bundledWorkerPath, StepRecorder, WorkerChannel, yieldToEventLoop, type StepTimes } from '../worker-channel';
import { SearchIndex, type IndexStats, type MatchPositions, type SearchableRecord, type SearchResponse, type SearchResult } from './engine';
import type { SearchRequest, SearchWireOptions, WireResults } from './protocol';

export type { StepTimes } from '../worker-channel';

export type SearchOutcome = ({ cancelled: false } & SearchResponse) | { cancelled: true; query: string };

export interface SearchService {
  /** Indexes records (replacing any with the same id); resolves once they are searchable. */
  add(records: readonly SearchableRecord[]): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  clear(): Promise<void>;
  /** Every match, best first; `{ cancelled: true }` when a newer search was issued before this one finished. */
  search(query: string, options?: SearchWireOptions): Promise<SearchOutcome>;
  /** Match positions in one record, for highlighting the results actually shown. */
  positions(id: string, query: string, options?: Pick<SearchWireOptions, 'prefix'>): Promise<MatchPositions | undefined>;
  stats(): Promise<IndexStats>;
  dispose(): Promise<void>;
  /** Longest single synchronous step this service has taken on the calling thread, in ms (a diagnostic). */
  readonly longestStepMs: number;
  /** The durations of its synchronous steps on the calling thread (wall time, so they include any time the OS ran something else). */
  stepTimes(): StepTimes;
}

/** Only the fields search reads (a BibRecord also carries provenance, metadata, …). */
export function toSearchable(record: SearchableRecord): SearchableRecord {
  const slim: SearchableRecord = { id: record.id, title: record.title, authors: record.authors, keywords: record.keywords };
  if (record.year !== undefined) slim.year = record.year;
  if (record.abstract) slim.abstract = record.abstract;
  if (record.fullText) slim.fullText = record.fullText;
  return slim;
}

/** Where the bundled worker sits relative to the bundle using this module (dist/ or dist/bench/). */
export function defaultWorkerPath(): string {
  return bundledWorkerPath('search-worker.js');
}

export interface SearchServiceOptions {
  /** Path of the bundled worker script; defaults to defaultWorkerPath(). */
  workerPath?: string;
  /** Use the in-thread sliced index even when a worker is available. */
  inThread?: boolean;
}

/** A worker-backed service when the worker script exists, else the sliced in-thread one. */
export function createSearchService(options: SearchServiceOptions = {}): SearchService {
  const workerPath = options.workerPath ?? defaultWorkerPath();
  if (!options.inThread && existsSync(workerPath)) return new WorkerSearchService({ workerPath });
  return new SlicedSearchService();
}

export interface WorkerSearchServiceOptions {
  workerPath?: string;
  /** Characters of record text per posted slice (default 256k: a few ms to copy). */
  sliceChars?: number;
  /** Records per posted slice at most (default 1000). */
  sliceRecords?: number;
  /** Slices posted but not yet indexed, at most (default 4). */
  window?: number;
}

export class WorkerSearchService implements SearchService {
  private readonly channel: WorkerChannel<SearchRequest>;
  private searchSeq = 0;
  private pendingSearch: { seq: number; query: string; resolve(outcome: SearchOutcome): void; reject(error: Error): void } | undefined;
  private readonly sliceChars: number;
  private readonly sliceRecords: number;
  private readonly window: number;

  constructor(options: WorkerSearchServiceOptions = {}) {
    this.sliceChars = options.sliceChars ?? 256_000;
    this.sliceRecords = options.sliceRecords ?? 1000;
    this.window = options.window ?? 4;
    this.channel = new WorkerChannel<SearchRequest>(options.workerPath ?? defaultWorkerPath(), 'search');
    this.request({ type: 'init', id: 0, latest: this.channel.latest.buffer as SharedArrayBuffer }).catch(() => undefined);
  }

  add(records: readonly SearchableRecord[]): Promise<void> {
    return this.channel.mutate(async () => {
      const inFlight: Promise<unknown>[] = [];
      let i = 0;
      while (i < records.length) {
        const started = performance.now();
        const slice: SearchableRecord[] = [];
        let chars = 0;
        while (i < records.length && slice.length < this.sliceRecords && chars < this.sliceChars) {
          const record = toSearchable(records[i++]);
          chars += record.title.length + (record.abstract?.length ?? 0) + (record.fullText?.length ?? 0) + 20 * record.authors.length;
          slice.push(record);
        }
        inFlight.push(this.request({ type: 'add', id: 0, records: slice }));
        this.noteStep(started);
        if (inFlight.length >= this.window) await inFlight.shift();
        else await yieldToEventLoop();
      }
      await Promise.all(inFlight);
    });
  }

  remove(ids: readonly string[]): Promise<void> {
    return this.channel.mutate(() => this.request({ type: 'remove', id: 0, ids: [...ids] }));
  }

  clear(): Promise<void> {
    return this.channel.mutate(() => this.request({ type: 'clear', id: 0 }));
  }

  async search(query: string, options: SearchWireOptions = {}): Promise<SearchOutcome> {
    const seq = ++this.searchSeq;
    this.channel.supersede(seq);
    this.pendingSearch?.resolve({ cancelled: true, query: this.pendingSearch.query });
    const outcome = new Promise<SearchOutcome>((resolve, reject) => {
      this.pendingSearch = { seq, query, resolve, reject };
    });
    this.request({ type: 'search', id: 0, seq, query, options }).then(
      (value) => {
        const current = this.pendingSearch;
        if (!current || current.seq !== seq) return;
        this.pendingSearch = undefined;
        const wire = value as WireResults | { cancelled: true };
        if (wire.cancelled) current.resolve({ cancelled: true, query });
        else current.resolve(this.fromWire(wire));
      },
      (error: Error) => {
        const current = this.pendingSearch;
        if (!current || current.seq !== seq) return;
        this.pendingSearch = undefined;
        current.reject(error);
      },
    );
    return outcome;
  }

  async positions(id: string, query: string, options: Pick<SearchWireOptions, 'prefix'> = {}): Promise<MatchPositions | undefined> {
    return (await this.request({ type: 'positions', id: 0, recordId: id, query, options })) as MatchPositions | undefined;
  }

  async stats(): Promise<IndexStats> {
    return (await this.request({ type: 'stats', id: 0 })) as IndexStats;
  }

  async dispose(): Promise<void> {
    this.pendingSearch?.resolve({ cancelled: true, query: this.pendingSearch.query });
    this.pendingSearch = undefined;
    await this.channel.dispose();
  }

  private fromWire(wire: WireResults): SearchOutcome {
    const started = performance.now();
    const ids = typeof wire.ids === 'string' ? (wire.ids === '' && wire.scores.length === 0 ? [] : wire.ids.split('\n')) : wire.ids;
    const n = ids.length;
    const results = new Array<SearchResult>(n);
    for (let i = 0; i < n; i++) results[i] = { id: ids[i], score: wire.scores[i], penalty: wire.penalties[i] };
    this.noteStep(started);
    return { cancelled: false, query: wire.query, total: n, results, relaxed: wire.relaxed, warnings: wire.warnings, suggestions: wire.suggestions };
  }

  private request(message: SearchRequest): Promise<unknown> {
    return this.channel.request(message);
  }

  get longestStepMs(): number {
    return this.channel.steps.longestMs;
  }

  stepTimes(): StepTimes {
    return this.channel.steps.times();
  }

  private noteStep(started: number): void {
    this.channel.steps.note(started);
  }
}

export interface SlicedSearchServiceOptions {
  /** Milliseconds of indexing per slice before yielding (default 12). */
  sliceMs?: number;
}

export class SlicedSearchService implements SearchService {
  /** Replaced by a fresh one when compacting (after many removals). */
  index = new SearchIndex();
  private mutations: Promise<unknown> = Promise.resolve();
  private searchSeq = 0;
  private disposed = false;
  private readonly sliceMs: number;
  private readonly steps = new StepRecorder();

  constructor(options: SlicedSearchServiceOptions = {}) {
    this.sliceMs = options.sliceMs ?? 12;
  }

  add(records: readonly SearchableRecord[]): Promise<void> {
    return this.mutate(() => this.addInSlices(this.index, records));
  }

  remove(ids: readonly string[]): Promise<void> {
    return this.mutate(async () => {
      let i = 0;
      while (i < ids.length && !this.disposed) {
        const started = performance.now();
        do {
          this.index.remove(ids.slice(i, i + 64));
          i += 64;
        } while (i < ids.length && performance.now() - started < this.sliceMs);
        this.noteStep(started);
        if (i < ids.length) await yieldToEventLoop();
      }
      if (this.index.needsCompaction) {
        // Rebuild beside the live index, in slices; searches keep using the old one until the swap.
        const fresh = new SearchIndex();
        await this.addInSlices(fresh, this.index.liveRecords());
        this.index = fresh;
      }
    });
  }

  private async addInSlices(index: SearchIndex, records: readonly SearchableRecord[]): Promise<void> {
    let i = 0;
    while (i < records.length && !this.disposed) {
      const started = performance.now();
      // Small chunks, so a slice overshoots its budget by at most one chunk.
      do {
        index.add(records.slice(i, i + 16));
        i += 16;
      } while (i < records.length && performance.now() - started < this.sliceMs);
      this.noteStep(started);
      await yieldToEventLoop();
    }
  }

  clear(): Promise<void> {
    return this.mutate(async () => this.index.clear());
  }

  async search(query: string, options: SearchWireOptions = {}): Promise<SearchOutcome> {
    const seq = ++this.searchSeq;
    // Let a newer query (typed in the meantime) supersede this one before it runs.
    await yieldToEventLoop();
    if (seq !== this.searchSeq || this.disposed) return { cancelled: true, query };
    const started = performance.now();
    const response = this.index.search(query, options);
    this.noteStep(started);
    return { cancelled: false, ...response };
  }

  async positions(id: string, query: string, options: Pick<SearchWireOptions, 'prefix'> = {}): Promise<MatchPositions | undefined> {
    return this.index.positions(id, query, options);
  }

  async stats(): Promise<IndexStats> {
    return this.index.stats();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  private mutate(operation: () => Promise<unknown>): Promise<void> {
    const run = this.mutations.then(operation);
    this.mutations = run.catch(() => undefined);
    return run.then(() => undefined);
  }

  get longestStepMs(): number {
    return this.steps.longestMs;
  }

  stepTimes(): StepTimes {
    return this.steps.times();
  }

  private noteStep(started: number): void {
    this.steps.note(started);
  }
}
