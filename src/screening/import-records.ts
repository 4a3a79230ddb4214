/**
 * The import pipeline: files -> parsed records -> stable ids -> duplicates linked (never deleted).
 * Pure apart from reading bytes, which the caller does.
 */
import { importBytes } from '../parsers/index';
import { findDuplicates, type DuplicateReason } from './dedup';
import { assignIds } from './ids';
import type { BibRecord, FormatId, ImportProblem, ParsedRecord } from './record';

export interface ImportInput {
  file: string;
  bytes: Uint8Array;
  /** Set when the file could not be read; it is then reported as a problem. */
  readError?: string;
  /** Skip sniffing and use this format. */
  format?: FormatId;
}

export interface DuplicateRecord extends BibRecord {
  /** Id of the kept record this one duplicates. */
  duplicateOf: string;
  duplicateReason: DuplicateReason;
}

export interface FileSummary {
  file: string;
  format?: FormatId;
  records: number;
  problems: number;
}

export interface ImportOutcome {
  /** Unique records (the first seen of each duplicate group). */
  records: BibRecord[];
  /** Records found to duplicate one of `records`, each naming it: the PRISMA "duplicates removed". */
  duplicates: DuplicateRecord[];
  problems: ImportProblem[];
  files: FileSummary[];
}

export function importFiles(inputs: readonly ImportInput[]): ImportOutcome {
  const parsed: ParsedRecord[] = [];
  const problems: ImportProblem[] = [];
  const files: FileSummary[] = [];
  for (const input of inputs) {
    if (input.readError !== undefined) {
      problems.push({ file: input.file, line: 0, severity: 'error', message: `The file could not be read: ${input.readError}` });
      files.push({ file: input.file, records: 0, problems: 1 });
      continue;
    }
    const result = importBytes(input.bytes, input.file, input.format);
    for (const record of result.records) parsed.push(record);
    for (const problem of result.problems) problems.push(problem);
    files.push({ file: input.file, format: result.format, records: result.records.length, problems: result.problems.length });
  }
  return linkDuplicates(assignIds(parsed), problems, files);
}

/** Splits records with ids into unique records and linked duplicates. */
export function linkDuplicates(all: BibRecord[], problems: ImportProblem[] = [], files: FileSummary[] = []): ImportOutcome {
  const links = findDuplicates(all);
  const duplicateIndexes = new Set(links.map((link) => link.index));
  const duplicates: DuplicateRecord[] = links.map((link) => ({
    ...all[link.index],
    duplicateOf: all[link.duplicateOf].id,
    duplicateReason: link.reason,
  }));
  const records = all.filter((_, index) => !duplicateIndexes.has(index));
  return { records, duplicates, problems, files };
}
