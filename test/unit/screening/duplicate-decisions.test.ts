/**
 * The team's duplicate decisions (screening/duplicates.json): they override the automatic result,
 * PRISMA's duplicates follow them, and a decision on a record that becomes a duplicate is kept.
 * The review is two overlapping exports (test/fixtures/duplicates): one duplicate the rules find,
 * two possible duplicates (pages disagree), an erratum that is never merged.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDuplicateDecisions, serialiseDuplicateDecisions, type DuplicateDecision } from '../../../src/screening/duplicate-decisions';
import { DUPLICATES_FILE, Review, ReviewError } from '../../../src/screening/review';
import { fileSafeReviewerId } from '../../../src/screening/reviewer';

const FIXTURE = resolve(__dirname, '../../fixtures/duplicates');
const noGit = async () => ({ code: 1, stdout: '', stderr: '' });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-duplicates-'));
  cpSync(FIXTURE, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (reviewer = 'ann@example.org') => Review.load(dir, { reviewer, git: noGit });
const byTitle = (review: Review, start: string) => {
  const found = [...review.records, ...review.duplicates].filter((r) => r.title.toLowerCase().startsWith(start.toLowerCase()));
  return found.sort((a, b) => a.provenance.file.localeCompare(b.provenance.file) || a.provenance.index - b.provenance.index);
};

describe('duplicate decisions', () => {
  it('finds the duplicate, queues the possible one and keeps the erratum apart', async () => {
    const review = await open();
    expect(review.duplicates.map((d) => d.title.toLowerCase())).toEqual(['exercise therapy for depression in older adults: a randomised controlled trial']);
    expect(review.record(review.duplicates[0].duplicateOf)?.provenance.file).toBe('embase-2026.ris');
    expect(review.possibleDuplicates).toHaveLength(2);
    // In import order: the insomnia trial's two exports first.
    const [pair] = review.possibleDuplicates;
    expect([review.record(pair.a)?.title, review.record(pair.b)?.title]).toEqual([
      'Cognitive behavioural therapy for insomnia in primary care: a pragmatic trial',
      'Cognitive behavioural therapy for insomnia in primary care: a pragmatic trial',
    ]);
    expect(pair.comparison.fields.pages).toBe('different');
    expect(review.records.some((r) => r.title.startsWith('Erratum:'))).toBe(true);
    expect(review.counts().duplicates).toBe(1);
  });

  it('confirming a possible duplicate merges it, on disk one line per pair, and PRISMA follows', async () => {
    const review = await open();
    const [pair] = review.possibleDuplicates;
    await review.decideDuplicate(pair.a, pair.b, 'duplicate');
    expect(review.possibleDuplicates.map((p) => review.record(p.a)?.title)).toEqual(['Telephone follow-up after hospital discharge for heart failure']);
    expect(review.duplicates).toHaveLength(2);
    expect(review.duplicate(pair.b)?.duplicateOf).toBe(pair.a);
    expect(review.duplicate(pair.b)?.duplicateReason).toBe('decision');
    expect(review.counts().duplicates).toBe(2);
    const text = readFileSync(join(dir, DUPLICATES_FILE), 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('{"format":"sr-screening-duplicates","version":1,"duplicates":[');
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[1])).toMatchObject({ verdict: 'duplicate', keep: null, by: 'ann@example.org' });
    // Another window or a colleague's clone reads the same.
    const again = await open('ben@example.org');
    expect(again.duplicates).toHaveLength(2);
    expect(again.counts().duplicates).toBe(2);
  });

  it('rejecting an automatic duplicate brings the record back for screening', async () => {
    const review = await open();
    const [duplicate] = review.duplicates;
    await review.decideDuplicate(duplicate.duplicateOf, duplicate.id, 'distinct');
    expect(review.duplicates).toEqual([]);
    expect(review.record(duplicate.id)).toBeDefined();
    expect(review.counts().duplicates).toBe(0);
    // Rejected pairs are not queued again.
    expect(review.possibleDuplicates.some((p) => [p.a, p.b].includes(duplicate.id))).toBe(false);
  });

  it('keeps the record the reviewer picks', async () => {
    const review = await open();
    const [pair] = review.possibleDuplicates;
    await review.decideDuplicate(pair.a, pair.b, 'duplicate', pair.b);
    expect(review.record(pair.b)).toBeDefined();
    expect(review.duplicate(pair.a)?.duplicateOf).toBe(pair.b);
  });

  it('marks any two records as duplicates by hand, even ones the rules call distinct', async () => {
    const review = await open();
    const [heart] = byTitle(review, 'Telephone follow-up');
    const [mindfulness] = byTitle(review, 'Mindfulness for carers');
    await review.decideDuplicate(heart.id, mindfulness.id, 'duplicate');
    // The earlier imported (embase-2026.ris) is kept.
    expect(review.duplicate(heart.id)?.duplicateOf).toBe(mindfulness.id);
    await expect(review.decideDuplicate(heart.id, heart.id, 'duplicate')).rejects.toThrow(ReviewError);
    await expect(review.decideDuplicate(heart.id, 'doi:10.9/none', 'duplicate')).rejects.toThrow(/Unknown record/);
  });

  it('keeps and shows a decision recorded on a record that becomes a duplicate', async () => {
    const review = await open();
    const [pair] = review.possibleDuplicates;
    await review.decide(pair.b, 'title-abstract', 'include', null, 'second export');
    await review.decideDuplicate(pair.a, pair.b, 'duplicate');
    expect(review.record(pair.b)).toBeUndefined();
    expect(review.decisionsOnDuplicate(pair.b)).toMatchObject([{ record: pair.b, verdict: 'include', note: 'second export' }]);
    const file = readFileSync(join(dir, 'screening', 'decisions', `${fileSafeReviewerId('ann@example.org')}.json`), 'utf8');
    expect(file).toContain(`"record":${JSON.stringify(pair.b)}`);
    // Undoing the merge gives the record back with its decision.
    await review.decideDuplicate(pair.a, pair.b, 'distinct');
    expect(review.status(pair.b).titleAbstract.state).not.toBe('pending');
  });

  it('merges a decision written elsewhere before saving, and reloads changes made outside', async () => {
    const review = await open();
    const [pair] = review.possibleDuplicates;
    const [duplicate] = review.duplicates;
    const outside: DuplicateDecision = { records: [duplicate.duplicateOf, duplicate.id], verdict: 'distinct', keep: null, by: 'ben@example.org', time: '2026-01-01T00:00:00.000Z' };
    mkdirSync(join(dir, 'screening'));
    writeFileSync(join(dir, DUPLICATES_FILE), serialiseDuplicateDecisions([outside]));
    await review.reload(DUPLICATES_FILE);
    expect(review.duplicates).toEqual([]);
    await review.decideDuplicate(pair.a, pair.b, 'duplicate');
    const read = readDuplicateDecisions(readFileSync(join(dir, DUPLICATES_FILE), 'utf8'));
    expect(read.status === 'ok' && read.decisions.map((d) => d.verdict).sort()).toEqual(['distinct', 'duplicate']);
  });

  it('reports a broken file with its line, uses none of it and never overwrites it', async () => {
    const broken = '{"format":"sr-screening-duplicates","version":1,"duplicates":[\n{"records":["a"],"verdict":"duplicate","keep":null,"by":"x","time":"2026-01-01T00:00:00Z"}\n]}\n';
    mkdirSync(join(dir, 'screening'));
    writeFileSync(join(dir, DUPLICATES_FILE), broken);
    const review = await open();
    expect(review.issues).toMatchObject([{ file: DUPLICATES_FILE, line: 2, severity: 'error' }]);
    const [pair] = review.possibleDuplicates;
    await expect(review.decideDuplicate(pair.a, pair.b, 'duplicate')).rejects.toThrow(ReviewError);
    expect(readFileSync(join(dir, DUPLICATES_FILE), 'utf8')).toBe(broken);
  });

  it('reads both sides of a git conflict, the later decision about a pair winning', () => {
    const line = (verdict: string, time: string) => JSON.stringify({ records: ['a', 'b'], verdict, keep: null, by: 'x', time });
    const text = `{"format":"sr-screening-duplicates","version":1,"duplicates":[\n<<<<<<< ours\n${line('duplicate', '2026-01-01T00:00:00Z')}\n=======\n${line('distinct', '2026-01-02T00:00:00Z')}\n>>>>>>> theirs\n]}\n`;
    const read = readDuplicateDecisions(text);
    expect(read.status).toBe('conflicted');
    expect(read.status !== 'invalid' && read.decisions.map((d) => d.verdict)).toEqual(['distinct']);
  });
});
