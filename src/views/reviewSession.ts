/**
 * The open review of this window: loads the workspace folder's Review in the background (never in
 * activate's way), keeps it in step with the disk through a file watcher (git pull, checkout,
 * another window), and tells the views when anything changed. Views read `session.review`.
 */
import * as vscode from 'vscode';
import type { Importer } from '../screening/import-service';
import { ContextKeys } from './commandIds';
import { DECISIONS_DIR, DUPLICATES_FILE, RESOLUTIONS_FILE, Review, REVIEW_FILE, type ReviewChange } from '../screening/review';

export type SessionChange = ReviewChange | { kind: 'opened' } | { kind: 'closed' };

/** Context key for `when` clauses: a review is open in this window. */
export const HAS_REVIEW_CONTEXT = 'screening.hasReview';
/**
 * Context key: the folder was looked at and holds no review. Until it is set (activation, a load in
 * progress) the Records view says the review is loading, never "No review in this folder yet".
 */
export const NO_REVIEW_CONTEXT = ContextKeys.noReview;
/** How long to gather bursts of file events (a checkout touches many files) before reloading. */
const RELOAD_DEBOUNCE_MS = 75;
/**
 * The review's own files are also checked this often (a few stats): a file watcher can miss the
 * files of a folder created a moment before them (a first pull that brings screening/decisions/).
 */
const POLL_MS = 1_000;

export class ReviewSession implements vscode.Disposable {
  private current: Review | undefined;
  private opening: Promise<Review | undefined> | undefined;
  private readonly changed = new vscode.EventEmitter<SessionChange>();
  /** Fires after the review opened, closed, or changed in any way. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private reviewSubscription: { dispose(): void } | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private pendingPaths = new Set<string | undefined>();
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private reloading: Promise<void> = Promise.resolve();

  /** Imports in a worker thread when given (a review of 50,000 records parses for seconds). */
  constructor(private readonly importer?: Importer) {
    vscode.workspace.onDidChangeWorkspaceFolders(() => void this.open(), this, this.disposables);
    vscode.workspace.onDidChangeConfiguration(
      (event) => {
        if (event.affectsConfiguration('screening.reviewer')) void this.open();
      },
      this,
      this.disposables,
    );
  }

  /** The open review, if any (undefined while the first load runs or without a workspace folder). */
  get review(): Review | undefined {
    return this.current;
  }

  /** Resolves with the review once the load in progress (if any) finishes. */
  ready(): Promise<Review | undefined> {
    return this.opening ?? Promise.resolve(this.current);
  }

  /** The folder the review lives in: the first workspace folder on disk that has a review, else the first on disk. */
  static async reviewRoot(): Promise<vscode.Uri | undefined> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    for (const folder of folders) {
      try {
        await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, REVIEW_FILE));
        return folder.uri;
      } catch {
        // no review.json here
      }
    }
    return folders[0]?.uri;
  }

  /** (Re)opens the review of the workspace, with progress in the status bar. */
  open(root?: vscode.Uri): Promise<Review | undefined> {
    const opening = (this.opening = Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Opening review…') }, () => this.load(root)),
    ));
    void opening.finally(() => {
      if (this.opening === opening) this.opening = undefined;
    });
    return opening;
  }

  private async load(rootHint?: vscode.Uri): Promise<Review | undefined> {
    const root = rootHint ?? (await ReviewSession.reviewRoot());
    this.close();
    if (!root) {
      await setReviewContext(false);
      return undefined;
    }
    await vscode.commands.executeCommand('setContext', NO_REVIEW_CONTEXT, false);
    const settings = vscode.workspace.getConfiguration('screening');
    let review: Review;
    try {
      review = await Review.load(root.fsPath, {
        reviewer: settings.get<string>('reviewer') || undefined,
        reviewerFallback: vscode.env.machineId.slice(0, 12),
        ...(this.importer ? { importer: this.importer } : {}),
      });
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not open the review in {0}: {1}', root.fsPath, errorMessage(error)));
      await setReviewContext(false);
      return undefined;
    }
    this.current = review;
    this.reviewSubscription = review.onDidChange((change) => this.changed.fire(change));
    this.watch(root);
    // The watcher can start late (a remote server under load): catch up on anything written meanwhile.
    this.queueReload(undefined);
    await setReviewContext(review.records.length > 0 || review.configExists);
    this.changed.fire({ kind: 'opened' });
    return review;
  }

  private watch(root: vscode.Uri): void {
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '**/*'));
    const queue = (uri: vscode.Uri) => this.queueReload(uri.fsPath);
    this.watcher.onDidChange(queue);
    this.watcher.onDidCreate(queue);
    this.watcher.onDidDelete(queue);
    const files = [REVIEW_FILE, DECISIONS_DIR, RESOLUTIONS_FILE, DUPLICATES_FILE].map((file) => vscode.Uri.joinPath(root, file).fsPath);
    this.pollTimer = setInterval(() => {
      if (this.pendingPaths.size === 0) for (const file of files) this.queueReload(file);
    }, POLL_MS);
  }

  /** Queues a reload of one changed path, or (undefined) a check of every review file. */
  private queueReload(path: string | undefined): void {
    // Git internals, dependencies and our own temporary files (`.<name>.<pid>.<n>.tmp`) are not review files.
    if (path !== undefined && (/[\\/](\.git|node_modules)[\\/]/.test(path) || /\.tmp$/.test(path))) return;
    this.pendingPaths.add(path);
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      const paths = [...this.pendingPaths];
      this.pendingPaths.clear();
      const review = this.current;
      if (!review) return;
      // Reloads run one after another so a slow re-import never races a decisions reload.
      this.reloading = this.reloading.then(async () => {
        for (const path of paths) {
          try {
            await review.reload(path);
          } catch (error) {
            void vscode.window.showWarningMessage(vscode.l10n.t('Could not reload {0}: {1}', path === undefined ? review.root : review.relative(path), errorMessage(error)));
          }
        }
      });
    }, RELOAD_DEBOUNCE_MS);
  }

  /** Waits for file-triggered reloads in flight (tests, commands that must see the disk state). */
  async settled(): Promise<void> {
    await this.reloading;
  }

  private close(): void {
    clearTimeout(this.reloadTimer);
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.pendingPaths.clear();
    this.watcher?.dispose();
    this.watcher = undefined;
    this.reviewSubscription?.dispose();
    this.reviewSubscription = undefined;
    if (this.current) {
      const closing = this.current;
      this.current = undefined;
      void closing.flush().finally(() => closing.dispose());
      this.changed.fire({ kind: 'closed' });
    }
  }

  dispose(): void {
    this.close();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Sets the review context keys once the folder has been looked at. */
async function setReviewContext(hasReview: boolean): Promise<void> {
  await vscode.commands.executeCommand('setContext', HAS_REVIEW_CONTEXT, hasReview);
  await vscode.commands.executeCommand('setContext', NO_REVIEW_CONTEXT, !hasReview);
}
