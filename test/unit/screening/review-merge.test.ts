/**
 * screening/review.json merges like the decisions files: the three-way merge, the recovery of a
 * file holding git conflict markers, the merge driver through real git (two clones and a bare
 * remote), and the Review never writing review.json while it could not read it.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, readReviewConfig, serialiseReviewConfig, type ReviewConfig } from '../../../src/screening/review-config';
import { mergeReviewConfigs, mergeReviewTexts, readReviewText } from '../../../src/screening/review-merge';
import { Review, ReviewError } from '../../../src/screening/review';
import { withReason } from '../../../src/screening/source-catalogue';
import { bundleCli, configureDriver, Git } from './helpers/git';

const SEEDS = resolve(__dirname, '../../../seeds');

/** The team's review.json: two reviewers at both stages, one keyword, two sources. */
function teamConfig(): ReviewConfig {
  const config = defaultConfig([
    { file: 'a.ris', category: 'database', name: 'MEDLINE' },
    { file: 'b.ris', category: 'database', name: 'Embase' },
  ]);
  config.stages['title-abstract'].reviewers = 2;
  config.stages['full-text'].reviewers = 2;
  config.keywords.include = ['diabetes'];
  return config;
}

const withStage = (config: ReviewConfig, stage: 'title-abstract' | 'full-text', change: Partial<ReviewConfig['stages']['title-abstract']>): ReviewConfig => ({
  ...config,
  stages: { ...config.stages, [stage]: { ...config.stages[stage], ...change } },
});

/** `text` with its first line holding `needle` replaced by a git conflict (diff3 style when `base` is given). */
function conflictAt(text: string, needle: string, ours: string[], theirs: string[], base?: string[]): string {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.includes(needle));
  const indent = /^ */.exec(lines[at])![0];
  const block = (list: string[]) => list.map((line) => `${indent}${line}`);
  lines.splice(at, 1, '<<<<<<< HEAD', ...block(ours), ...(base ? ['||||||| base', ...block(base)] : []), '=======', ...block(theirs), '>>>>>>> origin/main');
  return lines.join('\n');
}

describe('three-way merge of review.json', () => {
  it('unites the reasons both sides added and keeps the settings neither changed', () => {
    const base = teamConfig();
    const ours = withReason(base, 'title-abstract', 'Animal study');
    const theirs = withReason(base, 'title-abstract', 'Conference abstract');
    const merged = mergeReviewConfigs(base, ours, theirs);
    expect(merged.conflicts).toEqual([]);
    expect(merged.config.stages['title-abstract'].reasons.slice(-2)).toEqual(['Animal study', 'Conference abstract']);
    expect(merged.config.stages['title-abstract'].reviewers).toBe(2);
    expect(merged.config.stages['full-text'].reviewers).toBe(2);
    expect(merged.config.keywords.include).toEqual(['diabetes']);
  });

  it('unites sources and keywords, honours a removal on one side and keeps a change over a removal', () => {
    const base = teamConfig();
    const ours: ReviewConfig = {
      ...base,
      sources: [...base.sources.filter((s) => s.file !== 'b.ris'), { file: 'c.ris', category: 'register', name: 'CENTRAL' }],
      keywords: { include: ['diabetes', 'insulin'], exclude: [] },
    };
    const theirs: ReviewConfig = {
      ...base,
      sources: [{ file: 'a.ris', category: 'database', name: 'PubMed' }, base.sources[1], { file: 'web.txt', category: 'website' }],
      keywords: { include: [], exclude: ['rat*'] },
    };
    const merged = mergeReviewConfigs(base, ours, theirs);
    expect(merged.conflicts).toEqual([]);
    // b.ris removed by ours and untouched by theirs: gone. a.ris renamed by theirs only: renamed.
    expect(merged.config.sources).toEqual([
      { file: 'a.ris', category: 'database', name: 'PubMed' },
      { file: 'c.ris', category: 'register', name: 'CENTRAL' },
      { file: 'web.txt', category: 'website' },
    ]);
    // "diabetes" removed by theirs, kept unchanged by ours: removed; additions on both sides kept.
    expect(merged.config.keywords).toEqual({ include: ['insulin'], exclude: ['rat*'] });

    const changedVsRemoved = mergeReviewConfigs(base, { ...base, sources: [base.sources[0]] }, { ...base, sources: [base.sources[0], { ...base.sources[1], name: 'Embase.com' }] });
    expect(changedVsRemoved.config.sources.map((s) => s.name)).toEqual(['MEDLINE', 'Embase.com']);
  });

  it('takes a setting changed on one side and reports one changed differently on both', () => {
    const base = teamConfig();
    const oneSide = mergeReviewConfigs(base, withStage(base, 'full-text', { reasonRequired: false }), base);
    expect(oneSide.conflicts).toEqual([]);
    expect(oneSide.config.stages['full-text'].reasonRequired).toBe(false);

    const both = mergeReviewConfigs(base, withStage(base, 'title-abstract', { reviewers: 1 }), { ...withStage(base, 'title-abstract', { reviewers: 2, reasonRequired: true }), title: 'T' });
    // Each side changed different settings: both changes are taken.
    expect(both.conflicts).toEqual([]);
    expect(both.config.stages['title-abstract']).toMatchObject({ reviewers: 1, reasonRequired: true });
    expect(both.config.title).toBe('T');
    const clash = mergeReviewConfigs(
      { ...base, title: 'Old' },
      { ...withStage(base, 'title-abstract', { reviewers: 1 }), title: 'Ours' },
      { ...base, title: 'Theirs', sources: [{ ...base.sources[0], category: 'register' }, base.sources[1]] },
    );
    expect(clash.conflicts).toEqual([{ setting: 'title', ours: 'Ours', theirs: 'Theirs' }]);
    expect(clash.config.title).toBe('Ours');
    expect(clash.theirsConfig.title).toBe('Theirs');
    expect(clash.config.stages['title-abstract'].reviewers).toBe(1);
    expect(clash.config.sources[0].category).toBe('register');
  });

  it('without a base unites everything and reports every setting that differs', () => {
    const a = withReason(teamConfig(), 'full-text', 'No full text in English');
    const b = withStage(withReason(teamConfig(), 'full-text', 'Retracted'), 'full-text', { reviewers: 1 });
    const merged = mergeReviewConfigs(undefined, a, b);
    expect(merged.config.stages['full-text'].reasons.slice(-2)).toEqual(['No full text in English', 'Retracted']);
    expect(merged.conflicts).toEqual([{ setting: 'stages.full-text.reviewers', ours: 2, theirs: 1 }]);
  });

  it('treats reasons differing only in case as one', () => {
    const base = teamConfig();
    const merged = mergeReviewConfigs(base, withReason(base, 'title-abstract', 'Animal study'), withReason(base, 'title-abstract', 'animal  study'));
    expect(merged.config.stages['title-abstract'].reasons.filter((r) => /animal/i.test(r))).toEqual(['Animal study']);
  });
});

describe('review.json holding git conflict markers', () => {
  /** What git's own text merge leaves when both reviewers appended a reason. */
  function gitStyleConflict(): string {
    return conflictAt(serialiseReviewConfig(teamConfig()), '"Off topic"', ['"Off topic",', '"Animal study"'], ['"Off topic",', '"Conference abstract"']);
  }

  it('recovers both sides and unites them, settings intact', () => {
    const read = readReviewText(gitStyleConflict());
    expect(read.status).toBe('conflicted');
    if (read.status !== 'conflicted') return;
    expect(read.conflicts).toEqual([]);
    expect(read.parts).toBe(1);
    expect(read.config.stages['title-abstract'].reasons.slice(-3)).toEqual(['Off topic', 'Animal study', 'Conference abstract']);
    expect(read.config.stages['title-abstract'].reviewers).toBe(2);
    expect(read.config.keywords.include).toEqual(['diabetes']);
  });

  it('uses the base section of diff3-style markers', () => {
    const text = conflictAt(serialiseReviewConfig(teamConfig()), '"Off topic"', ['"Animal study"'], ['"Off topic",', '"Conference abstract"'], ['"Off topic"']);
    const read = readReviewText(text);
    expect(read.status).toBe('conflicted');
    // Ours removed "Off topic" (theirs kept it): removed, as a three-way merge does.
    if (read.status === 'conflicted') expect(read.config.stages['title-abstract'].reasons.slice(-2)).toEqual(['Animal study', 'Conference abstract']);
  });

  it('is unreadable (not defaults) when a side cannot be read', () => {
    const read = readReviewText(gitStyleConflict().replace('"reviewers": 2', '"reviewers": 7'));
    expect(read.status).toBe('invalid');
  });
});

describe('the merge driver for review.json', () => {
  it('merges BASE, OURS, THEIRS into a plain file when nothing conflicts', () => {
    const base = teamConfig();
    const result = mergeReviewTexts(
      serialiseReviewConfig(base),
      serialiseReviewConfig(withReason(base, 'title-abstract', 'Animal study')),
      serialiseReviewConfig(withReason(base, 'title-abstract', 'Conference abstract')),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.conflicts).toEqual([]);
    const read = readReviewConfig(result.text);
    expect(read.ok && read.config.stages['title-abstract'].reasons.slice(-2)).toEqual(['Animal study', 'Conference abstract']);
  });

  it('takes settings changed on one side only, from either side, without a conflict', () => {
    const base = teamConfig();
    const result = mergeReviewTexts(
      serialiseReviewConfig(base),
      serialiseReviewConfig(withStage(withReason(base, 'title-abstract', 'Animal study'), 'full-text', { reviewers: 1 })),
      serialiseReviewConfig(withStage(withReason(base, 'title-abstract', 'Conference abstract'), 'full-text', { reasonRequired: false })),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.conflicts).toEqual([]);
    const read = readReviewConfig(result.text);
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.config.stages['full-text']).toMatchObject({ reviewers: 1, reasonRequired: false });
  });

  it('reports a setting changed differently on both sides with markers around that line only', () => {
    const base = { ...teamConfig(), title: 'Review' };
    const result = mergeReviewTexts(
      serialiseReviewConfig(base),
      serialiseReviewConfig({ ...withReason(base, 'title-abstract', 'Animal study'), title: 'Diabetes and SMI' }),
      serialiseReviewConfig({ ...withReason(base, 'title-abstract', 'Conference abstract'), title: 'Diabetes in SMI' }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.conflicts).toEqual([{ setting: 'title', ours: 'Diabetes and SMI', theirs: 'Diabetes in SMI' }]);
    const lines = result.text.split('\n');
    const start = lines.findIndex((line) => line.startsWith('<<<<<<<'));
    expect(lines.slice(start, start + 5)).toEqual(['<<<<<<< ours', '  "title": "Diabetes and SMI",', '=======', '  "title": "Diabetes in SMI",', '>>>>>>> theirs']);
    expect(lines.filter((line) => line.startsWith('<<<<<<<'))).toHaveLength(1);
    // The extension reads it back: both reasons, the title conflict reported.
    const read = readReviewText(result.text);
    expect(read.status).toBe('conflicted');
    if (read.status === 'conflicted') {
      expect(read.conflicts.map((c) => c.setting)).toEqual(['title']);
      expect(read.config.stages['title-abstract'].reasons.slice(-2)).toEqual(['Animal study', 'Conference abstract']);
    }
  });

  it('refuses an unreadable version and a version still holding a settings conflict', () => {
    const good = serialiseReviewConfig(teamConfig());
    expect(mergeReviewTexts(good, good, '{"format": "sr-screening-review", "version": 1, "sources": [').ok).toBe(false);
    const stillConflicted = mergeReviewTexts(undefined, good, serialiseReviewConfig({ ...teamConfig(), title: 'x' }));
    expect(stillConflicted.ok).toBe(true);
    if (!stillConflicted.ok) return;
    const again = mergeReviewTexts(good, stillConflicted.text, good);
    expect(again.ok).toBe(false);
  });
});

const SEED_SOURCES = [
  { file: '000_5ac076b1b50789ed.txt', category: 'database', name: 'PubMed' },
  { file: '001_86ab03fc405a49da.txt', category: 'database', name: 'CORD-19' },
  { file: '003_dc436e7f8f4458aa.txt', category: 'database', name: 'PubMed' },
  { file: '002_f4066c9c8d01d0c3.txt', category: 'organisation' },
  { file: '004_162abf6513c8e8a2.txt', category: 'website' },
] as const;

/** The seeds review with two reviewers at both stages and a keyword. */
function seedsConfig(): ReviewConfig {
  const config = defaultConfig(SEED_SOURCES.map((source) => ({ ...source })));
  config.stages['title-abstract'].reviewers = 2;
  config.stages['full-text'].reviewers = 2;
  config.keywords.include = ['mental illness'];
  return config;
}

describe('a Review never writes review.json it could not read', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sr-review-json-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function folder(name: string, reviewJson: string): string {
    const root = join(dir, name);
    cpSync(SEEDS, root, { recursive: true });
    mkdirSync(join(root, 'screening'), { recursive: true });
    writeFileSync(join(root, 'screening', 'review.json'), reviewJson);
    return root;
  }

  it('refuses a settings change while review.json is unreadable, and leaves the file as it was', async () => {
    const broken = '{ "format": "sr-screening-review", "version": 1, "sources": [ }\n';
    const root = folder('unreadable', broken);
    const review = await Review.load(root, { reviewer: 'b@x.org' });
    expect(review.configBlocked).toMatch(/could not be read/);
    expect(review.issues.find((issue) => issue.file === 'screening/review.json')?.severity).toBe('error');
    const save = review.saveConfig(withReason(review.config, 'title-abstract', 'New reason'));
    await expect(save).rejects.toThrow(ReviewError);
    await expect(save).rejects.toThrow(/could not be read.*Nothing was written/);
    expect(readFileSync(join(root, 'screening', 'review.json'), 'utf8')).toBe(broken);
    review.dispose();
  });

  it('reads conflict markers as the union, and the next change writes the merged file', async () => {
    const text = conflictAt(serialiseReviewConfig(seedsConfig()), '"Off topic"', ['"Off topic",', '"Animal study"'], ['"Off topic",', '"Conference abstract"']);
    const root = folder('markers', text);
    const review = await Review.load(root, { reviewer: 'b@x.org' });
    expect(review.configBlocked).toBeUndefined();
    expect(review.configExists).toBe(true);
    expect(review.config.stages['title-abstract'].reviewers).toBe(2);
    expect(review.config.stages['title-abstract'].reasons.slice(-2)).toEqual(['Animal study', 'Conference abstract']);
    expect(review.issues.find((issue) => issue.file === 'screening/review.json')).toMatchObject({ severity: 'warning' });
    await review.saveConfig(withReason(review.config, 'title-abstract', 'Editorial'));
    const written = readReviewConfig(readFileSync(join(root, 'screening', 'review.json'), 'utf8'));
    expect(written.ok).toBe(true);
    if (written.ok) {
      expect(written.config.stages['title-abstract'].reasons.slice(-3)).toEqual(['Animal study', 'Conference abstract', 'Editorial']);
      expect(written.config.stages['full-text'].reviewers).toBe(2);
      expect(written.config.keywords.include).toEqual(['mental illness']);
    }
    expect(review.issues.filter((issue) => issue.file === 'screening/review.json')).toEqual([]);
    review.dispose();
  });

  it('refuses while the markers hold a settings conflict', async () => {
    const text = serialiseReviewConfig(seedsConfig());
    // The second "reviewers" line is full text's.
    const at = text.lastIndexOf('\n', text.indexOf('"reviewers"', text.indexOf('"full-text"'))) + 1;
    const root = folder('settings-conflict', `${text.slice(0, at)}${conflictAt(text.slice(at), '"reviewers"', ['"reviewers": 2,'], ['"reviewers": 1,'])}`);
    const review = await Review.load(root, { reviewer: 'b@x.org' });
    expect(review.configBlocked).toMatch(/stages\.full-text\.reviewers: 2 on one side, 1 on the other/);
    expect(review.config.stages['full-text'].reviewers).toBe(2);
    const before = readFileSync(join(root, 'screening', 'review.json'), 'utf8');
    await expect(review.saveConfig(withReason(review.config, 'title-abstract', 'Editorial'))).rejects.toThrow(/Nothing was written/);
    expect(readFileSync(join(root, 'screening', 'review.json'), 'utf8')).toBe(before);
    review.dispose();
  });

  it('merges with a version written on disk since it was read instead of overwriting it', async () => {
    const root = folder('changed-on-disk', serialiseReviewConfig(seedsConfig()));
    const review = await Review.load(root, { reviewer: 'b@x.org' });
    // Another window (or a pull) adds a reason and a keyword meanwhile.
    const other = withReason(seedsConfig(), 'full-text', 'Retracted');
    other.keywords.exclude = ['dementia'];
    writeFileSync(join(root, 'screening', 'review.json'), serialiseReviewConfig(other));
    await review.saveConfig(withReason(review.config, 'title-abstract', 'Editorial'));
    const written = readReviewConfig(readFileSync(join(root, 'screening', 'review.json'), 'utf8'));
    expect(written.ok).toBe(true);
    if (written.ok) {
      expect(written.config.stages['title-abstract'].reasons.at(-1)).toBe('Editorial');
      expect(written.config.stages['full-text'].reasons.at(-1)).toBe('Retracted');
      expect(written.config.keywords.exclude).toEqual(['dementia']);
    }
    expect(review.config.keywords.exclude).toEqual(['dementia']);
    review.dispose();
  });
});

describe('two reviewers add exclusion reasons through a bare remote', () => {
  let work: string;
  let git: Git;
  let cli: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sr-git-review-json-'));
    git = new Git(join(work, 'home'));
    cli = await bundleCli(work);
  }, 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  async function clones(name: string, driver: boolean): Promise<{ a: string; b: string }> {
    const remote = join(work, name, 'remote.git');
    git.initRemote(remote);
    const setup = join(work, name, 'setup');
    git.clone(remote, setup, 'setup@x.org', 'Setup');
    cpSync(SEEDS, setup, { recursive: true });
    mkdirSync(join(setup, 'screening'), { recursive: true });
    writeFileSync(join(setup, 'screening', 'review.json'), serialiseReviewConfig(seedsConfig()));
    await configureDriver(git, setup, cli);
    git.commitAll(setup, 'Review set up');
    git.push(setup);
    const a = join(work, name, 'A');
    const b = join(work, name, 'B');
    git.clone(remote, a, 'a@x.org', 'A');
    git.clone(remote, b, 'b@x.org', 'B');
    if (driver) {
      await configureDriver(git, a, cli);
      await configureDriver(git, b, cli);
    }
    return { a, b };
  }

  async function addReason(clone: string, reviewer: string, reason: string): Promise<void> {
    const review = await Review.load(clone, { reviewer, git: git.runner() });
    await review.saveConfig(withReason(review.config, 'title-abstract', reason));
    review.dispose();
  }

  it('with the merge driver: the pull merges cleanly and keeps both reasons and all settings', async () => {
    const { a, b } = await clones('driver', true);
    expect(readFileSync(join(a, '.gitattributes'), 'utf8')).toContain('screening/review.json merge=sr-screening-decisions');
    await addReason(a, 'a@x.org', 'Animal study');
    git.commitAll(a, 'A: reason');
    git.push(a);
    await addReason(b, 'b@x.org', 'Conference abstract');
    git.commitAll(b, 'B: reason');
    const pull = git.pull(b);
    expect(pull.status, pull.output).toBe(0);
    expect(git.unmerged(b)).toEqual([]);
    const review = await Review.load(b, { reviewer: 'b@x.org', git: git.runner() });
    expect(review.issues.filter((issue) => issue.file === 'screening/review.json')).toEqual([]);
    expect(review.config.stages['title-abstract'].reasons.slice(-2)).toEqual(['Conference abstract', 'Animal study']);
    expect(review.config.stages['title-abstract'].reviewers).toBe(2);
    expect(review.config.stages['full-text'].reviewers).toBe(2);
    expect(review.config.keywords.include).toEqual(['mental illness']);
    review.dispose();
  }, 60_000);

  it('with the driver: a setting changed differently is a git conflict, with markers around that line only', async () => {
    const { a, b } = await clones('driver-settings', true);
    writeFileSync(join(a, 'screening', 'review.json'), serialiseReviewConfig({ ...seedsConfig(), title: 'A' }));
    git.commitAll(a, 'A: title');
    git.push(a);
    const review0 = await Review.load(b, { reviewer: 'b@x.org', git: git.runner() });
    await review0.saveConfig({ ...withStage(withReason(review0.config, 'title-abstract', 'Editorial'), 'full-text', { reviewers: 1 }), title: 'B' });
    review0.dispose();
    git.commitAll(b, 'B: full text by one reviewer');
    const pull = git.pull(b);
    expect(pull.status).not.toBe(0);
    expect(pull.output).toMatch(/title: "B" on one side, "A" on the other/);
    expect(git.unmerged(b)).toEqual(['screening/review.json']);
    const text = readFileSync(join(b, 'screening', 'review.json'), 'utf8');
    expect(text.match(/^<<<<<<< /gm)).toHaveLength(1);
    const review = await Review.load(b, { reviewer: 'b@x.org', git: git.runner() });
    expect(review.configBlocked).toMatch(/title/);
    expect(review.config.stages['full-text'].reviewers).toBe(1); // changed on B's side only: taken
    expect(review.config.stages['title-abstract'].reasons.at(-1)).toBe('Editorial');
    review.dispose();
  }, 60_000);

  it('without the driver: git leaves markers, the Review recovers the union and the next reason keeps everything', async () => {
    const { a, b } = await clones('no-driver', false);
    rmSync(join(a, '.gitattributes'));
    rmSync(join(b, '.gitattributes'));
    await addReason(a, 'a@x.org', 'Animal study');
    git.commitAll(a, 'A: reason');
    git.push(a);
    await addReason(b, 'b@x.org', 'Conference abstract');
    git.commitAll(b, 'B: reason');
    const pull = git.pull(b);
    expect(pull.status).not.toBe(0);
    expect(git.unmerged(b)).toContain('screening/review.json');
    const review = await Review.load(b, { reviewer: 'b@x.org', git: git.runner() });
    expect(review.configBlocked).toBeUndefined();
    await review.saveConfig(withReason(review.config, 'title-abstract', 'Editorial'));
    review.dispose();
    const written = readReviewConfig(readFileSync(join(b, 'screening', 'review.json'), 'utf8'));
    expect(written.ok).toBe(true);
    if (!written.ok) return;
    expect(written.config.stages['title-abstract'].reasons.slice(-3)).toEqual(['Conference abstract', 'Animal study', 'Editorial']);
    expect(written.config.stages['title-abstract'].reviewers).toBe(2);
    expect(written.config.stages['full-text'].reviewers).toBe(2);
    expect(written.config.keywords.include).toEqual(['mental illness']);
  }, 60_000);
});
