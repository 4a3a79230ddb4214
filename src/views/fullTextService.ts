/**
 * The full texts of the open review for the views: FullTexts (src/screening/fulltext) for the
 * session's review, reloaded when fulltext.json or a PDF changes on disk (a pull, files copied in),
 * with one change event for the tree, the reader and the commands.
 */
import * as vscode from 'vscode';
import { FullTexts, FULLTEXT_FILE, type RetrievalState } from '../screening/fulltext/fulltext';
import { METHOD_LABELS } from '../screening/fulltext/match';
import type { Review } from '../screening/review';
import type { ReviewSession } from './reviewSession';

const RELOAD_DELAY_MS = 150;

export const RETRIEVAL_LABELS: Record<RetrievalState, string> = {
  found: 'PDF',
  'missing-file': 'PDF missing',
  'not-found': 'No PDF',
  'not-retrieved': 'Not retrieved',
};

export class FullTextService implements vscode.Disposable {
  private current: FullTexts | undefined;
  private loading: Promise<FullTexts | undefined> | undefined;
  private loadedFor: Review | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly session: ReviewSession) {
    session.onDidChange(
      (change) => {
        if (change.kind === 'opened' || change.kind === 'closed') void this.load();
        // Decisions change retrieval states (not retrieved, included at title/abstract): views recompute.
        else this.changed.fire();
      },
      this,
      this.disposables,
    );
    if (session.review) void this.load();
  }

  /** The open review's full texts, once loaded. */
  get fullTexts(): FullTexts | undefined {
    return this.current && this.loadedFor === this.session.review ? this.current : undefined;
  }

  async ready(): Promise<FullTexts | undefined> {
    const review = await this.session.ready();
    if (!review) return undefined;
    if (this.fullTexts) return this.fullTexts;
    return this.loading && this.loadedFor === review ? this.loading : this.load();
  }

  private load(): Promise<FullTexts | undefined> {
    this.watcher?.dispose();
    this.watcher = undefined;
    this.current?.dispose();
    this.current = undefined;
    const review = this.session.review;
    this.loadedFor = review;
    if (!review) {
      this.changed.fire();
      return Promise.resolve(undefined);
    }
    const loading = (this.loading = FullTexts.load(review).then(
      (fullTexts) => {
        if (this.loadedFor !== review) {
          fullTexts.dispose();
          return undefined;
        }
        this.current = fullTexts;
        fullTexts.onDidChange(() => this.changed.fire());
        this.watch(review);
        this.changed.fire();
        return fullTexts;
      },
      (error: unknown) => {
        void vscode.window.showWarningMessage(vscode.l10n.t('Could not read the full texts: {0}', error instanceof Error ? error.message : String(error)));
        return undefined;
      },
    ));
    return loading;
  }

  private watch(review: Review): void {
    const root = vscode.Uri.file(review.root);
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, `{${FULLTEXT_FILE},**/*.pdf,**/*.PDF}`));
    const queue = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.current?.reload(), RELOAD_DELAY_MS);
    };
    this.watcher.onDidChange(queue);
    this.watcher.onDidCreate(queue);
    this.watcher.onDidDelete(queue);
  }

  /** "PDF", "No PDF", … for a record included at title/abstract; undefined otherwise. */
  retrievalLabel(recordId: string): string | undefined {
    const fullTexts = this.fullTexts;
    if (!fullTexts || fullTexts.review.status(recordId).titleAbstract.state !== 'included') return undefined;
    return vscode.l10n.t(RETRIEVAL_LABELS[fullTexts.state(recordId)]);
  }

  /** How a record's PDF was matched, in words ("file name", "the PDF's DOI (doi 10.1/x)"). */
  howMatched(recordId: string): string | undefined {
    const link = this.fullTexts?.link(recordId);
    if (!link?.file) return undefined;
    const method = vscode.l10n.t(METHOD_LABELS[link.method]);
    return link.detail ? `${method} (${link.detail})` : method;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher?.dispose();
    this.current?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
