/**
 * The screening state the views share: the session's review indexed by group for the current
 * reviewer (src/screening/screening-index.ts), the stage being screened, the tree filter, and the
 * context keys `when` clauses read. One change event for the tree, the reader and the status bar.
 *
 * The index is built in slices after the review opens (a review of 50,000 records never holds the
 * extension host for long) and updated record by record when decisions change.
 */
import * as vscode from 'vscode';
import type { Stage } from '../screening/decision';
import type { Review } from '../screening/review';
import { ScreeningIndex } from '../screening/screening-index';
import { ContextKeys } from './commandIds';
import { perfMark } from './perfProbe';
import type { ReviewSession, SessionChange } from './reviewSession';
import { readSettings } from './settings';

export type ModelChange =
  /** The index was rebuilt (review opened, records re-imported, settings changed) or dropped. */
  | { kind: 'rebuilt' }
  /** These records' decisions or resolutions changed. */
  | { kind: 'records'; ids: string[]; external: boolean }
  /** The filter changed. */
  | { kind: 'filter' }
  /** The review's settings (reasons, keywords, stages) changed; the index was rebuilt too. */
  | { kind: 'config' }
  /** A review file became unreadable, or readable again (Review.unreadable). */
  | { kind: 'issues' };

export interface TreeFilter {
  query: string;
  ids: ReadonlySet<string>;
}

export class ScreeningModel implements vscode.Disposable {
  private current: ScreeningIndex | undefined;
  private indexedReview: Review | undefined;
  private building: Promise<ScreeningIndex | undefined> | undefined;
  private buildingFor: Review | undefined;
  private generation = 0;
  private queued = new Set<string>();
  private filterState: TreeFilter | undefined;
  private stageState: Stage;
  private readonly changed = new vscode.EventEmitter<ModelChange>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private contextValues = new Map<string, boolean>();

  constructor(readonly session: ReviewSession) {
    this.stageState = readSettings().defaultStage;
    session.onDidChange((change) => this.onSessionChange(change), this, this.disposables);
    if (session.review) this.rebuild();
  }

  get review(): Review | undefined {
    return this.session.review;
  }

  /** The index of the open review, when built (undefined while building or without a review). */
  get index(): ScreeningIndex | undefined {
    return this.current && this.indexedReview === this.session.review ? this.current : undefined;
  }

  /** Waits for the review to open and its index to be built. */
  async ready(): Promise<{ review: Review; index: ScreeningIndex } | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.session.ready();
      const review = this.session.review;
      if (!review) return undefined;
      if (this.index) return { review, index: this.index };
      if (!this.building || this.buildingFor !== review) this.rebuild();
      const built = await this.building;
      if (built && this.session.review === review && this.indexedReview === review) return { review, index: built };
    }
    return undefined;
  }

  get stage(): Stage {
    return this.stageState;
  }

  set stage(stage: Stage) {
    if (stage === this.stageState) return;
    this.stageState = stage;
    this.changed.fire({ kind: 'filter' });
  }

  get filter(): TreeFilter | undefined {
    return this.filterState;
  }

  setFilter(filter: TreeFilter | undefined): void {
    this.filterState = filter;
    this.current?.setFilter(filter?.ids);
    void this.setContext(ContextKeys.filtered, filter !== undefined);
    this.changed.fire({ kind: 'filter' });
  }

  private onSessionChange(change: SessionChange): void {
    perfMark('session/change', { kind: change.kind });
    switch (change.kind) {
      case 'opened':
      case 'records':
        this.rebuild();
        break;
      case 'config':
        this.rebuild(true);
        break;
      case 'issues':
        this.changed.fire({ kind: 'issues' });
        break;
      case 'closed':
        this.generation++;
        this.current = undefined;
        this.indexedReview = undefined;
        this.building = undefined;
        this.changed.fire({ kind: 'rebuilt' });
        this.updateContext();
        break;
      case 'decisions':
      case 'resolutions': {
        if (this.index) {
          this.index.update(change.records);
          this.changed.fire({ kind: 'records', ids: change.records, external: change.external });
        } else {
          for (const id of change.records) this.queued.add(id);
        }
        this.updateContext();
        break;
      }
    }
  }

  private rebuild(configChanged = false): void {
    const review = this.session.review;
    const generation = ++this.generation;
    this.queued.clear();
    if (!review) {
      this.current = undefined;
      this.indexedReview = undefined;
      this.building = undefined;
      this.changed.fire({ kind: 'rebuilt' });
      this.updateContext();
      return;
    }
    this.buildingFor = review;
    perfMark('index/build', { records: review.records.length });
    const building = ScreeningIndex.build(review, { shouldStop: () => generation !== this.generation }).then((index) => {
      if (!index || generation !== this.generation) return undefined;
      perfMark('index/built');
      if (this.queued.size > 0) {
        index.update(this.queued);
        this.queued.clear();
      }
      index.setFilter(this.filterState?.ids);
      this.current = index;
      this.indexedReview = review;
      this.changed.fire({ kind: configChanged ? 'config' : 'rebuilt' });
      this.updateContext();
      return index;
    });
    this.building = building;
  }

  /** Context keys for `when` clauses; only changed values are sent. */
  private updateContext(): void {
    const review = this.session.review;
    const hasReview = review !== undefined && (review.records.length > 0 || review.configExists);
    void this.setContext(ContextKeys.hasReview, hasReview);
    // Only a loaded review can tell there is none (until then the view says it is loading).
    if (review) void this.setContext(ContextKeys.noReview, !hasReview);
    void this.setContext(ContextKeys.canUndo, review?.canUndo ?? false);
    void this.setContext(ContextKeys.hasOtherReviewers, review !== undefined && review.reviewers().some((key) => key !== review.reviewerKey));
    const index = this.index;
    void this.setContext(ContextKeys.hasConflicts, index !== undefined && (index.titleAbstract.size({ kind: 'conflicts' }) > 0 || index.fullText.size({ kind: 'conflicts' }) > 0));
  }

  /** Re-reads the context keys (after an undo, a new decisions file). */
  refreshContext(): void {
    this.updateContext();
  }

  private async setContext(key: string, value: boolean): Promise<void> {
    if (this.contextValues.get(key) === value) return;
    this.contextValues.set(key, value);
    await vscode.commands.executeCommand('setContext', key, value);
  }

  dispose(): void {
    this.generation++;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
