/**
 * The one door for screening actions from the reader, the tree and the command palette: decide
 * (include, exclude with a reason picked or typed, maybe, not retrieved), note, undo, resolve a
 * conflict, and move on to the next record. Every decision goes through Review.decide /
 * Review.resolve; the reader advances as soon as the decision is recorded in memory (the durable
 * write finishes in the background and is reported if it fails).
 */
import * as vscode from 'vscode';
import { formatQuote } from '../screening/fulltext/quote';
import { entryKey, type Stage, type Verdict } from '../screening/decision';
import { displayTitle } from '../screening/record-display';
import { ReviewError, type Review } from '../screening/review';
import { withReason } from '../screening/source-catalogue';
import type { StageStatus } from '../screening/status';
import { Settings } from './commandIds';
import { errorMessage } from './reviewSession';
import type { ScreeningModel } from './screeningModel';
import { readSettings } from './settings';

export interface RecordTarget {
  recordId: string;
  stage: Stage;
}

/** What the actions need of the reader (src/views/readerPanel.ts). */
export interface ReaderPort {
  readonly current: RecordTarget | undefined;
  readonly isOpen: boolean;
  show(target: RecordTarget, options?: { preserveFocus?: boolean; notice?: string }): Promise<void>;
  /** Re-renders the current record (a pending note changed). */
  refresh(notice?: string): void;
  notice(message: string, error?: boolean): void;
}

/** What the actions need of the tree (src/views/recordsTree.ts). */
export interface TreePort {
  selectedRecord(): RecordTarget | undefined;
  reveal(recordId: string, stage: Stage, options?: { focus?: boolean }): void;
}

/** "Next unscreened" along the relevance ranking (src/views/relevance.ts); undefined when the stage keeps source order. */
export interface NextUnscreenedOrder {
  nextUnscreened(stage: Stage, from: number | undefined): { position: number | undefined } | undefined;
  /** The Unscreened group in ranking order (positions, and each position's index in it), when ranked. */
  unscreenedOrder?(stage: Stage): { order: readonly number[]; at: ArrayLike<number> } | undefined;
}

export const VERDICT_LABELS: Record<Verdict, string> = { include: 'Included', exclude: 'Excluded', maybe: 'Maybe', 'not-retrieved': 'Not retrieved' };

export class ScreeningActions {
  /** Notes typed before deciding, by entry key; saved with the next decision. */
  private readonly pendingNotes = new Map<string, string>();
  private reader: ReaderPort | undefined;
  private tree: TreePort | undefined;

  constructor(
    private readonly model: ScreeningModel,
    private readonly order?: NextUnscreenedOrder,
  ) {}

  connect(reader: ReaderPort, tree: TreePort): void {
    this.reader = reader;
    this.tree = tree;
  }

  pendingNote(recordId: string, stage: Stage): string | undefined {
    return this.pendingNotes.get(entryKey(recordId, stage));
  }

  /**
   * The record a command applies to: its arguments (a tree node, or record id and stage), else the
   * tree's selection when invoked from the tree, else the reader's record, else the tree's selection.
   */
  target(args: readonly unknown[]): RecordTarget | undefined {
    const [first, second] = args;
    if (typeof first === 'string') return { recordId: first, stage: second === 'full-text' ? 'full-text' : second === 'title-abstract' ? 'title-abstract' : this.model.stage };
    if (first && typeof first === 'object') {
      const node = first as { kind?: string; recordId?: string; stage?: Stage; from?: string };
      if (node.kind === 'record' && node.recordId && node.stage) return { recordId: node.recordId, stage: node.stage };
      if (node.from === 'tree') return this.tree?.selectedRecord() ?? this.reader?.current;
    }
    return this.reader?.current ?? this.tree?.selectedRecord();
  }

  private async review(): Promise<Review | undefined> {
    const ready = await this.model.ready();
    if (!ready) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder with a review to screen its records.'));
      return undefined;
    }
    return ready.review;
  }

  /** Records the current reviewer's verdict; asks for a reason to exclude unless `reason` is given. */
  async decide(target: RecordTarget | undefined, verdict: Verdict, options: { reason?: string | null; advance?: boolean; advanceTo?: RecordTarget } = {}): Promise<boolean> {
    if (!target) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a record in the reader, or select one in the Records view, first.'));
      return false;
    }
    const review = await this.review();
    if (!review) return false;
    const record = review.record(target.recordId);
    if (!record) {
      this.reader?.notice(vscode.l10n.t('Duplicates are not screened: decide the record they duplicate.'), true);
      return false;
    }
    if (review.status(target.recordId)[target.stage === 'title-abstract' ? 'titleAbstract' : 'fullText'].state === 'not-applicable') {
      this.reader?.notice(vscode.l10n.t('Full text applies only to records included at title/abstract.'), true);
      return false;
    }
    let reason: string | null | undefined = options.reason;
    if (verdict === 'exclude' && reason === undefined) {
      reason = await this.pickReason(review, target.stage, review.decision(target.recordId, target.stage)?.reason ?? undefined, displayTitle(record));
      if (reason === undefined) {
        this.reader?.notice(vscode.l10n.t('Not excluded: no reason chosen.'));
        return false;
      }
    }
    if (!review.writable) {
      this.fail(new ReviewError(review.issues.find((issue) => issue.file === review.relative(review.decisionsFile()))?.message ?? vscode.l10n.t('Your decisions file cannot be written.')));
      return false;
    }
    if (verdict === 'not-retrieved' && target.stage !== 'full-text') return false;
    if (verdict === 'exclude' && !reason && review.config.stages[target.stage].reasonRequired) {
      this.fail(new ReviewError(vscode.l10n.t('Excluding at {0} needs a reason.', stageName(target.stage))));
      return false;
    }
    const key = entryKey(target.recordId, target.stage);
    const note = this.pendingNotes.get(key) ?? review.decision(target.recordId, target.stage)?.note ?? null;
    // The decision is in memory (and the views updated) when decide() returns its promise; the
    // checks above are those decide() makes before that, so it does not fail there.
    const written = review.decide(target.recordId, target.stage, verdict, reason ?? null, note);
    this.pendingNotes.delete(key);
    written.catch((error: unknown) => {
      this.fail(error);
      this.model.refreshContext();
    });
    this.model.refreshContext();
    const label = vscode.l10n.t(VERDICT_LABELS[verdict]);
    const notice = reason ? `${label}: ${reason}` : label;
    if (options.advance ?? true) await this.advance(target, notice, options.advanceTo);
    else this.reader?.refresh(notice);
    // Surface a failed write before the caller moves on (the reader already shows the next record).
    return written.then(
      () => true,
      () => false,
    );
  }

  /** After a decision: the next unscreened record when auto-advance is on (reader and tree). */
  private async advance(from: RecordTarget, notice: string, shownAhead?: RecordTarget): Promise<void> {
    // The reader already moved to a prefetched record: stay there while it is still one to screen,
    // rather than jump again to whatever the order says now (it may have been retrained meanwhile).
    const ahead = shownAhead && shownAhead.recordId !== from.recordId && shownAhead.stage === from.stage && this.isUnscreened(shownAhead) ? shownAhead : undefined;
    const next = readSettings().autoAdvance ? (ahead ?? this.nextUnscreenedAfter(from)) : undefined;
    if (next && this.reader?.isOpen) {
      await this.reader.show(next, { preserveFocus: true, notice: vscode.l10n.t('{0} — next unscreened record', notice) });
      this.tree?.reveal(next.recordId, next.stage);
    } else if (this.reader?.isOpen && this.reader.current?.recordId === from.recordId) {
      this.reader.refresh(next ? notice : vscode.l10n.t('{0} — no unscreened records left at this stage', notice));
    } else if (next) {
      this.tree?.reveal(next.recordId, next.stage);
    }
  }

  /**
   * The next unscreened record after `from` at the same stage: along the relevance ranking when it
   * orders the stage's Unscreened group (the most relevant one left after a decision), else in source
   * order (wrapping).
   */
  nextUnscreenedAfter(from: RecordTarget | undefined, stage: Stage = from?.stage ?? this.model.stage): RecordTarget | undefined {
    const index = this.model.index;
    if (!index) return undefined;
    const ranked = this.order?.nextUnscreened(stage, from ? index.positionOf(from.recordId) : undefined);
    if (ranked) {
      // The order can lag a decision by a moment (it is recomputed after each): skip records no longer unscreened.
      let position = ranked.position;
      for (const seen = new Set<number>(); position !== undefined && !this.isUnscreenedAt(stage, position) && !seen.has(position); ) {
        seen.add(position);
        position = this.order?.nextUnscreened(stage, position)?.position;
      }
      const id = position === undefined || !this.isUnscreenedAt(stage, position) ? undefined : index.idAt(position);
      return id === undefined ? undefined : { recordId: id, stage };
    }
    const groups = index.stage(stage);
    const position = from ? (index.positionOf(from.recordId) ?? -1) : -1;
    const next = groups.step({ kind: 'unscreened' }, position, 1, true);
    if (next === undefined || next === position) return undefined;
    const id = index.idAt(next);
    return id === undefined ? undefined : { recordId: id, stage };
  }

  /** Whether the record is in this reviewer's Unscreened group at its stage. */
  isUnscreened(target: RecordTarget): boolean {
    const position = this.model.index?.positionOf(target.recordId);
    return position !== undefined && this.isUnscreenedAt(target.stage, position);
  }

  private isUnscreenedAt(stage: Stage, position: number): boolean {
    return this.model.index?.stage(stage).groupAt(position)?.kind === 'unscreened';
  }

  /**
   * Previous or next record of the stage, without wrapping, in the order shown: along the relevance
   * ranking within Unscreened when that orders it (as the tree and the position line do), else in
   * source order (filter applied).
   */
  neighbour(from: RecordTarget, direction: 1 | -1): RecordTarget | undefined {
    const index = this.model.index;
    const position = index?.positionOf(from.recordId);
    if (!index || position === undefined) return undefined;
    const ranked = this.isUnscreenedAt(from.stage, position) ? this.order?.unscreenedOrder?.(from.stage) : undefined;
    const at = ranked ? (ranked.at[position] ?? -1) : -1;
    if (ranked && at >= 0) {
      const id = index.idAt(ranked.order[at + direction] ?? -1);
      return id === undefined ? undefined : { recordId: id, stage: from.stage };
    }
    const next = index.stage(from.stage).stepApplicable(position, direction);
    const id = next === undefined ? undefined : index.idAt(next);
    return id === undefined ? undefined : { recordId: id, stage: from.stage };
  }

  async openNextUnscreened(): Promise<void> {
    const ready = await this.model.ready();
    if (!ready) return;
    const from = this.reader?.current ?? this.tree?.selectedRecord();
    const stage = from?.stage ?? this.model.stage;
    const next = this.nextUnscreenedAfter(from && from.stage === stage ? from : undefined, stage);
    if (!next) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No unscreened records left at {0}.', stageName(stage)));
      return;
    }
    await this.reader?.show(next, { preserveFocus: false });
    this.tree?.reveal(next.recordId, next.stage);
  }

  /** Quick Pick of the review's exclusion reasons; typing a new one adds it to review.json. */
  async pickReason(review: Review, stage: Stage, current: string | undefined, title: string): Promise<string | null | undefined> {
    const settings = review.config.stages[stage];
    type Item = vscode.QuickPickItem & { reason: string | null; added?: boolean };
    const base: Item[] = settings.reasons.map((reason, i) => ({ label: reason, reason, description: i < 9 ? `${i + 1}` : undefined, picked: reason === current }));
    if (!settings.reasonRequired) base.push({ label: vscode.l10n.t('No reason'), reason: null, description: vscode.l10n.t('exclude without a reason') });
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = vscode.l10n.t('Exclude “{0}”', title.length > 80 ? `${title.slice(0, 79)}…` : title);
    pick.placeholder = vscode.l10n.t('Pick a reason, type its number, or type a new reason and press Enter');
    pick.items = base;
    pick.matchOnDescription = false;
    // Nothing is chosen until the reviewer chooses: Enter alone must not record the first reason.
    const unchosen = () => (current ? base.filter((item) => item.reason === current) : []);
    pick.activeItems = unchosen();
    const disposables: vscode.Disposable[] = [pick];
    const chosen = await new Promise<Item | undefined>((resolve) => {
      pick.onDidChangeValue(
        (value) => {
          const typed = value.trim();
          const number = /^[1-9]$/.test(typed) ? Number(typed) : undefined;
          if (number !== undefined && settings.reasons[number - 1] !== undefined) {
            pick.items = base;
            pick.activeItems = [base[number - 1]];
            return;
          }
          const known = settings.reasons.some((reason) => reason.toLowerCase() === typed.toLowerCase());
          const addItem: Item = review.configBlocked
            ? { label: vscode.l10n.t('Use reason “{0}” for this record only', typed), reason: typed, added: true, alwaysShow: true, description: vscode.l10n.t('review.json cannot be changed now'), detail: review.configBlocked }
            : { label: vscode.l10n.t('Add reason “{0}”', typed), reason: typed, added: true, alwaysShow: true, description: vscode.l10n.t('joins the review’s list') };
          pick.items = typed && !known ? [addItem, ...base] : base;
          if (!typed) pick.activeItems = unchosen();
        },
        undefined,
        disposables,
      );
      pick.onDidAccept(
        () => {
          const item = pick.activeItems[0] ?? pick.selectedItems[0];
          if (item) resolve(item);
          else pick.placeholder = vscode.l10n.t('Nothing chosen yet: pick a reason (arrow keys, its number or a click), or type a new one');
        },
        undefined,
        disposables,
      );
      pick.onDidHide(() => resolve(undefined), undefined, disposables);
      pick.show();
    });
    for (const disposable of disposables) disposable.dispose();
    if (!chosen) return undefined;
    if (chosen.added && chosen.reason) {
      const config = withReason(review.config, stage, chosen.reason);
      if (config !== review.config) {
        try {
          await review.saveConfig(config);
        } catch (error) {
          void vscode.window.showWarningMessage(vscode.l10n.t('The reason was used but not added to the review’s list: {0}', errorMessage(error)));
        }
      }
    }
    return chosen.reason;
  }

  /** A note on the decision (or, before deciding, kept and saved with the decision). */
  async note(target: RecordTarget | undefined): Promise<void> {
    if (!target) return;
    const review = await this.review();
    if (!review) return;
    const mine = review.decision(target.recordId, target.stage);
    const key = entryKey(target.recordId, target.stage);
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Note on “{0}”', displayTitle(review.record(target.recordId) ?? { title: target.recordId })),
      prompt: mine ? vscode.l10n.t('Saved with your decision ({0}). Empty removes the note.', vscode.l10n.t(VERDICT_LABELS[mine.verdict])) : vscode.l10n.t('Saved with your decision on this record.'),
      value: this.pendingNotes.get(key) ?? mine?.note ?? '',
    });
    if (value === undefined) {
      this.reader?.refresh();
      return;
    }
    if (mine) {
      try {
        await review.setNote(target.recordId, target.stage, value);
      } catch (error) {
        this.fail(error);
      }
      this.reader?.refresh(vscode.l10n.t('Note saved'));
    } else {
      if (value.trim()) this.pendingNotes.set(key, value.trim());
      else this.pendingNotes.delete(key);
      this.reader?.refresh(value.trim() ? vscode.l10n.t('Note kept: it is saved with your decision') : undefined);
    }
  }

  /**
   * Attaches a quote from the PDF, with its page, to the reviewer's decision: in the note of the
   * decision (the reviewer's own decisions file, so blind screening stays blind), or kept and saved
   * with the decision when there is none yet.
   */
  async quote(target: RecordTarget, text: string, page: number): Promise<void> {
    const review = await this.review();
    if (!review) return;
    const quote = formatQuote(text, page);
    if (!quote) return;
    const mine = review.decision(target.recordId, target.stage);
    const key = entryKey(target.recordId, target.stage);
    const before = this.pendingNotes.get(key) ?? mine?.note ?? '';
    const note = before ? `${before}\n${quote}` : quote;
    if (mine) {
      try {
        await review.decide(target.recordId, target.stage, mine.verdict, mine.reason, note);
      } catch (error) {
        this.fail(error);
        return;
      }
      this.reader?.refresh(vscode.l10n.t('Quote from page {0} attached to your decision', page));
    } else {
      this.pendingNotes.set(key, note);
      this.reader?.refresh(vscode.l10n.t('Quote from page {0} kept: it is saved with your decision', page));
    }
  }

  /** Undoes this session's last decision or resolution and shows that record again. */
  async undo(): Promise<void> {
    const review = await this.review();
    if (!review) return;
    if (!review.canUndo) {
      this.reader?.notice(vscode.l10n.t('Nothing to undo.'));
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Screening: nothing to undo'), 3000);
      return;
    }
    let result;
    try {
      result = await review.undo();
    } catch (error) {
      this.fail(error);
      return;
    }
    this.model.refreshContext();
    if (!result) {
      this.reader?.notice(vscode.l10n.t('The last decision was changed since (by another window or a pull): not undone.'), true);
      return;
    }
    const { undone, restored } = result;
    // Back to undecided: the note written with the decision undone stays, to go with the next one.
    if (!restored && undone.note) this.pendingNotes.set(entryKey(undone.record, undone.stage), undone.note);
    const notice = restored
      ? vscode.l10n.t('Undone: {0} — back to {1}', vscode.l10n.t(VERDICT_LABELS[undone.verdict]), vscode.l10n.t(VERDICT_LABELS[restored.verdict]))
      : vscode.l10n.t('Undone: {0}', vscode.l10n.t(VERDICT_LABELS[undone.verdict]));
    const target = { recordId: undone.record, stage: undone.stage };
    if (this.reader?.isOpen) await this.reader.show(target, { preserveFocus: true, notice });
    this.tree?.reveal(target.recordId, target.stage);
    void vscode.window.setStatusBarMessage(`$(discard) ${notice}`, 3000);
  }

  /** Settles a disagreement: the adjudicated verdict goes to screening/resolutions.json. */
  async resolve(target: RecordTarget | undefined): Promise<boolean> {
    const review = await this.review();
    if (!review) return false;
    if (!target || !review.record(target.recordId)) {
      const conflicts = review.conflicts({ stage: this.model.stage });
      if (conflicts.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No conflicts to resolve at {0}.', stageName(this.model.stage)));
        return false;
      }
      const picked = await vscode.window.showQuickPick(
        conflicts.slice(0, 1000).map((conflict) => ({
          label: safeLabel(displayTitle(review.record(conflict.record) ?? { title: conflict.record })),
          description: conflict.decisions.map((decision) => `${review.reviewerName(decision.reviewer)}: ${decision.verdict}`).join(' · '),
          conflict,
        })),
        { title: vscode.l10n.t('Resolve a conflict'), placeHolder: vscode.l10n.t('Pick a record the reviewers disagree on') },
      );
      if (!picked) return false;
      target = { recordId: picked.conflict.record, stage: picked.conflict.stage };
    }
    const status = review.status(target.recordId)[target.stage === 'title-abstract' ? 'titleAbstract' : 'fullText'];
    // Every verdict the stage allows: the adjudicator may also settle on maybe (e.g. to read the full text).
    const verdicts: Verdict[] = target.stage === 'full-text' ? ['include', 'exclude', 'maybe', 'not-retrieved'] : ['include', 'exclude', 'maybe'];
    const who = (verdict: Verdict) =>
      status.decisions
        .filter((decision) => decision.verdict === verdict)
        .map((decision) => `${review.reviewerName(decision.reviewer)}${decision.reason ? ` (${decision.reason})` : ''}`)
        .join(', ');
    const picked = await vscode.window.showQuickPick(
      verdicts.map((verdict) => {
        // The reviewers' notes, with the quotes they attached from the PDF, as evidence for the adjudicator.
        const notes = status.decisions.filter((decision) => decision.verdict === verdict && decision.note).map((decision) => `${review.reviewerName(decision.reviewer)}: ${decision.note}`);
        return {
          label: vscode.l10n.t(VERDICT_LABELS[verdict]),
          description: who(verdict) ? vscode.l10n.t('chosen by {0}', who(verdict)) : undefined,
          ...(notes.length > 0 ? { detail: notes.join(' · ').replace(/\s+/g, ' ') } : {}),
          verdict,
        };
      }),
      { title: vscode.l10n.t('Resolve: {0}', displayTitle(review.record(target.recordId)!)), placeHolder: conflictSummary(review, status) },
    );
    if (!picked) return false;
    let reason: string | null = null;
    if (picked.verdict === 'exclude') {
      const reasons = [...new Set(status.decisions.map((decision) => decision.reason).filter((r): r is string => !!r))];
      const chosen = await this.pickReason(review, target.stage, reasons[0], displayTitle(review.record(target.recordId)!));
      if (chosen === undefined) return false;
      reason = chosen;
    }
    const note = await vscode.window.showInputBox({
      title: vscode.l10n.t('Resolve: {0}', displayTitle(review.record(target.recordId)!)),
      prompt: vscode.l10n.t('A note on the resolution (optional), e.g. why. Enter saves the resolution; Escape cancels it.'),
      value: review.resolution(target.recordId, target.stage)?.note ?? '',
      ignoreFocusOut: true,
    });
    if (note === undefined) {
      this.reader?.notice(vscode.l10n.t('Not resolved.'));
      return false;
    }
    try {
      await review.resolve(target.recordId, target.stage, picked.verdict, reason, note);
    } catch (error) {
      this.fail(error);
      return false;
    }
    this.model.refreshContext();
    const label = vscode.l10n.t(VERDICT_LABELS[picked.verdict]);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Screening: resolution saved to {0}', 'screening/resolutions.json'), 4000);
    // On to the next conflict of the stage, as after a decision.
    const next = this.nextConflictAfter(target);
    if (next && this.reader?.isOpen) {
      await this.reader.show(next, { preserveFocus: true, notice: vscode.l10n.t('Resolved: {0} — next conflict', label) });
      this.tree?.reveal(next.recordId, next.stage);
    } else {
      this.reader?.refresh(next ? vscode.l10n.t('Resolved: {0}', label) : vscode.l10n.t('Resolved: {0} — no conflicts left at {1}', label, stageName(target.stage)));
      if (next) this.tree?.reveal(next.recordId, next.stage);
    }
    return true;
  }

  /** The next unresolved conflict after `from` at its stage, in source order (wrapping). */
  nextConflictAfter(from: RecordTarget): RecordTarget | undefined {
    const index = this.model.index;
    if (!index) return undefined;
    const position = index.positionOf(from.recordId) ?? -1;
    const next = index.stage(from.stage).step({ kind: 'conflicts' }, position, 1, true);
    if (next === undefined || next === position) return undefined;
    const id = index.idAt(next);
    return id === undefined ? undefined : { recordId: id, stage: from.stage };
  }

  private fail(error: unknown): void {
    const message = error instanceof ReviewError ? error.message : vscode.l10n.t('The decision could not be saved: {0}', errorMessage(error));
    this.reader?.notice(message, true);
    void vscode.window.showErrorMessage(message);
  }
}

export function stageName(stage: Stage): string {
  return stage === 'title-abstract' ? vscode.l10n.t('title/abstract') : vscode.l10n.t('full text');
}

/** "ann@example.org: include · bob@example.org: exclude (Off topic)": each reviewer's verdict at a stage. */
export function conflictSummary(review: Review, status: StageStatus): string {
  return status.decisions.map((decision) => `${review.reviewerName(decision.reviewer)}: ${decision.verdict}${decision.reason ? ` (${decision.reason})` : ''}`).join(' · ');
}

/** Quick Pick labels render `$(name)` as icons: keep a record's text literal. */
export function safeLabel(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}

/** Whether blind mode hides other reviewers' decisions from this reviewer for this record. */
export function blindHides(status: StageStatus, reviewerKey: string): boolean {
  const settings = vscode.workspace.getConfiguration(Settings.section);
  if (!settings.get<boolean>(Settings.blindMode, true)) return false;
  if (status.resolution) return false;
  return !status.decisions.some((decision) => decision.reviewer === reviewerKey);
}
