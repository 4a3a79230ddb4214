/** Quotes from PDFs as evidence: their form in the note, and where a second reviewer and an adjudicator see them. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { conflictsCommand } from '../../../src/cli/conflicts';
import { formatQuote } from '../../../src/screening/fulltext/quote';
import { Review } from '../../../src/screening/review';
import { SEEDS_DIR } from '../helpers/corpus';

const noGit = async () => ({ code: 1, stdout: '', stderr: '' });

describe('formatQuote', () => {
  it('keeps the page and the text, white space collapsed, long quotes cut', () => {
    expect(formatQuote('  Integrated care\n models   were  described. ', 3)).toBe('p. 3: “Integrated care models were described.”');
    expect(formatQuote('   ', 1)).toBeUndefined();
    expect(formatQuote('text', 0)).toBeUndefined();
    const long = formatQuote('x'.repeat(5000), 2)!;
    expect(long.length).toBeLessThan(1015);
    expect(long.endsWith('…”')).toBe(true);
  });
});

describe('a quote attached to a decision', () => {
  let dir: string;
  let out = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sr-quote-'));
    cpSync(SEEDS_DIR, dir, { recursive: true });
    out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stays in its reviewer’s decisions file and shows in the conflicts list', async () => {
    const ann = await Review.load(dir, { reviewer: 'ann@x.org', git: noGit });
    const record = ann.records[0].id;
    await ann.decide(record, 'title-abstract', 'include', null, formatQuote('randomised controlled trial of integrated care', 2));
    await ann.flush();
    const bob = await Review.load(dir, { reviewer: 'bob@x.org', git: noGit });
    await bob.decide(record, 'title-abstract', 'exclude', 'Wrong study design');
    await bob.flush();
    expect(bob.decisions('bob@x.org').every((decision) => decision.note === null)).toBe(true);
    expect(await conflictsCommand.run([dir])).toBe(1);
    expect(out).toContain('ann@x.org: include [p. 2: “randomised controlled trial of integrated care”]; bob@x.org: exclude (Wrong study design)');
  });
});
