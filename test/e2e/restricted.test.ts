/**
 * The sample review opened as an untrusted folder (Restricted Mode): the manifest declares
 * `capabilities.untrustedWorkspaces.supported: true`, so the extension still runs and its view works.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { copyFixture, repoRoot, withVsCode } from './harness';

const seedFiles = readdirSync(join(repoRoot, 'seeds')).sort();

test('Restricted Mode (untrusted workspace): the extension runs and lists the sample review', { timeout: 240_000 }, () =>
  withVsCode('restricted-mode', { workspace: copyFixture('seeds'), trusted: false }, async (vsc) => {
    // Workspace trust is on and the folder is not trusted: VS Code says so in the status bar.
    await vsc.page.locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'visible' });
    await vsc.screenshot('restricted-mode-workbench');

    await vsc.openViewContainer('Screening');
    await vsc.setSideBarWidth(520);
    const records = vsc.view('Records');
    for (const file of seedFiles) {
      await records.locator('.monaco-list-row', { hasText: file }).waitFor({ state: 'visible' });
    }
    await vsc.runCommand('Screening: Refresh Records');
    await records.locator('.monaco-list-row', { hasText: seedFiles[0] }).waitFor({ state: 'visible' });
    await vsc.waitForSideBarIdle();
    await vsc.screenshot('restricted-mode-records-view');
  }),
);
