/**
 * Relevance ranking in the workbench (issue 8): keeps a RankingService (src/screening/ranking, a
 * worker thread) trained on the CURRENT reviewer's own title/abstract decisions, and gives the views
 * what they show of it:
 *
 * - the Records tree's title/abstract Unscreened group in ranking order (`unscreenedOrder`), with a
 *   description/tooltip saying which order is in force and why (`orderText`);
 * - "next unscreened" along the same order (ScreeningActions.nextUnscreenedAfter);
 * - the reader's relevance line and the stopping aid (`readerRelevance`).
 *
 * Retrains (debounced) after each of the reviewer's own decisions and when the records change; a
 * newer training cancels the one in flight (the service does). Blind dual screening: only
 * `review.decisions(review.reviewerKey)` is ever used, never merged decisions or other reviewers'.
 * The setting `screening.unscreenedOrder` ("relevance" | "original") turns it on or off; while off
 * nothing is trained. The order is computed lazily, once per change, when the tree asks for it.
 */
import * as vscode from 'vscode';
import type { Stage } from '../screening/decision';
import { createRankingService, describeStopping, labelsFromDecisions, type Ranking, type RankingLabel, type RankingService } from '../screening/ranking';
import type { BibRecord } from '../screening/record';
import type { Review } from '../screening/review';
import type { ScreeningIndex } from '../screening/screening-index';
import { ContextKeys, Settings } from './commandIds';
import { perfMark } from './perfProbe';
import type { ReaderRelevance } from '../webview/protocol';
import { nextInOrder, orderIndex, orderMembers, relevanceText, unscreenedOrderText, type UnscreenedOrder, type UnscreenedOrderState } from './relevanceOrder';
import type { ReviewSession, SessionChange } from './reviewSession';
import type { ScreeningModel } from './screeningModel';

export type UnscreenedOrderSetting = 'relevance' | 'original';

/** Gathers a burst of decisions (a pull, quick key presses) into one training. */
const TRAIN_DEBOUNCE_MS = 60;

export function readUnscreenedOrder(): UnscreenedOrderSetting {
  return vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.unscreenedOrder) === 'original' ? 'original' : 'relevance';
}

/** Writes the setting where it is set now (folder, workspace) or else in the user settings. */
export async function writeUnscreenedOrder(value: UnscreenedOrderSetting): Promise<void> {
  const config = vscode.workspace.getConfiguration(Settings.section);
  const inspected = config.inspect<string>(Settings.unscreenedOrder);
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await config.update(Settings.unscreenedOrder, value, target);
}

export class RelevanceRanking implements vscode.Disposable {
  private service: RankingService | undefined;
  private setting: UnscreenedOrderSetting = readUnscreenedOrder();
  /** The latest ranking of the open review for its reviewer (undefined before the first, or after a change of review/reviewer). */
  private ranking: Ranking | undefined;
  private rankingFor: { review: Review; reviewer: string } | undefined;
  /** Record list last sent to the service. */
  private recordsSent: readonly BibRecord[] | undefined;
  /** Labels of the training last started (to skip retraining when only others' decisions changed). */
  private labelsKey: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private disposed = false;
  private failed = false;
  /** Order caches, valid until the next change of the index or the ranking. */
  private rankedPositions: { ranking: Ranking; index: ScreeningIndex; positions: Int32Array } | undefined;
  private orderCache: UnscreenedOrder | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a new ranking arrived or the order setting changed (the tree and the reader redraw). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly session: ReviewSession,
    private readonly model: ScreeningModel,
    private readonly workerPath: string,
  ) {
    session.onDidChange((change) => this.onSessionChange(change), this, this.disposables);
    // Any change of the index (decisions, filter, rebuild) changes the Unscreened members.
    model.onDidChange(() => (this.orderCache = undefined), this, this.disposables);
    vscode.workspace.onDidChangeConfiguration(
      (event) => {
        if (!event.affectsConfiguration(`${Settings.section}.${Settings.unscreenedOrder}`)) return;
        this.setting = readUnscreenedOrder();
        void this.updateContext();
        this.orderCache = undefined;
        if (this.enabled) this.schedule();
        this.changed.fire();
      },
      this,
      this.disposables,
    );
    void this.updateContext();
    if (session.review) this.schedule();
  }

  get enabled(): boolean {
    return this.setting === 'relevance';
  }

  get orderSetting(): UnscreenedOrderSetting {
    return this.setting;
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.relevanceOrder, this.enabled);
  }

  private onSessionChange(change: SessionChange): void {
    switch (change.kind) {
      case 'opened':
      case 'closed':
        this.forget();
        if (change.kind === 'opened') this.schedule();
        break;
      case 'records':
      case 'config':
        this.schedule();
        break;
      case 'decisions': {
        // Blind dual screening: only this reviewer's own decisions train this reviewer's ranking.
        const review = this.session.review;
        if (review && change.reviewer === review.reviewerKey) this.schedule();
        break;
      }
      case 'resolutions':
        break;
    }
  }

  private forget(): void {
    this.ranking = undefined;
    this.rankingFor = undefined;
    this.labelsKey = undefined;
    this.rankedPositions = undefined;
    this.orderCache = undefined;
  }

  private schedule(): void {
    if (!this.enabled || this.disposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.syncing = this.syncing.then(() => this.sync()).catch((error: unknown) => this.report(error));
    }, TRAIN_DEBOUNCE_MS);
  }

  /** Sends changed records, then trains on the reviewer's labels when they changed. Never awaits the training itself in the chain. */
  private async sync(): Promise<void> {
    const review = this.session.review;
    if (!review || !this.enabled || this.disposed || this.failed) return;
    this.service ??= createRankingService({ workerPath: this.workerPath });
    const service = this.service;
    if (review.records !== this.recordsSent) {
      this.recordsSent = review.records;
      this.labelsKey = undefined;
      perfMark('ranking/records', { records: review.records.length });
      await service.setRecords(review.records);
    }
    const reviewer = review.reviewerKey;
    const labels = labelsFromDecisions(review.decisions(reviewer));
    const key = labelsKey(labels);
    if (key === this.labelsKey && this.rankingFor?.review === review && this.rankingFor.reviewer === reviewer) return;
    this.labelsKey = key;
    perfMark('ranking/train', { labels: labels.length });
    // Not awaited in the chain: a newer sync may start (and cancel this training) at once.
    void service.train(labels).then(
      (outcome) => {
        if (outcome.cancelled || this.disposed) return;
        if (this.session.review !== review || review.reviewerKey !== reviewer) return;
        this.ranking = outcome;
        this.rankingFor = { review, reviewer };
        this.orderCache = undefined;
        perfMark('ranking/ranked', { model: outcome.model, trainMs: outcome.trainMs, rankMs: outcome.rankMs });
        this.changed.fire();
      },
      (error: unknown) => {
        this.labelsKey = undefined;
        this.report(error);
      },
    );
  }

  private report(error: unknown): void {
    if (this.disposed || this.failed) return;
    this.failed = true;
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showWarningMessage(vscode.l10n.t('Relevance ranking is unavailable: {0}. Unscreened records keep their original order.', message));
    this.changed.fire();
  }

  /** The latest ranking when it belongs to the open review and its reviewer. */
  private currentRanking(): Ranking | undefined {
    const review = this.session.review;
    if (!this.enabled || !review || !this.ranking || this.rankingFor?.review !== review || this.rankingFor.reviewer !== review.reviewerKey) return undefined;
    return this.ranking;
  }

  /** Which order the title/abstract Unscreened group is in. */
  orderState(): UnscreenedOrderState {
    if (!this.enabled || this.failed) return { kind: 'original' };
    const ranking = this.currentRanking();
    if (!ranking) return { kind: 'pending' };
    return ranking.model === 'svm' ? { kind: 'ranked', includes: ranking.includes, excludes: ranking.excludes } : { kind: 'untrained', includes: ranking.includes, excludes: ranking.excludes };
  }

  /** The Unscreened group's description and tooltip for `stage` (undefined at full text). */
  orderText(stage: Stage): { description: string; tooltip: string } | undefined {
    if (stage !== 'title-abstract') return undefined;
    return unscreenedOrderText(this.orderState(), (template, ...args) => vscode.l10n.t(template, ...args));
  }

  /**
   * The Unscreened members of `stage` in ranking order, with each position's index in it; undefined
   * when the group keeps its source order (full text, setting off, no model yet).
   */
  unscreenedOrder(stage: Stage): UnscreenedOrder | undefined {
    if (stage !== 'title-abstract') return undefined;
    const ranking = this.currentRanking();
    const index = this.model.index;
    if (!ranking || ranking.model !== 'svm' || !index) return undefined;
    if (this.orderCache) return this.orderCache;
    const started = performance.now();
    if (this.rankedPositions?.ranking !== ranking || this.rankedPositions.index !== index) {
      const positions = new Int32Array(ranking.ids.length);
      for (let i = 0; i < ranking.ids.length; i++) positions[i] = index.positionOf(ranking.ids[i]) ?? -1;
      this.rankedPositions = { ranking, index, positions };
    }
    const order = orderMembers(index.stage(stage).members({ kind: 'unscreened' }), this.rankedPositions.positions, index.size);
    this.orderCache = { order, at: orderIndex(order, index.size) };
    perfMark('ranking/order', { records: order.length, ms: Math.round(performance.now() - started) });
    return this.orderCache;
  }

  /** The next unscreened record position after `from` along the ranking, or undefined when the order is not ranked (the caller uses source order). */
  nextUnscreened(stage: Stage, from: number | undefined): { position: number | undefined } | undefined {
    const order = this.unscreenedOrder(stage);
    if (!order) return undefined;
    return { position: nextInOrder(order.order, (position) => order.at[position] ?? -1, from) };
  }

  /** What the reader shows for a record at `stage` (undefined when the ranking is off, at full text, or not computed yet). */
  readerRelevance(recordId: string, stage: Stage): ReaderRelevance | undefined {
    if (stage !== 'title-abstract') return undefined;
    const ranking = this.currentRanking();
    if (!ranking) return undefined;
    const stopping = describeStopping(ranking.stopping);
    // The service answers from its latest ranking: use it only when that is the one shown (same reviewer, same training).
    const ranked = this.service?.current?.ids === ranking.ids ? this.service.relevance(recordId) : undefined;
    if (!ranked) return { stopping };
    // One order: the rank is the record's place in the Unscreened order shown (the tree, the position
    // line, next/previous), not in the list the model ranked when it was trained (which still held
    // the records decided since).
    const position = this.model.index?.positionOf(recordId);
    const order = position === undefined ? undefined : this.unscreenedOrder(stage);
    const at = order && position !== undefined ? (order.at[position] ?? -1) : -1;
    const facts = at >= 0 && order ? { ...ranked, rank: at + 1, of: order.order.length } : ranked;
    const text = relevanceText(facts, { includes: ranking.includes, excludes: ranking.excludes }, (template, ...args) => vscode.l10n.t(template, ...args));
    return { summary: text.summary, detail: text.detail, tier: text.tier, stopping };
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    void this.service?.dispose();
    this.service = undefined;
  }
}

/** A compact key of a label list (ids and verdicts, in order). */
function labelsKey(labels: readonly RankingLabel[]): string {
  let hash = 0x811c9dc5;
  for (const label of labels) {
    const text = label.id;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ (label.included ? 1 : 2), 0x01000193);
  }
  return `${labels.length}:${hash >>> 0}`;
}
