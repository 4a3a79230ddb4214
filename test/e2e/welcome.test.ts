/**
 * The Records view's welcome content (viewsWelcome): an empty folder offers to start a review,
 * import records, open the sample review or refresh; a window without a folder offers "Open Folder"
 * and the sample review.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withVsCode } from './harness';

test('the Records view welcomes an empty folder and a window without a folder', { timeout: 240_000 }, async () => {
  const empty = mkdtempSync(join(tmpdir(), 'sr-e2e-empty-'));
  try {
    await withVsCode('welcome', { workspace: empty }, async (vsc) => {
      await vsc.openViewContainer('Screening');
      const records = vsc.view('Records');
      await records.locator('.welcome-view-content', { hasText: 'No review in this folder yet' }).waitFor({ state: 'visible' });
      for (const button of ['Start a Review Here', 'Import Records', 'Open the Sample Review']) {
        await records.locator('.welcome-view-content .monaco-button', { hasText: button }).waitFor({ state: 'visible' });
      }
      // Refresh is a link within the last line of text.
      await records.locator('.welcome-view-content a', { hasText: 'Refresh Records' }).click();
      await vsc.waitForSideBarIdle();
      await vsc.screenshot('empty-folder-welcome');

      // A window without a folder (code-server's "empty window").
      await vsc.page.goto(`${vsc.server!.url}?ew=true`);
      await vsc.workbench.waitFor({ state: 'visible', timeout: 60_000 });
      await vsc.openViewContainer('Screening');
      await vsc.view('Records').locator('.welcome-view-content .monaco-button', { hasText: 'Open Folder' }).waitFor({ state: 'visible' });
      await vsc.view('Records').locator('.welcome-view-content .monaco-button', { hasText: 'Open the Sample Review' }).waitFor({ state: 'visible' });
      await vsc.waitForSideBarIdle();
      await vsc.screenshot('no-folder-welcome');
    });
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
