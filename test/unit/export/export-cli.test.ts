/** `sr-screening export` and `sr-screening decisions` on a copy of the sample review with two reviewers. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../src/cli/args';
import { decisionsCommand } from '../../../src/cli/decisions';
import { exportCommand } from '../../../src/cli/export';
import { runCommand } from '../../../src/cli/commands';
import { EXIT_UNREADABLE, UnreadableReviewError } from '../../../src/cli/review-dir';
import { importFiles } from '../../../src/screening/import-records';
import { Review } from '../../../src/screening/review';

const SEEDS = resolve(__dirname, '../../../seeds');
const noGit = async () => ({ code: 1, stdout: '', stderr: '' });
let dir: string;
let review: string;
let stdout: string;
let stderr: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sr-export-cli-'));
  review = join(dir, 'review');
  cpSync(SEEDS, review, { recursive: true });
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function decideAs(reviewer: string, decide: (review: Review, ids: string[]) => Promise<unknown>): Promise<string[]> {
  const opened = await Review.load(review, { reviewer, git: noGit });
  const ids = opened.records.map((record) => record.id);
  await decide(opened, ids);
  await opened.flush();
  opened.dispose();
  return ids;
}

describe('sr-screening export', () => {
  it('exports the included records as RIS with the outcome and notes in N1, and they import back', async () => {
    const ids = await decideAs('ann@example.org', async (r, ids) => {
      await r.decide(ids[0], 'title-abstract', 'include', null, 'RCT =HYPERLINK("x")');
      await r.decide(ids[1], 'title-abstract', 'exclude', 'Wrong population');
      await r.decide(ids[2], 'title-abstract', 'include');
    });
    const out = join(dir, 'included.ris');
    expect(await exportCommand.run([review, '--format', 'ris', '--stage', 'title-abstract', '--status', 'included', '--out', out])).toBe(0);
    expect(stderr).toContain('wrote 2 record(s)');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('N1  - Screening: pending');
    expect(text).toContain('N1  - Screening title/abstract: ann@example.org include');
    expect(text).toContain('N1  - Screening note (ann@example.org, title/abstract): RCT =HYPERLINK("x")');
    const again = importFiles([{ file: out, bytes: readFileSync(out) }]);
    expect(again.records.map((record) => record.id).sort()).toEqual([ids[0], ids[2]].sort());
  });

  it('writes CSV with screening columns and neutralises formula cells', async () => {
    await decideAs('ann@example.org', (r, ids) => r.decide(ids[0], 'title-abstract', 'include', null, '=1+1'));
    expect(await exportCommand.run([review, '--format', 'csv', '--status', 'all'])).toBe(0);
    const rows = Papa.parse<Record<string, string>>(stdout, { header: true, skipEmptyLines: true }).data;
    expect(rows.length).toBeGreaterThan(1);
    const decided = rows.find((row) => row.title_abstract_decisions)!;
    expect(decided.title_abstract_decisions).toBe('ann@example.org: include');
    expect(decided.screening_notes).toBe('ann@example.org (title/abstract): =1+1');
    stdout = '';
    expect(await decisionsCommand.run([review, '--format', 'csv'])).toBe(0);
    const [row] = Papa.parse<Record<string, string>>(stdout, { header: true, skipEmptyLines: true }).data;
    expect(row['ann@example.org note']).toBe("'=1+1");
  });

  it('exits 1 when nothing matches, 2 on usage errors, refuses (exit 3) when a decisions file is broken unless --allow-broken', async () => {
    expect(await exportCommand.run([review, '--format', 'ris', '--status', 'included'])).toBe(1);
    expect(stderr).toContain('no included records to export');
    await expect(exportCommand.run([review, '--format', 'docx'])).rejects.toBeInstanceOf(UsageError);
    await expect(exportCommand.run([review])).rejects.toBeInstanceOf(UsageError);
    await expect(exportCommand.run([review, '--format', 'ris', '--status', 'done'])).rejects.toBeInstanceOf(UsageError);
    mkdirSync(join(review, 'screening', 'decisions'), { recursive: true });
    writeFileSync(join(review, 'screening', 'decisions', 'bob@example.org.json'), '{"format":"sr-screening-decisions","version":1,"decisions":[\n{"record": broken\n]}\n');
    stderr = '';
    await expect(exportCommand.run([review, '--format', 'ris'])).rejects.toBeInstanceOf(UnreadableReviewError);
    expect(await runCommand(exportCommand, [review, '--format', 'ris'])).toBe(EXIT_UNREADABLE);
    expect(stderr).toContain('bob@example.org.json');
    expect(await exportCommand.run([review, '--format', 'ris', '--allow-broken', '--status', 'included'])).toBe(1);
    expect(stderr).toContain('--allow-broken: this report leaves out');
  });
});

describe('sr-screening decisions', () => {
  it('lists one row per record and stage with each reviewer, the resolution and the status', async () => {
    const ids = await decideAs('ann@example.org', async (r, ids) => {
      await r.decide(ids[0], 'title-abstract', 'include', null, 'looks relevant');
      await r.decide(ids[1], 'title-abstract', 'include');
    });
    await decideAs('bob@example.org', async (r) => {
      await r.decide(ids[0], 'title-abstract', 'exclude', 'Wrong population');
      await r.resolve(ids[0], 'title-abstract', 'include', null, 'adjudicated');
    });
    expect(await decisionsCommand.run([review, '--format', 'json'])).toBe(0);
    const rows = JSON.parse(stdout);
    expect(rows).toHaveLength(2);
    const first = rows.find((row: { record: string }) => row.record === ids[0]);
    expect(first.decisions['ann@example.org']).toMatchObject({ verdict: 'include', note: 'looks relevant' });
    expect(first.decisions['bob@example.org']).toMatchObject({ verdict: 'exclude', reason: 'Wrong population' });
    expect(first.resolution).toMatchObject({ by: 'bob@example.org', verdict: 'include', note: 'adjudicated' });
    expect(first.stageStatus).toBe('included');
    stdout = '';
    expect(await decisionsCommand.run([review, '--format', 'csv'])).toBe(0);
    const header = stdout.split('\r\n')[0];
    expect(header).toBe(
      'record,title,stage,ann@example.org verdict,ann@example.org reason,ann@example.org note,ann@example.org time,bob@example.org verdict,bob@example.org reason,bob@example.org note,bob@example.org time,resolution verdict,resolution reason,resolution note,resolved by,resolution time,stage status,final status',
    );
  });

  it('exits 1 without decisions', async () => {
    expect(await decisionsCommand.run([review])).toBe(1);
    expect(stderr).toContain('no decisions yet');
  });
});
