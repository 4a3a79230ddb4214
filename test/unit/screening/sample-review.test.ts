/**
 * The sample review that `npm start` and "Open the Sample Review" make from seeds/: screening-ready
 * (sources with their PRISMA categories, terms, reasons, the workspace setting that opens the reader),
 * kept between starts with its decisions, and set aside, never deleted, when started afresh.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Review, REVIEW_FILE } from '../../../src/screening/review';
import { readReviewConfig } from '../../../src/screening/review-config';
import { prepareSampleReview, SAMPLE_KEYWORDS, SAMPLE_TITLE, setAsideSampleReview } from '../../../src/screening/sample-review';

const SEEDS = resolve(__dirname, '../../../seeds');
const noGit = async () => ({ code: 1, stdout: '', stderr: '' });

describe('the sample review', () => {
  let scratch: string;
  let target: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'sr-sample-'));
    target = join(scratch, 'seeds');
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('is made screening-ready: the five seeds as sources with their PRISMA categories, terms and reasons', async () => {
    await prepareSampleReview(SEEDS, target);
    expect(readdirSync(target).filter((name) => name.endsWith('.txt')).sort()).toEqual(readdirSync(SEEDS).sort());
    for (const name of readdirSync(SEEDS)) expect(readFileSync(join(target, name))).toEqual(readFileSync(join(SEEDS, name)));
    const read = readReviewConfig(readFileSync(join(target, REVIEW_FILE), 'utf8'));
    if (!read.ok) throw new Error(read.message);
    const config = read.config;
    expect(config.title).toBe(SAMPLE_TITLE);
    expect(config.keywords).toEqual(SAMPLE_KEYWORDS);
    expect(config.sources.map((source) => [source.file, source.category, source.name])).toEqual([
      ['000_5ac076b1b50789ed.txt', 'database', 'PubMed'],
      ['001_86ab03fc405a49da.txt', 'database', 'CORD-19'],
      ['003_dc436e7f8f4458aa.txt', 'database', 'Database export (RIS)'],
      ['002_f4066c9c8d01d0c3.txt', 'organisation', 'NHS England'],
      ['004_162abf6513c8e8a2.txt', 'organisation', "The King's Fund"],
    ]);
    expect(config.stages['title-abstract'].reasons).toContain('Not serious mental illness');
    expect(config.stages['full-text'].reasonRequired).toBe(true);
    expect(JSON.parse(readFileSync(join(target, '.vscode', 'settings.json'), 'utf8'))).toEqual({ 'screening.openOnStartup': true });

    // PRISMA's identification boxes follow the categories: three databases, two organisations.
    const review = await Review.load(target, { reviewer: 'newcomer', git: noGit });
    try {
      expect(review.configExists).toBe(true);
      expect(review.records).toHaveLength(5);
      const counts = review.counts();
      expect(counts.database_results).toBe(3);
      expect(counts.database_specific_results).toEqual([
        { name: 'PubMed', n: 1 },
        { name: 'CORD-19', n: 1 },
        { name: 'Database export (RIS)', n: 1 },
      ]);
      expect(counts.organisation_results).toBe(2);
      expect(counts.website_results).toBe(0);
    } finally {
      review.dispose();
    }
  });

  it('keeps what an earlier start left: decisions and an edited review.json', async () => {
    await prepareSampleReview(SEEDS, target);
    const review = await Review.load(target, { reviewer: 'newcomer', git: noGit });
    const first = review.records[0]!.id;
    try {
      await review.decide(first, 'title-abstract', 'include');
    } finally {
      review.dispose();
    }
    const edited = readFileSync(join(target, REVIEW_FILE), 'utf8').replace(SAMPLE_TITLE, 'My own title');
    writeFileSync(join(target, REVIEW_FILE), edited);

    await prepareSampleReview(SEEDS, target);
    expect(readFileSync(join(target, REVIEW_FILE), 'utf8')).toBe(edited);
    const again = await Review.load(target, { reviewer: 'newcomer', git: noGit });
    try {
      expect(again.decisions().map((decision) => [decision.record, decision.verdict])).toEqual([[first, 'include']]);
    } finally {
      again.dispose();
    }
  });

  it('started afresh, sets the old folder aside with its decisions and makes a new one', async () => {
    expect(await setAsideSampleReview(target)).toBeUndefined();
    await prepareSampleReview(SEEDS, target);
    writeFileSync(join(target, 'screening', 'decisions-marker'), 'kept');
    const aside = await setAsideSampleReview(target, new Date('2026-12-07T10:11:12.345Z'));
    expect(aside).toBe(`${target}-2026-12-07T10-11-12-345Z`);
    expect(readFileSync(join(aside!, 'screening', 'decisions-marker'), 'utf8')).toBe('kept');
    expect(existsSync(target)).toBe(false);
    await prepareSampleReview(SEEDS, target);
    expect(existsSync(join(target, REVIEW_FILE))).toBe(true);
    expect(existsSync(join(target, 'screening', 'decisions-marker'))).toBe(false);
  });
});
