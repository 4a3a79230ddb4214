/**
 * The bundled sample review (seeds/: five documents on physical health care for people with serious
 * mental illness), as `npm start` and the "Open the Sample Review" command set it up: the sources
 * with the PRISMA 2020 category a team would give them, the include/exclude terms to highlight and
 * exclusion reasons that fit the question, so that a newcomer can screen at once.
 */
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Review, REVIEW_FILE } from './review';
import type { ReviewConfig, SourceConfig, StageSettings } from './review-config';

export const SAMPLE_TITLE = 'Sample review: physical health care for people with serious mental illness';

export const SAMPLE_KEYWORDS = {
  include: ['serious mental illness', 'severe mental illness', 'SMI', 'integrated care', 'physical health', 'somatic'],
  exclude: ['child*', 'adolescen*', 'dementia'],
};

/** What the seed files are (by the id in their names), as a team would record it in review.json. */
const SEED_SOURCES: Record<string, Omit<SourceConfig, 'file'>> = {
  '5ac076b1b50789ed': { category: 'database', name: 'PubMed' }, // RIS export, DP - NLM, a PMID
  '86ab03fc405a49da': { category: 'database', name: 'CORD-19' },
  f4066c9c8d01d0c3: { category: 'organisation', name: 'NHS England' }, // a saved NHS England guidance page
  dc436e7f8f4458aa: { category: 'database', name: 'Database export (RIS)' }, // RIS with no database named
  '162abf6513c8e8a2': { category: 'organisation', name: "The King's Fund" }, // a saved project page
};

const SAMPLE_STAGES: Record<'title-abstract' | 'full-text', StageSettings> = {
  'title-abstract': {
    reviewers: 1,
    reasonRequired: false,
    reasons: ['Not serious mental illness', 'No physical health care', 'Children or adolescents', 'Dementia', 'Wrong publication type', 'Off topic'],
  },
  'full-text': {
    reviewers: 1,
    reasonRequired: true,
    reasons: ['Not serious mental illness', 'No physical health care', 'Wrong study design', 'Wrong outcome', 'Duplicate report', 'Language'],
  },
};

/**
 * The sample's review.json from the one inferred for the folder (`inferred.sources`: every seed
 * file with its detected format): the same files, with the categories and names above.
 */
export function sampleReviewConfig(inferred: ReviewConfig): ReviewConfig {
  return {
    ...inferred,
    title: SAMPLE_TITLE,
    sources: inferred.sources.map((source) => {
      const known = Object.entries(SEED_SOURCES).find(([id]) => source.file.includes(id));
      return known ? { file: source.file, ...known[1] } : source;
    }),
    stages: structuredClone(SAMPLE_STAGES),
    keywords: structuredClone(SAMPLE_KEYWORDS),
  };
}

/** The sample folder's .vscode/settings.json: open the Records view and the first record on start. */
export const SAMPLE_WORKSPACE_SETTINGS = `${JSON.stringify({ 'screening.openOnStartup': true }, null, 2)}\n`;

/**
 * Makes `target` the sample review, screening-ready: the seed files copied from `seedsDir`, a
 * review.json from sampleReviewConfig and the workspace settings. What is already there stays (the
 * decisions made in an earlier start, a review.json the user edited): only what is missing is added.
 */
export async function prepareSampleReview(seedsDir: string, target: string): Promise<void> {
  await mkdir(target, { recursive: true });
  for (const name of await readdir(seedsDir)) {
    const copy = join(target, name);
    if (existsSync(copy)) continue;
    await copyFile(join(seedsDir, name), copy);
    await chmod(copy, 0o644); // a read-only checkout's mode would make the copy read-only too
  }
  if (!existsSync(join(target, REVIEW_FILE))) {
    const review = await Review.load(target, { reviewer: 'sample' });
    try {
      await review.saveConfig(sampleReviewConfig(review.config));
    } finally {
      review.dispose();
    }
  }
  const settings = join(target, '.vscode', 'settings.json');
  if (!existsSync(settings)) {
    await mkdir(dirname(settings), { recursive: true });
    await writeFile(settings, SAMPLE_WORKSPACE_SETTINGS);
  }
}

/**
 * Starting the sample afresh: the old folder is moved aside (to `<target>-<time>`), never deleted,
 * since it holds the decisions made in it. Returns where it went, if it existed.
 */
export async function setAsideSampleReview(target: string, now = new Date()): Promise<string | undefined> {
  if (!existsSync(target)) return undefined;
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const aside = `${target}-${stamp}`;
  await rename(target, aside);
  return aside;
}
