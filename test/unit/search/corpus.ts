/** Realistic records for search tests: real titles and abstracts from ../shared/corpus/labeled, recombined. */
import { existsSync } from 'node:fs';
import { LABELED_DIR, seededRandom, synthesiseRecords } from '../../../bench/lib/corpus-records';
import type { SearchableRecord } from '../../../src/screening/search/engine';

export const labeledCorpusAvailable = existsSync(LABELED_DIR);

export function corpusSearchRecords(count: number, seed = 7): SearchableRecord[] {
  return synthesiseRecords(count, seed).map((r, i) => ({ id: `c${i}`, title: r.title, abstract: r.abstract, authors: r.authors, year: r.year, keywords: r.keywords }));
}

export { seededRandom };
