/**
 * Taking the review's results out: Export Records… (records with their screening outcome, in a
 * reference manager's format) and Export Decisions Table… (who decided what, CSV or JSON).
 * Arguments (for tests and keybindings): exportRecords(format?, status?, stage?, target?) and
 * exportDecisions(format?, target?); what is missing is asked with a Quick Pick and a save dialog.
 */
import * as vscode from 'vscode';
import { isStage, type Stage } from '../../screening/decision';
import { decisionsCsv, decisionsTable } from '../../screening/export/decisions-table';
import {
  EXPORT_STATUSES,
  FORMAT_EXTENSION,
  formatRecords,
  RECORD_EXPORT_FORMATS,
  selectForExport,
  type ExportStatus,
  type RecordExportFormat,
} from '../../screening/export/index';
import { reportInput, reportMarkdown } from '../../screening/export/report';
import type { Review } from '../../screening/review';
import { Commands } from '../commandIds';
import type { Command, Services } from '../commandManager';
import { errorMessage } from '../reviewSession';

const FORMAT_LABEL: Record<RecordExportFormat, string> = {
  ris: 'RIS',
  bibtex: 'BibTeX (BibLaTeX)',
  csv: 'CSV',
  'csl-json': 'CSL-JSON',
  'endnote-xml': 'EndNote XML',
};

function formatDetail(format: RecordExportFormat): string {
  switch (format) {
    case 'ris':
      return vscode.l10n.t('Zotero, EndNote, Mendeley, Rayyan: the screening outcome and notes in N1 (Notes)');
    case 'bibtex':
      return vscode.l10n.t('Zotero, JabRef, LaTeX: the screening outcome in the note field');
    case 'csv':
      return vscode.l10n.t('Spreadsheets and data extraction: one row per record, screening columns at the end');
    case 'csl-json':
      return vscode.l10n.t('Zotero, Pandoc: the outcome in note, and in full under custom.screening');
    case 'endnote-xml':
      return vscode.l10n.t('EndNote: the screening outcome in Notes');
  }
}

function statusLabel(status: ExportStatus): string {
  switch (status) {
    case 'included':
      return vscode.l10n.t('Included');
    case 'excluded':
      return vscode.l10n.t('Excluded');
    case 'maybe':
      return vscode.l10n.t('Maybe');
    case 'pending':
      return vscode.l10n.t('Pending (not decided yet, awaiting, conflict or maybe)');
    case 'conflict':
      return vscode.l10n.t('In conflict');
    case 'all':
      return vscode.l10n.t('All records');
  }
}

async function openReview(services: Services): Promise<Review | undefined> {
  const review = services.session.review ?? (await services.session.ready());
  if (!review) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Open a folder with a review to export from it.'));
    return undefined;
  }
  await services.session.settled();
  const broken = review.issues.filter((issue) => issue.severity === 'error');
  if (broken.length > 0) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('{0} has a problem ({1}); fix it first, so the export does not miss decisions.', broken[0].file, broken[0].message),
    );
    return undefined;
  }
  return review;
}

function targetUri(review: Review, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg.length > 0) return /^([a-z]:)?[\\/]/i.test(arg) ? vscode.Uri.file(arg) : vscode.Uri.joinPath(vscode.Uri.file(review.root), arg);
  return undefined;
}

async function write(target: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
}

export class ExportRecordsCommand implements Command {
  readonly id = Commands.exportRecords;
  constructor(private readonly services: Services) {}

  async execute(formatArg?: unknown, statusArg?: unknown, stageArg?: unknown, targetArg?: unknown): Promise<vscode.Uri | undefined> {
    const review = await openReview(this.services);
    if (!review) return undefined;
    const format = RECORD_EXPORT_FORMATS.includes(formatArg as RecordExportFormat) ? (formatArg as RecordExportFormat) : await pickFormat();
    if (!format) return undefined;
    let status = EXPORT_STATUSES.includes(statusArg as ExportStatus) ? (statusArg as ExportStatus) : undefined;
    let stage: Stage | undefined = isStage(stageArg) ? stageArg : undefined;
    if (!status) {
      const picked = await pickSelection(review);
      if (!picked) return undefined;
      ({ status, stage } = picked);
    }
    const items = selectForExport(review, { status, stage });
    if (items.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No records to export: none is {0}.', statusLabel(status).toLowerCase()));
      return undefined;
    }
    const target =
      targetUri(review, targetArg) ??
      (await vscode.window.showSaveDialog({
        // In screening/: a file in the review folder itself would be read as a source (docs/screening-files.md).
        defaultUri: vscode.Uri.joinPath(vscode.Uri.file(review.root), 'screening', `${status}${stage ? `-${stage}` : ''}.${FORMAT_EXTENSION[format]}`),
        filters: { [FORMAT_LABEL[format]]: [FORMAT_EXTENSION[format]] },
        saveLabel: vscode.l10n.t('Export'),
        title: vscode.l10n.t('Export {0} records as {1}', items.length, FORMAT_LABEL[format]),
      }));
    if (!target) return undefined;
    try {
      await write(target, formatRecords(items, format));
      void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} records to {1}.', items.length, vscode.workspace.asRelativePath(target, false)));
      return target;
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not export the records: {0}', errorMessage(error)));
      return undefined;
    }
  }
}

async function pickFormat(): Promise<RecordExportFormat | undefined> {
  const picked = await vscode.window.showQuickPick(
    RECORD_EXPORT_FORMATS.map((format) => ({ label: FORMAT_LABEL[format], description: `.${FORMAT_EXTENSION[format]}`, detail: formatDetail(format), format })),
    { title: vscode.l10n.t('Export records'), placeHolder: vscode.l10n.t('Choose a format') },
  );
  return picked?.format;
}

async function pickSelection(review: Review): Promise<{ status: ExportStatus; stage?: Stage } | undefined> {
  const choices: { label: string; description?: string; status: ExportStatus; stage?: Stage }[] = [];
  const count = (status: ExportStatus, stage?: Stage) => selectForExport(review, { status, stage }).length;
  choices.push({ label: vscode.l10n.t('Included (final)'), description: vscode.l10n.t('{0} records', count('included')), status: 'included' });
  choices.push({ label: vscode.l10n.t('Included at title/abstract'), description: vscode.l10n.t('{0} records', count('included', 'title-abstract')), status: 'included', stage: 'title-abstract' });
  choices.push({ label: vscode.l10n.t('Excluded (final)'), description: vscode.l10n.t('{0} records', count('excluded')), status: 'excluded' });
  for (const status of ['maybe', 'conflict', 'pending', 'all'] as const) {
    choices.push({ label: statusLabel(status), description: vscode.l10n.t('{0} records', count(status)), status });
  }
  const picked = await vscode.window.showQuickPick(choices, { title: vscode.l10n.t('Export records'), placeHolder: vscode.l10n.t('Which records?') });
  return picked ? { status: picked.status, stage: picked.stage } : undefined;
}

export class ExportDecisionsCommand implements Command {
  readonly id = Commands.exportDecisions;
  constructor(private readonly services: Services) {}

  async execute(formatArg?: unknown, targetArg?: unknown): Promise<vscode.Uri | undefined> {
    const review = await openReview(this.services);
    if (!review) return undefined;
    let format = formatArg === 'csv' || formatArg === 'json' ? formatArg : undefined;
    if (!format) {
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'CSV', description: '.csv', detail: vscode.l10n.t('One row per record and stage, four columns per reviewer'), format: 'csv' as const },
          { label: 'JSON', description: '.json', detail: vscode.l10n.t('The same rows as objects'), format: 'json' as const },
        ],
        { title: vscode.l10n.t('Export the decisions table'), placeHolder: vscode.l10n.t('Choose a format') },
      );
      format = picked?.format;
    }
    if (!format) return undefined;
    const rows = decisionsTable(review);
    if (rows.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No decisions to export yet.'));
      return undefined;
    }
    const target =
      targetUri(review, targetArg) ??
      (await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(vscode.Uri.file(review.root), 'screening', `decisions-table.${format}`),
        filters: { [format.toUpperCase()]: [format] },
        saveLabel: vscode.l10n.t('Export'),
        title: vscode.l10n.t('Export the decisions table'),
      }));
    if (!target) return undefined;
    try {
      await write(target, format === 'csv' ? decisionsCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} rows of decisions to {1}.', rows.length, vscode.workspace.asRelativePath(target, false)));
      return target;
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not export the decisions table: {0}', errorMessage(error)));
      return undefined;
    }
  }
}

export class ShowReportCommand implements Command {
  readonly id = Commands.showReport;
  constructor(private readonly services: Services) {}

  /** Opens the methods-section report (Markdown) in an editor and its rendered preview beside it. */
  async execute(): Promise<vscode.TextDocument | undefined> {
    const review = await openReview(this.services);
    if (!review) return undefined;
    const dates = new Map<string, string>();
    for (const source of review.config.sources) {
      try {
        const stat = await vscode.workspace.fs.stat(vscode.Uri.file(review.path(source.file)));
        dates.set(source.file, new Date(stat.mtime).toISOString().slice(0, 10));
      } catch {
        // a missing source is reported in the Problems panel
      }
    }
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: reportMarkdown(reportInput(review, dates)) });
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('markdown.showPreviewToSide', document.uri);
    return document;
  }
}
