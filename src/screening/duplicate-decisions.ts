/**
 * screening/duplicates.json: the team's decisions about duplicates, which override the automatic
 * result — two records confirmed as one paper (optionally naming the one to keep), or said to be
 * distinct. One decision per line, sorted by the two record ids, so git diffs and merges stay per pair:
 *
 *   {"format":"sr-screening-duplicates","version":1,"duplicates":[
 *   {"records":["doi:10.1/a","ref:3f2a9c01b2de"],"verdict":"duplicate","keep":"doi:10.1/a","by":"ann@example.org","time":"…Z"},
 *   {"records":["pmid:123","pmid:124"],"verdict":"distinct","keep":null,"by":"ben@example.org","time":"…Z"}
 *   ]}
 *
 * For one pair the later decision wins (also when reading both sides of a git conflict).
 */
import { compareTimes } from './decision';
import { hasConflictMarkers } from './entry-file';
import type { DuplicateVerdict } from './import-records';
import { locateJsonError } from './json-locate';
import { describeError, validator } from './schemas';

export const DUPLICATES_FORMAT = 'sr-screening-duplicates';
export const DUPLICATES_VERSION = 1;

export interface DuplicateDecision extends DuplicateVerdict {
  /** Reviewer id of whoever decided. */
  by: string;
  /** ISO 8601 UTC. */
  time: string;
}

export type DuplicatesRead =
  | { status: 'ok'; decisions: DuplicateDecision[]; warnings: string[] }
  | { status: 'conflicted'; decisions: DuplicateDecision[]; message: string }
  | { status: 'newer'; decisions: DuplicateDecision[]; message: string }
  | { status: 'invalid'; line: number; message: string };

/** The pair's key: the two ids in order, NUL between. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** A decision with its two ids in order. */
export function orderedDecision(decision: DuplicateDecision): DuplicateDecision {
  const [a, b] = decision.records;
  return a <= b ? decision : { ...decision, records: [b, a] };
}

export function serialiseDuplicateDecision(d: DuplicateDecision): string {
  const o = orderedDecision(d);
  return JSON.stringify({ records: o.records, verdict: o.verdict, keep: o.keep, by: o.by, time: o.time });
}

/** The file text; for two decisions about one pair the later is written. */
export function serialiseDuplicateDecisions(decisions: Iterable<DuplicateDecision>): string {
  const byKey = latestByPair(decisions);
  const keys = [...byKey.keys()].sort();
  const head = `{"format":"${DUPLICATES_FORMAT}","version":${DUPLICATES_VERSION},"duplicates":[`;
  return keys.length === 0 ? `${head}\n]}\n` : `${head}\n${keys.map((key) => serialiseDuplicateDecision(byKey.get(key)!)).join(',\n')}\n]}\n`;
}

export function latestByPair(decisions: Iterable<DuplicateDecision>): Map<string, DuplicateDecision> {
  const byKey = new Map<string, DuplicateDecision>();
  for (const decision of decisions) {
    const key = pairKey(decision.records[0], decision.records[1]);
    const seen = byKey.get(key);
    if (!seen || compareTimes(decision.time, seen.time) > 0 || (compareTimes(decision.time, seen.time) === 0 && serialiseDuplicateDecision(decision) > serialiseDuplicateDecision(seen))) {
      byKey.set(key, orderedDecision(decision));
    }
  }
  return byKey;
}

/** Reads screening/duplicates.json. Never throws. */
export function readDuplicateDecisions(text: string): DuplicatesRead {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { status: 'invalid', line: 0, message: 'The file is empty.' };
  if (hasConflictMarkers(body)) {
    const decisions = readLines(body.split('\n'));
    return {
      status: 'conflicted',
      decisions,
      message: `Holds git conflict markers: both sides were read (${decisions.length} decisions, the later decision about a pair wins). The next save writes the merged file.`,
    };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    const located = locateJsonError(body);
    return { status: 'invalid', line: located?.line ?? 0, message: `Not valid JSON: ${located ? `${located.message} (column ${located.column})` : String(error)}.` };
  }
  const record = doc as Record<string, unknown>;
  if (typeof record !== 'object' || record === null || record.format !== DUPLICATES_FORMAT) {
    return { status: 'invalid', line: 1, message: `Not a duplicates file: expected "format":"${DUPLICATES_FORMAT}".` };
  }
  if (typeof record.version === 'number' && record.version > DUPLICATES_VERSION) {
    return {
      status: 'newer',
      decisions: readLines(body.split('\n')),
      message: `Written by a newer version of sr-screening (file version ${record.version}): opened read-only and never overwritten.`,
    };
  }
  const validate = validator('duplicates');
  if (!validate(doc)) {
    const match = /^\/duplicates\/(\d+)/.exec(validate.errors?.[0]?.instancePath ?? '');
    return { status: 'invalid', line: match ? Number(match[1]) + 2 : 1, message: describeError(validate.errors) };
  }
  const list = (record.duplicates as DuplicateDecision[]).map(orderedDecision);
  const byKey = latestByPair(list);
  const warnings = byKey.size < list.length ? [`${list.length - byKey.size} repeated decisions about the same pair: the latest of each is kept.`] : [];
  return { status: 'ok', decisions: [...byKey.values()], warnings };
}

function readLines(lines: readonly string[]): DuplicateDecision[] {
  const validateEntry = validator('duplicates', 'decision');
  const found: DuplicateDecision[] = [];
  for (const raw of lines) {
    let line = raw.trim();
    if (line.endsWith(',')) line = line.slice(0, -1);
    if (!line.startsWith('{"records"')) continue;
    try {
      const entry = JSON.parse(line) as unknown;
      if (validateEntry(entry)) found.push(entry as DuplicateDecision);
    } catch {
      // not an entry line
    }
  }
  return [...latestByPair(found).values()];
}
