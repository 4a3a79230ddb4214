/**
 * The import pipeline: files -> parsed records -> stable ids -> duplicates linked (never deleted).
 * Pure apart from reading bytes, which the caller does.
 */
import { importBytes } from '../parsers/index';
import { groupDuplicates, scoreDuplicates, type AutomaticMatches, type DuplicateDetection, type DuplicateReason, type PairDecision } from './dedup';
import type { PairComparison } from './dedup-match';
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

/** Two records that may be one paper: a person decides (the queue); never merged until then. */
export interface PossibleDuplicate {
  /** Ids of the two records, the earlier imported first. */
  a: string;
  b: string;
  comparison: PairComparison;
}

/** The automatic matches by record position, kept so stored decisions can regroup without comparing again. */
export interface StoredMatches extends AutomaticMatches {
  /** Every record id (unique and duplicate) in import order: the positions the matches use. */
  order: string[];
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
  /** Pairs queued for a person (none merged). */
  possible?: PossibleDuplicate[];
  matches?: StoredMatches;
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
  const matches = scoreDuplicates(all);
  const outcome = splitRecords(all, groupDuplicates(all, matches));
  return { ...outcome, problems, files, matches: { ...matches, order: all.map((record) => record.id) } };
}

/** A reviewer's decision about two records, as screening/duplicates.json stores it (see duplicate-decisions.ts). */
export interface DuplicateVerdict {
  records: [string, string];
  verdict: 'duplicate' | 'distinct';
  /** The record to keep, for 'duplicate' (null: the earliest imported). */
  keep: string | null;
}

/**
 * The records, duplicates and queue of an import once the reviewers' duplicate decisions are applied
 * (they override the automatic result). Decisions naming records no longer imported are skipped.
 */
export function applyDuplicateDecisions(outcome: ImportOutcome, verdicts: readonly DuplicateVerdict[]): Pick<ImportOutcome, 'records' | 'duplicates' | 'possible'> {
  const matches = outcome.matches;
  if (!matches) return { records: outcome.records, duplicates: outcome.duplicates, possible: outcome.possible };
  const byId = new Map<string, BibRecord>();
  for (const record of outcome.records) byId.set(record.id, record);
  for (const duplicate of outcome.duplicates) {
    const { duplicateOf: _of, duplicateReason: _reason, ...record } = duplicate;
    byId.set(record.id, record);
  }
  const all = matches.order.map((id) => byId.get(id)).filter((record): record is BibRecord => record !== undefined);
  if (all.length !== matches.order.length) return { records: outcome.records, duplicates: outcome.duplicates, possible: outcome.possible };
  const position = new Map(matches.order.map((id, index) => [id, index]));
  const decisions: PairDecision[] = [];
  for (const verdict of verdicts) {
    const a = position.get(verdict.records[0]);
    const b = position.get(verdict.records[1]);
    if (a === undefined || b === undefined || a === b) continue;
    const keep = verdict.keep === null ? undefined : position.get(verdict.keep);
    decisions.push({ a, b, verdict: verdict.verdict, ...(keep !== undefined ? { keep } : {}) });
  }
  return splitRecords(all, groupDuplicates(all, matches, decisions));
}

function splitRecords(all: readonly BibRecord[], detection: DuplicateDetection): Pick<ImportOutcome, 'records' | 'duplicates' | 'possible'> {
  const duplicateIndexes = new Set(detection.links.map((link) => link.index));
  const duplicates: DuplicateRecord[] = detection.links.map((link) => ({
    ...all[link.index],
    duplicateOf: all[link.duplicateOf].id,
    duplicateReason: link.reason,
  }));
  const records = all.filter((_, index) => !duplicateIndexes.has(index));
  const possible = detection.possible.map((pair) => ({ a: all[pair.a].id, b: all[pair.b].id, comparison: pair.comparison }));
  return { records, duplicates, possible };
}
