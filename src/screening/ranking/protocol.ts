/** Messages between WorkerRankingService (extension host) and the ranking worker (src/workers/ranking-worker.ts). */
import type { ModelOptions, UntrainedReason } from './engine';
import type { UnscorablePlacement } from './placement';
import type { StoppingEstimate } from './stopping';

/** The record fields that cross to the worker. */
export interface WireRecord {
  id: string;
  title: string;
  abstract?: string;
  keywords?: string[];
}

export type RankingRequest =
  | { type: 'init'; id: number; latest: SharedArrayBuffer; options: ModelOptions }
  /** Appends records as rows firstRow, firstRow + 1, … (the client numbers rows; the worker checks). */
  | { type: 'add'; id: number; firstRow: number; records: WireRecord[] }
  | { type: 'remove'; id: number; rows: Int32Array }
  /** Labels in the order they were decided: rows[i] is included when included[i] is 1. */
  | { type: 'train'; id: number; seq: number; rows: Int32Array; included: Uint8Array }
  | { type: 'stats'; id: number };

/** A ranking as columns: rows (typed array, transferred) rather than one object per record. */
export interface WireRanking {
  cancelled: false;
  model: 'svm' | 'none';
  reason?: UntrainedReason;
  order: Int32Array;
  scores: Float64Array;
  unscorable: number;
  unscorableAt: UnscorablePlacement;
  includes: number;
  excludes: number;
  epochs: number;
  trainMs: number;
  rankMs: number;
  stopping: StoppingEstimate;
}

export interface RankingStats {
  records: number;
  /** Terms that currently count (within the document-frequency bounds). */
  vocabulary: number;
  /** Terms seen, counted or not. */
  terms: number;
  /** Stored (record, term) entries. */
  entries: number;
}

export type RankingReply =
  | { id: number; ok: true; value?: undefined | RankingStats | WireRanking | { cancelled: true } }
  | { id: number; ok: false; error: string };
