/** The methods-section report on a two-reviewer copy of the sample review, and its escaping. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeMarkdown, neutraliseCsvCell, terminalLine } from '../../../src/screening/export/neutralise';
import { methodsParagraph, reportHtml, reportInput, reportMarkdown } from '../../../src/screening/export/report';
import { Review } from '../../../src/screening/review';

const SEEDS = resolve(__dirname, '../../../seeds');
const noGit = async () => ({ code: 1, stdout: '', stderr: '' });
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-report-'));
  cpSync(SEEDS, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('methods report', () => {
  it('counts reviewers, agreement, conflicts resolved and by whom, and escapes what the review holds', async () => {
    const ann = await Review.load(dir, { reviewer: 'ann@example.org', git: noGit });
    const ids = ann.records.map((record) => record.id);
    await ann.saveConfig({ ...ann.config, title: '<script>alert(1)</script> *bold*' });
    await ann.decide(ids[0], 'title-abstract', 'include');
    await ann.decide(ids[1], 'title-abstract', 'include');
    await ann.decide(ids[2], 'title-abstract', 'exclude', 'Wrong population');
    await ann.flush();
    ann.dispose();
    const bob = await Review.load(dir, { reviewer: 'bob@example.org', git: noGit });
    await bob.decide(ids[0], 'title-abstract', 'include');
    await bob.decide(ids[1], 'title-abstract', 'exclude', 'Wrong population');
    await bob.decide(ids[2], 'title-abstract', 'exclude', 'Wrong population');
    await bob.resolve(ids[1], 'title-abstract', 'include');
    await bob.flush();
    const input = reportInput(bob, new Map([[bob.config.sources[0].file, '2026-01-02']]), new Date('2026-02-03T04:05:00Z'));
    const md = reportMarkdown(input);
    expect(md).toContain('| title/abstract | ann@example.org | 3 | 2 | 1 | 0 | 0 |');
    expect(md).toContain('| title/abstract | bob@example.org | 3 | 1 | 2 | 0 | 0 |');
    expect(md).toContain('1 disagreements, 1 resolved (1 by bob@example.org), 0 open.');
    expect(md).toContain('2026-01-02');
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\*');
    expect(md).toMatch(/!\[PRISMA 2020 flow diagram\]\(data:image\/svg\+xml;base64,/);
    // Agreement on 3 records: 2 of 3 agree, kappa (3 categories) = (2/3 − 4/9) / (1 − 4/9) = 0.4.
    expect(md).toContain('| title/abstract | ann@example.org / bob@example.org | 3 | 66.7 % | 0.40 |');
    expect(methodsParagraph(input)).toContain("independently in pairs (Cohen's kappa 0.40");
    const html = reportHtml(input);
    expect(html).not.toContain('<script>');
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<svg');
    bob.dispose();
  });

  it('neutralises CSV formulas, Markdown markup and terminal control characters', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'plain'].map(neutraliseCsvCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", 'plain']);
    expect(escapeMarkdown('# [link](javascript:x) | <b>&')).toBe('\\# \\[link\\](javascript:x) \\| &lt;b&gt;&amp;');
    expect(terminalLine('red \u001b[31mtext\u0007\nnext')).toBe('red  [31mtext  next');
  });
});
