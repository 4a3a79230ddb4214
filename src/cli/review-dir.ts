/** Shared by the review subcommands: opens the review at DIR (default: the current folder). */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Review } from '../screening/review';
import { terminalLine } from '../screening/export/neutralise';
import { UsageError } from './args';

export async function openReview(dir: string | undefined, err: NodeJS.WritableStream = process.stderr): Promise<Review> {
  const root = resolve(dir ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`not a folder: ${dir}`);
  const review = await Review.load(root);
  for (const issue of review.issues) {
    err.write(`${terminalLine(issue.file)}${issue.line > 0 ? `:${issue.line}` : ''}: ${issue.severity}: ${terminalLine(issue.message)}\n`);
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
