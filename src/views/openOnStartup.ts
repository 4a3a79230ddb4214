/**
 * `screening.openOnStartup` (the sample review sets it in its .vscode/settings.json): when the
 * folder opens, show the Records view and the first unscreened record in the reader, so a newcomer
 * sees the review ready to screen without a click. A reader restored from the last session wins.
 */
import * as vscode from 'vscode';
import { RECORDS_VIEW_ID, Settings } from './commandIds';
import type { Services } from './commandManager';

export async function openOnStartup({ model, actions, reader, records }: Services): Promise<void> {
  if (!vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.openOnStartup, false)) return;
  await vscode.commands.executeCommand(`${RECORDS_VIEW_ID}.focus`);
  if (!(await model.ready()) || reader.current) return;
  const first = actions.nextUnscreenedAfter(undefined);
  if (!first) return;
  records.follow(first.recordId, first.stage);
  await reader.show(first);
  records.reveal(first.recordId, first.stage);
}
