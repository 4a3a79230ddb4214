/**
 * The possible-duplicates queue in a real VS Code, on a review of two overlapping exports
 * (test/fixtures/duplicates: MEDLINE and Embase): one duplicate found with certainty, two possible
 * duplicates queued; the queue shows a pair side by side with the differing field marked; the
 * reviewer confirms one (d) and rejects the other (x); the Records tree, screening/duplicates.json
 * and the PRISMA flow follow; a decision recorded on the record that became a duplicate is shown.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { Review } from '../../src/screening/review';
import { fileSafeReviewerId } from '../../src/screening/reviewer';
import { copyFixture, withVsCode } from './harness';
import { expandRow, reader, treeRow, waitFor, waitForReader } from './workbench-helpers';

const ANN = 'ann@example.org';
const INSOMNIA = 'Cognitive behavioural therapy for insomnia in primary care: a pragmatic trial';
const HEART = 'Telephone follow-up after hospital discharge for heart failure';

function duplicateDecisions(workspace: string): { records: string[]; verdict: string }[] {
  try {
    return JSON.parse(readFileSync(join(workspace, 'screening', 'duplicates.json'), 'utf8')).duplicates;
  } catch {
    return [];
  }
}

async function boxText(frame: Frame, id: string): Promise<string> {
  return frame.locator(`[data-box="${id}"]`).evaluate((box) => Array.from(box.querySelectorAll('text'), (text) => text.textContent ?? '').join(' '));
}

test('possible duplicates: queue, side-by-side view, confirm and reject, tree and PRISMA follow', { timeout: 420_000 }, async () => {
  const workspace = copyFixture('test/fixtures/duplicates');
  // ann included the Embase copy of the insomnia trial before it was found to be a duplicate.
  const setup = await Review.load(workspace, { reviewer: ANN, git: async () => ({ code: 1, stdout: '', stderr: '' }) });
  assert.equal(setup.possibleDuplicates.length, 2);
  const insomnia = setup.possibleDuplicates.find((pair) => setup.record(pair.a)?.title === INSOMNIA)!;
  const later = [insomnia.a, insomnia.b].find((id) => setup.record(id)?.provenance.file === 'medline-2026.ris')!;
  await setup.decide(later, 'title-abstract', 'include', null, null);
  await setup.flush();
  setup.dispose();

  await withVsCode(
    'workbench-duplicates',
    { workspace, viewport: { width: 1500, height: 950 }, settings: { 'screening.reviewer': ANN, 'workbench.colorTheme': 'Default Light Modern' } },
    async (vsc) => {
      await vsc.openViewContainer('Screening');
      await vsc.setSideBarWidth(520);
      await treeRow(vsc, /^Possible duplicates \(2\)$/).waitFor({ state: 'visible', timeout: 60_000 });
      await treeRow(vsc, /^Duplicates \(1\)$/).waitFor({ state: 'visible' });
      await treeRow(vsc, /^Unscreened \(6\)$/).waitFor({ state: 'visible' });
      await expandRow(vsc, /^Possible duplicates \(2\)$/);
      await vsc.screenshot('queue-in-tree');

      // The insomnia pair side by side: the pages differ and are marked.
      await vsc.page.locator('.part.sidebar .monaco-list-row', { hasText: 'differs: pages' }).first().click();
      const frame = await vsc.webview('Possible duplicates', 60_000);
      await frame.locator('#rows tr[data-field="pages"].different').waitFor({ state: 'visible', timeout: 30_000 });
      const title = await frame.locator('#rows tr[data-field="title"] td').first().innerText();
      // The queue in import order: the insomnia pair first.
      assert.equal(title, INSOMNIA);
      assert.ok((await frame.locator('#rows tr[data-field="pages"] mark').count()) > 0, 'the differing pages are highlighted');
      assert.match(await frame.locator('#position').innerText(), /Pair \d of 2/);
      // Its CSP: no inline script runs without the nonce, nothing remote.
      const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.match(csp ?? '', /default-src 'none'/);
      assert.doesNotMatch(csp ?? '', /unsafe-eval|unsafe-inline/);
      await vsc.screenshot('side-by-side');

      // Confirm the insomnia pair (d), then reject the heart-failure pair (x).
      await frame.locator('#position').click();
      await vsc.page.keyboard.press('d');
      await waitFor(() => duplicateDecisions(workspace), (list) => list.length === 1 && list[0].verdict === 'duplicate', 'the confirmed pair in duplicates.json', 30_000);
      await treeRow(vsc, /^Possible duplicates \(1\)$/).waitFor({ state: 'visible', timeout: 30_000 });
      await treeRow(vsc, /^Duplicates \(2\)$/).waitFor({ state: 'visible' });
      // ann's include was on the copy that is now a duplicate: the kept record waits for screening.
      await treeRow(vsc, /^Unscreened \(6\)$/).waitFor({ state: 'visible' });
      await frame.locator('#position', { hasText: 'Pair 1 of 1' }).waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await frame.locator('#rows tr[data-field="title"] td').first().innerText(), HEART);
      await vsc.screenshot('after-confirm');

      await frame.locator('#position').click();
      await vsc.page.keyboard.press('x');
      await waitFor(() => duplicateDecisions(workspace), (list) => list.length === 2 && list.some((d) => d.verdict === 'distinct'), 'the rejected pair in duplicates.json', 30_000);
      await frame.locator('#empty', { hasText: 'No possible duplicates left' }).waitFor({ state: 'visible', timeout: 30_000 });
      await treeRow(vsc, /^Possible duplicates/).waitFor({ state: 'hidden', timeout: 30_000 });
      await treeRow(vsc, /^Duplicates \(2\)$/).waitFor({ state: 'visible' });
      await vsc.screenshot('queue-empty');

      // ann's include on the insomnia copy stays, and shows now that it is a duplicate.
      await expandRow(vsc, /^Duplicates \(2\)$/);
      await vsc.page.locator('.part.sidebar .monaco-list-row', { hasText: 'decided: include' }).first().waitFor({ state: 'visible' });
      const decisions = readFileSync(join(workspace, 'screening', 'decisions', `${fileSafeReviewerId(ANN)}.json`), 'utf8');
      assert.ok(decisions.includes(JSON.stringify(later)), 'the decision on the duplicate is kept in the decisions file');
      // Opened in the reader, the duplicate shows ann's decision (read only).
      await vsc.page.locator('.part.sidebar .monaco-list-row', { hasText: 'decided: include' }).first().click();
      const readerFrame = await reader(vsc, 60_000);
      await waitForReader(readerFrame, later, 30_000);
      await readerFrame.locator('#decisions', { hasText: /Included/ }).waitFor({ state: 'visible', timeout: 30_000 });
      await vsc.screenshot('duplicates-with-decision');

      // PRISMA: 2 duplicates removed.
      await vsc.runCommand('Screening: Show PRISMA Flow');
      const prisma = await vsc.webview('PRISMA 2020 flow diagram', 60_000);
      await prisma.locator('[data-box="duplicates"]').waitFor({ state: 'visible', timeout: 60_000 });
      await waitFor(() => boxText(prisma, 'duplicates'), (text) => /Duplicate records removed \(n = 2\)/.test(text.replace(/\u00a0/g, ' ')), 'PRISMA duplicates', 30_000);
      await vsc.screenshot('prisma-duplicates');
    },
  );
});
