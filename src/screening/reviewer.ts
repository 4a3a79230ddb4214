/**
 * The current reviewer's id: an explicit override (a command-line flag, a test), else git's
 * user.email, else git's user.name, else the configured fallback (the extension's setting), else
 * "anonymous". Its file name under screening/decisions/ is a filename-safe form of it, unique to it
 * (fileSafeReviewerId).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';

export interface ReviewerSources {
  override?: string;
  gitEmail?: string;
  gitName?: string;
  fallback?: string;
}

export function chooseReviewerId(sources: ReviewerSources): string {
  for (const candidate of [sources.override, sources.gitEmail, sources.gitName, sources.fallback]) {
    const trimmed = candidate?.trim();
    if (trimmed) return trimmed;
  }
  return 'anonymous';
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** Separates the readable part of a decisions file name from the hash of the exact id. */
export const REVIEWER_HASH_SEPARATOR = '~';
const READABLE_LENGTH = 80;

/**
 * The readable part of a file name for a reviewer id, safe on Windows, macOS and Linux and in shell
 * globs: lower case, letters, digits and . _ @ + - kept, anything else a dash, at most 80 characters.
 * "Ann Smith <ann@x.org>" -> "ann-smith-ann@x.org". Many ids share one (case, punctuation, length).
 */
export function readableReviewerId(id: string, length = READABLE_LENGTH): string {
  let safe = id
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._@+-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, length)
    .replace(/[-.]+$/, '');
  if (safe === '') safe = 'anonymous';
  if (WINDOWS_RESERVED.test(safe)) safe = `${safe}_`;
  return safe;
}

/**
 * The decisions file name (without .json) of a reviewer id: its readable part, "~", and the first 10
 * hex digits of the SHA-256 of the exact id. "Ann@X.org" -> "ann@x.org~8d8f3c1a2b". Different ids get
 * different names (case and punctuation count, and ids alike in their first 80 characters), on case-
 * insensitive file systems too, and no name of the former scheme (which had no "~") is ever reused.
 */
export function fileSafeReviewerId(id: string): string {
  const hash = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 10);
  return `${readableReviewerId(id)}${REVIEWER_HASH_SEPARATOR}${hash}`;
}

/**
 * Whether a decisions file name (without .json) follows the former scheme (the readable part of the id,
 * up to 100 characters, which let different ids share a file): such files are read, attributed to the
 * reviewer their header names, and never written again.
 */
export function isFormerReviewerFileName(key: string): boolean {
  return !key.includes(REVIEWER_HASH_SEPARATOR);
}

export type GitRunner = (args: string[], cwd: string) => Promise<{ code: number; stdout: string; stderr: string }>;

/** Runs git; a missing git binary is exit code 127. */
export const runGit: GitRunner = (args, cwd) =>
  new Promise((resolve) => {
    execFile('git', args, { cwd, windowsHide: true, timeout: 10_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 127) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });

export async function gitIdentity(cwd: string, run: GitRunner = runGit): Promise<{ email?: string; name?: string }> {
  const [email, name] = await Promise.all([run(['config', 'user.email'], cwd), run(['config', 'user.name'], cwd)]);
  return {
    ...(email.code === 0 && email.stdout.trim() ? { email: email.stdout.trim() } : {}),
    ...(name.code === 0 && name.stdout.trim() ? { name: name.stdout.trim() } : {}),
  };
}

export async function resolveReviewerId(cwd: string, options: { override?: string; fallback?: string; run?: GitRunner } = {}): Promise<string> {
  if (options.override?.trim()) return options.override.trim();
  const identity = await gitIdentity(cwd, options.run);
  return chooseReviewerId({ gitEmail: identity.email, gitName: identity.name, fallback: options.fallback });
}
