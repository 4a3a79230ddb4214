/** Starting a review, opening the sample review, reloading from disk. */
import * as vscode from 'vscode';
import { REVIEW_FILE } from '../../screening/review';
import { prepareSampleReview } from '../../screening/sample-review';
import { uniqueFileName } from '../../screening/source-catalogue';
import { Commands } from '../commandIds';
import type { Command, Services } from '../commandManager';
import { errorMessage } from '../reviewSession';

export class StartReviewCommand implements Command {
  readonly id = Commands.startReview;
  constructor(private readonly services: Services) {}

  /** Writes screening/review.json from the defaults (the folder's files as sources) and opens it. */
  async execute(): Promise<vscode.Uri | undefined> {
    const review = this.services.session.review ?? (await this.services.session.ready());
    if (!review) {
      const open = vscode.l10n.t('Open Folder');
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Open the folder that holds (or will hold) the exported search results first.'), open);
      if (choice === open) await vscode.commands.executeCommand('vscode.openFolder');
      return undefined;
    }
    const uri = vscode.Uri.file(review.path(REVIEW_FILE));
    if (review.configBlocked) {
      // The file is there but not understood: show it to fix, never replace it with defaults.
      void vscode.window.showWarningMessage(vscode.l10n.t('{0}. Fix the file; it is not rewritten from the defaults.', review.configBlocked));
    } else if (!review.configExists) {
      try {
        await review.saveConfig(review.config);
      } catch (error) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not write {0}: {1}', REVIEW_FILE, errorMessage(error)));
        return undefined;
      }
      const sources = review.config.sources.length;
      void vscode.window.showInformationMessage(
        sources === 0
          ? vscode.l10n.t('Started a review in this folder ({0}). Import records to screen.', REVIEW_FILE)
          : vscode.l10n.t('Started a review in this folder ({0}) with {1} source files and {2} records.', REVIEW_FILE, sources, review.records.length),
      );
    }
    await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: true });
    return uri;
  }
}

export class OpenSampleCommand implements Command {
  readonly id = Commands.openSample;
  constructor(private readonly services: Services) {}

  /** Makes the sample review (src/screening/sample-review.ts) in a new folder where the user picks and opens it. (target?: Uri of the parent folder) */
  async execute(parentArg?: unknown): Promise<vscode.Uri | undefined> {
    let parent = parentArg instanceof vscode.Uri ? parentArg : undefined;
    if (!parent) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        openLabel: vscode.l10n.t('Create the Sample Review Here'),
        title: vscode.l10n.t('Where should the sample review go? (a new folder is created inside)'),
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, '..') } : {}),
      });
      parent = picked?.[0];
    }
    if (!parent) return undefined;
    try {
      const taken = (await vscode.workspace.fs.readDirectory(parent).then(undefined, () => [] as [string, vscode.FileType][])).map(([name]) => name);
      const target = vscode.Uri.joinPath(parent, uniqueFileName('sample-review', taken));
      const seeds = vscode.Uri.joinPath(this.services.context.extensionUri, 'seeds');
      // The seeds, a review.json with the sample's sources, terms and reasons, and the workspace settings.
      await prepareSampleReview(seeds.fsPath, target.fsPath);
      await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: false });
      return target;
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not create the sample review: {0}', errorMessage(error)));
      return undefined;
    }
  }
}

export class RefreshCommand implements Command {
  readonly id = Commands.refresh;
  constructor(private readonly services: Services) {}

  /** Reads the review again from disk (sources, settings, decisions). */
  async execute(): Promise<void> {
    await vscode.window.withProgress({ location: { viewId: 'screening.records' } }, async () => {
      await this.services.session.open();
      await this.services.model.ready();
    });
  }
}

export class ShowSummaryCommand implements Command {
  readonly id = Commands.showSampleSummary;
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    const review = this.services.session.review ?? (await this.services.session.ready());
    const summary = review
      ? vscode.l10n.t('{0} records from {1} sources, {2} duplicates removed, {3} import problems.', review.records.length, review.files.length, review.duplicates.length, review.problems.length)
      : vscode.l10n.t('No review is open.');
    void vscode.window.showInformationMessage(`${vscode.l10n.t('Systematic Review Screening is active.')} ${summary}`);
  }
}

