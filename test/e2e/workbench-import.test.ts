/**
 * Importing records in a real VS Code: "Screening: Import Records…" → the file dialog → the source
 * Quick Pick (Embase, from the list of usual databases) → a progress notification → a summary with
 * records, duplicates removed and problems; "Show Problems" opens the Problems panel with each
 * problem at file:line, and a click opens the file at that line. The file is copied into the
 * review's sources/ folder and listed in screening/review.json; the tree shows the new records and
 * the duplicate.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { copyFixture, withVsCode } from './harness';
import { answerFileDialog, pickQuickItem, SEED_TITLES, treeRow, waitFor } from './workbench-helpers';

const EMBASE = [
  'TY  - JOUR',
  // Seed 000 as Embase exports it: the same paper (title, first author, year, DOI).
  'TI  - Strengthening the delivery of integrated care for individuals experiencing serious mental illness within mental health settings: a qualitative description of health provider perspectives',
  'AU  - Ambreen, M.',
  'PY  - 2025',
  'DO  - 10.1186/s12888-025-06572-2',
  'ER  - ',
  '',
  'TY  - JOUR',
  'TI  - A new record about physical health in psychosis',
  'AU  - Roe, Richard',
  'PY  - 2019',
  'ER  - ',
  '',
  'XX garbage line here',
  'TY  - JOUR',
  'AU  - Nobody',
  'PY  - 2020',
  'ER  - ',
  '',
].join('\n');

test('import records: dialog, source picker, progress, summary, problems at file:line', { timeout: 300_000 }, async () => {
  const workspace = copyFixture('seeds');
  const exports = mkdtempSync(join(tmpdir(), 'sr-e2e-exports-'));
  const file = join(exports, 'embase.ris');
  writeFileSync(file, EMBASE);
  try {
    await withVsCode('workbench-import', { workspace, viewport: { width: 1500, height: 950 }, settings: { 'screening.reviewer': 'e2e@example.org' } }, async (vsc) => {
      await vsc.openViewContainer('Screening');
      await vsc.setSideBarWidth(520);
      for (const title of SEED_TITLES) await treeRow(vsc, title).waitFor({ state: 'visible', timeout: 60_000 });

      await vsc.runCommand('Screening: Import Records…');
      await answerFileDialog(vsc, file);
      await vsc.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Source of embase.ris' }).waitFor({ state: 'visible' });
      // The file name suggests Embase: it comes first among the databases.
      await vsc.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Embase' }).first().waitFor({ state: 'visible' });
      await vsc.screenshot('source-picker');
      await pickQuickItem(vsc, /^Embase$/);

      const summary = vsc.page.locator('.notifications-toasts .notification-toast', { hasText: 'Imported 1 file(s): 3 records, 1 duplicates removed, 2 problems.' });
      await summary.waitFor({ state: 'visible', timeout: 60_000 });
      await vsc.screenshot('import-summary');
      assert.ok(existsSync(join(workspace, 'sources', 'embase.ris')), 'the file was copied into sources/');
      const config = JSON.parse(readFileSync(join(workspace, 'screening', 'review.json'), 'utf8')) as { sources: { file: string; category: string; name?: string }[] };
      assert.deepEqual(config.sources.at(-1), { file: 'sources/embase.ris', category: 'database', name: 'Embase' });
      assert.equal(config.sources.length, 6, 'the seeds stay sources');

      // The tree: two new unique records, one duplicate.
      await treeRow(vsc, /^Unscreened \(7\)$/).waitFor({ state: 'visible' });
      await treeRow(vsc, /^Duplicates \(1\)$/).waitFor({ state: 'visible' });
      await treeRow(vsc, 'A new record about physical health in psychosis').waitFor({ state: 'visible' });

      // Show Problems: each problem at file:line in the Problems panel; a click opens the file there.
      await summary.locator('.monaco-button', { hasText: 'Show Problems' }).click();
      const problems = vsc.page.locator('.markers-panel .monaco-list-row');
      await problems.filter({ hasText: 'text outside a record' }).first().waitFor({ state: 'visible' });
      const { value: rows } = await waitFor(() => problems.allInnerTexts(), (list) => list.some((row) => /Ln 15/.test(row)), 'the problems with their lines');
      const text = rows.join('\n');
      assert.match(text, /embase\.ris/);
      assert.match(text, /Ln 14/);
      assert.match(text, /no title/);
      await vsc.screenshot('problems-panel');
      await problems.filter({ hasText: 'text outside a record' }).first().dblclick();
      await vsc.page.locator('.tabs-container .tab.active', { hasText: 'embase.ris' }).waitFor({ state: 'visible' });
      await vsc.page.locator('.monaco-editor .current-line ~ *, .monaco-editor .view-line', { hasText: 'XX garbage line here' }).first().waitFor({ state: 'visible' });
      await vsc.screenshot('problem-opens-file-at-line');
    });
  } finally {
    rmSync(exports, { recursive: true, force: true });
  }
});
