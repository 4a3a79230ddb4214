import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/screening/decision';
import { readEntryFile, serialiseEntryFile } from '../../../src/screening/entry-file';
import { keyed, mergeEntries, mergeFileTexts } from '../../../src/screening/merge';

const d = (record: string, verdict: Decision['verdict'], second: number, stage: Decision['stage'] = 'title-abstract'): Decision => ({
  record,
  stage,
  verdict,
  reason: null,
  note: null,
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
});

const file = (...decisions: Decision[]) => serialiseEntryFile('decisions', { reviewer: 'a@x.org' }, decisions);

const verdicts = (text: string) => {
  const read = readEntryFile('decisions', text);
  if (read.status !== 'ok') throw new Error(`not ok: ${JSON.stringify(read)}`);
  return Object.fromEntries(read.entries.map((entry) => [`${entry.record}/${entry.stage}`, entry.verdict]));
};

describe('three-way merge by record and stage', () => {
  it('takes the side that changed, the later time when both changed, and keeps additions from both', () => {
    const base = keyed([d('r1', 'include', 1), d('r2', 'include', 1), d('r3', 'include', 1), d('r4', 'include', 1)]);
    const ours = keyed([d('r1', 'exclude', 5), d('r2', 'include', 1), d('r3', 'exclude', 3), d('r4', 'include', 1), d('r5', 'include', 2)]);
    const theirs = keyed([d('r1', 'include', 1), d('r2', 'maybe', 4), d('r3', 'maybe', 4), d('r6', 'exclude', 2)]);
    const merged = mergeEntries('decisions', base, ours, theirs);
    const out = Object.fromEntries([...merged.values()].map((entry) => [entry.record, entry.verdict]));
    // r1: only ours changed; r2: only theirs; r3: both, theirs later; r4: theirs deleted (ours unchanged); r5, r6 added.
    expect(out).toEqual({ r1: 'exclude', r2: 'maybe', r3: 'maybe', r5: 'include', r6: 'exclude' });
  });

  it('keeps a change over a deletion on the other side', () => {
    const base = keyed([d('r1', 'include', 1)]);
    const merged = mergeEntries('decisions', base, keyed([d('r1', 'exclude', 2)]), keyed([]));
    expect([...merged.values()].map((entry) => entry.verdict)).toEqual(['exclude']);
  });

  it('without a base keeps everything from both sides', () => {
    const merged = mergeEntries('decisions', undefined, keyed([d('r1', 'include', 1), d('r2', 'include', 3)]), keyed([d('r2', 'exclude', 2), d('r3', 'maybe', 1)]));
    const out = Object.fromEntries([...merged.values()].map((entry) => [entry.record, entry.verdict]));
    expect(out).toEqual({ r1: 'include', r2: 'include', r3: 'maybe' });
  });

  it('is symmetric: both machines reach the same file', () => {
    const base = file(d('r1', 'include', 1));
    const a = file(d('r1', 'exclude', 2), d('r2', 'include', 2));
    const b = file(d('r1', 'maybe', 2), d('r3', 'include', 2)); // same time: settled by line text
    const ab = mergeFileTexts(base, a, b);
    const ba = mergeFileTexts(base, b, a);
    expect(ab.ok && ba.ok).toBe(true);
    if (ab.ok && ba.ok) expect(ab.text).toBe(ba.text);
  });
});

describe('the merge driver text merge', () => {
  it('merges %O %A %B decision by decision', () => {
    const base = file(d('r1', 'include', 1));
    const ours = file(d('r1', 'include', 1), d('r2', 'exclude', 2), d('r3', 'include', 2));
    const theirs = file(d('r1', 'exclude', 3), d('r3', 'maybe', 4), d('r4', 'include', 3, 'full-text'));
    const result = mergeFileTexts(base, ours, theirs);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(verdicts(result.text)).toEqual({
      'r1/title-abstract': 'exclude',
      'r2/title-abstract': 'exclude',
      'r3/title-abstract': 'maybe',
      'r4/full-text': 'include',
    });
    expect(result.text.split('\n')[0]).toBe('{"format":"sr-screening-decisions","version":1,"reviewer":"a@x.org","decisions":[');
  });

  it('handles a file added on both sides (no base)', () => {
    const result = mergeFileTexts(undefined, file(d('r1', 'include', 1)), file(d('r2', 'include', 1)));
    expect(result.ok && verdicts(result.text)).toEqual({ 'r1/title-abstract': 'include', 'r2/title-abstract': 'include' });
  });

  it('recovers an OURS that already holds conflict markers', () => {
    const conflicted =
      '{"format":"sr-screening-decisions","version":1,"reviewer":"a@x.org","decisions":[\n' +
      '<<<<<<< HEAD\n' +
      '{"record":"r1","stage":"title-abstract","verdict":"include","reason":null,"note":null,"time":"2026-01-01T00:00:05.000Z"}\n' +
      '=======\n' +
      '{"record":"r1","stage":"title-abstract","verdict":"exclude","reason":null,"note":null,"time":"2026-01-01T00:00:02.000Z"},\n' +
      '{"record":"r2","stage":"title-abstract","verdict":"exclude","reason":null,"note":null,"time":"2026-01-01T00:00:02.000Z"}\n' +
      '>>>>>>> theirs\n' +
      ']}\n';
    const result = mergeFileTexts(file(), conflicted, file(d('r3', 'maybe', 1)));
    expect(result.ok && verdicts(result.text)).toEqual({ 'r1/title-abstract': 'include', 'r2/title-abstract': 'exclude', 'r3/title-abstract': 'maybe' });
  });

  it('refuses unreadable and newer versions (git then reports a conflict)', () => {
    expect(mergeFileTexts(file(), '{"format":"sr-screening-decisions", broken', file()).ok).toBe(false);
    const newer = '{"format":"sr-screening-decisions","version":9,"reviewer":"a","decisions":[\n]}\n';
    const result = mergeFileTexts(file(), file(), newer);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/newer/);
  });

  it('merges resolutions files too', () => {
    const r = (record: string, verdict: Decision['verdict'], second: number) => ({ ...d(record, verdict, second), by: 'c@x.org' });
    const base = serialiseEntryFile('resolutions', {}, []);
    const ours = serialiseEntryFile('resolutions', {}, [r('r1', 'include', 1)]);
    const theirs = serialiseEntryFile('resolutions', {}, [r('r2', 'exclude', 1)]);
    const result = mergeFileTexts(base, ours, theirs);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.kind).toBe('resolutions');
    const read = readEntryFile('resolutions', result.text);
    expect(read.status === 'ok' && read.entries.map((entry) => entry.record)).toEqual(['r1', 'r2']);
  });
});
