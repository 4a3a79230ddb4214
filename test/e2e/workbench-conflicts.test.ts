/**
 * Two reviewers in a real VS Code (this window is ann@example.org; bob@example.org's decisions file
 * arrives as a pull would bring it), on a copy of seeds/ that needs two reviewers per record:
 * blind mode hides bob's verdict until ann has decided; their disagreements show under Conflicts;
 * resolving one writes screening/resolutions.json; "compare with reviewer" opens VS Code's diff
 * editor on the two decisions files; a change to bob's file on disk updates the tree, the reader and
 * the status bar within a second while the reader stays on its record; keys in the Records view
 * decide the selected record; the reader in the dark theme with include- and exclude-terms.
 */
import { fileSafeReviewerId } from '../../src/screening/reviewer';
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Review } from '../../src/screening/review';
import { copyFixture, withVsCode, type VsCode } from './harness';
import { expandRow, focusReader, pickQuickItem, readDecisions, reader, treeRow, waitFor, waitForReader } from './workbench-helpers';

const ANN = 'ann@example.org';
const BOB = 'bob@example.org';
const ID = {
  db000: 'doi:10.1186/s12888-025-06572-2',
  cord001: 'doi:10.3389/fpsyt.2021.798530',
  web002: 'ref:3ca766b16992',
  db003: 'doi:10.1037/prj0000404',
  web004: 'ref:a15954c4c335',
};
const TITLE_001 = 'Barriers to Somatic Health Care for Persons With Severe Mental Illness in Belgium';
const TITLE_003 = 'Coordination of services for people with serious mental illness and general medical conditions';
const TITLE_004 = 'Integrating physical and mental health';

type Line = { record: string; verdict: string; reason?: string };

/** Writes a reviewer's decisions file as the extension (or a git pull) does: a temporary file, then a rename. */
function writeDecisions(workspace: string, reviewer: string, decisions: Line[]): void {
  const dir = join(workspace, 'screening', 'decisions');
  mkdirSync(dir, { recursive: true });
  const lines = [...decisions]
    .sort((a, b) => (a.record < b.record ? -1 : 1))
    .map((d, i) => JSON.stringify({ record: d.record, stage: 'title-abstract', verdict: d.verdict, reason: d.reason ?? null, note: null, time: new Date(Date.UTC(2026, 1, 3, 10, 0, i)).toISOString() }));
  const file = join(dir, `${fileSafeReviewerId(reviewer)}.json`);
  writeFileSync(`${file}.tmp`, `{"format":"sr-screening-decisions","version":1,"reviewer":"${reviewer}","decisions":[\n${lines.join(',\n')}\n]}\n`);
  renameSync(`${file}.tmp`, file);
}

async function setTheme(vsc: VsCode, theme: string): Promise<void> {
  const input = await vsc.openQuickInput('>');
  await input.fill('>Preferences: Color Theme');
  await vsc.page.locator('.quick-input-widget .monaco-list-row', { has: vsc.page.locator('.label-name', { hasText: /^Preferences: Color Theme$/ }) }).first().click();
  await vsc.page.locator('.quick-input-widget .monaco-list-row', { hasText: /Light|Dark/ }).first().waitFor({ state: 'visible' });
  await input.fill(theme);
  await vsc.page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first().waitFor({ state: 'visible' });
  await input.press('Enter');
  await vsc.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await vsc.page.waitForTimeout(600);
}

test('two reviewers: blind mode, conflicts, resolution, compare, live updates from disk, tree keys', { timeout: 420_000 }, async (t) => {
  const workspace = copyFixture('seeds');
  // review.json: two reviewers per record at title/abstract, keywords to highlight.
  const setup = await Review.load(workspace, { reviewer: ANN, git: async () => ({ code: 1, stdout: '', stderr: '' }) });
  const config = setup.config;
  await setup.saveConfig({
    ...config,
    stages: { ...config.stages, 'title-abstract': { ...config.stages['title-abstract'], reviewers: 2 } },
    keywords: { include: ['serious mental illness', 'severe mental illness'], exclude: ['qualitative*', 'Belgium'] },
  });
  setup.dispose();
  writeDecisions(workspace, ANN, [
    { record: ID.db000, verdict: 'include' },
    { record: ID.cord001, verdict: 'include' },
  ]);
  writeDecisions(workspace, BOB, [
    { record: ID.db000, verdict: 'include' },
    { record: ID.cord001, verdict: 'exclude', reason: 'Off topic' },
    { record: ID.db003, verdict: 'exclude', reason: 'Wrong population' },
  ]);

  await withVsCode(
    'workbench-conflicts',
    { workspace, viewport: { width: 1500, height: 950 }, settings: { 'screening.reviewer': ANN, 'workbench.colorTheme': 'Default Light Modern' } },
    async (vsc) => {
      await vsc.openViewContainer('Screening');
      await vsc.setSideBarWidth(560);
      // ann and bob agree on 000, disagree on 001; 003 waits for ann (bob decided it).
      await treeRow(vsc, /^Conflicts \(1\)$/).waitFor({ state: 'visible', timeout: 60_000 });
      await treeRow(vsc, /^Included \(1\)$/).waitFor({ state: 'visible' });
      await expandRow(vsc, /^Conflicts \(1\)$/);
      await treeRow(vsc, TITLE_001).waitFor({ state: 'visible' });
      // The conflict's row shows both verdicts in its description.
      const conflictRow = await treeRow(vsc, TITLE_001).locator('.label-description').innerText();
      assert.match(conflictRow, /ann@example\.org: include · bob@example\.org: exclude \(Off topic\)/);
      await waitFor(() => vsc.statusBarText(), (bar) => /T\/A 2\/5/.test(bar) && /1$|\b1\b/.test(bar), 'the status bar with one conflict');
      await vsc.screenshot('conflicts-in-tree');

      // Blind mode: bob's verdict on 003 stays hidden until ann decides.
      await expandRow(vsc, /^Unscreened \(3\)$/);
      await treeRow(vsc, TITLE_003).click();
      let frame = await reader(vsc);
      await waitForReader(frame, ID.db003);
      const blind = await frame.locator('#decisions').innerText();
      assert.match(blind, /1 other decision\(s\) hidden until you decide/);
      assert.doesNotMatch(blind, /Wrong population|bob@example\.org/);
      // The review's exclude-terms are highlighted in a second colour.
      assert.ok((await frame.locator('mark.term-exclude').count()) > 0, 'exclude-terms highlighted');
      await vsc.screenshot('blind-mode-before-deciding');
      await focusReader(frame);
      await vsc.page.keyboard.press('i');
      await treeRow(vsc, /^Conflicts \(2\)$/).waitFor({ state: 'visible' });
      // Back on 003 (Previous): now bob's decision shows.
      await treeRow(vsc, TITLE_003).click();
      await waitForReader(frame, ID.db003);
      await frame.locator('#decisions', { hasText: BOB }).waitFor({ state: 'visible' });
      assert.match(await frame.locator('#decisions').innerText(), /Excluded: Wrong population/);
      await vsc.screenshot('after-deciding-bob-visible');

      // Resolve 001 from the tree's inline action: Included.
      const row = treeRow(vsc, TITLE_001);
      await row.hover();
      await row.locator('.action-label[aria-label^="Resolve Conflict"]').click();
      // Every verdict of the stage is offered, maybe too; then a note on the resolution.
      for (const verdict of [/^Included$/, /^Excluded$/, /^Maybe$/]) {
        await vsc.page.locator('.quick-input-widget:not([inert]) .monaco-list-row', { has: vsc.page.locator('.label-name', { hasText: verdict }) }).first().waitFor({ state: 'visible' });
      }
      await vsc.screenshot('resolve-verdicts');
      await pickQuickItem(vsc, /^Included$/);
      const noteBox = vsc.page.locator('.quick-input-widget:not([inert]) input.input');
      await vsc.page.locator('.quick-input-widget:not([inert]) .quick-input-message, .quick-input-widget:not([inert]) .quick-input-description', { hasText: 'A note on the resolution' }).first().waitFor({ state: 'visible' });
      await noteBox.fill('Agreed at the team meeting');
      await noteBox.press('Enter');
      const { value: resolutions } = await waitFor(
        () => {
          try {
            return JSON.parse(readFileSync(join(workspace, 'screening', 'resolutions.json'), 'utf8')).resolutions as { record: string; verdict: string; by: string; note: string | null }[];
          } catch {
            return [];
          }
        },
        (list) => list.length === 1,
        'resolutions.json',
      );
      assert.deepEqual(
        resolutions.map((r) => [r.record, r.verdict, r.by, r.note]),
        [[ID.cord001, 'include', ANN, 'Agreed at the team meeting']],
      );
      // The reader moves on to the next conflict (003: ann included, bob excluded).
      await waitForReader(frame, ID.db003);
      await frame.locator('#status', { hasText: 'next conflict' }).waitFor({ state: 'visible' });
      await treeRow(vsc, /^Conflicts \(1\)$/).waitFor({ state: 'visible' });
      await treeRow(vsc, /^Included \(2\)$/).waitFor({ state: 'visible' });
      await vsc.screenshot('conflict-resolved');

      // Compare ann's decisions with bob's: VS Code's diff editor on the two files.
      await vsc.runCommand("Screening: Compare My Decisions with Another Reviewer's…");
      await pickQuickItem(vsc, BOB);
      await vsc.page.locator('.tabs-container .tab', { hasText: `Decisions: ${ANN} ↔ ${BOB}` }).waitFor({ state: 'visible' });
      await vsc.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible' });
      // Bob's side shows his exclusion of 001 as a changed line.
      await vsc.page.locator('.monaco-diff-editor .modified .view-line', { hasText: 'Off topic' }).first().waitFor({ state: 'visible' });
      await vsc.page.waitForTimeout(300);
      await vsc.screenshot('compare-with-bob-diff-editor');

      // A pull brings bob's change of mind on 003 (exclude → include): the tree, the reader and the
      // status bar follow within a second, and the reader stays on 003.
      await treeRow(vsc, TITLE_003).click();
      // The diff editor hid the reader (its page was torn down): the page is a new frame now.
      await vsc.page.waitForTimeout(500);
      frame = await reader(vsc);
      await waitForReader(frame, ID.db003);
      const sequence = async () => Number(await frame.locator('body').getAttribute('data-sequence'));
      // Warm up the file watcher (it starts asynchronously on the server): touch bob's file until the reader redraws.
      const base = [
        { record: ID.db000, verdict: 'include' },
        { record: ID.cord001, verdict: 'exclude', reason: 'Off topic' },
        { record: ID.db003, verdict: 'exclude', reason: 'Wrong population' },
      ];
      const before = await sequence();
      const warmUp = Date.now();
      for (let round = 0; (await sequence()) === before; round++) {
        if (Date.now() - warmUp > 60_000) throw new Error('the reader never redrew for a changed decisions file');
        writeDecisions(workspace, BOB, round % 2 === 0 ? [...base, { record: ID.web002, verdict: 'include' }] : base);
        await frame.waitForFunction((n) => Number(document.body.dataset.sequence) > n, before, { timeout: 2_000 }).catch(() => undefined);
      }
      t.diagnostic(`the file watcher answered ${Date.now() - warmUp} ms after the first write`);
      writeDecisions(workspace, BOB, base);
      await treeRow(vsc, /^Conflicts \(1\)$/).waitFor({ state: 'visible' });
      await vsc.page.waitForTimeout(500);
      const written = Date.now();
      writeDecisions(workspace, BOB, [...base.slice(0, 2), { record: ID.db003, verdict: 'include' }]);
      await treeRow(vsc, /^Conflicts \(0\)$/).waitFor({ state: 'visible', timeout: 5_000 });
      const treeMs = Date.now() - written;
      await frame.locator('#decisions', { hasText: 'Included' }).waitFor({ state: 'visible' });
      await waitFor(() => vsc.statusBarText(), (bar) => !/git-merge|\$\(/.test(bar) && /T\/A 3\/5/.test(bar), 'the status bar without conflicts');
      const allMs = Date.now() - written;
      t.diagnostic(`bob's pulled decision: tree after ${treeMs} ms, tree + reader + status bar after ${allMs} ms`);
      assert.ok(allMs <= 1_500, `updated after ${allMs} ms`);
      assert.equal(await frame.locator('body').getAttribute('data-record-id'), ID.db003, 'the reader stayed on its record');
      await treeRow(vsc, TITLE_003).and(vsc.page.locator('.selected')).waitFor({ state: 'visible' });
      await vsc.screenshot('after-pull-reader-stays');

      // Keys in the Records view act on the selected record: m marks 004 maybe.
      await treeRow(vsc, TITLE_004).click();
      await waitForReader(frame, ID.web004);
      await treeRow(vsc, TITLE_004).press('m');
      await waitFor(() => readDecisions(workspace, ANN).find((d) => d.record === ID.web004)?.verdict, (verdict) => verdict === 'maybe', 'm in the tree');
      await vsc.screenshot('tree-key-maybe');

      // The reader in the dark theme: terms in two theme colours.
      await treeRow(vsc, TITLE_001).click();
      await waitForReader(frame, ID.cord001);
      await setTheme(vsc, 'Dark Modern');
      const colours = await frame.evaluate(() => ({
        include: getComputedStyle(document.querySelector('mark.term-include')!).backgroundColor,
        exclude: getComputedStyle(document.querySelector('mark.term-exclude')!).backgroundColor,
        text: getComputedStyle(document.body).color,
      }));
      t.diagnostic(`dark theme: include ${colours.include}, exclude ${colours.exclude}, text ${colours.text}`);
      assert.notEqual(colours.include, colours.exclude);
      await vsc.screenshot('reader-dark-theme');
      await setTheme(vsc, 'Light Modern');
    },
  );
});
