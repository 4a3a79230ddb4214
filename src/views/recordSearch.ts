/**
 * The review's records in the search engine (src/screening/search): a worker-backed index built
 * in the background after the review opens, rebuilt when the records change, queried without
 * blocking the extension host (superseded queries are cancelled).
 */
import * as vscode from 'vscode';
import type { Review } from '../screening/review';
import { createSearchService, type MatchPositions, type SearchOutcome, type SearchService } from '../screening/search';
import { perfMark } from './perfProbe';
import type { ReviewSession } from './reviewSession';

/** Index the review this long after it opened, so the first search is instant. */
const PREWARM_DELAY_MS = 1_500;

export class RecordSearch implements vscode.Disposable {
  private service: SearchService | undefined;
  private indexedReview: Review | undefined;
  private indexing: Promise<void> | undefined;
  private prewarmTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly reindexed = new vscode.EventEmitter<void>();
  /** Fires after the records were indexed again (a re-import): filters re-run their query. */
  readonly onDidReindex = this.reindexed.event;
  private readonly disposables: vscode.Disposable[] = [this.reindexed];

  constructor(
    private readonly session: ReviewSession,
    private readonly workerPath: string,
  ) {
    session.onDidChange(
      (change) => {
        if (change.kind === 'opened' || change.kind === 'records' || change.kind === 'closed') {
          this.indexedReview = undefined;
          this.indexing = undefined;
          if (change.kind !== 'closed') this.prewarm();
        }
      },
      this,
      this.disposables,
    );
    if (session.review) this.prewarm();
  }

  private prewarm(): void {
    clearTimeout(this.prewarmTimer);
    this.prewarmTimer = setTimeout(() => {
      const review = this.session.review;
      if (review) void this.ensureIndexed(review).catch(() => undefined);
    }, PREWARM_DELAY_MS);
  }

  /** Resolves once the review's records are searchable. */
  ensureIndexed(review: Review): Promise<void> {
    if (this.indexedReview === review && this.indexing) return this.indexing;
    const service = (this.service ??= createSearchService({ workerPath: this.workerPath }));
    this.indexedReview = review;
    const indexing = (async () => {
      perfMark('search/index', { records: review.records.length });
      await service.clear();
      await service.add(review.records);
      perfMark('search/indexed', { longestStepMs: Math.round(service.longestStepMs) });
    })();
    this.indexing = indexing;
    void indexing.then(
      () => {
        if (this.indexedReview === review) this.reindexed.fire();
      },
      () => undefined,
    );
    return indexing;
  }

  /** Every match, best first; `cancelled` when a newer search superseded this one. */
  async search(query: string): Promise<SearchOutcome | undefined> {
    const review = this.session.review ?? (await this.session.ready());
    if (!review) return undefined;
    await this.ensureIndexed(review);
    return this.service!.search(query);
  }

  async positions(id: string, query: string): Promise<MatchPositions | undefined> {
    if (!this.service) return undefined;
    return this.service.positions(id, query);
  }

  dispose(): void {
    clearTimeout(this.prewarmTimer);
    void this.service?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
