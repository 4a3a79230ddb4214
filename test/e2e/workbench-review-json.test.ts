/**
 * Issue 18, case 1: two reviewers each add a new exclusion reason, through a bare remote. This
 * window is reviewer B's clone; reviewer A works in another clone (driven here through the domain,
 * as A's own VS Code would write). Round 1, B's clone without the merge driver: git leaves conflict
 * markers in screening/review.json; the extension reads both sides (settings intact, both reasons
 * offered) and B's next new reason writes the merged file, not the defaults. Round 2, with the merge
 * driver (git-setup): the pull merges review.json cleanly. Round 3: a setting changed differently on
 * both sides stays a conflict; B's next new reason is used for the record but review.json is not
 * written, and the extension says why.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { defaultConfig, readReviewConfig, serialiseReviewConfig, type ReviewConfig } from '../../src/screening/review-config';
import { Review } from '../../src/screening/review';
import { mergeDriverCommand, setupMergeDriver } from '../../src/screening/git-setup';
import { withReason } from '../../src/screening/source-catalogue';
import { Git } from '../unit/screening/helpers/git';
import { repoRoot, withVsCode, type VsCode } from './harness';
import { focusReader, quickPickRows, readDecisions, reader, treeRow, expandRow, waitFor } from './workbench-helpers';

const A = 'ann@example.org';
const B = 'bob@example.org';

function teamConfig(): ReviewConfig {
  const config = defaultConfig([
    { file: '000_5ac076b1b50789ed.txt', category: 'database', name: 'PubMed' },
    { file: '001_86ab03fc405a49da.txt', category: 'database', name: 'CORD-19' },
    { file: '003_dc436e7f8f4458aa.txt', category: 'database', name: 'PubMed' },
    { file: '002_f4066c9c8d01d0c3.txt', category: 'organisation' },
    { file: '004_162abf6513c8e8a2.txt', category: 'website' },
  ]);
  config.stages['title-abstract'].reviewers = 2;
  config.stages['full-text'].reviewers = 2;
  config.keywords.include = ['serious mental illness'];
  return config;
}

function reviewJson(clone: string): string {
  return readFileSync(join(clone, 'screening', 'review.json'), 'utf8');
}

function readConfig(clone: string): ReviewConfig {
  const read = readReviewConfig(reviewJson(clone));
  if (!read.ok) throw new Error(`review.json unreadable: ${read.message}`);
  return read.config;
}

/** Reviewer A (in A's clone) adds a reason or changes settings, commits and pushes. */
async function asA(git: Git, clone: string, change: (config: ReviewConfig) => ReviewConfig, message: string): Promise<void> {
  const pull = git.pull(clone);
  assert.equal(pull.status, 0, pull.output);
  const review = await Review.load(clone, { reviewer: A, git: git.runner() });
  await review.saveConfig(change(review.config));
  review.dispose();
  git.commitAll(clone, message);
  git.push(clone);
}

/**
 * Presses e in the reader and opens the reason picker once it offers `expected` (the extension picks
 * up a pull through its file watcher: until then, the picker is closed and opened again).
 */
async function openReasonPicker(vsc: VsCode, expected: string[]): Promise<void> {
  const frame = await reader(vsc);
  await waitFor(
    async () => {
      // A picker may still be opening from the previous try's key (the reader queues keys while busy).
      if (!(await vsc.page.locator('.quick-input-widget:not([inert])').isVisible())) {
        await focusReader(frame);
        await vsc.page.keyboard.press('e');
      }
      const rows = await waitFor(() => quickPickRows(vsc), (list) => list.length > 0, 'the reason picker').then(({ value }) => value.map((row) => row.label));
      if (expected.every((reason) => rows.includes(reason))) return true;
      await vsc.page.keyboard.press('Escape');
      await vsc.page.locator('.quick-input-widget:not([inert])').waitFor({ state: 'hidden' });
      return false;
    },
    (offered) => offered,
    `the reason picker offering ${expected.join(', ')}`,
    60_000,
  );
}

/** Types a new reason in the open picker and chooses the item the typing offers (whose label starts with `itemLabel`). */
async function typeNewReason(vsc: VsCode, reason: string, itemLabel: RegExp): Promise<void> {
  const input = vsc.page.locator('.quick-input-widget:not([inert]) input.input');
  await input.fill(reason);
  const row = vsc.page.locator('.quick-input-widget:not([inert]) .monaco-list-row', { has: vsc.page.locator('.label-name', { hasText: itemLabel }) }).first();
  await row.waitFor({ state: 'visible' });
}

async function chooseTyped(vsc: VsCode, itemLabel: RegExp): Promise<void> {
  await vsc.page.locator('.quick-input-widget:not([inert]) .monaco-list-row', { has: vsc.page.locator('.label-name', { hasText: itemLabel }) }).first().click();
  await vsc.page.locator('.quick-input-widget:not([inert])').waitFor({ state: 'hidden' });
}

test('review.json through a bare remote: conflict markers recovered, merge driver, refusal to write what was not read', { timeout: 600_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'sr-e2e-review-json-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const git = new Git(join(work, 'home'));
  const cli = join(work, 'cli.cjs');
  await build({ entryPoints: [join(repoRoot, 'src', 'cli.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, logLevel: 'error' });
  const driver = (clone: string) => setupMergeDriver(clone, mergeDriverCommand(cli, process.execPath), git.runner());

  const remote = join(work, 'remote.git');
  git.initRemote(remote);
  const setup = join(work, 'setup');
  git.clone(remote, setup, 'setup@example.org', 'Setup');
  cpSync(join(repoRoot, 'seeds'), setup, { recursive: true });
  mkdirSync(join(setup, 'screening'), { recursive: true });
  writeFileSync(join(setup, 'screening', 'review.json'), serialiseReviewConfig(teamConfig()));
  await driver(setup); // writes .gitattributes (shared); the driver command itself is per clone
  git.commitAll(setup, 'Review set up');
  git.push(setup);
  const cloneA = join(work, 'A');
  const cloneB = join(work, 'B');
  git.clone(remote, cloneA, A, 'Ann');
  git.clone(remote, cloneB, B, 'Bob');
  await driver(cloneA);

  await withVsCode('workbench-review-json', { workspace: cloneB, viewport: { width: 1400, height: 900 }, settings: { 'screening.reviewer': B } }, async (vsc) => {
    await vsc.openViewContainer('Screening');
    await expandRow(vsc, /^Unscreened \(5\)$/, 60_000);
    await treeRow(vsc, 'Strengthening the delivery').click();
    await reader(vsc);

    // Round 1: A adds "Animal study" and pushes; B adds "Conference abstract" in VS Code.
    await asA(git, cloneA, (config) => withReason(config, 'title-abstract', 'Animal study'), 'A: a reason');
    await openReasonPicker(vsc, ['Off topic']);
    await typeNewReason(vsc, 'Conference abstract', /^Add reason “Conference abstract”$/);
    await chooseTyped(vsc, /^Add reason “Conference abstract”$/);
    await waitFor(() => reviewJson(cloneB), (text) => text.includes('"Conference abstract"'), 'B’s reason in review.json');
    await waitFor(() => readDecisions(cloneB, B).length, (n) => n === 1, 'B’s first decision on disk');
    git.commitAll(cloneB, 'B: a reason');
    // B's clone has no merge driver configured: git merges the text and leaves markers.
    const pull = git.pull(cloneB);
    assert.notEqual(pull.status, 0, pull.output);
    assert.deepEqual(git.unmerged(cloneB), ['screening/review.json']);
    assert.match(reviewJson(cloneB), /^<<<<<<< /m);

    // The extension reads both sides: both reasons offered, settings intact (blind dual screening).
    await openReasonPicker(vsc, ['Animal study', 'Conference abstract']);
    await vsc.screenshot('conflicted-review-json-both-reasons-offered');
    await typeNewReason(vsc, 'Editorial', /^Add reason “Editorial”$/);
    await chooseTyped(vsc, /^Add reason “Editorial”$/);
    await waitFor(() => reviewJson(cloneB), (text) => text.includes('"Editorial"') && !/^<<<<<<< /m.test(text), 'the merged review.json written with B’s next reason');
    const merged = readConfig(cloneB);
    assert.deepEqual(merged.stages['title-abstract'].reasons.slice(-3), ['Conference abstract', 'Animal study', 'Editorial']);
    assert.equal(merged.stages['title-abstract'].reviewers, 2);
    assert.equal(merged.stages['full-text'].reviewers, 2);
    assert.deepEqual(merged.keywords.include, ['serious mental illness']);
    assert.equal(merged.sources.length, 5);
    await waitFor(() => readDecisions(cloneB, B).map((d) => d.reason), (reasons) => reasons.includes('Editorial'), 'the exclusion with the new reason');
    git.commitAll(cloneB, 'Merge, with review.json recovered by the extension');
    git.push(cloneB);

    // Round 2: with the merge driver in B's clone too, the pull merges review.json by itself.
    await driver(cloneB);
    await asA(git, cloneA, (config) => withReason(config, 'title-abstract', 'Case report'), 'A: another reason');
    await openReasonPicker(vsc, ['Editorial']);
    await typeNewReason(vsc, 'Letter', /^Add reason “Letter”$/);
    await chooseTyped(vsc, /^Add reason “Letter”$/);
    await waitFor(() => reviewJson(cloneB), (text) => text.includes('"Letter"'), 'B’s reason “Letter” in review.json');
    git.commitAll(cloneB, 'B: Letter');
    const cleanPull = git.pull(cloneB);
    assert.equal(cleanPull.status, 0, cleanPull.output);
    assert.deepEqual(git.unmerged(cloneB), []);
    assert.doesNotMatch(reviewJson(cloneB), /^<<<<<<< /m);
    await openReasonPicker(vsc, ['Case report', 'Letter']);
    await vsc.screenshot('after-driver-merge-both-reasons');
    await vsc.page.keyboard.press('Escape');
    git.push(cloneB);

    // Round 3: A and B retitle the review differently: a conflict the driver leaves marked.
    await asA(git, cloneA, (config) => ({ ...config, title: 'Physical health in SMI (Ann)' }), 'A: title');
    writeFileSync(join(cloneB, 'screening', 'review.json'), serialiseReviewConfig({ ...readConfig(cloneB), title: 'Physical health in SMI (Bob)' }));
    git.commitAll(cloneB, 'B: title');
    const conflicting = git.pull(cloneB);
    assert.notEqual(conflicting.status, 0);
    assert.match(conflicting.output, /title: "Physical health in SMI \(Bob\)" on one side, "Physical health in SMI \(Ann\)" on the other/);
    const marked = reviewJson(cloneB);
    assert.equal(marked.match(/^<<<<<<< /gm)?.length, 1, marked);
    // B excludes with a new reason: used for the record, review.json left alone, and B is told why.
    // (First the extension must have read the marked file: the reasons offered are the same as before.)
    await vsc.page.locator('.part.statusbar', { hasText: 'Cannot read review.json' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await openReasonPicker(vsc, ['Case report', 'Letter']);
    await typeNewReason(vsc, 'Animal model', /^Use reason “Animal model” for this record only$/);
    await vsc.screenshot('settings-conflict-reason-for-this-record-only');
    await chooseTyped(vsc, /^Use reason “Animal model” for this record only$/);
    const warning = vsc.page.locator('.notifications-toasts .notification-toast', { hasText: 'not added to the review’s list' });
    await warning.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await warning.innerText(), /holds a git conflict on a setting \(title: .*\).*Nothing was written/s);
    await vsc.screenshot('settings-conflict-refused-with-reason');
    await waitFor(() => readDecisions(cloneB, B).map((d) => d.reason), (reasons) => reasons.includes('Animal model'), 'the exclusion with “Animal model”');
    assert.equal(reviewJson(cloneB), marked, 'review.json was not written');
  });
});
