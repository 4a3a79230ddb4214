/** Shared by the review subcommands: opens the review at DIR (default: the current folder). */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Review, type ReviewIssue } from '../screening/review';
import { terminalLine } from '../screening/export/neutralise';
import { UsageError } from './args';

/** Exit status of a report refused because some of the review's files cannot be read. */
export const EXIT_UNREADABLE = 3;

export const ALLOW_BROKEN_USAGE =
  '  --allow-broken  report even when some of the review\'s files cannot be read (their content left out)\n' +
  `Exit status ${EXIT_UNREADABLE}: a review file (review.json, a decisions file, resolutions.json) cannot be read; each is named with its line.`;

/** Raised when a report would leave out a review file that cannot be read. */
export class UnreadableReviewError extends Error {
  constructor(readonly issues: readonly ReviewIssue[]) {
    super(
      `${issues.length === 1 ? 'a review file cannot be read' : `${issues.length} review files cannot be read`}, so the report would leave out what ${issues.length === 1 ? 'it holds' : 'they hold'}:\n` +
        issues.map((issue) => `  ${formatIssue(issue)}`).join('\n') +
        '\nFix the file (or restore it from git), or pass --allow-broken to report without it.',
    );
    this.name = 'UnreadableReviewError';
  }
}

export function formatIssue(issue: ReviewIssue): string {
  return `${terminalLine(issue.file)}${issue.line > 0 ? `:${issue.line}` : ''}: ${issue.severity}: ${terminalLine(issue.message)}`;
}

/**
 * Opens the review and prints its issues to `err`. Refuses (UnreadableReviewError) when one of the
 * review's own files cannot be read, unless `allowBroken`: a report without a reviewer's decisions, or
 * with review.json's settings replaced by defaults, must never look like a complete one.
 */
export async function openReview(dir: string | undefined, options: { allowBroken?: boolean; err?: NodeJS.WritableStream } = {}): Promise<Review> {
  const err = options.err ?? process.stderr;
  const root = resolve(dir ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`not a folder: ${dir}`);
  const review = await Review.load(root);
  const unreadable = review.unreadable;
  if (unreadable.length > 0 && !options.allowBroken) throw new UnreadableReviewError(unreadable);
  for (const issue of review.issues) err.write(`${formatIssue(issue)}\n`);
  if (unreadable.length > 0) {
    err.write(`warning: --allow-broken: this report leaves out ${unreadable.map((issue) => terminalLine(issue.file)).join(', ')}.\n`);
  }
  return review;
}

/** Errors among the review's file problems (unreadable or conflicted decisions files, a broken review.json). */
export function reviewErrors(review: Review): number {
  return review.issues.filter((issue) => issue.severity === 'error').length;
}

export function onePositional(positional: string[]): string | undefined {
  if (positional.length > 1) throw new UsageError(`expected at most one folder, got ${positional.length}`);
  return positional[0];
}
