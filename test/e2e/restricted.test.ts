/**
 * The sample review opened as an untrusted folder (Restricted Mode): the manifest declares
 * `capabilities.untrustedWorkspaces.supported: true`, so the extension still runs (it never runs
 * workspace code): its view lists the records and a decision made in the reader is written.
 */
import { fileSafeReviewerId } from '../../src/screening/reviewer';
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { copyFixture, withVsCode } from './harness';
import { focusReader, readDecisions, reader, SEED_TITLES, treeRow, waitFor, waitForReader } from './workbench-helpers';

test('Restricted Mode (untrusted workspace): the extension runs, lists the sample review and records decisions', { timeout: 240_000 }, () => {
  const workspace = copyFixture('seeds');
  return withVsCode('restricted-mode', { workspace, trusted: false, settings: { 'screening.reviewer': 'e2e@example.org' } }, async (vsc) => {
    // Workspace trust is on and the folder is not trusted: VS Code says so in the status bar.
    await vsc.page.locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'visible' });
    await vsc.screenshot('restricted-mode-workbench');

    await vsc.openViewContainer('Screening');
    await vsc.setSideBarWidth(520);
    for (const title of SEED_TITLES) await treeRow(vsc, title).waitFor({ state: 'visible', timeout: 60_000 });
    await vsc.runCommand('Screening: Refresh Records');
    await treeRow(vsc, SEED_TITLES[0]).waitFor({ state: 'visible' });
    await vsc.waitForSideBarIdle();
    await vsc.screenshot('restricted-mode-records-view');

    // A decision in the reader (the reviewer id comes from the user's settings, which Restricted Mode keeps).
    await treeRow(vsc, SEED_TITLES[0]).click();
    const frame = await reader(vsc);
    const id = 'doi:10.1186/s12888-025-06572-2';
    await waitForReader(frame, id);
    await focusReader(frame);
    await vsc.page.keyboard.press('i');
    await waitFor(() => readDecisions(workspace, 'e2e@example.org').map((d) => `${d.record} ${d.verdict}`), (lines) => lines.join() === `${id} include`, 'the decision on disk');
    assert.deepEqual(readdirSync(join(workspace, 'screening', 'decisions')), [`${fileSafeReviewerId('e2e@example.org')}.json`]);
    await vsc.screenshot('restricted-mode-decision');
  });
});
