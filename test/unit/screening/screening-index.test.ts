import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Review } from '../../../src/screening/review';
import { groupOf, pageRanges, ScreeningIndex } from '../../../src/screening/screening-index';
import type { StageStatus } from '../../../src/screening/status';
import { syntheticOutcome } from './helpers/synthetic';

const noGit = async () => ({ code: 1, stdout: '', stderr: '' });
const ids = (n: number) => Array.from({ length: n }, (_, i) => `ref:${String(i).padStart(6, '0')}`);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-index-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeReviewJson(reviewers: 1 | 2): void {
  mkdirSync(join(dir, 'screening'), { recursive: true });
  writeFileSync(
    join(dir, 'screening', 'review.json'),
    JSON.stringify({
      format: 'sr-screening-review',
      version: 1,
      sources: [{ file: 'search.ris', category: 'database', name: 'MEDLINE' }],
      stages: { 'title-abstract': { reviewers }, 'full-text': { reviewers } },
    }),
  );
}

function writeDecisions(reviewer: string, decisions: { record: string; verdict: string; reason?: string; stage?: string }[]): void {
  mkdirSync(join(dir, 'screening', 'decisions'), { recursive: true });
  const lines = decisions
    .map((d, i) => ({ record: d.record, stage: d.stage ?? 'title-abstract', verdict: d.verdict, reason: d.reason ?? null, note: null, time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }))
    .sort((a, b) => (a.record < b.record ? -1 : a.record > b.record ? 1 : a.stage === 'title-abstract' ? -1 : 1))
    .map((d) => JSON.stringify(d));
  writeFileSync(join(dir, 'screening', 'decisions', `${reviewer}.json`), `{"format":"sr-screening-decisions","version":1,"reviewer":"${reviewer}","decisions":[\n${lines.join(',\n')}\n]}\n`);
}

const stage = (state: StageStatus['state'], reviewers: string[] = [], reason?: string): StageStatus => ({
  stage: 'title-abstract',
  state,
  reason,
  needed: 2,
  decisions: reviewers.map((reviewer) => ({ reviewer, record: 'r', stage: 'title-abstract', verdict: 'include', reason: null, note: null, time: '' })),
});

describe('groupOf', () => {
  it('puts a record awaiting a second reviewer under Unscreened for the reviewer still needed', () => {
    expect(groupOf(stage('undecided'), 'me')).toEqual({ kind: 'unscreened' });
    expect(groupOf(stage('awaiting', ['other']), 'me')).toEqual({ kind: 'unscreened', othersAwaiting: true });
    expect(groupOf(stage('awaiting', ['me']), 'me')).toEqual({ kind: 'awaiting' });
    expect(groupOf(stage('conflict', ['me', 'other']), 'me')).toEqual({ kind: 'conflicts' });
    expect(groupOf(stage('excluded', ['me'], ' Wrong population '), 'me')).toEqual({ kind: 'excluded', reason: 'Wrong population' });
    expect(groupOf(stage('excluded', ['me']), 'me')).toEqual({ kind: 'excluded', reason: '' });
    expect(groupOf(stage('not-applicable'), 'me')).toBeUndefined();
  });
});

describe('ScreeningIndex', () => {
  it('counts, for a reviewer who has not decided them (an adjudicator), the records waiting for a second reviewer', async () => {
    writeReviewJson(2);
    const all = ids(10);
    writeDecisions('a', [
      { record: all[0], verdict: 'include' },
      { record: all[1], verdict: 'exclude' },
      { record: all[2], verdict: 'include' },
    ]);
    writeDecisions('b', [
      { record: all[2], verdict: 'include' },
      { record: all[3], verdict: 'maybe' },
    ]);
    const adjudicator = await Review.load(dir, { reviewer: 'c', git: noGit, outcome: syntheticOutcome(all) });
    const index = ScreeningIndex.buildSync(adjudicator);
    // 0, 1 (a only) and 3 (b only) wait for a second reviewer; 2 is agreed.
    expect(index.titleAbstract.size({ kind: 'awaiting' })).toBe(0);
    expect(index.titleAbstract.awaitingOthers).toBe(3);
    adjudicator.onDidChange((change) => {
      if (change.kind === 'decisions') index.update(change.records);
    });
    await adjudicator.decide(all[0], 'title-abstract', 'include');
    expect(index.titleAbstract.awaitingOthers).toBe(2);
    const a = await Review.load(dir, { reviewer: 'a', git: noGit, outcome: syntheticOutcome(all) });
    expect(ScreeningIndex.buildSync(a).titleAbstract.size({ kind: 'awaiting' })).toBe(1); // 1: a decided, waits
    expect(ScreeningIndex.buildSync(a).titleAbstract.awaitingOthers).toBe(1); // 3: b decided, waits for a
    adjudicator.dispose();
    a.dispose();
  });

  it('groups the records of both stages and follows decisions incrementally', async () => {
    writeReviewJson(1);
    const all = ids(10);
    const review = await Review.load(dir, { reviewer: 'me', git: noGit, outcome: syntheticOutcome(all) });
    const index = await ScreeningIndex.build(review, { sliceMs: 0 });
    expect(index).toBeDefined();
    const ta = index!.titleAbstract;
    expect(ta.total).toBe(10);
    expect(ta.members({ kind: 'unscreened' })).toHaveLength(10);
    expect(index!.fullText.total).toBe(0);

    review.onDidChange((change) => {
      if (change.kind === 'decisions') index!.update(change.records);
    });
    await review.decide(all[2], 'title-abstract', 'include');
    await review.decide(all[5], 'title-abstract', 'exclude', 'Wrong population');
    await review.decide(all[7], 'title-abstract', 'exclude', 'Off topic');
    await review.decide(all[8], 'title-abstract', 'exclude', 'Wrong population');
    await review.decide(all[9], 'title-abstract', 'maybe');
    expect(ta.members({ kind: 'unscreened' }).map((p) => index!.idAt(p))).toEqual([all[0], all[1], all[3], all[4], all[6]]);
    expect(ta.members({ kind: 'included' })).toEqual([2]);
    expect(ta.members({ kind: 'excluded' })).toEqual([5, 7, 8]);
    expect(ta.members({ kind: 'excluded', reason: 'Wrong population' })).toEqual([5, 8]);
    expect(ta.exclusionReasons()).toEqual(
      expect.arrayContaining([
        { reason: 'Wrong population', count: 2 },
        { reason: 'Off topic', count: 1 },
      ]),
    );
    expect(ta.members({ kind: 'maybe' })).toEqual([9]);
    // Full text opens for the included record.
    expect(index!.fullText.members({ kind: 'unscreened' })).toEqual([2]);
    // Navigation: next unscreened after 4 is 6; after 6 wraps to 0; previous of 0 wraps to 6.
    expect(ta.step({ kind: 'unscreened' }, 4, 1)).toBe(6);
    expect(ta.step({ kind: 'unscreened' }, 6, 1)).toBe(0);
    expect(ta.step({ kind: 'unscreened' }, 6, 1, false)).toBeUndefined();
    expect(ta.step({ kind: 'unscreened' }, 0, -1)).toBe(6);
    expect(ta.indexInGroup(8)).toBe(1);

    // Undo brings the record back; a reason change moves it between reasons.
    await review.undo();
    expect(ta.members({ kind: 'maybe' })).toEqual([]);
    expect(ta.members({ kind: 'unscreened' })).toContain(9);
    await review.decide(all[8], 'title-abstract', 'exclude', 'Off topic');
    expect(ta.members({ kind: 'excluded', reason: 'Wrong population' })).toEqual([5]);
    expect(ta.members({ kind: 'excluded', reason: 'Off topic' })).toEqual([7, 8]);
    await review.decide(all[5], 'title-abstract', 'include');
    expect(ta.exclusionReasons()).toEqual([{ reason: 'Off topic', count: 2 }]);
    review.dispose();
  });

  it('shows awaiting and conflicts with two reviewers', async () => {
    writeReviewJson(2);
    const all = ids(6);
    writeDecisions('other', [
      { record: all[0], verdict: 'include' },
      { record: all[1], verdict: 'exclude', reason: 'Off topic' },
    ]);
    writeDecisions('me', [
      { record: all[1], verdict: 'include' },
      { record: all[2], verdict: 'include' },
    ]);
    const review = await Review.load(dir, { reviewer: 'me', git: noGit, outcome: syntheticOutcome(all) });
    const index = ScreeningIndex.buildSync(review);
    const ta = index.titleAbstract;
    expect(ta.members({ kind: 'unscreened' })).toEqual([0, 3, 4, 5]);
    expect(ta.members({ kind: 'conflicts' })).toEqual([1]);
    expect(ta.members({ kind: 'awaiting' })).toEqual([2]);
    review.dispose();
  });

  it('filters every group, and steps within the filter', async () => {
    writeReviewJson(1);
    const all = ids(8);
    const review = await Review.load(dir, { reviewer: 'me', git: noGit, outcome: syntheticOutcome(all) });
    const index = ScreeningIndex.buildSync(review);
    index.setFilter(new Set([all[1], all[4], all[6], 'not-a-record']));
    expect(index.visibleCount).toBe(3);
    const ta = index.titleAbstract;
    expect(ta.members({ kind: 'unscreened' })).toEqual([1, 4, 6]);
    expect(ta.stepApplicable(1, 1)).toBe(4);
    expect(ta.stepApplicable(6, 1)).toBeUndefined();
    expect(ta.step({ kind: 'unscreened' }, 6, 1)).toBe(1);
    review.onDidChange((change) => change.kind === 'decisions' && index.update(change.records));
    await review.decide(all[4], 'title-abstract', 'include');
    expect(ta.members({ kind: 'unscreened' })).toEqual([1, 6]);
    expect(ta.members({ kind: 'included' })).toEqual([4]);
    index.setFilter(undefined);
    expect(ta.members({ kind: 'unscreened' })).toHaveLength(7);
    review.dispose();
  });

  it('builds 50,000 records in slices that yield, and updates one in well under a millisecond', async () => {
    writeReviewJson(1);
    const all = ids(50_000);
    const review = await Review.load(dir, { reviewer: 'me', git: noGit, outcome: syntheticOutcome(all) });
    let yields = 0;
    let longest = 0;
    let last = performance.now();
    const started = performance.now();
    const index = await ScreeningIndex.build(review, {
      sliceMs: 8,
      yieldFn: async () => {
        longest = Math.max(longest, performance.now() - last);
        yields++;
        await new Promise((resolve) => setImmediate(resolve));
        last = performance.now();
      },
    });
    const total = performance.now() - started;
    expect(index!.titleAbstract.members({ kind: 'unscreened' })).toHaveLength(50_000);
    // Structure, not wall time (shared, noisy machines): the build was handed to the event loop in many
    // slices of about 8 ms; the real VS Code figures come from `npm run bench:workbench`.
    expect(yields).toBeGreaterThan(3);
    review.onDidChange((change) => change.kind === 'decisions' && index!.update(change.records));
    const before = performance.now();
    void review.decide(all[25_000], 'title-abstract', 'include');
    const step = performance.now() - before;
    expect(index!.titleAbstract.members({ kind: 'included' })).toEqual([25_000]);
    expect(index!.titleAbstract.step({ kind: 'unscreened' }, 24_999, 1)).toBe(25_001);
    console.log(`index of 50,000 records: ${total.toFixed(0)} ms in ${yields + 1} slices (longest ${longest.toFixed(1)} ms); one decision ${step.toFixed(2)} ms`);
    await review.flush();
    review.dispose();
  });

  it('cuts long lists into pages', () => {
    expect(pageRanges(0, 500)).toEqual([]);
    expect(pageRanges(500, 500)).toEqual([[0, 500]]);
    expect(pageRanges(1201, 500)).toEqual([
      [0, 500],
      [500, 1000],
      [1000, 1201],
    ]);
  });
});
