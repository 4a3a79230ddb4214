/**
 * One file per reviewer id, never two reviewers in one file: ids that differ only in case or punctuation,
 * or only after their first 100 characters, get their own files and their disagreements show; a file whose
 * header names someone else is never written; files named by the former scheme are read and migrated
 * without losing a decision.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEntryFile } from '../../../src/screening/entry-file';
import { Review, ReviewError } from '../../../src/screening/review';
import { fileSafeReviewerId } from '../../../src/screening/reviewer';

const SEEDS = resolve(__dirname, '../../../seeds');
const noGit = async () => ({ code: 1, stdout: '', stderr: '' });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-reviewers-'));
  cpSync(SEEDS, dir, { recursive: true });
  mkdirSync(join(dir, 'screening', 'decisions'), { recursive: true });
  writeFileSync(
    join(dir, 'screening', 'review.json'),
    JSON.stringify({
      format: 'sr-screening-review',
      version: 1,
      sources: readdirSync(SEEDS).map((file) => ({ file, category: 'database', name: 'PubMed' })),
      stages: { 'title-abstract': { reviewers: 2 }, 'full-text': { reviewers: 2, reasonRequired: true } },
    }),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (reviewer: string) => Review.load(dir, { reviewer, git: noGit });
const decisionsDir = () => join(dir, 'screening', 'decisions');

describe('reviewer ids and decisions files', () => {
  it.each([
    ['Ann@X.org', 'ann@x.org'],
    ['Ann Smith', 'ann-smith'],
    [`${'long-id-'.repeat(13)}one`, `${'long-id-'.repeat(13)}two`],
  ])('%s and %s keep their own files, and their disagreement is a conflict', async (first, second) => {
    const a = await open(first);
    const b = await open(second);
    const record = a.records[0].id;
    await a.decide(record, 'title-abstract', 'include');
    await b.decide(record, 'title-abstract', 'exclude');
    expect(readdirSync(decisionsDir()).filter((name) => name.endsWith('.json'))).toHaveLength(2);
    const fresh = await open('adjudicator@x.org');
    expect(fresh.reviewers().map((key) => fresh.reviewerName(key)).sort()).toEqual(['adjudicator@x.org', first, second].sort());
    expect(fresh.conflicts()).toEqual([expect.objectContaining({ record, stage: 'title-abstract', kind: 'verdict' })]);
  });

  it("refuses to write into a file whose header names another reviewer, with a clear message, and keeps its decisions as that reviewer's", async () => {
    const b = await open('b@x.org');
    await b.decide(b.records[0].id, 'title-abstract', 'exclude');
    // b's file copied over a's name by hand.
    const theirs = readFileSync(join(decisionsDir(), `${fileSafeReviewerId('b@x.org')}.json`), 'utf8');
    const mine = join(decisionsDir(), `${fileSafeReviewerId('a@x.org')}.json`);
    writeFileSync(mine, theirs);
    const a = await open('a@x.org');
    expect(a.writable).toBe(false);
    expect(a.issues).toContainEqual(expect.objectContaining({ file: `screening/decisions/${fileSafeReviewerId('a@x.org')}.json`, severity: 'error', message: expect.stringMatching(/header names reviewer "b@x\.org", not you \("a@x\.org"\)/) }));
    await expect(a.decide(a.records[1].id, 'title-abstract', 'include')).rejects.toThrow(ReviewError);
    await expect(a.decide(a.records[1].id, 'title-abstract', 'include')).rejects.toThrow(/header names reviewer/);
    expect(readFileSync(mine, 'utf8')).toBe(theirs);
    // Readable, so reports still run: not an unreadable file.
    expect(a.unreadable).toEqual([]);
  });

  it('a header changed on disk after opening is caught before the next write', async () => {
    const a = await open('a@x.org');
    await a.decide(a.records[0].id, 'title-abstract', 'include');
    const path = join(decisionsDir(), `${fileSafeReviewerId('a@x.org')}.json`);
    const changed = readFileSync(path, 'utf8').replace('"reviewer":"a@x.org"', '"reviewer":"someone@else.org"');
    writeFileSync(path, changed);
    await expect(a.decide(a.records[1].id, 'title-abstract', 'include')).rejects.toThrow(/header names reviewer "someone@else\.org"/);
    expect(readFileSync(path, 'utf8')).toBe(changed);
  });

  describe('files named by the former scheme', () => {
    const line = (record: string, verdict: string, time: string) =>
      JSON.stringify({ record, stage: 'title-abstract', verdict, reason: verdict === 'exclude' ? 'Off topic' : null, note: null, time });
    const former = (name: string, reviewer: string, lines: string[]) =>
      writeFileSync(join(decisionsDir(), `${name}.json`), `{"format":"sr-screening-decisions","version":1,"reviewer":${JSON.stringify(reviewer)},"decisions":[\n${lines.join(',\n')}\n]}\n`);

    it("are read as their header's reviewer, merged into the new file on the next decision, and never written or deleted", async () => {
      const probe = await open('a@x.org');
      const [r0, r1, r2] = probe.records.map((record) => record.id).sort();
      const oldA = [line(r0, 'include', '2026-01-01T10:00:00.000Z'), line(r1, 'exclude', '2026-01-01T10:01:00.000Z')];
      former('a@x.org', 'a@x.org', oldA);
      former('b@x.org', 'b@x.org', [line(r0, 'exclude', '2026-01-02T10:00:00.000Z')]);
      const oldText = readFileSync(join(decisionsDir(), 'a@x.org.json'), 'utf8');

      const a = await open('a@x.org');
      // Both reviewers' old decisions count, each under its own reviewer: r0 is a conflict.
      expect(a.reviewers().map((key) => a.reviewerName(key)).sort()).toEqual(['a@x.org', 'b@x.org']);
      expect(a.decision(r0, 'title-abstract')?.verdict).toBe('include');
      expect(a.conflicts().map((conflict) => conflict.record)).toEqual([r0]);
      expect(a.issues).toContainEqual(expect.objectContaining({ file: 'screening/decisions/a@x.org.json', severity: 'info', message: expect.stringMatching(/former scheme/) }));
      expect(a.unreadable).toEqual([]);

      await a.decide(r2, 'title-abstract', 'include');
      const migrated = readEntryFile('decisions', readFileSync(join(decisionsDir(), `${fileSafeReviewerId('a@x.org')}.json`), 'utf8'));
      expect(migrated.status === 'ok' && migrated.entries.map((entry) => [entry.record, entry.verdict])).toEqual([
        [r0, 'include'],
        [r1, 'exclude'],
        [r2, 'include'],
      ]);
      // The old file is left as it was (a clone that has not pulled yet may still change it).
      expect(readFileSync(join(decisionsDir(), 'a@x.org.json'), 'utf8')).toBe(oldText);
      expect(existsSync(join(decisionsDir(), 'b@x.org.json'))).toBe(true);
    });

    it('a later decision in an old file (written by a clone on an older version) still wins', async () => {
      const probe = await open('a@x.org');
      const [r0] = probe.records.map((record) => record.id).sort();
      const a = await open('a@x.org');
      await a.decide(r0, 'title-abstract', 'include');
      former('a@x.org', 'a@x.org', [line(r0, 'exclude', '2099-01-01T00:00:00.000Z')]);
      await a.reload(join(decisionsDir(), 'a@x.org.json'));
      expect(a.decision(r0, 'title-abstract')?.verdict).toBe('exclude');
      const reopened = await open('a@x.org');
      expect(reopened.decision(r0, 'title-abstract')?.verdict).toBe('exclude');
      expect(reopened.reviewers()).toHaveLength(1);
    });
  });
});
