/** Full texts: match the folder's PDFs, attach / detach a PDF by hand, next record without a PDF, unmatched PDFs. */
import * as vscode from 'vscode';
import { relative } from 'node:path';
import { toReviewPath } from '../../screening/review-fs';
import { Commands } from '../commandIds';
import type { Command, Services } from '../commandManager';
import { errorMessage } from '../reviewSession';

/** The folder PDFs picked from outside the review are copied into. */
export const FULLTEXT_FOLDER = 'fulltext';

export class MatchPdfsCommand implements Command {
  readonly id = Commands.matchPdfs;
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    const fullTexts = await this.services.fullTexts.ready();
    if (!fullTexts) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder with a review to match its PDFs.'));
      return;
    }
    let summary;
    try {
      summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Matching PDFs to records…') }, () => fullTexts.match());
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not match the PDFs: {0}', errorMessage(error)));
      return;
    }
    // In the extension host's log too, with the reason (Help: Show Logs… → Extension Host).
    for (const item of summary.unreadable) console.warn(`sr-screening: ${item.file}: ${item.message}`);
    const missing = fullTexts.report().filter((entry) => entry.state === 'not-found' || entry.state === 'missing-file').length;
    const parts = [vscode.l10n.t('Matched {0} PDF(s).', summary.matches.length), vscode.l10n.t('{0} included record(s) without a PDF.', missing)];
    if (summary.unmatched.length > 0) parts.push(vscode.l10n.t('{0} PDF(s) no record has.', summary.unmatched.length));
    if (summary.unreadable.length > 0) parts.push(vscode.l10n.t('{0} could not be read (encrypted or damaged).', summary.unreadable.length));
    const showUnmatched = vscode.l10n.t('Show Unmatched PDFs');
    const choice = await vscode.window.showInformationMessage(parts.join(' '), ...(summary.unmatched.length > 0 ? [showUnmatched] : []));
    if (choice === showUnmatched) await vscode.commands.executeCommand(Commands.showUnmatchedPdfs);
    this.services.reader.refresh();
  }
}

export class AttachPdfCommand implements Command {
  readonly id = Commands.attachPdf;
  constructor(private readonly services: Services) {}

  /** (target…) or (recordId, stage, uri): attaches the PDF at `uri`, else one picked in a file dialog. */
  async execute(...args: unknown[]): Promise<boolean> {
    const target = this.services.actions.target(args);
    const fullTexts = await this.services.fullTexts.ready();
    if (!target || !fullTexts) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a record in the reader, or select one in the Records view, first.'));
      return false;
    }
    const review = fullTexts.review;
    let uri = args.find((arg): arg is vscode.Uri => arg instanceof vscode.Uri);
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        title: vscode.l10n.t('PDF of “{0}”', review.record(target.recordId)?.title ?? target.recordId),
        canSelectMany: false,
        filters: { PDF: ['pdf', 'PDF'] },
        defaultUri: vscode.Uri.file(review.path(FULLTEXT_FOLDER)),
        openLabel: vscode.l10n.t('Attach PDF'),
      });
      uri = picked?.[0];
    }
    if (!uri) return false;
    let file = toReviewPath(relative(review.root, uri.fsPath));
    try {
      if (file.startsWith('../') || file === '..' || /^[a-z]:/i.test(file) || file.startsWith('/')) {
        // Outside the review: a copy in fulltext/ travels with the review (and its git repository).
        const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
        const copy = vscode.Uri.file(review.path(`${FULLTEXT_FOLDER}/${name}`));
        await vscode.workspace.fs.copy(uri, copy, { overwrite: false });
        file = `${FULLTEXT_FOLDER}/${name}`;
      }
      await fullTexts.attach(target.recordId, file);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not attach the PDF: {0}', errorMessage(error)));
      return false;
    }
    if (this.services.reader.isOpen) await this.services.reader.show({ recordId: target.recordId, stage: 'full-text' }, { preserveFocus: true, notice: vscode.l10n.t('PDF attached: {0}', file) });
    return true;
  }
}

export class DetachPdfCommand implements Command {
  readonly id = Commands.detachPdf;
  constructor(private readonly services: Services) {}

  async execute(...args: unknown[]): Promise<void> {
    const target = this.services.actions.target(args);
    const fullTexts = await this.services.fullTexts.ready();
    if (!target || !fullTexts) return;
    try {
      await fullTexts.detach(target.recordId);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not detach the PDF: {0}', errorMessage(error)));
      return;
    }
    this.services.reader.refresh(vscode.l10n.t('PDF detached: automatic matching leaves this record alone until you attach one.'));
  }
}

export class NextWithoutPdfCommand implements Command {
  readonly id = Commands.nextWithoutPdf;
  constructor(private readonly services: Services) {}

  /** The next record included at title/abstract (after the one shown) with neither a PDF nor "not retrieved". */
  async execute(): Promise<void> {
    const fullTexts = await this.services.fullTexts.ready();
    if (!fullTexts) return;
    const waiting = fullTexts.report().filter((entry) => entry.state === 'not-found' || entry.state === 'missing-file');
    if (waiting.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Every record included at title/abstract has a PDF or is marked not retrieved.'));
      return;
    }
    const current = this.services.reader.current?.recordId;
    const at = waiting.findIndex((entry) => entry.record.id === current);
    const next = waiting[(at + 1) % waiting.length];
    await this.services.reader.show({ recordId: next.record.id, stage: 'full-text' }, { preserveFocus: false, notice: vscode.l10n.t('{0} record(s) without a PDF', waiting.length) });
  }
}

export class ShowUnmatchedPdfsCommand implements Command {
  readonly id = Commands.showUnmatchedPdfs;
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    const fullTexts = await this.services.fullTexts.ready();
    if (!fullTexts) return;
    const unmatched = fullTexts.unmatched();
    if (unmatched.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Every PDF in the review folder belongs to a record.'));
      return;
    }
    const picked = await vscode.window.showQuickPick(
      unmatched.map((file) => ({
        label: file.slice(file.lastIndexOf('/') + 1),
        description: file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '',
        ...(fullTexts.problem(file) ? { detail: fullTexts.problem(file) } : {}),
        file,
      })),
      { title: vscode.l10n.t('PDFs no record has ({0})', unmatched.length), placeHolder: vscode.l10n.t('Open a PDF to see whose it is; attach it from the reader') },
    );
    if (picked) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(fullTexts.review.path(picked.file)));
  }
}
