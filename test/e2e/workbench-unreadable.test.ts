/**
 * A reviewer's decisions file with a stray comma, in a real VS Code: the Records tree shows it as an
 * error above the stages (file, line, reason; clicking opens the file at that line), the status bar
 * turns to the error colours and names it, and both clear by themselves once the file is fixed on disk.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileSafeReviewerId } from '../../src/screening/reviewer';
import { copyFixture, withVsCode } from './harness';
import { treeRow, waitFor } from './workbench-helpers';

const ANN = 'ann@example.org';
const BOB = 'bob@example.org';

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

test('an unreadable decisions file is an error in the Records tree and the status bar, and clears once fixed', { timeout: 300_000 }, async () => {
  const workspace = copyFixture('seeds');
  const dir = join(workspace, 'screening', 'decisions');
  mkdirSync(dir, { recursive: true });
  const bobName = `${fileSafeReviewerId(BOB)}.json`;
  const bobFile = join(dir, bobName);
  const entry = (record: string, verdict: string, second: number) =>
    JSON.stringify({ record, stage: 'title-abstract', verdict, reason: verdict === 'exclude' ? 'Off topic' : null, note: null, time: new Date(Date.UTC(2026, 1, 3, 10, 0, second)).toISOString() });
  const good = `{"format":"sr-screening-decisions","version":1,"reviewer":"${BOB}","decisions":[\n${entry('doi:10.1037/prj0000404', 'exclude', 1)},\n${entry('doi:10.3389/fpsyt.2021.798530', 'include', 2)}\n]}\n`;
  // A stray comma at the end of line 3 (what a hand edit or a bad merge leaves).
  const broken = good.replace('"include","reason":null,"note":null,"time":"2026-02-03T10:00:02.000Z"}', '"include","reason":null,"note":null,"time":"2026-02-03T10:00:02.000Z"},');
  assert.notEqual(broken, good);
  writeFileSync(bobFile, broken);

  await withVsCode('workbench-unreadable', { workspace, viewport: { width: 1400, height: 900 }, settings: { 'screening.reviewer': ANN } }, async (vsc) => {
    await vsc.openViewContainer('Screening');
    await vsc.setSideBarWidth(620);
    const errorRow = treeRow(vsc, `Cannot read screening/decisions/${bobName}`);
    await errorRow.waitFor({ state: 'visible', timeout: 90_000 });
    const rowText = await errorRow.innerText();
    assert.match(rowText, /line 4: Not valid JSON/);
    assert.equal(await errorRow.locator('.codicon-error').count(), 1, 'the error icon on the row');
    // The stages are still there, below it.
    await treeRow(vsc, /^Title\/abstract/).waitFor({ state: 'visible' });
    const { value: bar } = await waitFor(() => vsc.statusBarText(), (text) => text.includes(`Cannot read ${bobName}`), 'the status bar naming the file', 60_000);
    assert.match(bar, /T\/A 0\/5/);
    const item = vsc.page.locator('.part.statusbar .statusbar-item', { hasText: `Cannot read ${bobName}` });
    assert.ok((await item.getAttribute('class'))?.includes('error-kind') || (await item.evaluate((node) => getComputedStyle(node).backgroundColor)) !== 'rgba(0, 0, 0, 0)', 'the status bar item in the error colours');
    await vsc.waitForSideBarIdle();
    await vsc.screenshot('unreadable-decisions-file');

    // Clicking the row opens the file at the broken line.
    await errorRow.click();
    await vsc.page.locator('.editor-group-container .tab', { hasText: bobName }).waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor(
      () => vsc.page.locator('.part.statusbar .statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first().innerText().catch(() => ''),
      (text) => /^Ln 4,/.test(text),
      'the cursor on line 4',
      30_000,
    );
    await vsc.screenshot('unreadable-file-opened-at-line');

    // Fixed on disk (e.g. by a pull): the error goes away without a reload, and bob's decisions count.
    writeAtomically(bobFile, good);
    await errorRow.waitFor({ state: 'detached', timeout: 60_000 });
    await waitFor(() => vsc.statusBarText(), (text) => !text.includes('Cannot read') && /T\/A 2\/5/.test(text), 'the status bar back to normal, counting the two decisions of bob', 60_000);
    assert.equal(readFileSync(bobFile, 'utf8'), good, 'the file is never rewritten by the extension');
    await vsc.waitForSideBarIdle();
    await vsc.screenshot('fixed-on-disk');
  });
});
