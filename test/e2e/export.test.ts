/**
 * Taking the results out in a real VS Code: after a few decisions in the reader, "Screening: Export
 * Records…" → RIS → "Included at title/abstract" → the save dialog writes the file with the screening
 * outcome in N1; the file then imports into a new review (an empty folder, "Screening: Import
 * Records…") with the same titles. "Screening: Export Decisions Table…" writes the CSV; "Screening: Show
 * Screening Report" opens the methods-section report with its Markdown preview.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { copyFixture, withVsCode, type VsCode } from './harness';
import { answerFileDialog, expandRow, focusReader, pickQuickItem, readDecisions, reader, SEED_TITLES, treeRow, waitFor, waitForReader } from './workbench-helpers';

const REVIEWER = 'e2e@example.org';

/** Runs Quick Pick steps, starting over (up to three times) when the Quick Pick closes under them. */
async function inQuickPicks(vsc: VsCode, steps: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await steps();
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await vsc.page.keyboard.press('Escape');
      await vsc.page.locator('.quick-input-widget:not([inert])').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
  }
}
const ID_000 = 'doi:10.1186/s12888-025-06572-2';
const ID_001 = 'doi:10.3389/fpsyt.2021.798530';
const ID_003 = 'doi:10.1037/prj0000404';

test('export included records to RIS and re-import them into a new review', { timeout: 480_000 }, async () => {
  const workspace = copyFixture('seeds');
  const exports = mkdtempSync(join(tmpdir(), 'sr-e2e-export-'));
  const ris = join(exports, 'included.ris');
  const table = join(exports, 'decisions.csv');
  try {
    await withVsCode('export', { workspace, viewport: { width: 1500, height: 950 }, settings: { 'screening.reviewer': REVIEWER } }, async (vsc) => {
      await vsc.openViewContainer('Screening');
      await vsc.setSideBarWidth(520);
      await expandRow(vsc, /^Unscreened \(5\)$/, 60_000);
      await treeRow(vsc, SEED_TITLES[0]).click();
      const frame = await reader(vsc);
      await waitForReader(frame, ID_000);
      // Include 000, exclude 001 (a reason), include 003 (after the reader moved on, j to 003).
      await focusReader(frame);
      await vsc.page.keyboard.press('i');
      await waitForReader(frame, ID_001);
      await vsc.page.keyboard.press('e');
      await pickQuickItem(vsc, 'Wrong publication type');
      await waitFor(() => readDecisions(workspace, REVIEWER).length, (n) => n === 2, 'two decisions on disk');
      await treeRow(vsc, SEED_TITLES[3]).click();
      await waitForReader(frame, ID_003);
      await focusReader(frame);
      await vsc.page.keyboard.press('i');
      await waitFor(() => readDecisions(workspace, REVIEWER).length, (n) => n === 3, 'three decisions on disk');
      await treeRow(vsc, /^Included \(2\)$/).waitFor({ state: 'visible' });

      // A late focus change (the reader taking the focus after its last move) can close a Quick Pick on a
      // loaded machine: start over then, as a person would.
      await inQuickPicks(vsc, async () => {
        await vsc.runCommand('Screening: Export Records…');
        await pickQuickItem(vsc, /^RIS$/);
        await vsc.page.locator('.quick-input-widget:not([inert]) .monaco-list-row', { hasText: 'Included at title/abstract' }).first().waitFor({ state: 'visible', timeout: 10_000 });
        await vsc.screenshot('which-records');
        await pickQuickItem(vsc, 'Included at title/abstract');
      });
      await answerFileDialog(vsc, ris);
      await vsc.page.locator('.notifications-toasts .notification-toast', { hasText: 'Exported 2 records' }).waitFor({ state: 'visible', timeout: 60_000 });
      await vsc.screenshot('exported-records');
      const text = readFileSync(ris, 'utf8');
      assert.match(text, /N1 {2}- Screening title\/abstract: e2e@example\.org include/);
      assert.equal((text.match(/^TY {2}- /gm) ?? []).length, 2);

      await inQuickPicks(vsc, async () => {
        await vsc.runCommand('Screening: Export Decisions Table…');
        await pickQuickItem(vsc, /^CSV$/);
      });
      await answerFileDialog(vsc, table);
      await vsc.page.locator('.notifications-toasts .notification-toast', { hasText: 'Exported 3 rows of decisions' }).waitFor({ state: 'visible', timeout: 60_000 });
      const csv = readFileSync(table, 'utf8');
      assert.match(csv.split('\r\n')[0], /^record,title,stage,e2e@example\.org verdict,/);
      assert.match(csv, /Wrong publication type/);

      // The methods-section report opens as Markdown with its preview beside it.
      await vsc.runCommand('Screening: Show Screening Report (Methods Section)');
      const preview = await vsc.webview('Methods paragraph', 60_000);
      await preview.locator('h2', { hasText: 'Reviewers and records screened' }).waitFor({ state: 'visible' });
      const screened = await preview.locator('table').nth(1).innerText();
      assert.match(screened, /e2e@example\.org\s+3\s+2\s+1/);
      await vsc.screenshot('methods-report');
    });

    const fresh = mkdtempSync(join(tmpdir(), 'sr-e2e-new-review-'));
    try {
      await withVsCode('export-reimport', { workspace: fresh, viewport: { width: 1500, height: 950 }, settings: { 'screening.reviewer': REVIEWER } }, async (vsc) => {
        await vsc.openViewContainer('Screening');
        await vsc.setSideBarWidth(520);
        await vsc.runCommand('Screening: Import Records…');
        await answerFileDialog(vsc, ris);
        await vsc.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Source of included.ris' }).waitFor({ state: 'visible' });
        await vsc.page.keyboard.press('Enter');
        await vsc.page.locator('.notifications-toasts .notification-toast', { hasText: /Imported 1 file\(s\): 2 records/ }).waitFor({ state: 'visible', timeout: 60_000 });
        await expandRow(vsc, /^Unscreened \(2\)$/, 60_000);
        for (const title of [SEED_TITLES[0], SEED_TITLES[3]]) await treeRow(vsc, title).waitFor({ state: 'visible' });
        await vsc.screenshot('reimported-new-review');
      });
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  } finally {
    rmSync(exports, { recursive: true, force: true });
  }
});
