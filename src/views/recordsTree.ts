/**
 * The Records tree: stage → status group → records.
 *
 *   Title/abstract            12 of 5,000 screened · 1 conflict
 *     Unscreened (4,988)       pages of 500 when longer (no node ever has thousands of children)
 *     Included (3)
 *     Excluded (8)             one child per reason
 *     Maybe (1) · Conflicts (1) · Pending second reviewer (2) · Duplicates (56)
 *   Full text                 the records included at title/abstract
 *
 * Record items show the title, "First author et al. · year" and, on hover, the abstract's start.
 * The title/abstract Unscreened group follows the reviewer's relevance ranking when it is on
 * (UnscreenedOrdering, src/views/relevance.ts): pages and `reveal` use that order too.
 *
 * Ids are stable (`r:<stage>:<record id>`) so selection, expansion and `reveal` survive refreshes;
 * children are computed on demand from the ScreeningModel's index (no I/O here); every change is
 * one debounced refresh of the root (VS Code asks again only for the expanded nodes).
 */
import * as vscode from 'vscode';
import type { Stage } from '../screening/decision';
import type { DuplicateRecord } from '../screening/import-records';
import type { BibRecord } from '../screening/record';
import { displayTitle, listDescription, textStart } from '../screening/record-display';
import { REVIEW_FILE, type Review } from '../screening/review';
import { GROUP_KINDS, type GroupKey, type GroupKind, type ScreeningIndex, type StageGroups } from '../screening/screening-index';
import { Commands, RECORDS_VIEW_ID } from './commandIds';
import { perfMark } from './perfProbe';
import type { UnscreenedOrder } from './relevanceOrder';
import type { ScreeningModel } from './screeningModel';
import { blindHides, conflictSummary } from './screeningActions';

export { RECORDS_VIEW_ID };

/** Children per page when a group is long. */
export const PAGE_SIZE = 500;
/** VS Code itself gathers tree refreshes for 200 ms (leading edge first), so ours go out at once. */
const REVEAL_AFTER_REFRESH_MS = 300;
/** How long after the followed record moved an empty selection counts as the tree dropping its row. */
const FOLLOW_MOVE_WINDOW_MS = 3_000;

interface StageNode {
  kind: 'stage';
  id: string;
  stage: Stage;
}
interface GroupNode {
  kind: 'group';
  id: string;
  stage: Stage;
  group: GroupKind;
}
interface ReasonNode {
  kind: 'reason';
  id: string;
  stage: Stage;
  reason: string;
}
interface DuplicatesNode {
  kind: 'duplicates';
  id: string;
  stage: 'title-abstract';
}
interface PossibleNode {
  kind: 'possible';
  id: string;
  stage: 'title-abstract';
}
interface PairNode {
  kind: 'pair';
  id: string;
  a: string;
  b: string;
}
interface PageNode {
  kind: 'page';
  id: string;
  parent: GroupNode | ReasonNode | DuplicatesNode;
  page: number;
}
interface RecordNode {
  kind: 'record';
  id: string;
  stage: Stage;
  recordId: string;
}
interface DuplicateNode {
  kind: 'duplicate';
  id: string;
  recordId: string;
}
/** A review file that cannot be read, shown above the stages (what it holds is missing from the counts). */
interface UnreadableNode {
  kind: 'unreadable';
  id: string;
  file: string;
  line: number;
  message: string;
}

/** The order of a stage's Unscreened group when it is not the source order (src/views/relevance.ts). */
export interface UnscreenedOrdering {
  /** Unscreened positions in display order, and each position's index in it (-1 when absent); undefined for source order. */
  unscreenedOrder(stage: Stage): UnscreenedOrder | undefined;
  /** The group's description and tooltip saying which order is in force. */
  orderText(stage: Stage): { description: string; tooltip: string } | undefined;
  readonly onDidChange: vscode.Event<void>;
}

/** Whether a record's report is at hand at full text (src/views/fullTextService.ts). */
export interface RetrievalSource {
  /** "PDF", "No PDF", "Not retrieved"… for a record included at title/abstract. */
  retrievalLabel(recordId: string): string | undefined;
  readonly onDidChange: vscode.Event<void>;
}

export type RecordsTreeNode = StageNode | GroupNode | ReasonNode | DuplicatesNode | PossibleNode | PairNode | PageNode | RecordNode | DuplicateNode | UnreadableNode;

/** What the view shows (for tests, and for other extensions through the API). */
export interface RecordsSnapshot {
  /** Records in the review (unique, after deduplication). */
  records: number;
  duplicates: number;
  /** Pairs in the possible-duplicates queue. */
  possible: number;
  stages: { stage: Stage; groups: { group: GroupKind | 'duplicates'; reason?: string; count: number }[] }[];
  /** Titles of every record, in source order. */
  titles: string[];
  filter?: string;
  /** Review files that cannot be read, as the tree shows them above the stages. */
  unreadable: { file: string; line: number; message: string }[];
}

export const STAGE_LABELS: Record<Stage, string> = { 'title-abstract': 'Title/abstract', 'full-text': 'Full text' };

const GROUP_LABELS: Record<GroupKind | 'duplicates', string> = {
  unscreened: 'Unscreened',
  included: 'Included',
  excluded: 'Excluded',
  'not-retrieved': 'Not retrieved',
  maybe: 'Maybe',
  conflicts: 'Conflicts',
  awaiting: 'Pending second reviewer',
  duplicates: 'Duplicates',
};

/** What an unreadable review file means for the counts (tree and status bar tooltips). */
export function unreadableConsequence(file: string): string {
  return file === REVIEW_FILE
    ? vscode.l10n.t('Until it is fixed, the default settings are used (one reviewer per stage, all files as sources), and nothing is written to it.')
    : vscode.l10n.t('Until it is fixed, what it holds is left out of the counts, conflicts and the PRISMA flow, and nothing is written to it.');
}

/** The command that opens a review file at a line (1-based; 0: the top). */
export function openAtLine(review: Review, file: string, line: number): vscode.Command {
  const position = new vscode.Position(Math.max(line - 1, 0), 0);
  return {
    command: 'vscode.open',
    title: vscode.l10n.t('Open {0}', file),
    arguments: [vscode.Uri.file(review.path(file)), { selection: new vscode.Range(position, position) }],
  };
}

export function groupLabel(group: GroupKind | 'duplicates'): string {
  return vscode.l10n.t(GROUP_LABELS[group]);
}

/** Codicon and theme colour per group (the same for its records). */
export function groupIcon(group: GroupKind | 'duplicates'): vscode.ThemeIcon {
  switch (group) {
    case 'unscreened':
      return new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('descriptionForeground'));
    case 'included':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'excluded':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'not-retrieved':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    case 'maybe':
      return new vscode.ThemeIcon('question', new vscode.ThemeColor('charts.yellow'));
    case 'conflicts':
      return new vscode.ThemeIcon('git-merge', new vscode.ThemeColor('charts.orange'));
    case 'awaiting':
      return new vscode.ThemeIcon('watch', new vscode.ThemeColor('charts.blue'));
    case 'duplicates':
      return new vscode.ThemeIcon('files', new vscode.ThemeColor('descriptionForeground'));
  }
}

const format = (n: number) => n.toLocaleString('en-US');

export class RecordsTreeProvider implements vscode.TreeDataProvider<RecordsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RecordsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<string, RecordsTreeNode>();
  private scheduled = false;
  private disposed = false;
  private refreshWaiters: (() => void)[] = [];
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly model: ScreeningModel,
    private readonly ordering?: UnscreenedOrdering,
    private readonly retrieval?: RetrievalSource,
  ) {
    model.onDidChange(() => this.refresh(), this, this.disposables);
    ordering?.onDidChange(() => this.refresh(), this, this.disposables);
    retrieval?.onDidChange(() => this.refresh(), this, this.disposables);
  }

  /** A group's members in display order (the ranking's for a ranked Unscreened group, else source order). */
  private membersOf(stage: Stage, index: ScreeningIndex, key: GroupKey): readonly number[] {
    if (key.kind === 'unscreened') {
      const ordered = this.ordering?.unscreenedOrder(stage);
      if (ordered) return ordered.order;
    }
    return index.stage(stage).members(key);
  }

  /** Refreshes the whole tree once for the changes of this tick; resolves once announced to VS Code. */
  refresh(): Promise<void> {
    const done = new Promise<void>((resolve) => this.refreshWaiters.push(resolve));
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        if (this.disposed) return;
        perfMark('tree/refresh');
        this.changed.fire(undefined);
        for (const resolve of this.refreshWaiters.splice(0)) resolve();
      });
    }
    return done;
  }

  // -------------------------------------------------------------------------------------------
  // Nodes (cached by id so the same object comes back for the same place)

  private node<T extends RecordsTreeNode>(make: T): T {
    const existing = this.nodes.get(make.id);
    if (existing && existing.kind === make.kind) return existing as T;
    this.nodes.set(make.id, make);
    return make;
  }

  stageNode(stage: Stage): StageNode {
    return this.node({ kind: 'stage', id: `s:${stage}`, stage });
  }

  groupNode(stage: Stage, group: GroupKind): GroupNode {
    return this.node({ kind: 'group', id: `g:${stage}:${group}`, stage, group });
  }

  private reasonNode(stage: Stage, reason: string): ReasonNode {
    return this.node({ kind: 'reason', id: `x:${stage}:${reason}`, stage, reason });
  }

  private duplicatesNode(): DuplicatesNode {
    return this.node({ kind: 'duplicates', id: 'g:title-abstract:duplicates', stage: 'title-abstract' });
  }

  private possibleNode(): PossibleNode {
    return this.node({ kind: 'possible', id: 'g:title-abstract:possible', stage: 'title-abstract' });
  }

  private pairNode(a: string, b: string): PairNode {
    return this.node({ kind: 'pair', id: `q:${a}\u0000${b}`, a, b });
  }

  private pageNode(parent: PageNode['parent'], page: number): PageNode {
    return this.node({ kind: 'page', id: `p:${parent.id}:${page}`, parent, page });
  }

  recordNode(stage: Stage, recordId: string): RecordNode {
    return this.node({ kind: 'record', id: `r:${stage}:${recordId}`, stage, recordId });
  }

  duplicateNode(recordId: string): DuplicateNode {
    return this.node({ kind: 'duplicate', id: `d:${recordId}`, recordId });
  }

  private unreadableNode(issue: { file: string; line: number; message: string }): UnreadableNode {
    // Not cached: the same file can fail at another line.
    return { kind: 'unreadable', id: `u:${issue.file}`, file: issue.file, line: issue.line, message: issue.message };
  }

  // -------------------------------------------------------------------------------------------
  // TreeDataProvider

  async getChildren(node?: RecordsTreeNode): Promise<RecordsTreeNode[]> {
    const children = await this.children(node);
    perfMark('tree/children', { node: node?.id ?? 'root', count: children.length });
    return children;
  }

  private async children(node?: RecordsTreeNode): Promise<RecordsTreeNode[]> {
    if (!node) {
      const ready = await this.model.ready();
      // An empty folder without review.json has no review yet: the welcome view says what to do.
      if (!ready) return [];
      const unreadable = ready.review.unreadable.map((issue) => this.unreadableNode(issue));
      if (ready.review.records.length === 0 && !ready.review.configExists && unreadable.length === 0) return [];
      return [...unreadable, this.stageNode('title-abstract'), this.stageNode('full-text')];
    }
    const review = this.model.review;
    const index = this.model.index;
    if (!review || !index) return [];
    switch (node.kind) {
      case 'stage':
        return this.groupsOf(node.stage, review, index);
      case 'group':
        if (node.group === 'excluded') return this.reasonsOf(node.stage, review, index).map((entry) => this.reasonNode(node.stage, entry.reason));
        return this.paged(node, index.stage(node.stage).members({ kind: node.group }).length, (start, end) => this.recordsOf(node.stage, index, { kind: node.group }, start, end));
      case 'reason': {
        const key: GroupKey = { kind: 'excluded', reason: node.reason };
        return this.paged(node, index.stage(node.stage).members(key).length, (start, end) => this.recordsOf(node.stage, index, key, start, end));
      }
      case 'possible':
        return review.possibleDuplicates.map((pair) => this.pairNode(pair.a, pair.b));
      case 'duplicates':
        return this.paged(node, this.visibleDuplicates(review).length, (start, end) => this.visibleDuplicates(review).slice(start, end).map((record) => this.duplicateNode(record.id)));
      case 'page': {
        const start = node.page * PAGE_SIZE;
        const parent = node.parent;
        if (parent.kind === 'duplicates') return this.visibleDuplicates(review).slice(start, start + PAGE_SIZE).map((record) => this.duplicateNode(record.id));
        const key: GroupKey = parent.kind === 'reason' ? { kind: 'excluded', reason: parent.reason } : { kind: parent.group };
        return this.recordsOf(parent.stage, index, key, start, start + PAGE_SIZE);
      }
      default:
        return [];
    }
  }

  private groupsOf(stage: Stage, review: Review, index: ScreeningIndex): RecordsTreeNode[] {
    const groups = index.stage(stage);
    const out: RecordsTreeNode[] = [];
    for (const kind of GROUP_KINDS) {
      const size = groups.size({ kind });
      if (size === 0 && (kind === 'not-retrieved' || (kind === 'awaiting' && review.config.stages[stage].reviewers < 2))) continue;
      out.push(this.groupNode(stage, kind));
    }
    if (stage === 'title-abstract' && review.possibleDuplicates.length > 0) out.push(this.possibleNode());
    if (stage === 'title-abstract' && review.duplicates.length > 0) out.push(this.duplicatesNode());
    return out;
  }

  /** Exclusion reasons in use: the review's list order first, then others by name, "no reason" last. */
  private reasonsOf(stage: Stage, review: Review, index: ScreeningIndex): { reason: string; count: number }[] {
    const order = new Map(review.config.stages[stage].reasons.map((reason, i) => [reason.toLowerCase(), i]));
    const rank = (reason: string) => (reason === '' ? Number.MAX_SAFE_INTEGER : (order.get(reason.toLowerCase()) ?? order.size));
    return index
      .stage(stage)
      .exclusionReasons()
      .filter((entry) => entry.count > 0)
      .sort((a, b) => rank(a.reason) - rank(b.reason) || a.reason.localeCompare(b.reason));
  }

  private paged(parent: PageNode['parent'], length: number, direct: (start: number, end: number) => RecordsTreeNode[]): RecordsTreeNode[] {
    if (length <= PAGE_SIZE) return direct(0, length);
    const pages: RecordsTreeNode[] = [];
    for (let page = 0; page * PAGE_SIZE < length; page++) pages.push(this.pageNode(parent, page));
    return pages;
  }

  private recordsOf(stage: Stage, index: ScreeningIndex, key: GroupKey, start: number, end: number): RecordNode[] {
    const members = this.membersOf(stage, index, key);
    const out: RecordNode[] = [];
    for (let i = start; i < Math.min(end, members.length); i++) {
      const id = index.idAt(members[i]);
      if (id !== undefined) out.push(this.recordNode(stage, id));
    }
    return out;
  }

  private visibleDuplicates(review: Review): DuplicateRecord[] {
    const filter = this.model.filter;
    // A duplicate matches the filter when the record it duplicates does.
    return filter ? review.duplicates.filter((duplicate) => filter.ids.has(duplicate.duplicateOf)) : review.duplicates;
  }

  getParent(node: RecordsTreeNode): RecordsTreeNode | undefined {
    switch (node.kind) {
      case 'stage':
      case 'unreadable':
        return undefined;
      case 'group':
      case 'duplicates':
      case 'possible':
        return this.stageNode(node.stage);
      case 'pair':
        return this.possibleNode();
      case 'reason':
        return this.groupNode(node.stage, 'excluded');
      case 'page':
        return node.parent;
      case 'record': {
        const index = this.model.index;
        const position = index?.positionOf(node.recordId);
        if (!index || position === undefined) return undefined;
        const groups = index.stage(node.stage);
        const key = groups.groupAt(position);
        if (!key) return this.stageNode(node.stage);
        const parent = key.kind === 'excluded' ? this.reasonNode(node.stage, key.reason ?? '') : this.groupNode(node.stage, key.kind);
        const ordered = key.kind === 'unscreened' ? this.ordering?.unscreenedOrder(node.stage) : undefined;
        if (ordered) return this.pageOf(parent, ordered.order.length, ordered.at[position] ?? -1);
        return this.pageOf(parent, groups.members(key).length, groups.indexInGroup(position));
      }
      case 'duplicate': {
        const review = this.model.review;
        const list = review ? this.visibleDuplicates(review) : [];
        return this.pageOf(this.duplicatesNode(), list.length, list.findIndex((duplicate) => duplicate.id === node.recordId));
      }
    }
  }

  private pageOf(parent: PageNode['parent'], length: number, at: number): RecordsTreeNode {
    return length > PAGE_SIZE && at >= 0 ? this.pageNode(parent, Math.floor(at / PAGE_SIZE)) : parent;
  }

  getTreeItem(node: RecordsTreeNode): vscode.TreeItem {
    const review = this.model.review;
    const index = this.model.index;
    switch (node.kind) {
      case 'stage':
        return this.stageItem(node, review, index);
      case 'group':
        return this.groupItem(node, index?.stage(node.stage));
      case 'reason': {
        const count = index?.stage(node.stage).members({ kind: 'excluded', reason: node.reason }).length ?? 0;
        const label = node.reason === '' ? vscode.l10n.t('No reason given') : node.reason;
        const item = new vscode.TreeItem(`${label} (${format(count)})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('tag', new vscode.ThemeColor('testing.iconFailed'));
        item.contextValue = 'reason';
        return item;
      }
      case 'duplicates': {
        const count = review ? this.visibleDuplicates(review).length : 0;
        const item = new vscode.TreeItem(`${groupLabel('duplicates')} (${format(count)})`, count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = groupIcon('duplicates');
        item.contextValue = 'group+duplicates';
        item.tooltip = vscode.l10n.t('Records found to duplicate another record (PRISMA: duplicate records removed). They are not screened.');
        return item;
      }
      case 'possible': {
        const count = review?.possibleDuplicates.length ?? 0;
        const item = new vscode.TreeItem(`${vscode.l10n.t('Possible duplicates')} (${format(count)})`, count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('copy', new vscode.ThemeColor('charts.orange'));
        item.contextValue = 'group+possible';
        item.tooltip = vscode.l10n.t('Pairs of records that may be one paper: compare them side by side and decide. They are not merged until then.');
        return item;
      }
      case 'pair':
        return this.pairItem(node, review);
      case 'page': {
        const start = node.page * PAGE_SIZE;
        const total = this.pageParentLength(node.parent);
        const item = new vscode.TreeItem(vscode.l10n.t('Records {0}–{1}', format(start + 1), format(Math.min(total, start + PAGE_SIZE))), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('list-flat');
        item.contextValue = 'page';
        return item;
      }
      case 'record':
        return this.recordItem(node, review, index);
      case 'duplicate':
        return this.duplicateItem(node, review);
      case 'unreadable':
        return this.unreadableItem(node, review);
    }
  }

  private unreadableItem(node: UnreadableNode, review: Review | undefined): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Cannot read {0}', node.file), vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.line > 0 ? vscode.l10n.t('line {0}: {1}', String(node.line), node.message) : node.message;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.contextValue = 'unreadable';
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${node.file}${node.line > 0 ? `:${node.line}` : ''}: ${node.message}`);
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(unreadableConsequence(node.file));
    item.tooltip = tooltip;
    if (review) item.command = openAtLine(review, node.file, node.line);
    return item;
  }

  private pageParentLength(parent: PageNode['parent']): number {
    const index = this.model.index;
    const review = this.model.review;
    if (parent.kind === 'duplicates') return review ? this.visibleDuplicates(review).length : 0;
    const key: GroupKey = parent.kind === 'reason' ? { kind: 'excluded', reason: parent.reason } : { kind: parent.group };
    return index?.stage(parent.stage).members(key).length ?? 0;
  }

  private stageItem(node: StageNode, review: Review | undefined, index: ScreeningIndex | undefined): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t(STAGE_LABELS[node.stage]), node.stage === 'title-abstract' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    item.iconPath = new vscode.ThemeIcon(node.stage === 'title-abstract' ? 'checklist' : 'book');
    item.contextValue = `stage+${node.stage}`;
    if (review && index) {
      const progress = stageProgress(index.stage(node.stage));
      item.description =
        progress.conflicts === 1
          ? vscode.l10n.t('{0} of {1} screened · 1 conflict', format(progress.screened), format(progress.total))
          : progress.conflicts > 1
            ? vscode.l10n.t('{0} of {1} screened · {2} conflicts', format(progress.screened), format(progress.total), format(progress.conflicts))
            : vscode.l10n.t('{0} of {1} screened', format(progress.screened), format(progress.total));
      const reviewers = review.config.stages[node.stage].reviewers;
      item.tooltip = reviewers === 2 ? vscode.l10n.t('Two reviewers screen each record at this stage.') : vscode.l10n.t('One reviewer screens each record at this stage.');
    }
    return item;
  }

  private groupItem(node: GroupNode, groups: StageGroups | undefined): vscode.TreeItem {
    const count = groups?.members({ kind: node.group }).length ?? 0;
    // Unscreened opens expanded the first time: the work to do (long lists show their pages).
    const open = node.group === 'unscreened' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(`${groupLabel(node.group)} (${format(count)})`, count > 0 ? open : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.iconPath = groupIcon(node.group);
    item.contextValue = `group+${node.group}`;
    if (node.group === 'awaiting') {
      const others = groups?.awaitingOthers ?? 0;
      item.tooltip = vscode.l10n.t('You decided these; the stage needs a second reviewer.');
      if (others > 0) {
        // What waits without this reviewer (e.g. an adjudicator's view): counted here, listed under Unscreened.
        item.description = vscode.l10n.t('+ {0} decided by one reviewer, in Unscreened', format(others));
        item.tooltip = vscode.l10n.t(
          'You decided these; the stage needs a second reviewer. {0} more were decided by one other reviewer and wait for a second decision: they are listed under Unscreened, since yours would count.',
          format(others),
        );
      }
    }
    if (node.group === 'conflicts') item.tooltip = vscode.l10n.t('Reviewers disagree: resolve to settle them.');
    if (node.group === 'unscreened') {
      const order = this.ordering?.orderText(node.stage);
      if (order) {
        item.description = order.description;
        item.tooltip = order.tooltip;
      }
    }
    return item;
  }

  private recordItem(node: RecordNode, review: Review | undefined, index: ScreeningIndex | undefined): vscode.TreeItem {
    const record = review?.record(node.recordId);
    const item = new vscode.TreeItem(record ? displayTitle(record, vscode.l10n.t('(untitled record)')) : node.recordId, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    const position = index?.positionOf(node.recordId);
    const key = position === undefined ? undefined : index?.stage(node.stage).groupAt(position);
    const group = key?.kind ?? 'unscreened';
    item.iconPath = groupIcon(group);
    if (record) item.description = listDescription(record);
    // At full text, whether the report is at hand comes first: "PDF", "No PDF", "Not retrieved".
    const retrieval = node.stage === 'full-text' ? this.retrieval?.retrievalLabel(node.recordId) : undefined;
    if (retrieval) item.description = item.description ? `${retrieval} · ${item.description}` : retrieval;
    if (group === 'conflicts' && review) {
      // Both verdicts in the row, so a disagreement is readable without opening it (not while blind mode hides them).
      const status = review.status(node.recordId);
      const stageStatus = node.stage === 'title-abstract' ? status.titleAbstract : status.fullText;
      if (!blindHides(stageStatus, review.reviewerKey)) {
        const verdicts = conflictSummary(review, stageStatus);
        item.description = [verdicts, item.description].filter(Boolean).join(' — ');
        // A long title pushes the description out of a narrow view: the hover says it too.
        item.tooltip = `${item.label as string}\n${verdicts}`;
      }
    }
    const mine = review?.decision(node.recordId, node.stage) !== undefined;
    item.contextValue = `record+${group}+${node.stage}${mine ? '+decided' : ''}`;
    item.command = { command: Commands.openRecord, title: vscode.l10n.t('Open in Reader'), arguments: [node.recordId, node.stage, { preserveFocus: true }] };
    item.accessibilityInformation = { label: `${item.label as string}, ${item.description ?? ''}, ${groupLabel(group)}` };
    return item;
  }

  private pairItem(node: PairNode, review: Review | undefined): vscode.TreeItem {
    const a = review?.record(node.a) ?? review?.duplicate(node.a);
    const pair = review?.possibleDuplicates.find((p) => p.a === node.a && p.b === node.b);
    const item = new vscode.TreeItem(a ? displayTitle(a, vscode.l10n.t('(untitled record)')) : node.a, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.iconPath = new vscode.ThemeIcon('copy', new vscode.ThemeColor('charts.orange'));
    if (pair) {
      const differing = Object.entries(pair.comparison.fields).filter(([, agreement]) => agreement === 'different').map(([field]) => field);
      item.description = differing.length > 0 ? vscode.l10n.t('differs: {0}', differing.join(', ')) : pair.comparison.rule;
    }
    item.contextValue = 'pair';
    item.command = { command: Commands.reviewDuplicates, title: vscode.l10n.t('Compare Side by Side'), arguments: [node.a, node.b] };
    return item;
  }

  private duplicateItem(node: DuplicateNode, review: Review | undefined): vscode.TreeItem {
    const record = review?.duplicate(node.recordId);
    const item = new vscode.TreeItem(record ? displayTitle(record, vscode.l10n.t('(untitled record)')) : node.recordId, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.iconPath = groupIcon('duplicates');
    if (record) item.description = listDescription(record);
    // Decisions recorded before it became a duplicate stay in the decisions files and are shown here.
    const decided = review?.decisionsOnDuplicate(node.recordId) ?? [];
    if (decided.length > 0) item.description = `${vscode.l10n.t('decided: {0}', [...new Set(decided.map((d) => d.verdict))].join(', '))} · ${item.description ?? ''}`;
    item.contextValue = 'duplicate';
    item.command = { command: Commands.openRecord, title: vscode.l10n.t('Open in Reader'), arguments: [node.recordId, 'title-abstract', { preserveFocus: true }] };
    return item;
  }

  /** The tooltip, filled in when the user hovers (not for every item of a page). */
  resolveTreeItem(item: vscode.TreeItem, node: RecordsTreeNode): vscode.TreeItem {
    if (node.kind !== 'record' && node.kind !== 'duplicate') return item;
    const review = this.model.review;
    const record: BibRecord | DuplicateRecord | undefined =
      node.kind === 'record' ? review?.record(node.recordId) : review?.duplicates.find((duplicate) => duplicate.id === node.recordId);
    if (record) item.tooltip = recordTooltip(record, node.kind === 'duplicate' ? review?.record((record as DuplicateRecord).duplicateOf) : undefined);
    const decided = node.kind === 'duplicate' ? (review?.decisionsOnDuplicate(node.recordId) ?? []) : [];
    if (decided.length > 0 && item.tooltip instanceof vscode.MarkdownString) {
      item.tooltip.appendText(vscode.l10n.t('Decided before it was found to be a duplicate (kept in the decisions file): {0}', decided.map((d) => `${d.verdict} (${d.stage})`).join(', ')));
    }
    return item;
  }

  /** What the view shows, once the review is open and indexed. */
  async snapshot(): Promise<RecordsSnapshot> {
    const ready = await this.model.ready();
    if (!ready) return { records: 0, duplicates: 0, possible: 0, stages: [], titles: [], unreadable: [] };
    const { review, index } = ready;
    const stages = (['title-abstract', 'full-text'] as const).map((stage) => ({
      stage,
      groups: [
        ...GROUP_KINDS.map((group) => ({ group, count: index.stage(stage).members({ kind: group }).length })),
        ...index
          .stage(stage)
          .exclusionReasons()
          .map((entry) => ({ group: 'excluded' as const, reason: entry.reason, count: entry.count })),
        ...(stage === 'title-abstract' ? [{ group: 'duplicates' as const, count: this.visibleDuplicates(review).length }] : []),
      ],
    }));
    return {
      records: review.records.length,
      duplicates: review.duplicates.length,
      possible: review.possibleDuplicates.length,
      stages,
      titles: review.records.map((record) => displayTitle(record)),
      ...(this.model.filter ? { filter: this.model.filter.query } : {}),
      unreadable: review.unreadable.map(({ file, line, message }) => ({ file, line, message })),
    };
  }

  dispose(): void {
    this.disposed = true;
    for (const resolve of this.refreshWaiters.splice(0)) resolve();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/** Screened = applicable records no longer waiting for this reviewer. */
export function stageProgress(groups: StageGroups): { total: number; screened: number; conflicts: number; unscreened: number } {
  const total = groups.total;
  const unscreened = groups.size({ kind: 'unscreened' });
  return { total, unscreened, screened: total - unscreened, conflicts: groups.size({ kind: 'conflicts' }) };
}

/** Title, authors, journal and the abstract's start, every record string escaped as Markdown text. */
export function recordTooltip(record: BibRecord, duplicateOf?: BibRecord): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  tooltip.supportHtml = false;
  tooltip.isTrusted = false;
  tooltip.supportThemeIcons = false;
  tooltip.appendMarkdown('**').appendText(displayTitle(record)).appendMarkdown('**\n\n');
  const byline = [record.authors.slice(0, 6).join('; ') + (record.authors.length > 6 ? ' …' : ''), record.journal, record.year?.toString()].filter(Boolean).join(' · ');
  if (byline) tooltip.appendText(byline).appendMarkdown('\n\n');
  const abstract = textStart(record.abstract ?? record.fullText, 400);
  if (abstract) tooltip.appendText(abstract).appendMarkdown('\n\n');
  if (duplicateOf) tooltip.appendText(vscode.l10n.t('Duplicate of: {0}', displayTitle(duplicateOf))).appendMarkdown('\n\n');
  tooltip.appendText(`${record.provenance.file}:${record.provenance.line}`);
  return tooltip;
}

/** The tree view with its provider, filter message, badge and selection tracking. */
export class RecordsView implements vscode.Disposable {
  readonly provider: RecordsTreeProvider;
  readonly view: vscode.TreeView<RecordsTreeNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private revealTimer: ReturnType<typeof setTimeout> | undefined;
  private followed: { recordId: string; stage: Stage } | undefined;
  private pending: { recordId: string; stage: Stage } | undefined;
  /** When a change last moved the followed record to another group (its row may lose the selection). */
  private followedMovedAt = 0;

  constructor(
    private readonly model: ScreeningModel,
    ordering?: UnscreenedOrdering,
    retrieval?: RetrievalSource,
  ) {
    this.provider = new RecordsTreeProvider(model, ordering, retrieval);
    this.view = vscode.window.createTreeView(RECORDS_VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true });
    this.disposables.push(this.provider, this.view);
    this.view.onDidChangeSelection(
      (event) => {
        const node = event.selection[0];
        // Only the reader sets the followed record (reveal): a selection event may be the late echo
        // of an earlier reveal on a busy machine, so it says nothing about what the reader shows.
        if (node?.kind === 'record') this.model.stage = node.stage;
        // The row of the record in view moved and the tree dropped its selection, possibly after the
        // reveal that followed the move had run: select it again (only right after such a move, so a
        // person collapsing its group is not overruled).
        if (!node && this.followed && !this.pending && Date.now() - this.followedMovedAt < FOLLOW_MOVE_WINDOW_MS) {
          this.reveal(this.followed.recordId, this.followed.stage, { delay: REVEAL_AFTER_REFRESH_MS });
        }
      },
      this,
      this.disposables,
    );
    model.onDidChange(
      (change) => {
        this.describe();
        // A pull or checkout moved the record in view to another group: keep it selected.
        if (change.kind === 'records' && this.followed && change.ids.includes(this.followed.recordId) && this.selectionIsFollowed()) {
          this.followedMovedAt = Date.now();
          this.reveal(this.followed.recordId, this.followed.stage, { delay: REVEAL_AFTER_REFRESH_MS });
        }
      },
      this,
      this.disposables,
    );
    this.describe();
  }

  /** The record selected in the tree, if a record is selected. */
  selectedRecord(): { recordId: string; stage: Stage } | undefined {
    const node = this.view.selection[0];
    if (node?.kind === 'record') return { recordId: node.recordId, stage: node.stage };
    if (node?.kind === 'duplicate') return { recordId: node.recordId, stage: 'title-abstract' };
    return undefined;
  }

  private selectionIsFollowed(): boolean {
    const selected = this.selectedRecord();
    return selected === undefined || (selected.recordId === this.followed?.recordId && selected.stage === this.followed.stage);
  }

  /** The record the reader shows, already selected in the tree (the user opened it from its row). */
  follow(recordId: string, stage: Stage): void {
    this.followed = { recordId, stage };
    // A reveal still waiting (the reader's previous record) would take the selection away.
    if (this.pending && this.pending.recordId !== recordId) {
      clearTimeout(this.revealTimer);
      this.pending = undefined;
    }
  }

  /** Selects a record in the tree (expanding its group and page), after pending refreshes; debounced. */
  reveal(recordId: string, stage: Stage, options: { focus?: boolean; delay?: number } = {}): void {
    this.followed = { recordId, stage };
    this.pending = { recordId, stage };
    clearTimeout(this.revealTimer);
    this.revealTimer = setTimeout(() => {
      this.pending = undefined;
      void this.revealNow(recordId, stage, options.focus ?? false);
    }, options.delay ?? 120);
  }

  async revealNow(recordId: string, stage: Stage, focus = false): Promise<void> {
    if (!this.view.visible && !focus) return;
    const index = this.model.index;
    const isDuplicate = index?.positionOf(recordId) === undefined && this.model.review?.duplicates.some((duplicate) => duplicate.id === recordId);
    const node: RecordsTreeNode = isDuplicate ? this.provider.duplicateNode(recordId) : this.provider.recordNode(stage, recordId);
    if (this.view.selection[0]?.id === node.id) return;
    perfMark('tree/reveal', { node: node.id });
    try {
      await this.view.reveal(node, { select: true, focus, expand: false });
    } catch {
      // The record is no longer in the tree (filtered out, or the review changed meanwhile).
    }
  }

  /** Expands and selects a group of the current stage (e.g. Conflicts). */
  async revealGroup(stage: Stage, group: GroupKind): Promise<void> {
    await this.view.reveal(this.provider.groupNode(stage, group), { select: true, focus: true, expand: true });
  }

  private describe(): void {
    const filter = this.model.filter;
    const index = this.model.index;
    if (filter) {
      const count = index?.visibleCount ?? filter.ids.size;
      this.view.description = vscode.l10n.t('Filter: {0}', filter.query);
      this.view.message =
        count === 0
          ? vscode.l10n.t('No records match “{0}”. Clear the filter to see every record.', filter.query)
          : count === 1
            ? vscode.l10n.t('Showing the one record that matches “{0}”.', filter.query)
            : vscode.l10n.t('Showing the {0} records that match “{1}”.', format(count), filter.query);
    } else {
      this.view.description = undefined;
      this.view.message = undefined;
    }
    if (index) {
      const unscreened = index.stage(this.model.stage).size({ kind: 'unscreened' });
      this.view.badge = unscreened > 0 ? { value: unscreened, tooltip: vscode.l10n.t('{0} records to screen at {1}', format(unscreened), vscode.l10n.t(STAGE_LABELS[this.model.stage]).toLowerCase()) } : undefined;
    } else {
      this.view.badge = undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.revealTimer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
