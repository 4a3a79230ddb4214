/** Shared by the review subcommands: opens the review at DIR (default: the current folder). */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Review } from '../screening/review';
import { UsageError } from './args';

export async function openReview(dir: string | undefined, err: NodeJS.WritableStream = process.stderr): Promise<Review> {
  const root = resolve(dir ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`not a folder: ${dir}`);
  const review = await Review.load(root);
  for (const issue of review.issues) {
    err.write(`${issue.file}${issue.line > 0 ? `:${issue.line}` : ''}: ${issue.severity}: ${issue.message}\n`);
  }
  return review;
}

export function onePositional(positional: string[]): string | undefined {
  if (positional.length > 1) throw new UsageError(`expected at most one folder, got ${positional.length}`);
  return positional[0];
}
