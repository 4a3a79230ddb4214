/**
 * NUL characters in a text export are damage (a crash while the file was written, a bad copy, a
 * zero-filled disk block), never content. They are left out and reported by line, and the rest of the
 * file imports. One pass over the text.
 */
import type { ImportProblem } from '../screening/record';

/** A run of NULs: [start, end) in the text, and its 1-based line. */
export interface NulRun {
  start: number;
  end: number;
  line: number;
}

/** The runs of U+0000 in the text, with their lines (LF, CRLF and bare CR end a line). */
export function findNulRuns(text: string): NulRun[] {
  const runs: NulRun[] = [];
  let line = 1;
  let counted = 0; // line breaks before this offset are counted
  for (let start = text.indexOf('\0'); start >= 0; start = text.indexOf('\0', start)) {
    for (let i = counted; i < start; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
    }
    let end = start + 1;
    while (end < text.length && text.charCodeAt(end) === 0) end++;
    runs.push({ start, end, line });
    counted = end;
    start = end;
  }
  return runs;
}

/** The text without the runs. */
export function withoutRuns(text: string, runs: readonly NulRun[]): string {
  if (runs.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const run of runs) {
    parts.push(text.slice(at, run.start));
    at = run.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** Lines listed one by one; the others are summed up in one problem. */
const LISTED_LINES = 20;

/** Warnings, one per damaged line (up to LISTED_LINES), saying how many NULs were left out. */
export function nulProblems(file: string, runs: readonly NulRun[]): ImportProblem[] {
  const perLine = new Map<number, number>();
  for (const run of runs) perLine.set(run.line, (perLine.get(run.line) ?? 0) + run.end - run.start);
  const problems: ImportProblem[] = [];
  let rest = 0;
  let restBytes = 0;
  let restLine = 0;
  for (const [line, count] of perLine) {
    if (problems.length < LISTED_LINES) {
      problems.push({
        file,
        line,
        severity: 'warning',
        message: `${count === 1 ? 'A NUL byte' : `${count} NUL bytes`} (the file is damaged here) left out; the rest of the line is read.`,
      });
    } else {
      if (rest === 0) restLine = line;
      rest++;
      restBytes += count;
    }
  }
  if (rest > 0) problems.push({ file, line: restLine, severity: 'warning', message: `${restBytes} more NUL bytes on ${rest} more lines left out.` });
  return problems;
}
