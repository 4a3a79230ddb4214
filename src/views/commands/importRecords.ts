/**
 * Import records: pick export files (several at once), say for each which database, register or
 * other method it came from (PRISMA 2020 category and name), and the files are copied into the
 * review's sources/ folder (files already inside the review stay where they are) and listed as
 * sources in screening/review.json; the review re-imports. A progress notification with cancel;
 * a summary with records, duplicates removed and problems, and "Show Problems" (the Problems
 * panel, each problem at file:line).
 */
import * as vscode from 'vscode';
import type { Review } from '../../screening/review';
import type { SourceCategory } from '../../screening/review-config';
import { ImportCancelled } from '../../screening/import-service';
import { CATEGORY_LABELS, contentDigest, KNOWN_SOURCES, OTHER_METHODS, suggestSources, uniqueFileName, withSources, type AddedSource } from '../../screening/source-catalogue';
import { Commands } from '../commandIds';
import type { Command, Services } from '../commandManager';
import { errorMessage } from '../reviewSession';

/** Where imported files are copied, under the review root. */
export const SOURCES_FOLDER = 'sources';

interface SourcePick extends vscode.QuickPickItem {
  source?: { category: SourceCategory; name?: string };
}

export class ImportRecordsCommand implements Command {
  readonly id = Commands.importRecords;
  constructor(private readonly services: Services) {}

  /**
   * (files?: Uri[], sources?: { category, name? }[]) — without arguments, asks with an open
   * dialog and a Quick Pick per file. Resolves with the summary, or undefined when cancelled.
   */
  async execute(filesArg?: unknown, sourcesArg?: unknown): Promise<ImportSummary | undefined> {
    const review = this.services.session.review ?? (await this.services.session.ready());
    if (!review) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open the review’s folder first: imported files are copied into it.'));
      return undefined;
    }
    const picked = Array.isArray(filesArg) && filesArg.every((item) => item instanceof vscode.Uri) ? (filesArg as vscode.Uri[]) : await pickFiles(review);
    if (!picked || picked.length === 0) return undefined;
    const files = await this.withoutRepeats(review, picked);
    if (!files || files.length === 0) return undefined;
    const sources: { category: SourceCategory; name?: string }[] = [];
    for (const [i, file] of files.entries()) {
      const given = Array.isArray(sourcesArg) ? (sourcesArg[i] as { category?: SourceCategory; name?: string } | undefined) : undefined;
      const source = given?.category ? { category: given.category, name: given.name } : await pickSource(file, i, files.length);
      if (!source) return undefined;
      sources.push(source);
    }
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Importing records'), cancellable: true },
      (progress, token) => this.run(review, files, sources, progress, token),
    );
  }

  /**
   * Asks about each file whose content is already a source of the review (under any name): importing
   * it again would count its records twice as identified. Returns the files to import, or undefined
   * when the reviewer cancelled.
   */
  private async withoutRepeats(review: Review, files: vscode.Uri[]): Promise<vscode.Uri[] | undefined> {
    const root = vscode.Uri.file(review.root);
    const digestOf = async (uri: vscode.Uri) => contentDigest(await vscode.workspace.fs.readFile(uri));
    const existing = new Map<string, string>();
    for (const source of review.config.sources) {
      const digest = await digestOf(vscode.Uri.joinPath(root, ...source.file.split('/'))).catch(() => undefined);
      if (digest && !existing.has(digest)) existing.set(digest, source.file);
    }
    const kept: vscode.Uri[] = [];
    for (const file of files) {
      const digest = await digestOf(file).catch(() => undefined);
      const same = digest === undefined ? undefined : existing.get(digest);
      if (same === undefined) {
        if (digest) existing.set(digest, insideRoot(root, file) ?? file.path);
        kept.push(file);
        continue;
      }
      const name = file.path.slice(file.path.lastIndexOf('/') + 1);
      const skip = vscode.l10n.t('Skip This File');
      const again = vscode.l10n.t('Import Again');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('“{0}” has the same content as {1}, already a source of this review.', name, same),
        {
          modal: true,
          detail: vscode.l10n.t('Importing it again counts its records a second time as identified (PRISMA), all of them as duplicates. Import it again only if the search really was run twice.'),
        },
        skip,
        again,
      );
      if (choice === undefined) return undefined;
      if (choice === again) kept.push(file);
    }
    return kept;
  }

  private async run(
    review: Review,
    files: vscode.Uri[],
    sources: { category: SourceCategory; name?: string }[],
    progress: vscode.Progress<{ message?: string; increment?: number }>,
    token: vscode.CancellationToken,
  ): Promise<ImportSummary | undefined> {
    const root = vscode.Uri.file(review.root);
    const copied: vscode.Uri[] = [];
    const added: AddedSource[] = [];
    const step = 70 / files.length;
    try {
      for (const [i, file] of files.entries()) {
        if (token.isCancellationRequested) throw new vscode.CancellationError();
        const name = file.path.slice(file.path.lastIndexOf('/') + 1);
        progress.report({ message: vscode.l10n.t('Copying {0} ({1} of {2})', name, i + 1, files.length), increment: step });
        let relative = insideRoot(root, file);
        if (relative === undefined) {
          const folder = vscode.Uri.joinPath(root, SOURCES_FOLDER);
          await vscode.workspace.fs.createDirectory(folder);
          const taken = (await vscode.workspace.fs.readDirectory(folder)).map(([entry]) => entry);
          const target = vscode.Uri.joinPath(folder, uniqueFileName(name, taken));
          await vscode.workspace.fs.copy(file, target, { overwrite: false });
          copied.push(target);
          relative = `${SOURCES_FOLDER}/${target.path.slice(target.path.lastIndexOf('/') + 1)}`;
        }
        added.push({ file: relative, ...sources[i] });
      }
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      progress.report({ message: vscode.l10n.t('Reading the records…'), increment: 10 });
      const before = { records: review.records.length, duplicates: review.duplicates.length };
      const next = withSources(review.config, added);
      // The review imports its sources (in a worker) before it writes review.json: cancelling stops
      // the worker, and then nothing has changed.
      const cancel = new AbortController();
      const listener = token.onCancellationRequested(() => cancel.abort());
      try {
        await review.saveConfig(next.config, { signal: cancel.signal });
      } finally {
        listener.dispose();
      }
      progress.report({ increment: 20 });
      const imported = new Set(added.map((entry) => entry.file));
      const summary: ImportSummary = {
        files: added.map((entry) => entry.file),
        records: review.files.filter((file) => imported.has(file.file)).reduce((sum, file) => sum + file.records, 0),
        newRecords: review.records.length - before.records,
        duplicatesRemoved: review.duplicates.length - before.duplicates,
        problems: review.problems.filter((problem) => imported.has(problem.file)).length,
      };
      this.services.problems.update(review);
      void this.report(summary);
      return summary;
    } catch (error) {
      for (const uri of copied) await vscode.workspace.fs.delete(uri, { useTrash: false }).then(undefined, () => undefined);
      if (error instanceof vscode.CancellationError || error instanceof ImportCancelled || token.isCancellationRequested) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Import cancelled: nothing was added to the review.'));
        return undefined;
      }
      void vscode.window.showErrorMessage(vscode.l10n.t('Import failed: {0}', errorMessage(error)));
      return undefined;
    }
  }

  private async report(summary: ImportSummary): Promise<void> {
    const showProblems = vscode.l10n.t('Show Problems');
    const message = vscode.l10n.t(
      'Imported {0} file(s): {1} records, {2} duplicates removed, {3} problems.',
      summary.files.length,
      summary.records.toLocaleString('en-US'),
      summary.duplicatesRemoved.toLocaleString('en-US'),
      summary.problems.toLocaleString('en-US'),
    );
    const choice = summary.problems > 0 ? await vscode.window.showWarningMessage(message, showProblems) : await vscode.window.showInformationMessage(message);
    if (choice === showProblems) await vscode.commands.executeCommand('workbench.actions.view.problems');
  }
}

export interface ImportSummary {
  /** Source files added (relative to the review root). */
  files: string[];
  /** Records read from them (before deduplication against the rest). */
  records: number;
  /** Change in the number of unique records. */
  newRecords: number;
  duplicatesRemoved: number;
  problems: number;
}

function insideRoot(root: vscode.Uri, file: vscode.Uri): string | undefined {
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  if (file.scheme !== root.scheme || !file.path.startsWith(base)) return undefined;
  const relative = file.path.slice(base.length);
  return relative.startsWith('screening/') ? undefined : relative;
}

async function pickFiles(review: Review): Promise<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({
    canSelectMany: true,
    canSelectFiles: true,
    canSelectFolders: false,
    openLabel: vscode.l10n.t('Import'),
    title: vscode.l10n.t('Import records: pick exported search results'),
    defaultUri: vscode.Uri.file(review.root),
    filters: {
      [vscode.l10n.t('Bibliographic exports')]: ['ris', 'nbib', 'txt', 'medline', 'bib', 'xml', 'csv', 'tsv', 'json', 'enw', 'ciw', 'rdf'],
      [vscode.l10n.t('All files')]: ['*'],
    },
  });
}

/** Quick Pick of the usual databases and registers, other methods, or a typed name. */
async function pickSource(file: vscode.Uri, index: number, count: number): Promise<{ category: SourceCategory; name?: string } | undefined> {
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  const suggested = suggestSources(name);
  const items: SourcePick[] = [];
  const section = (label: string) => items.push({ label, kind: vscode.QuickPickItemKind.Separator });
  section(vscode.l10n.t('Databases'));
  for (const source of suggested.filter((entry) => entry.category === 'database')) items.push({ label: source.name, description: source.detail, source });
  section(vscode.l10n.t('Registers'));
  for (const source of KNOWN_SOURCES.filter((entry) => entry.category === 'register')) items.push({ label: source.name, description: source.detail, source });
  section(vscode.l10n.t('Other methods'));
  for (const category of OTHER_METHODS) items.push({ label: vscode.l10n.t(CATEGORY_LABELS[category]), source: { category } });
  const pick = vscode.window.createQuickPick<SourcePick>();
  pick.title = count > 1 ? vscode.l10n.t('Source of {0} ({1} of {2})', name, index + 1, count) : vscode.l10n.t('Source of {0}', name);
  pick.placeholder = vscode.l10n.t('Which database, register or other method did these records come from? Type to filter, or type a new name');
  pick.items = items;
  pick.ignoreFocusOut = true;
  const disposables: vscode.Disposable[] = [pick];
  const result = await new Promise<SourcePick | undefined>((resolve) => {
    pick.onDidChangeValue(
      (value) => {
        const typed = value.trim();
        const known = KNOWN_SOURCES.some((source) => source.name.toLowerCase() === typed.toLowerCase());
        pick.items =
          typed && !known
            ? [
                { label: vscode.l10n.t('Database: {0}', typed), source: { category: 'database', name: typed }, alwaysShow: true },
                { label: vscode.l10n.t('Register: {0}', typed), source: { category: 'register', name: typed }, alwaysShow: true },
                ...items,
              ]
            : items;
      },
      undefined,
      disposables,
    );
    pick.onDidAccept(() => resolve(pick.selectedItems[0] ?? pick.activeItems[0]), undefined, disposables);
    pick.onDidHide(() => resolve(undefined), undefined, disposables);
    pick.show();
  });
  for (const disposable of disposables) disposable.dispose();
  return result?.source;
}
