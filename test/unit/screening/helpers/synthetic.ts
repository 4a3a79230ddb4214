/** Records made up in memory (for scale tests and benchmarks): real-looking ids, no parsing. */
import type { ImportOutcome } from '../../../../src/screening/import-records';
import type { BibRecord } from '../../../../src/screening/record';

export function syntheticRecord(id: string, index: number, file = 'search.ris'): BibRecord {
  return {
    id,
    title: `Synthetic record ${index}`,
    authors: [`Author${index % 97}, A.`],
    year: 2000 + (index % 25),
    keywords: [],
    type: 'journal-article',
    provenance: { file, format: 'ris', line: index * 10 + 1, index },
  };
}

export function syntheticOutcome(ids: readonly string[], file = 'search.ris'): ImportOutcome {
  return {
    records: ids.map((id, index) => syntheticRecord(id, index, file)),
    duplicates: [],
    problems: [],
    files: [{ file, format: 'ris', records: ids.length, problems: 0 }],
  };
}
