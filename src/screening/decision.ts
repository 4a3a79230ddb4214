/**
 * Screening decisions and adjudicated resolutions: the plain data the decisions files hold.
 * One entry per record and stage; `time` (ISO 8601 UTC) orders two versions of the same entry.
 */

export type Stage = 'title-abstract' | 'full-text';
export const STAGES: readonly Stage[] = ['title-abstract', 'full-text'];

/** `not-retrieved` exists only at full text (the report could not be obtained). */
export type Verdict = 'include' | 'exclude' | 'maybe' | 'not-retrieved';
export const VERDICTS: readonly Verdict[] = ['include', 'exclude', 'maybe', 'not-retrieved'];

/** What every line of a decisions or resolutions file has in common. */
export interface Entry {
  record: string;
  stage: Stage;
  verdict: Verdict;
  reason: string | null;
  note: string | null;
  /** ISO 8601 UTC, e.g. 2026-01-31T09:15:02.123Z. */
  time: string;
}

/** One reviewer's verdict on one record at one stage. */
export type Decision = Entry;

/** An adjudicated verdict that settles a disagreement (or overrides the reviewers). */
export interface Resolution extends Entry {
  /** Reviewer id of the adjudicator. */
  by: string;
}

export function isStage(value: unknown): value is Stage {
  return value === 'title-abstract' || value === 'full-text';
}

export function isVerdict(value: unknown): value is Verdict {
  return typeof value === 'string' && (VERDICTS as readonly string[]).includes(value);
}

export function verdictAllowed(stage: Stage, verdict: Verdict): boolean {
  return verdict !== 'not-retrieved' || stage === 'full-text';
}

/**
 * The key of an entry: record id, NUL, stage index. Plain string order of keys is the file order
 * (by record id in UTF-16 code-unit order, then title-abstract before full-text).
 */
export function entryKey(record: string, stage: Stage): string {
  return `${record}\u0000${stage === 'title-abstract' ? 0 : 1}`;
}

export function keyRecord(key: string): string {
  return key.slice(0, key.lastIndexOf('\u0000'));
}

export function keyStage(key: string): Stage {
  return key.endsWith('0') ? 'title-abstract' : 'full-text';
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export function isIsoUtc(value: string): boolean {
  return ISO_UTC.test(value) && !Number.isNaN(Date.parse(value));
}

/** Orders two entry times: negative when `a` is earlier. Falls back to string order. */
export function compareTimes(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta - tb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Now as ISO 8601 UTC, strictly later than `after` when given (so a re-decision always wins). */
export function timeAfter(after: string | undefined, now: Date = new Date()): string {
  let ms = now.getTime();
  if (after !== undefined) {
    const previous = Date.parse(after);
    if (!Number.isNaN(previous) && previous >= ms) ms = previous + 1;
  }
  return new Date(ms).toISOString();
}
