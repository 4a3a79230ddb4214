/** Messages between WorkerSearchService (extension host) and the search worker (src/workers/search-worker.ts). */
import type { IndexStats, MatchPositions, SearchableRecord, WordSuggestion } from './engine';

export interface SearchWireOptions {
  prefix?: boolean;
  match?: 'all' | 'any';
}

export type SearchRequest =
  | { type: 'init'; id: number; latest: SharedArrayBuffer }
  | { type: 'add'; id: number; records: SearchableRecord[] }
  | { type: 'remove'; id: number; ids: string[] }
  | { type: 'clear'; id: number }
  | { type: 'search'; id: number; seq: number; query: string; options: SearchWireOptions }
  | { type: 'positions'; id: number; recordId: string; query: string; options: SearchWireOptions }
  | { type: 'stats'; id: number };

/** Results travel as columns (ids, and scores/penalties in transferred typed arrays), not one object each. */
export interface WireResults {
  cancelled: false;
  query: string;
  /** Record ids, best first, joined by "\n" (one string crosses threads far faster than an array of them); an array when an id holds a newline. */
  ids: string | string[];
  scores: Float64Array;
  penalties: Uint16Array;
  relaxed: boolean;
  warnings: string[];
  suggestions: WordSuggestion[];
  /** Milliseconds the worker spent on the search. */
  ms: number;
}

export type SearchReply =
  | { id: number; ok: true; value?: undefined | IndexStats | MatchPositions | WireResults | { cancelled: true } }
  | { id: number; ok: false; error: string };
