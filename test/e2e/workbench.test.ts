/**
 * The screening workbench on the sample review, as a reviewer uses it in a real VS Code:
 * the welcome view of an empty folder opens the sample review (copied from the bundled seeds/ into
 * a folder picked in the file dialog); the Records tree shows the five seed titles under
 * Title/abstract → Unscreened; in the reader the reviewer includes 000 with `i` (the reader moves on
 * to the next unscreened record), excludes 002 with `e` and a reason picked from the list, marks
 * 004 maybe with `m` and undoes it with `u`; the decisions file on disk holds exactly those two
 * lines; the status bar and the tree's counts follow; the reader highlights the sample's include-
 * terms; a search for "somatc" (a typo) finds 001 and opens it.
 */
import { fileSafeReviewerId } from '../../src/screening/reviewer';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withVsCode } from './harness';
import { answerFileDialog, expandRow, focusReader, openSearch, pickQuickItem, quickPickRows, readDecisions, reader, readerRecord, treeRow, waitFor, waitForReader } from './workbench-helpers';

const REVIEWER = 'e2e@example.org';
const ID = {
  db000: 'doi:10.1186/s12888-025-06572-2',
  cord001: 'doi:10.3389/fpsyt.2021.798530',
  web002: 'ref:3ca766b16992',
  db003: 'doi:10.1037/prj0000404',
  web004: 'ref:a15954c4c335',
};
const TITLES = {
  db000: 'Strengthening the delivery of integrated care for individuals experiencing serious mental illness',
  cord001: 'Barriers to Somatic Health Care for Persons With Severe Mental Illness in Belgium',
  web002: 'Planning to integrate mental and physical health',
  db003: 'Coordination of services for people with serious mental illness and general medical conditions',
  web004: 'Integrating physical and mental health',
};

test('the sample review: tree, one-key decisions in the reader, undo, counts, highlights, search', { timeout: 420_000 }, async (t) => {
  const parent = mkdtempSync(join(tmpdir(), 'sr-e2e-workbench-'));
  const empty = join(parent, 'empty-folder');
  mkdirSync(empty);
  const sample = join(parent, 'sample-review');
  try {
    await withVsCode(
      'workbench',
      // Source order, so "next unscreened" is predictable here; test/e2e/ranking.test.ts covers relevance order.
      { workspace: empty, viewport: { width: 1500, height: 950 }, settings: { 'screening.reviewer': REVIEWER, 'screening.unscreenedOrder': 'original', 'workbench.colorTheme': 'Default Light Modern' } },
      async (vsc) => {
        const dialogs: string[] = [];
        vsc.page.on('dialog', (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });

        // An empty folder: the welcome view offers to start a review or open the sample.
        await vsc.openViewContainer('Screening');
        const welcome = vsc.view('Records').locator('.welcome-view-content');
        await welcome.getByText('No review in this folder yet').waitFor({ state: 'visible' });
        await vsc.setSideBarWidth(560);
        await vsc.screenshot('welcome-empty-folder');
        await welcome.locator('.monaco-button', { hasText: 'Open the Sample Review' }).click();
        const reloaded = vsc.page.waitForEvent('load', { timeout: 60_000 });
        await answerFileDialog(vsc, `${parent}/`);
        // A folder dialog: Enter on a folder path opens it; the button accepts it.
        const accept = vsc.page.locator('.quick-input-widget .monaco-button', { hasText: 'Create the Sample Review Here' });
        await vsc.page.waitForTimeout(1_000);
        if (await accept.isVisible().catch(() => false)) await accept.click({ timeout: 5_000 }).catch(() => undefined);
        await reloaded;
        await vsc.workbench.waitFor({ state: 'visible', timeout: 60_000 });
        assert.ok(existsSync(join(sample, 'screening', 'review.json')), 'the sample review was created with a review.json');
        assert.match(decodeURIComponent(vsc.page.url()), /sample-review/);

        // The tree: Title/abstract → Unscreened (5) with the five seed titles.
        await vsc.openViewContainer('Screening');
        await treeRow(vsc, 'Title/abstract').waitFor({ state: 'visible', timeout: 60_000 });
        await expandRow(vsc, /^Unscreened \(5\)$/);
        for (const title of Object.values(TITLES)) await treeRow(vsc, title).waitFor({ state: 'visible' });
        await vsc.screenshot('tree-five-seed-titles');
        assert.match(await vsc.statusBarText(), /T\/A 0\/5/);

        // The reader: a click on a record opens it beside the tree.
        await treeRow(vsc, TITLES.db000).click();
        const frame = await reader(vsc);
        await waitForReader(frame, ID.db000);
        // The sample's include-terms are highlighted (review.json keywords).
        const marks = await frame.locator('#abstract mark.term-include').allTextContents();
        assert.ok(marks.some((text) => /serious mental illness/i.test(text)), `include-terms highlighted: ${marks.join(' | ')}`);
        assert.ok((await frame.locator('#title mark.term-include').count()) > 0, 'and in the title');
        const markColour = await frame.locator('#abstract mark.term-include').first().evaluate((mark) => getComputedStyle(mark).backgroundColor);
        assert.notEqual(markColour, 'rgba(0, 0, 0, 0)', 'in a theme colour');
        await vsc.screenshot('reader-000-highlighted-terms');

        // i: include 000; the reader moves on to the next unscreened record (001).
        await focusReader(frame);
        const pressed = Date.now();
        await vsc.page.keyboard.press('i');
        await waitForReader(frame, ID.cord001);
        const shownAfter = Date.now() - pressed;
        await treeRow(vsc, /^Included \(1\)$/).waitFor({ state: 'visible' });
        t.diagnostic(`after the key press: next record shown in ${shownAfter} ms, tree counts in ${Date.now() - pressed} ms`);
        t.diagnostic(
          `key press to next record: ${await frame.locator('body').getAttribute('data-last-action-ms')} ms on screen, ${await frame.locator('body').getAttribute('data-last-confirm-ms')} ms confirmed by the host (in the webview)`,
        );
        await waitFor(() => readDecisions(sample, REVIEWER).map((d) => `${d.record} ${d.verdict}`), (lines) => lines.join() === `${ID.db000} include`, 'the decisions file after i');
        await vsc.screenshot('reader-after-include-001');

        // j (next) twice: 003, then 002; e: exclude with a reason picked from the review's list.
        await vsc.page.keyboard.press('j');
        await waitForReader(frame, ID.db003);
        await vsc.page.keyboard.press('ArrowRight');
        await waitForReader(frame, ID.web002);
        await vsc.page.keyboard.press('e');
        await vsc.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Wrong publication type' }).waitFor({ state: 'visible' });
        await vsc.screenshot('exclude-reason-picker');
        await pickQuickItem(vsc, 'Wrong publication type');
        // The next unscreened record after 002 in source order is 004.
        await waitForReader(frame, ID.web004);
        await focusReader(frame);

        // m: maybe on 004 (the reader wraps around to 001), then u: undo brings 004 back undecided.
        await vsc.page.keyboard.press('m');
        await waitForReader(frame, ID.cord001);
        await waitFor(() => readDecisions(sample, REVIEWER).length, (n) => n === 3, 'the maybe on disk');
        await vsc.page.keyboard.press('u');
        await waitForReader(frame, ID.web004);
        await frame.locator('#status', { hasText: 'Undone' }).waitFor({ state: 'visible' });
        await vsc.screenshot('reader-after-undo-004');

        // The decisions file holds exactly the two decisions, in the documented line format.
        const { value: lines } = await waitFor(() => readDecisions(sample, REVIEWER), (list) => list.length === 2, 'the decisions file after undo');
        assert.deepEqual(
          lines.map((d) => [d.record, d.stage, d.verdict, d.reason, d.note]),
          [
            [ID.db000, 'title-abstract', 'include', null, null],
            [ID.web002, 'title-abstract', 'exclude', 'Wrong publication type', null],
          ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
        );
        const text = readFileSync(join(sample, 'screening', 'decisions', `${fileSafeReviewerId(REVIEWER)}.json`), 'utf8');
        assert.equal(text.split('\n').filter((line) => line.startsWith('{"record"')).length, 2, text);

        // The status bar and the tree's counts follow.
        await waitFor(() => vsc.statusBarText(), (bar) => /T\/A 2\/5/.test(bar), 'the status bar');
        await treeRow(vsc, /^Unscreened \(3\)$/).waitFor({ state: 'visible' });
        await treeRow(vsc, /^Included \(1\)$/).waitFor({ state: 'visible' });
        await treeRow(vsc, /^Excluded \(1\)$/).waitFor({ state: 'visible' });
        await treeRow(vsc, /^Maybe \(0\)$/).waitFor({ state: 'visible' });
        await expandRow(vsc, /^Excluded \(1\)$/);
        await treeRow(vsc, /^Wrong publication type \(1\)$/).waitFor({ state: 'visible' });
        await treeRow(vsc, 'Title/abstract').locator('.label-description', { hasText: '2 of 5 screened' }).waitFor({ state: 'visible' });
        // The tree keeps the record shown in the reader selected.
        await treeRow(vsc, TITLES.web004).and(vsc.page.locator('.selected')).waitFor({ state: 'visible', timeout: 60_000 });
        await vsc.screenshot('tree-and-status-bar-counts');

        // Search: "somatc" (a typo) finds 001, with the matched passage; choosing it opens it.
        const input = await openSearch(vsc);
        await input.pressSequentially('somatc', { delay: 60 });
        assert.equal(await input.inputValue(), 'somatc');
        const { value: rows } = await waitFor(() => quickPickRows(vsc), (list) => list.some((row) => row.label.startsWith(TITLES.cord001)), 'search results for "somatc"');
        const hit = rows.find((row) => row.label.startsWith(TITLES.cord001))!;
        assert.match(hit.detail, /«[Ss]omatic»/, `the matched passage is shown: ${JSON.stringify(hit)}`);
        assert.match(hit.description, /Kohn et al\. · 2022/);
        await vsc.screenshot('search-somatc');
        await input.press('Enter');
        await waitForReader(frame, ID.cord001);
        assert.equal(await readerRecord(frame), ID.cord001);
        await vsc.screenshot('search-result-in-reader');

        // A filter on the tree: only the records matching "belgium" stay, said in the view's title.
        // On a loaded machine the palette can swallow the command, and a late focus change can close
        // the input box (it closes on focus loss, as VS Code's do): then try again, as a person would.
        const filterBox = vsc.page.locator('.quick-input-widget:not([inert])', { has: vsc.page.locator('.quick-input-title', { hasText: 'Filter the Records View' }) });
        for (let attempt = 1; ; attempt++) {
          try {
            await vsc.runCommand('Screening: Filter Records…');
            await filterBox.waitFor({ state: 'visible', timeout: 10_000 });
            await filterBox.locator('input.input').fill('belgium', { timeout: 5_000 });
            await filterBox.locator('input.input').press('Enter', { timeout: 5_000 });
            await vsc.view('Records').getByText('Showing the one record that matches “belgium”.').waitFor({ state: 'visible', timeout: 15_000 });
            break;
          } catch (error) {
            if (attempt >= 3) throw error;
            t.diagnostic(`filter attempt ${attempt} failed: ${String(error).split('\n')[0]}`);
            await vsc.page.keyboard.press('Escape');
          }
        }
        await treeRow(vsc, /^Unscreened \(1\)$/).waitFor({ state: 'visible' });
        await treeRow(vsc, TITLES.cord001).waitFor({ state: 'visible' });
        assert.equal(await treeRow(vsc, TITLES.db003).count(), 0, 'records outside the filter are hidden');
        await vsc.screenshot('tree-filtered');
        await vsc.runCommand('Screening: Clear Filter');
        await treeRow(vsc, /^Unscreened \(3\)$/).waitFor({ state: 'visible' });
        assert.deepEqual(dialogs, [], 'no alert was shown');
      },
    );
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
