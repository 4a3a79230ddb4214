/**
 * A person opens the sample review (a copy of seeds/) in VS Code with the packaged extension:
 * the Screening icon is in the activity bar, its Records view lists the seed records under
 * Title/abstract → Unscreened, the extension's commands are in the command palette and run, and a
 * record opens in the reader.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyFixture, withVsCode } from './harness';
import { reader, SEED_TITLES, treeRow } from './workbench-helpers';

test('the extension activates on the sample review: activity-bar icon, Records view, palette commands', { timeout: 240_000 }, () =>
  withVsCode('activation', { workspace: copyFixture('seeds') }, async (vsc) => {
    const icon = vsc.activityBarItem('Screening');
    await icon.waitFor({ state: 'visible' });
    await vsc.screenshot('workbench-with-screening-icon');

    await vsc.openViewContainer('Screening');
    const records = vsc.view('Records');
    for (const title of SEED_TITLES) await treeRow(vsc, title).waitFor({ state: 'visible', timeout: 60_000 });
    const labels = await vsc.treeLabels('Records');
    assert.deepEqual(labels.slice(0, 2), ['Title/abstract', 'Unscreened (5)'], `the Records view shows: ${labels.join(' | ')}`);
    // The view's title bar carries the refresh action.
    await vsc.setSideBarWidth(520);
    await records.hover();
    await vsc.sideBarAction('Refresh Records').waitFor({ state: 'visible' });
    await vsc.waitForSideBarIdle();
    await vsc.screenshot('records-view');

    // (The palette's list is virtual: ask for each command by its title.)
    for (const title of ['Screening: Refresh Records', 'Screening: Show Sample Review Summary', 'Screening: Search Records…', 'Screening: Next Unscreened Record', 'Screening: Import Records…']) {
      const entries = await vsc.paletteEntries(title);
      assert.ok(entries.includes(title), `the palette offers "${title}"; it offers: ${entries.join(' | ')}`);
    }
    const entries = await vsc.paletteEntries('Screening:');
    assert.ok(!entries.includes('Screening: Undo Last Decision'), 'commands that do not apply yet are not offered');
    await vsc.screenshot('palette-screening-commands');
    await vsc.closeQuickInput();

    await vsc.runCommand('Screening: Show Sample Review Summary');
    await vsc.page.locator('.notifications-toasts .notification-toast', { hasText: 'Systematic Review Screening is active.' }).waitFor({ state: 'visible' });
    await vsc.screenshot('command-ran-notification');

    // A record row opens the record in the reader.
    await treeRow(vsc, SEED_TITLES[1]).click();
    const frame = await reader(vsc);
    await frame.locator('#title', { hasText: SEED_TITLES[1] }).waitFor({ state: 'visible' });
    await vsc.screenshot('record-opens-in-reader');

    await vsc.runCommand('Screening: Refresh Records');
    await treeRow(vsc, SEED_TITLES[0]).waitFor({ state: 'visible' });
    // The refresh button of the view title works too.
    await records.hover();
    await vsc.sideBarAction('Refresh Records').click();
    await treeRow(vsc, SEED_TITLES[4]).waitFor({ state: 'visible' });
  }),
);
