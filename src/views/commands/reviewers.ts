/** Working with other reviewers: show conflicts, compare decisions files, set up the git merge driver. */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { setupMergeDriver, mergeDriverCommand } from '../../screening/git-setup';
import { DECISIONS_DIR } from '../../screening/review';
import { Commands, Settings } from '../commandIds';
import type { Command, Services } from '../commandManager';
import { errorMessage } from '../reviewSession';
import { stageName } from '../screeningActions';

export class ShowConflictsCommand implements Command {
  readonly id = Commands.showConflicts;
  constructor(private readonly services: Services) {}

  /** Expands the Conflicts group of the current stage (or of the stage that has conflicts). */
  async execute(): Promise<void> {
    const ready = await this.services.model.ready();
    if (!ready) return;
    const { index } = ready;
    let stage = this.services.model.stage;
    if (index.stage(stage).size({ kind: 'conflicts' }) === 0) {
      const other = stage === 'title-abstract' ? 'full-text' : 'title-abstract';
      if (index.stage(other).size({ kind: 'conflicts' }) === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No conflicts: the reviewers agree on every record they both decided.'));
        return;
      }
      stage = other;
    }
    this.services.model.stage = stage;
    await vscode.commands.executeCommand('workbench.view.extension.screening');
    await this.services.records.revealGroup(stage, 'conflicts');
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Screening: {0} conflicts at {1}', index.stage(stage).size({ kind: 'conflicts' }), stageName(stage)), 4000);
  }
}

export class CompareReviewerCommand implements Command {
  readonly id = Commands.compareReviewer;
  constructor(private readonly services: Services) {}

  /** (reviewerKey?: string) — opens the diff editor: your decisions file beside another reviewer's. */
  async execute(reviewerArg?: unknown): Promise<boolean> {
    const review = this.services.session.review ?? (await this.services.session.ready());
    if (!review) return false;
    await this.services.session.settled();
    const others = review.reviewers().filter((key) => key !== review.reviewerKey);
    if (others.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No other reviewer’s decisions file in {0} yet (pull their work first).', DECISIONS_DIR));
      return false;
    }
    let other = typeof reviewerArg === 'string' && others.includes(reviewerArg) ? reviewerArg : undefined;
    if (!other) {
      const picked = await vscode.window.showQuickPick(
        others.map((key) => ({ label: review.reviewerName(key), description: basename(review.decisionsFile(key)), detail: vscode.l10n.t('{0} decisions', review.decisions(key).length), key })),
        { title: vscode.l10n.t('Compare your decisions with…'), placeHolder: vscode.l10n.t('Pick a reviewer') },
      );
      other = picked?.key;
    }
    if (!other) return false;
    const mine = vscode.Uri.file(review.decisionsFile());
    const theirs = vscode.Uri.file(review.decisionsFile(other));
    try {
      await vscode.workspace.fs.stat(mine);
    } catch {
      void vscode.window.showInformationMessage(vscode.l10n.t('You have no decisions yet: there is nothing to compare.'));
      return false;
    }
    await vscode.commands.executeCommand('vscode.diff', mine, theirs, vscode.l10n.t('Decisions: {0} ↔ {1}', review.reviewerName(review.reviewerKey), review.reviewerName(other)), { preview: true });
    return true;
  }
}

export class SetupMergeDriverCommand implements Command {
  readonly id = Commands.setupMergeDriver;
  constructor(private readonly services: Services) {}

  /** Adds the .gitattributes lines and configures the driver (this extension's CLI) in the clone. */
  async execute(): Promise<boolean> {
    const review = this.services.session.review ?? (await this.services.session.ready());
    if (!review) return false;
    const cli = vscode.Uri.joinPath(this.services.context.extensionUri, 'dist', 'cli.js').fsPath;
    // In desktop VS Code the extension host runs in Electron: run it as plain Node.
    const node = process.execPath;
    const command = `${process.versions.electron ? 'ELECTRON_RUN_AS_NODE=1 ' : ''}${mergeDriverCommand(cli, node)}`;
    try {
      const result = await setupMergeDriver(review.root, command);
      const added = result.attributesAdded.length > 0 ? vscode.l10n.t('Added to .gitattributes (commit it): {0}.', result.attributesAdded.join(', ')) : vscode.l10n.t('.gitattributes already had the lines.');
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Git merges decisions files decision by decision in this clone. {0} Run this again in each clone, and after updating the extension.', added),
      );
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not set up the merge driver (is the review a git repository?): {0}', errorMessage(error)));
      return false;
    }
  }
}

export class SetReviewerCommand implements Command {
  readonly id = Commands.setReviewer;
  constructor(private readonly services: Services) {}

  /**
   * (id?: string) — sets the reviewer identity this window decides as (the screening.reviewer user
   * setting; empty goes back to git's user.email). The review reopens as that reviewer.
   */
  async execute(idArg?: unknown): Promise<string | undefined> {
    const review = this.services.session.review ?? (await this.services.session.ready());
    const value =
      typeof idArg === 'string'
        ? idArg
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Reviewer identity'),
            prompt: vscode.l10n.t(
              'Your decisions are saved under this id (usually your e-mail address) in screening/decisions/. Empty: use git’s user.email of this repository. Saved in your user settings (screening.reviewer).',
            ),
            value: review?.reviewer ?? '',
            validateInput: (text) => (/[\r\n]/.test(text) ? vscode.l10n.t('One line, please.') : undefined),
          });
    if (value === undefined) return undefined;
    const settings = vscode.workspace.getConfiguration(Settings.section);
    // User settings, not the workspace's: a shared repository must not give everyone the same identity.
    await settings.update(Settings.reviewer, value.trim() || undefined, vscode.ConfigurationTarget.Global);
    const reopened = await this.services.session.ready();
    const now = value.trim() || reopened?.reviewer || '';
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Screening: you now review as {0}', now), 4000);
    return now;
  }
}
