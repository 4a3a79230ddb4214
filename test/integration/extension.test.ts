/**
 * The extension in a real extension host, through the `vscode` API. The workspace is a copy of seeds/.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ScreeningApi } from '../../src/extension';

const EXTENSION_ID = 'sr-screening.sr-screening';
const SEED_FILES = ['000_5ac076b1b50789ed.txt', '001_86ab03fc405a49da.txt', '002_f4066c9c8d01d0c3.txt', '003_dc436e7f8f4458aa.txt', '004_162abf6513c8e8a2.txt'];

interface Manifest {
  contributes: {
    commands: { command: string }[];
    viewsContainers: { activitybar: { id: string }[] };
    views: Record<string, { id: string }[]>;
  };
}

suite('Extension', () => {
  let extension: vscode.Extension<ScreeningApi>;
  let api: ScreeningApi;

  suiteSetup(async () => {
    const found = vscode.extensions.getExtension<ScreeningApi>(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not installed in the extension host`);
    extension = found;
    api = await extension.activate();
  });

  test('activates and returns its API', () => {
    assert.equal(extension.isActive, true);
    assert.equal(typeof api.records, 'function');
  });

  test('registers every command it contributes', async () => {
    const manifest = extension.packageJSON as Manifest;
    const contributed = manifest.contributes.commands.map((command) => command.command);
    assert.ok(contributed.includes('screening.refresh'));
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('contributes the Screening container with the Records view, and both open', async () => {
    const manifest = extension.packageJSON as Manifest;
    assert.ok(manifest.contributes.viewsContainers.activitybar.some((container) => container.id === 'screening'));
    assert.deepEqual(manifest.contributes.views.screening?.map((view) => view.id), ['screening.records']);
    const registered = new Set(await vscode.commands.getCommands(true));
    // The workbench registers these for every contributed container and view.
    assert.ok(registered.has('workbench.view.extension.screening'));
    assert.ok(registered.has('screening.records.focus'));
    await vscode.commands.executeCommand('workbench.view.extension.screening');
    await vscode.commands.executeCommand('screening.records.focus');
  });

  test('the Records view shows the review: every seed record, by stage and status', async () => {
    assert.equal(vscode.workspace.workspaceFolders?.length, 1, 'the suite runs on one workspace folder (a copy of seeds/)');
    const snapshot = await api.records();
    assert.equal(snapshot.records, SEED_FILES.length, `one record per seed file; titles: ${snapshot.titles.join(' | ')}`);
    assert.ok(snapshot.titles.some((title) => title.startsWith('Barriers to Somatic Health Care')), snapshot.titles.join(' | '));
    const titleAbstract = snapshot.stages.find((stage) => stage.stage === 'title-abstract');
    assert.equal(titleAbstract?.groups.find((group) => group.group === 'unscreened')?.count, SEED_FILES.length);
  });

  test('Refresh Records picks up new files and skips dot-folders and screening/', async () => {
    const root = vscode.workspace.workspaceFolders![0]!.uri;
    const added = vscode.Uri.joinPath(root, 'zz-added.ris');
    const hidden = vscode.Uri.joinPath(root, '.hidden', 'hidden.ris');
    const decisions = vscode.Uri.joinPath(root, 'screening', 'decisions.txt');
    const ris = (title: string) => new TextEncoder().encode(`TY  - JOUR\nTI  - ${title}\nAU  - Doe, Jane\nPY  - 2024\nER  - \n`);
    try {
      await vscode.workspace.fs.writeFile(added, ris('An added record'));
      await vscode.workspace.fs.writeFile(hidden, ris('A hidden record'));
      await vscode.workspace.fs.writeFile(decisions, ris('A record under screening'));
      await vscode.commands.executeCommand('screening.refresh');
      const titles = (await api.records()).titles;
      assert.ok(titles.includes('An added record'), `added record missing from ${titles.join(' | ')}`);
      assert.ok(!titles.some((title) => title === 'A hidden record' || title === 'A record under screening'), `skipped folders read: ${titles.join(' | ')}`);
    } finally {
      for (const uri of [added, vscode.Uri.joinPath(root, '.hidden'), vscode.Uri.joinPath(root, 'screening')]) {
        await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
      }
      await vscode.commands.executeCommand('screening.refresh');
    }
    assert.equal((await api.records()).records, SEED_FILES.length);
  });
});
