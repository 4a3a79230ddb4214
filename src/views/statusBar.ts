/**
 * The status bar entry: "$(checklist) 12/5,000 · $(git-merge) 1" — records screened at the current
 * stage (by this reviewer) of those the stage applies to, and the open conflicts. Click: the
 * PRISMA flow.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from './commandIds';
import { STAGE_LABELS, openAtLine, stageProgress, unreadableConsequence } from './recordsTree';
import type { ScreeningModel } from './screeningModel';

const format = (n: number) => n.toLocaleString('en-US');

export class ScreeningStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  /** Who this window decides as (never silent: a machine's global git e-mail is easy to miss). */
  private readonly reviewer: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly model: ScreeningModel) {
    this.item = vscode.window.createStatusBarItem('screening.progress', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('Screening Progress');
    this.item.command = Commands.showPrisma;
    this.reviewer = vscode.window.createStatusBarItem('screening.reviewer', vscode.StatusBarAlignment.Left, 49);
    this.reviewer.name = vscode.l10n.t('Screening Reviewer');
    this.reviewer.command = Commands.setReviewer;
    this.disposables.push(this.item, this.reviewer);
    model.onDidChange(() => this.schedule(), this, this.disposables);
    this.update();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 20);
  }

  update(): void {
    const index = this.model.index;
    const review = this.model.review;
    if (!index || !review || (review.records.length === 0 && !review.configExists)) {
      this.item.hide();
      this.reviewer.hide();
      return;
    }
    this.reviewer.text = `$(person) ${review.reviewer}`;
    this.reviewer.tooltip = vscode.l10n.t('You review as {0}: your decisions go to screening/decisions/{1}.json. Click to change.', review.reviewer, review.reviewerKey);
    this.reviewer.accessibilityInformation = { label: vscode.l10n.t('Screening reviewer: {0}. Click to change.', review.reviewer) };
    this.reviewer.show();
    const stage = this.model.stage;
    const progress = stageProgress(index.stage(stage));
    const conflicts = index.titleAbstract.size({ kind: 'conflicts' }) + index.fullText.size({ kind: 'conflicts' });
    const short = stage === 'title-abstract' ? vscode.l10n.t('T/A') : vscode.l10n.t('FT');
    this.item.text = `$(checklist) ${short} ${format(progress.screened)}/${format(progress.total)}${conflicts > 0 ? ` $(git-merge) ${format(conflicts)}` : ''}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(
      vscode.l10n.t('{0}: {1} of {2} records screened, {3} to go.', vscode.l10n.t(STAGE_LABELS[stage]), format(progress.screened), format(progress.total), format(progress.unscreened)),
    );
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(conflicts === 1 ? vscode.l10n.t('1 open conflict.') : vscode.l10n.t('{0} open conflicts.', format(conflicts)));
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(vscode.l10n.t('Click to show the PRISMA flow.'));
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = {
      label: vscode.l10n.t('Screening: {0} of {1} screened at {2}, {3} conflicts', format(progress.screened), format(progress.total), vscode.l10n.t(STAGE_LABELS[stage]), format(conflicts)),
    };
    this.item.command = Commands.showPrisma;
    this.item.backgroundColor = undefined;
    const unreadable = review.unreadable;
    if (unreadable.length > 0) {
      // The counts leave out what the file holds: say so first, in the error colours; click opens the file.
      const first = unreadable[0];
      this.item.text = `$(error) ${unreadable.length === 1 ? vscode.l10n.t('Cannot read {0}', basename(first.file)) : vscode.l10n.t('Cannot read {0} review files', String(unreadable.length))} · ${this.item.text}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      this.item.command = openAtLine(review, first.file, first.line);
      const error = new vscode.MarkdownString();
      for (const issue of unreadable) {
        error.appendText(`${issue.file}${issue.line > 0 ? `:${issue.line}` : ''}: ${issue.message}`);
        error.appendMarkdown('\n\n');
      }
      error.appendText(unreadableConsequence(first.file));
      error.appendMarkdown('\n\n');
      error.appendText(vscode.l10n.t('Click to open {0}.', first.file));
      this.item.tooltip = error;
      this.item.accessibilityInformation = { label: vscode.l10n.t('Screening: cannot read {0}. {1}', unreadable.map((issue) => issue.file).join(', '), this.item.accessibilityInformation.label) };
    }
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
