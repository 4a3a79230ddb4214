/** Record search: the synchronous engine (CLI, tests) and the non-blocking service (extension host). */
export {
  SearchCancelled,
  SearchIndex,
  type IndexStats,
  type MatchPositions,
  type SearchableRecord,
  type SearchOptions,
  type SearchResponse,
  type SearchResult,
  type Span,
  type WordSuggestion,
} from './engine';
export { parseQuery, parseYearRange, SEARCH_FIELDS, type Clause, type ParsedQuery, type SearchField } from './query';
export {
  createSearchService,
  defaultWorkerPath,
  SlicedSearchService,
  toSearchable,
  WorkerSearchService,
  type SearchOutcome,
  type SearchService,
  type SearchServiceOptions,
  type StepTimes,
} from './service';
export { allowedEdits, foldTerm, scanTokens, tokenize } from './tokenize';
export { osaDistance } from './edit-distance';
