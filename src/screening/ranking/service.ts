/**
 * Non-blocking screening prioritisation for the extension host; the API is documented in ./index.ts.
 *
 * - WorkerRankingService (the default): the RankingEngine (features, SVM) lives in a worker_threads
 *   worker (dist/workers/ranking-worker.js). Records cross in slices of bounded size, at most a few in
 *   flight, with a yield to the event loop after each; rankings come back as columns (row numbers and
 *   scores in transferred typed arrays).
 * - InThreadRankingService: the same engine on the calling thread, for hosts without worker threads;
 *   a training then blocks the thread for its duration (fine for the CLI and tests).
 *
 * Rows: the client numbers records in the order it sends them (a changed record gets a new row, a
 * removed one leaves a hole) and the worker checks it agrees, so labels and rankings cross as row
 * numbers rather than id strings.
 */
import { existsSync } from 'node:fs';
import { bundledWorkerPath, StepRecorder, WorkerChannel, yieldToEventLoop, type StepTimes } from '../worker-channel';
import { RankingCancelled, RankingEngine, type ModelOptions, type RankableRecord, type RankingLabel, type RowRanking, type UntrainedReason } from './engine';
import type { UnscorablePlacement } from './placement';
import type { RankingRequest, RankingStats, WireRanking, WireRecord } from './protocol';
import type { StoppingEstimate } from './stopping';

export type { StepTimes } from '../worker-channel';

/** A ranking of the unlabelled records. */
export interface Ranking {
  /** 'svm': ranked by the model; 'none': not enough labels yet (see `reason`), records in original order. */
  model: 'svm' | 'none';
  /** Why there is no model yet: no include or no exclude among the labels. */
  reason?: UntrainedReason;
  /** Ids of the unlabelled records, most likely include first. */
  ids: readonly string[];
  /** SVM decision value of each id (same order; 0 when model is 'none'). Above 0 leans include; only the order is meaningful across trainings. */
  scores: Float64Array;
  /**
   * This many ids, the first or the last (`unscorableAt`), have no text the model can read (no
   * title/abstract terms): not ranked; at the end while recent decisions still find includes, then
   * first (./placement.ts).
   */
  unscorable: number;
  unscorableAt: UnscorablePlacement;
  /** Labels the model learnt from. */
  includes: number;
  excludes: number;
  /** The stopping aid for these labels (see ./stopping.ts and describeStopping). */
  stopping: StoppingEstimate;
  /** Time the training and the scoring took (in the worker), ms. */
  trainMs: number;
  rankMs: number;
}

export type RankingOutcome = ({ cancelled: false } & Ranking) | { cancelled: true };

/** Where one record stands in the latest ranking. */
export interface Relevance {
  /** 1-based position among the unlabelled records. */
  rank: number;
  /** Number of unlabelled records ranked. */
  of: number;
  /** SVM decision value (0 when model is 'none'). */
  score: number;
  model: 'svm' | 'none';
  /** False when the record has no text the model can read (it is listed apart, unranked: see Ranking.unscorable). */
  scorable: boolean;
}

export interface RankingService {
  /**
   * Makes `records` the record set (in this order: the "original order"). Only records that are new or
   * whose text changed are tokenised; records no longer present are dropped. Resolves once the worker
   * has them.
   */
  setRecords(records: readonly RankableRecord[]): Promise<void>;
  /**
   * Trains on one reviewer's title/abstract labels, in the order they were decided, and ranks every
   * other record. Resolves `{ cancelled: true }` when a newer train() was called before this finished.
   */
  train(labels: readonly RankingLabel[]): Promise<RankingOutcome>;
  /** The latest ranking (undefined before the first train() resolves). */
  readonly current: Ranking | undefined;
  /** Where a record stands in the latest ranking; undefined for labelled or unknown records or before any ranking. */
  relevance(id: string): Relevance | undefined;
  stats(): Promise<RankingStats>;
  dispose(): Promise<void>;
  /** Durations of this service's synchronous steps on the calling thread (a diagnostic). */
  stepTimes(): StepTimes;
}

/** Where the bundled worker sits relative to the bundle using this module (dist/ or dist/bench/). */
export function defaultRankingWorkerPath(): string {
  return bundledWorkerPath('ranking-worker.js');
}

export interface RankingServiceOptions {
  /** Path of the bundled worker script; defaults to defaultRankingWorkerPath(). */
  workerPath?: string;
  /** Use the in-thread engine even when a worker is available. */
  inThread?: boolean;
  model?: ModelOptions;
}

/** A worker-backed service when the worker script exists, else the in-thread one. */
export function createRankingService(options: RankingServiceOptions = {}): RankingService {
  const workerPath = options.workerPath ?? defaultRankingWorkerPath();
  if (!options.inThread && existsSync(workerPath)) return new WorkerRankingService({ workerPath, model: options.model });
  return new InThreadRankingService(options.model);
}

function fingerprint(record: RankableRecord): string {
  // Ids are stable per record; a changed text almost always changes a length.
  return `${record.title.length}:${record.abstract?.length ?? -1}:${record.keywords?.join('\u0001').length ?? -1}`;
}

function toWire(record: RankableRecord): WireRecord {
  const wire: WireRecord = { id: record.id, title: record.title };
  if (record.abstract) wire.abstract = record.abstract;
  if (record.keywords && record.keywords.length > 0) wire.keywords = [...record.keywords];
  return wire;
}

/** Rows, ids and the latest ranking, shared by both implementations. */
class RowBook {
  readonly rowIds: (string | undefined)[] = [];
  readonly idToRow = new Map<string, number>();
  private readonly prints = new Map<string, string>();
  current: Ranking | undefined;
  private rankOfRow: Int32Array | undefined;

  /** Splits a new record set into rows to drop and records to (re)send, in slices of `sliceSize` with `pause()` between. */
  async diff(records: readonly RankableRecord[], pause: () => Promise<void>, note: (started: number) => void): Promise<{ removed: number[]; added: RankableRecord[] }> {
    const seen = new Set<string>();
    const added: RankableRecord[] = [];
    const removed: number[] = [];
    for (let i = 0; i < records.length; ) {
      const started = performance.now();
      const end = Math.min(records.length, i + 2000);
      for (; i < end; i++) {
        const record = records[i];
        if (seen.has(record.id)) continue;
        seen.add(record.id);
        const print = fingerprint(record);
        const row = this.idToRow.get(record.id);
        if (row !== undefined && this.prints.get(record.id) === print) continue;
        if (row !== undefined) removed.push(row);
        added.push(record);
        this.prints.set(record.id, print);
      }
      note(started);
      if (i < records.length) await pause();
    }
    const started = performance.now();
    for (const [id, row] of this.idToRow) {
      if (!seen.has(id)) {
        removed.push(row);
        this.prints.delete(id);
      }
    }
    for (const row of removed) {
      const id = this.rowIds[row];
      if (id !== undefined && this.idToRow.get(id) === row) this.idToRow.delete(id);
      this.rowIds[row] = undefined;
    }
    note(started);
    return { removed, added };
  }

  /** Numbers records as the next rows (as the engine will). */
  assign(records: readonly RankableRecord[]): number {
    const first = this.rowIds.length;
    for (const record of records) {
      this.idToRow.set(record.id, this.rowIds.length);
      this.rowIds.push(record.id);
    }
    return first;
  }

  labelsToRows(labels: readonly RankingLabel[]): { rows: Int32Array<ArrayBuffer>; included: Uint8Array<ArrayBuffer> } {
    const rows = new Int32Array(labels.length);
    const included = new Uint8Array(labels.length);
    let n = 0;
    for (const label of labels) {
      const row = this.idToRow.get(label.id);
      if (row === undefined) continue;
      rows[n] = row;
      included[n++] = label.included ? 1 : 0;
    }
    return { rows: rows.slice(0, n), included: included.slice(0, n) };
  }

  accept(wire: Omit<WireRanking, 'cancelled'>): Ranking {
    const ids = new Array<string>(wire.order.length);
    for (let i = 0; i < wire.order.length; i++) ids[i] = this.rowIds[wire.order[i]] ?? '';
    const ranking: Ranking = {
      model: wire.model,
      ids,
      scores: wire.scores,
      unscorable: wire.unscorable,
      unscorableAt: wire.unscorableAt,
      includes: wire.includes,
      excludes: wire.excludes,
      stopping: wire.stopping,
      trainMs: wire.trainMs,
      rankMs: wire.rankMs,
    };
    if (wire.reason) ranking.reason = wire.reason;
    this.current = ranking;
    const rankOfRow = new Int32Array(this.rowIds.length).fill(-1);
    for (let i = 0; i < wire.order.length; i++) rankOfRow[wire.order[i]] = i;
    this.rankOfRow = rankOfRow;
    return ranking;
  }

  relevance(id: string): Relevance | undefined {
    const ranking = this.current;
    const row = this.idToRow.get(id);
    if (!ranking || row === undefined || !this.rankOfRow || row >= this.rankOfRow.length) return undefined;
    const index = this.rankOfRow[row];
    if (index < 0) return undefined;
    const unscorable = ranking.unscorableAt === 'start' ? index < ranking.unscorable : index >= ranking.ids.length - ranking.unscorable;
    return { rank: index + 1, of: ranking.ids.length, score: ranking.scores[index], model: ranking.model, scorable: ranking.model === 'none' || !unscorable };
  }
}

export interface WorkerRankingServiceOptions {
  workerPath?: string;
  model?: ModelOptions;
  /** Characters of record text per posted slice (default 256k). */
  sliceChars?: number;
  /** Records per posted slice at most (default 1000). */
  sliceRecords?: number;
  /** Slices posted but not yet processed, at most (default 4). */
  window?: number;
}

export class WorkerRankingService implements RankingService {
  private readonly channel: WorkerChannel<RankingRequest>;
  private readonly book = new RowBook();
  private readonly steps: StepRecorder;
  private trainSeq = 0;
  private pendingTrain: { seq: number; resolve(outcome: RankingOutcome): void; reject(error: Error): void } | undefined;
  private readonly sliceChars: number;
  private readonly sliceRecords: number;
  private readonly window: number;

  constructor(options: WorkerRankingServiceOptions = {}) {
    this.sliceChars = options.sliceChars ?? 256_000;
    this.sliceRecords = options.sliceRecords ?? 1000;
    this.window = options.window ?? 4;
    this.channel = new WorkerChannel<RankingRequest>(options.workerPath ?? defaultRankingWorkerPath(), 'ranking', (error) => {
      const train = this.pendingTrain;
      this.pendingTrain = undefined;
      train?.reject(error);
    });
    this.steps = this.channel.steps;
    this.request({ type: 'init', id: 0, latest: this.channel.latest.buffer as SharedArrayBuffer, options: options.model ?? {} }).catch(() => undefined);
  }

  get current(): Ranking | undefined {
    return this.book.current;
  }

  setRecords(records: readonly RankableRecord[]): Promise<void> {
    return this.channel.mutate(async () => {
      const { removed, added } = await this.book.diff(records, yieldToEventLoop, (started) => this.steps.note(started));
      if (removed.length > 0) await this.request({ type: 'remove', id: 0, rows: Int32Array.from(removed) });
      const inFlight: Promise<unknown>[] = [];
      let i = 0;
      while (i < added.length) {
        const started = performance.now();
        const slice: WireRecord[] = [];
        let chars = 0;
        while (i < added.length && slice.length < this.sliceRecords && chars < this.sliceChars) {
          const record = toWire(added[i++]);
          chars += record.title.length + (record.abstract?.length ?? 0) + 20;
          slice.push(record);
        }
        const firstRow = this.book.assign(slice);
        inFlight.push(this.request({ type: 'add', id: 0, firstRow, records: slice }));
        this.steps.note(started);
        if (inFlight.length >= this.window) await inFlight.shift();
        else await yieldToEventLoop();
      }
      await Promise.all(inFlight);
    });
  }

  train(labels: readonly RankingLabel[]): Promise<RankingOutcome> {
    const seq = ++this.trainSeq;
    this.channel.supersede(seq);
    this.pendingTrain?.resolve({ cancelled: true });
    const outcome = new Promise<RankingOutcome>((resolve, reject) => {
      this.pendingTrain = { seq, resolve, reject };
    });
    // After the record mutations queued so far, so labels map to rows the worker has.
    void this.channel.mutations.then(() => {
      if (this.pendingTrain?.seq !== seq) return;
      const started = performance.now();
      const { rows, included } = this.book.labelsToRows(labels);
      this.steps.note(started);
      this.request({ type: 'train', id: 0, seq, rows, included }, [rows.buffer, included.buffer]).then(
        (value) => {
          const current = this.pendingTrain;
          if (!current || current.seq !== seq) return;
          this.pendingTrain = undefined;
          const wire = value as WireRanking | { cancelled: true };
          if (wire.cancelled) {
            current.resolve({ cancelled: true });
            return;
          }
          const started = performance.now();
          const ranking = this.book.accept(wire);
          this.steps.note(started);
          current.resolve({ cancelled: false, ...ranking });
        },
        (error: Error) => {
          const current = this.pendingTrain;
          if (!current || current.seq !== seq) return;
          this.pendingTrain = undefined;
          current.reject(error);
        },
      );
    });
    return outcome;
  }

  relevance(id: string): Relevance | undefined {
    return this.book.relevance(id);
  }

  async stats(): Promise<RankingStats> {
    await this.channel.mutations;
    return (await this.request({ type: 'stats', id: 0 })) as RankingStats;
  }

  async dispose(): Promise<void> {
    this.pendingTrain?.resolve({ cancelled: true });
    this.pendingTrain = undefined;
    await this.channel.dispose();
  }

  stepTimes(): StepTimes {
    return this.steps.times();
  }

  private request(message: RankingRequest, transfer: ArrayBuffer[] = []): Promise<unknown> {
    return this.channel.request(message, transfer);
  }
}

/** The engine on the calling thread: for hosts without worker threads, the CLI and tests. Training blocks while it runs. */
export class InThreadRankingService implements RankingService {
  private readonly engine: RankingEngine;
  private readonly book = new RowBook();
  private readonly steps = new StepRecorder();
  private mutations: Promise<unknown> = Promise.resolve();
  private trainSeq = 0;
  private disposed = false;

  constructor(options: ModelOptions = {}) {
    this.engine = new RankingEngine(options);
  }

  get current(): Ranking | undefined {
    return this.book.current;
  }

  setRecords(records: readonly RankableRecord[]): Promise<void> {
    const run = this.mutations.then(async () => {
      const { removed, added } = await this.book.diff(records, yieldToEventLoop, (started) => this.steps.note(started));
      for (const row of removed) {
        const id = this.engine.idOf(row);
        if (id !== undefined) this.engine.remove([id]);
      }
      for (let i = 0; i < added.length; i += 200) {
        const started = performance.now();
        const slice = added.slice(i, i + 200).map(toWire);
        const first = this.book.assign(slice);
        if (this.engine.features.rows !== first) throw new Error('row numbering out of step');
        this.engine.add(slice);
        this.steps.note(started);
        await yieldToEventLoop();
      }
    });
    this.mutations = run.catch(() => undefined);
    return run;
  }

  async train(labels: readonly RankingLabel[]): Promise<RankingOutcome> {
    const seq = ++this.trainSeq;
    await this.mutations;
    // Let a newer train() (e.g. the next decision) supersede this one before it runs.
    await yieldToEventLoop();
    if (seq !== this.trainSeq || this.disposed) return { cancelled: true };
    const started = performance.now();
    const { rows, included } = this.book.labelsToRows(labels);
    let ranking: RowRanking;
    try {
      ranking = this.engine.trainRows(rows, included);
    } catch (error) {
      if (error instanceof RankingCancelled) return { cancelled: true };
      throw error;
    }
    const accepted = this.book.accept(ranking);
    this.steps.note(started);
    return { cancelled: false, ...accepted };
  }

  relevance(id: string): Relevance | undefined {
    return this.book.relevance(id);
  }

  async stats(): Promise<RankingStats> {
    await this.mutations;
    const features = this.engine.features;
    return { records: this.engine.size, vocabulary: features.vocabularySize, terms: features.columns, entries: features.storedEntries };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  stepTimes(): StepTimes {
    return this.steps.times();
  }
}
