/**
 * A review file that cannot be read never yields a report that looks complete: `conflicts`, `prisma`
 * and `agreement` exit 3 naming the file, line and reason, unless --allow-broken.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { agreementCommand } from '../../../src/cli/agreement';
import { runCommand, type CliCommand } from '../../../src/cli/commands';
import { conflictsCommand } from '../../../src/cli/conflicts';
import { prismaCommand } from '../../../src/cli/prisma';
import { Review } from '../../../src/screening/review';

const SEEDS = resolve(__dirname, '../../../seeds');
const noGit = async () => ({ code: 1, stdout: '', stderr: '' });

let dir: string;
let stdout: string;
let stderr: string;
const err = { write: (chunk: string) => ((stderr += chunk), true) } as unknown as NodeJS.WritableStream;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-broken-'));
  cpSync(SEEDS, dir, { recursive: true });
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const REVIEW_JSON = `{
  "format": "sr-screening-review",
  "version": 1,
  "sources": [
    { "file": "000_5ac076b1b50789ed.txt", "category": "database", "name": "PubMed" },
    { "file": "001_86ab03fc405a49da.txt", "category": "database", "name": "CORD-19" },
    { "file": "003_dc436e7f8f4458aa.txt", "category": "database", "name": "PubMed" },
    { "file": "002_f4066c9c8d01d0c3.txt", "category": "organisation" },
    { "file": "004_162abf6513c8e8a2.txt", "category": "website" }
  ],
  "stages": { "title-abstract": { "reviewers": 2 }, "full-text": { "reviewers": 2, "reasonRequired": true } }
}
`;

/** Two reviewers who disagree on the first record; returns the path of the second one's file. */
async function disagreeingReviewers(): Promise<string> {
  mkdirSync(join(dir, 'screening'), { recursive: true });
  writeFileSync(join(dir, 'screening', 'review.json'), REVIEW_JSON);
  const a = await Review.load(dir, { reviewer: 'a@x.org', git: noGit });
  const b = await Review.load(dir, { reviewer: 'b@x.org', git: noGit });
  const first = a.records[0].id;
  await a.decide(first, 'title-abstract', 'include');
  await b.decide(first, 'title-abstract', 'exclude');
  await a.decide(a.records[1].id, 'title-abstract', 'include');
  await b.decide(a.records[1].id, 'title-abstract', 'include');
  return b.path(`screening/decisions/${b.reviewerKey}.json`);
}

const run = (command: CliCommand, ...args: string[]) => runCommand(command, [dir, ...args], err);

describe('reports on a review with a file that cannot be read', () => {
  it('a stray comma in one reviewer\'s decisions file: conflicts, prisma and agreement exit 3 with file, line and reason', async () => {
    const path = await disagreeingReviewers();
    expect(await run(conflictsCommand)).toBe(1);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = `${lines[1]},`; // a stray comma after the first entry
    writeFileSync(path, lines.join('\n'));
    const file = `screening/decisions/${path.slice(path.lastIndexOf('/') + 1)}`;
    for (const command of [conflictsCommand, prismaCommand, agreementCommand]) {
      stderr = '';
      stdout = '';
      expect(await run(command), command.name).toBe(3);
      expect(stdout, command.name).toBe('');
      expect(stderr, command.name).toMatch(new RegExp(`sr-screening ${command.name}: a review file cannot be read`));
      expect(stderr).toContain(`${file}:2: error: Not valid JSON`);
      expect(stderr).toContain('--allow-broken');
    }
    // Allowed: the report runs, and says what it leaves out. The conflict is gone with b's file.
    stderr = '';
    expect(await run(conflictsCommand, '--allow-broken')).toBe(0);
    expect(stdout).toBe('No unresolved conflicts.\n');
    expect(stderr).toContain(`${file}:2: error: Not valid JSON`);
    expect(stderr).toContain(`warning: --allow-broken: this report leaves out ${file}.`);
    expect(await run(prismaCommand, '--allow-broken', '--format', 'json')).toBe(0);
  });

  it('review.json holding a conflict marker never falls back to the defaults silently', async () => {
    await disagreeingReviewers();
    writeFileSync(join(dir, 'screening', 'review.json'), REVIEW_JSON.replace('  "stages"', '<<<<<<< HEAD\n  "stages"'));
    expect(await run(prismaCommand, '--format', 'json')).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/screening\/review\.json:\d+: error: Not valid JSON.*Defaults are used until it is fixed/);
    expect(await run(conflictsCommand)).toBe(3);
    stderr = '';
    // With --allow-broken the defaults (one reviewer per stage) are used, and it says so.
    expect(await run(prismaCommand, '--format', 'json', '--allow-broken')).toBe(0);
    expect(stderr).toContain('Defaults are used until it is fixed');
    expect(stderr).toContain('leaves out screening/review.json');
  });

  it('an unreadable resolutions.json is refused too; a file of a newer version is not unreadable', async () => {
    await disagreeingReviewers();
    writeFileSync(join(dir, 'screening', 'resolutions.json'), '{"format":"sr-screening-resolutions","version":1,"resolutions":[\n{oops}\n]}\n');
    expect(await run(agreementCommand)).toBe(3);
    expect(stderr).toContain('screening/resolutions.json:2: error');
    writeFileSync(join(dir, 'screening', 'resolutions.json'), '{"format":"sr-screening-resolutions","version":7,"resolutions":[\n]}\n');
    stderr = '';
    expect(await run(conflictsCommand)).toBe(1);
    expect(stderr).toContain('newer version');
  });
});
