/**
 * Issue 18, the flow fixes users hit, in a real VS Code:
 * - case 5: while an existing review loads (a few thousand records), the Records view says it is
 *   loading, never "No review in this folder yet";
 * - case 4: undo restores the previous decision with its note (and keeps the note of a decision
 *   undone back to undecided); `e` then Enter alone records nothing and asks again;
 * - case 7: importing a file whose content is already a source (under another name) is asked about;
 *   an Ovid export that lost its record marker imports as its record, not as a junk "Score" record.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { copyFixture, repoRoot, withVsCode } from './harness';
import { answerFileDialog, focusReader, pickQuickItem, readDecisions, reader, SEED_TITLES, treeRow, waitFor, waitForReader } from './workbench-helpers';

const REVIEWER = 'e2e@example.org';
/** ../shared/corpus beside the repository, or SR_CORPUS_DIR (as test/unit/helpers/corpus.ts). */
const CORPUS = process.env.SR_CORPUS_DIR ?? join(repoRoot, '..', 'shared', 'corpus');
/** An Ovid display-form export whose first line (the `<1>` record marker) was lost. */
const OVID_WITHOUT_MARKER = [
  'Score',
  '  *****',
  'Accession Number',
  '  00006236-201504000-00002.',
  'Author',
  '  Bunkers, Sandra Schmidt RN; PhD; FAAN 1',
  'Title',
  '  Listening: Important to the Stuff of a Life.[Miscellaneous]',
  'Source',
  '  Nursing Science Quarterly.   28(2):103-106, April 2015.',
  'Abstract',
  '  Listening is a way of being present to another person.',
  'DOI Number',
  '  10.1177/0894318415571606',
  '',
].join('\n');
const LABELED = ['srd_Cohen_2006_online__BetaBlockers.csv', 'srd_Cohen_2006_online__ProtonPumpInhibitors.csv', 'srd_Cohen_2006_online__CalciumChannelBlockers.csv'];
const ID = { db000: 'doi:10.1186/s12888-025-06572-2', cord001: 'doi:10.3389/fpsyt.2021.798530' };

test('an existing review that takes seconds to load says it is loading, never that there is no review', { timeout: 300_000, skip: !LABELED.every((file) => existsSync(join(CORPUS, 'labeled', file))) }, async (t) => {
  const workspace = join(mkdtempSync(join(tmpdir(), 'sr-e2e-loading-')), 'big-review');
  t.after(() => rmSync(join(workspace, '..'), { recursive: true, force: true }));
  mkdirSync(join(workspace, 'screening'), { recursive: true });
  for (const file of LABELED) copyFileSync(join(CORPUS, 'labeled', file), join(workspace, file));
  writeFileSync(
    join(workspace, 'screening', 'review.json'),
    `${JSON.stringify({ format: 'sr-screening-review', version: 1, sources: LABELED.map((file) => ({ file, category: 'database', name: 'MEDLINE' })), stages: { 'title-abstract': {}, 'full-text': {} } }, null, 2)}\n`,
  );
  await withVsCode('workbench-loading', { workspace, settings: { 'screening.reviewer': REVIEWER } }, async (vsc) => {
    await vsc.openViewContainer('Screening');
    const welcome = vsc.view('Records').locator('.welcome-view-content');
    const seen = new Set<string>();
    let shot = false;
    await waitFor(
      async () => {
        const text = (await welcome.innerText({ timeout: 1_000 }).catch(() => '')).trim();
        if (/No review in this folder yet/.test(text)) seen.add('no-review');
        if (/Loading the review/.test(text)) {
          seen.add('loading');
          if (!shot) {
            shot = true;
            await vsc.screenshot('loading-review');
          }
        }
        return treeRow(vsc, 'Title/abstract').isVisible();
      },
      (treeShown) => treeShown,
      'the Records tree after loading',
      240_000,
    );
    assert.ok(seen.has('loading'), 'the view said the review was loading');
    assert.ok(!seen.has('no-review'), 'the view never said there was no review');
    await vsc.screenshot('loaded-review');
  });
});

test('undo keeps notes, Enter alone picks no reason, re-import asked about, a markerless Ovid export', { timeout: 420_000 }, async () => {
  const workspace = copyFixture('seeds');
  const exports = mkdtempSync(join(tmpdir(), 'sr-e2e-exports-'));
  try {
    await withVsCode('workbench-flow', { workspace, viewport: { width: 1400, height: 900 }, settings: { 'screening.reviewer': REVIEWER } }, async (vsc) => {
      await vsc.openViewContainer('Screening');
      await vsc.setSideBarWidth(480);
      await treeRow(vsc, SEED_TITLES[0]).waitFor({ state: 'visible', timeout: 60_000 });
      await treeRow(vsc, SEED_TITLES[0]).click();
      const frame = await reader(vsc);
      await waitForReader(frame, ID.db000);
      const mine = () => readDecisions(workspace, REVIEWER).find((d) => d.record === ID.db000);

      // m, then a note on the maybe, then i: the include carries the note.
      await focusReader(frame);
      await vsc.page.keyboard.press('m');
      await waitForReader(frame, ID.cord001);
      await vsc.page.keyboard.press('k');
      await waitForReader(frame, ID.db000);
      await focusReader(frame);
      await vsc.page.keyboard.press('n');
      const noteBox = vsc.page.locator('.quick-input-widget:not([inert]) input.input');
      await noteBox.waitFor({ state: 'visible' });
      await noteBox.fill('ask the team about the dose');
      await noteBox.press('Enter');
      await waitFor(() => mine(), (d) => d?.verdict === 'maybe' && d.note === 'ask the team about the dose', 'the note on the maybe');
      await focusReader(frame);
      await vsc.page.keyboard.press('i');
      await waitFor(() => mine(), (d) => d?.verdict === 'include' && d.note === 'ask the team about the dose', 'the include with the note');
      // u: back to the maybe, with its note.
      await vsc.page.keyboard.press('u');
      await waitForReader(frame, ID.db000);
      await waitFor(() => mine(), (d) => d?.verdict === 'maybe' && d.note === 'ask the team about the dose', 'the maybe restored with its note');
      await frame.locator('#status', { hasText: 'Undone: Included — back to Maybe' }).waitFor({ state: 'visible' });
      await frame.getByText('ask the team about the dose').first().waitFor({ state: 'visible' });
      await vsc.screenshot('undo-restores-maybe-with-note');

      // e, then Enter alone: no reason is chosen, nothing recorded, the picker asks again.
      await focusReader(frame);
      await vsc.page.keyboard.press('e');
      const picker = vsc.page.locator('.quick-input-widget:not([inert])');
      await picker.locator('.monaco-list-row', { hasText: 'Wrong population' }).waitFor({ state: 'visible' });
      await vsc.page.keyboard.press('Enter');
      await picker.locator('input.input[placeholder^="Nothing chosen yet"]').waitFor({ state: 'visible' });
      assert.ok(await picker.isVisible(), 'the picker stays open');
      await vsc.screenshot('exclude-enter-alone-asks-again');
      assert.equal(mine()?.verdict, 'maybe', 'nothing recorded');
      // Arrow down and Enter is a choice.
      await vsc.page.keyboard.press('ArrowDown');
      await vsc.page.keyboard.press('Enter');
      await waitFor(() => mine(), (d) => d?.verdict === 'exclude' && d.reason === 'Wrong population' && d.note === 'ask the team about the dose', 'the exclusion chosen with the arrow key');

      // Undo twice: back to undecided; the note stays with the record and goes with the next decision.
      await focusReader(frame);
      await vsc.page.keyboard.press('u');
      await waitFor(() => mine()?.verdict, (verdict) => verdict === 'maybe', 'the exclusion undone');
      await vsc.page.keyboard.press('u');
      await waitFor(() => mine(), (d) => d === undefined, 'the maybe undone');
      await waitForReader(frame, ID.db000);
      await focusReader(frame);
      await vsc.page.keyboard.press('i');
      await waitFor(() => mine(), (d) => d?.verdict === 'include' && d.note === 'ask the team about the dose', 'the note kept for the next decision');

      // Re-import: seed 000 again under another name is asked about; skipping it adds nothing.
      const again = join(exports, 'pubmed-search-rerun.txt');
      copyFileSync(join(workspace, '000_5ac076b1b50789ed.txt'), again);
      await vsc.runCommand('Screening: Import Records…');
      await answerFileDialog(vsc, again);
      const dialog = vsc.page.locator('.monaco-dialog-box');
      await dialog.getByText('“pubmed-search-rerun.txt” has the same content as 000_5ac076b1b50789ed.txt, already a source of this review.').waitFor({ state: 'visible' });
      await vsc.screenshot('re-import-asked');
      await dialog.locator('.monaco-button', { hasText: 'Skip This File' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.ok(!existsSync(join(workspace, 'sources', 'pubmed-search-rerun.txt')), 'not copied');
      assert.ok(!existsSync(join(workspace, 'screening', 'review.json')) || !readFileSync(join(workspace, 'screening', 'review.json'), 'utf8').includes('rerun'), 'not listed');

      // An Ovid export without its <1> marker: read as Ovid (its record), not a plain-text "Score" page.
      const broken = join(exports, 'ovid-psycinfo.txt');
      writeFileSync(broken, OVID_WITHOUT_MARKER);
      await vsc.runCommand('Screening: Import Records…');
      await answerFileDialog(vsc, broken);
      await vsc.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Source of ovid-psycinfo.txt' }).waitFor({ state: 'visible' });
      await pickQuickItem(vsc, /^PsycINFO$/);
      const summary = vsc.page.locator('.notifications-toasts .notification-toast', { hasText: 'Imported 1 file(s): 1 records, 0 duplicates removed, 1 problems.' });
      await summary.waitFor({ state: 'visible', timeout: 60_000 });
      await treeRow(vsc, 'Listening: Important to the Stuff of a Life').waitFor({ state: 'visible' });
      assert.equal(await treeRow(vsc, /^Score$/).count(), 0, 'no junk record titled Score');
      await vsc.screenshot('markerless-ovid-imported');

      // The reviewer identity is in the status bar; clicking it changes it (the review reopens as that reviewer).
      const identity = vsc.page.locator('.part.statusbar .statusbar-item', { hasText: REVIEWER });
      await identity.waitFor({ state: 'visible' });
      await identity.click();
      const idBox = vsc.page.locator('.quick-input-widget:not([inert]) input.input');
      await idBox.waitFor({ state: 'visible' });
      assert.equal(await idBox.inputValue(), REVIEWER);
      await idBox.fill('second.reviewer@example.org');
      await idBox.press('Enter');
      await waitFor(() => vsc.statusBarText(), (bar) => bar.includes('second.reviewer@example.org'), 'the new identity in the status bar', 60_000);
      await treeRow(vsc, /^Unscreened \(5\)$/).waitFor({ state: 'visible', timeout: 60_000 });
      await vsc.screenshot('reviewer-identity-changed');
    });
  } finally {
    rmSync(exports, { recursive: true, force: true });
  }
});
