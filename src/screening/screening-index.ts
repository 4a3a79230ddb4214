/**
 * Where every record stands for the current reviewer, per stage, as the Records tree groups it:
 *
 *   unscreened     nobody decided yet, or others decided and this reviewer's decision is still needed
 *   awaiting       this reviewer decided; the stage needs another reviewer ("pending second reviewer")
 *   conflicts      reviewers disagree and no resolution settled it
 *   maybe          the agreed (or resolved) verdict is "maybe": still pending
 *   included / excluded (by reason) / not-retrieved (full text only)
 *
 * A record appears at full text only once included at title/abstract. Duplicates (PRISMA's
 * "duplicates removed") are not screened and are not indexed here.
 *
 * Built for reviews of tens of thousands of records: the first build runs in slices of a few
 * milliseconds that yield to the event loop; a decision updates the few records it touched
 * (binary search into sorted arrays of record positions). Members of a group are record positions
 * (indexes into `records`) in source order. No VS Code, no I/O.
 */
import type { Stage } from './decision';
import type { RecordStatus, StageStatus } from './status';

export type GroupKind = 'unscreened' | 'awaiting' | 'conflicts' | 'maybe' | 'included' | 'excluded' | 'not-retrieved';

/** Tree order of the groups. */
export const GROUP_KINDS: readonly GroupKind[] = ['unscreened', 'included', 'excluded', 'not-retrieved', 'maybe', 'conflicts', 'awaiting'];

/** A group, or one exclusion reason's subgroup: `excluded` + reason ('' when none was given). */
export interface GroupKey {
  kind: GroupKind;
  reason?: string;
  /** Unscreened for this reviewer, but decided by another one: waiting for a second reviewer. */
  othersAwaiting?: boolean;
}

/** What the index reads from a Review. */
export interface IndexSource {
  readonly records: readonly { id: string }[];
  status(recordId: string): RecordStatus;
  /** The current reviewer's key (decisions file name), as in StageStatus.decisions[].reviewer. */
  readonly reviewerKey: string;
}

const CODES: readonly GroupKind[] = GROUP_KINDS;
const NOT_APPLICABLE = -1;

/** The group of one stage's status for `reviewer`; undefined when the stage does not apply. */
export function groupOf(status: StageStatus, reviewer: string): GroupKey | undefined {
  switch (status.state) {
    case 'not-applicable':
      return undefined;
    case 'undecided':
      return { kind: 'unscreened' };
    case 'awaiting':
      return status.decisions.some((decision) => decision.reviewer === reviewer) ? { kind: 'awaiting' } : { kind: 'unscreened', othersAwaiting: true };
    case 'conflict':
      return { kind: 'conflicts' };
    case 'maybe':
      return { kind: 'maybe' };
    case 'included':
      return { kind: 'included' };
    case 'excluded':
      return { kind: 'excluded', reason: status.reason?.trim() ?? '' };
    case 'not-retrieved':
      return { kind: 'not-retrieved' };
  }
}

function keyString(key: GroupKey): string {
  return key.kind === 'excluded' && key.reason !== undefined ? `excluded\u0000${key.reason}` : key.kind;
}

/** Index of the first element of sorted `list` that is >= value. */
function lowerBound(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(list: number[], value: number): void {
  const at = lowerBound(list, value);
  if (list[at] !== value) list.splice(at, 0, value);
}

function removeSorted(list: number[], value: number): void {
  const at = lowerBound(list, value);
  if (list[at] === value) list.splice(at, 1);
}

/** One stage's groups. */
export class StageGroups {
  /** Group code per record position (index into GROUP_KINDS), -1 where the stage does not apply. */
  private codes: Int8Array;
  private reasons = new Map<number, string>();
  /** Sorted record positions per group key string; every excluded record is also in 'excluded'. */
  private lists = new Map<string, number[]>();
  private filterCache = new Map<string, number[]>();
  private filterMask: Uint8Array | undefined;
  /** Positions decided by others that wait for a second reviewer (in this reviewer's Unscreened). */
  private othersAwaiting = new Set<number>();

  constructor(
    readonly stage: Stage,
    size: number,
  ) {
    this.codes = new Int8Array(size).fill(NOT_APPLICABLE);
    for (const kind of GROUP_KINDS) this.lists.set(kind, []);
  }

  /**
   * Records another reviewer decided that wait for a second reviewer, this one not having decided
   * them (they are in this reviewer's Unscreened): what an adjudicator sees as pending.
   */
  get awaitingOthers(): number {
    return this.othersAwaiting.size;
  }

  /** Records to which the stage applies. */
  get total(): number {
    let total = 0;
    for (const kind of GROUP_KINDS) total += this.lists.get(kind)!.length;
    return total;
  }

  /** The group of the record at `position`, or undefined when the stage does not apply to it. */
  groupAt(position: number): GroupKey | undefined {
    const code = this.codes[position];
    if (code === undefined || code === NOT_APPLICABLE) return undefined;
    const kind = CODES[code];
    return kind === 'excluded' ? { kind, reason: this.reasons.get(position) ?? '' } : { kind };
  }

  /** Exclusion reasons in use with their record counts ('' for none given), in first-use order. */
  exclusionReasons(): { reason: string; count: number }[] {
    const out: { reason: string; count: number }[] = [];
    for (const [key, list] of this.lists) {
      if (!key.startsWith('excluded\u0000') || list.length === 0) continue;
      out.push({ reason: key.slice('excluded\u0000'.length), count: this.members({ kind: 'excluded', reason: key.slice('excluded\u0000'.length) }).length });
    }
    return out;
  }

  /** Sorted record positions of a group (after the filter, if one is set). Do not modify. */
  members(key: GroupKey): readonly number[] {
    const name = keyString(key);
    const list = this.lists.get(name) ?? [];
    const mask = this.filterMask;
    if (!mask) return list;
    let filtered = this.filterCache.get(name);
    if (!filtered) {
      filtered = list.filter((position) => mask[position] === 1);
      this.filterCache.set(name, filtered);
    }
    return filtered;
  }

  /** Unfiltered size of a group. */
  size(key: GroupKey): number {
    return this.lists.get(keyString(key))?.length ?? 0;
  }

  /** Position of a record within its group's (filtered) members, or -1. */
  indexInGroup(position: number): number {
    const key = this.groupAt(position);
    if (!key) return -1;
    const members = this.members(key);
    const at = lowerBound(members, position);
    return members[at] === position ? at : -1;
  }

  /** The next (or previous) member of a group after `from` (a record position), wrapping around; undefined when empty. */
  step(key: GroupKey, from: number, direction: 1 | -1, wrap = true): number | undefined {
    const members = this.members(key);
    if (members.length === 0) return undefined;
    if (direction === 1) {
      const at = lowerBound(members, from + 1);
      if (at < members.length) return members[at];
      return wrap ? members[0] : undefined;
    }
    const at = lowerBound(members, from) - 1;
    if (at >= 0) return members[at];
    return wrap ? members[members.length - 1] : undefined;
  }

  /** The next (or previous) record the stage applies to (and the filter lets through), without wrapping. */
  stepApplicable(from: number, direction: 1 | -1): number | undefined {
    const mask = this.filterMask;
    for (let i = from + direction; i >= 0 && i < this.codes.length; i += direction) {
      if (this.codes[i] !== NOT_APPLICABLE && (!mask || mask[i] === 1)) return i;
    }
    return undefined;
  }

  /** Whether the filter (if any) lets the record at `position` through. */
  visible(position: number): boolean {
    return !this.filterMask || this.filterMask[position] === 1;
  }

  /** @internal */
  set(position: number, key: GroupKey | undefined): void {
    if (key?.othersAwaiting) this.othersAwaiting.add(position);
    else this.othersAwaiting.delete(position);
    const before = this.codes[position];
    const beforeKind = before === NOT_APPLICABLE ? undefined : CODES[before];
    const beforeReason = this.reasons.get(position);
    const code = key ? CODES.indexOf(key.kind) : NOT_APPLICABLE;
    if (before === code && (key?.kind !== 'excluded' || beforeReason === (key.reason ?? ''))) return;
    if (beforeKind) {
      this.removeFrom(beforeKind, position);
      if (beforeKind === 'excluded') {
        this.removeFrom(keyString({ kind: 'excluded', reason: beforeReason ?? '' }), position);
        this.reasons.delete(position);
      }
    }
    this.codes[position] = code;
    if (key) {
      this.addTo(key.kind, position);
      if (key.kind === 'excluded') {
        const reason = key.reason ?? '';
        this.reasons.set(position, reason);
        this.addTo(keyString({ kind: 'excluded', reason }), position);
      }
    }
  }

  /** @internal Appends during a build (positions arrive in increasing order). */
  append(position: number, key: GroupKey | undefined): void {
    if (!key) return;
    if (key.othersAwaiting) this.othersAwaiting.add(position);
    this.codes[position] = CODES.indexOf(key.kind);
    this.lists.get(key.kind)!.push(position);
    if (key.kind === 'excluded') {
      const reason = key.reason ?? '';
      this.reasons.set(position, reason);
      const name = keyString({ kind: 'excluded', reason });
      let list = this.lists.get(name);
      if (!list) this.lists.set(name, (list = []));
      list.push(position);
    }
  }

  /** @internal */
  setFilter(mask: Uint8Array | undefined): void {
    this.filterMask = mask;
    this.filterCache.clear();
  }

  private addTo(name: string, position: number): void {
    let list = this.lists.get(name);
    if (!list) this.lists.set(name, (list = []));
    insertSorted(list, position);
    this.filterCache.delete(name);
  }

  private removeFrom(name: string, position: number): void {
    const list = this.lists.get(name);
    if (!list) return;
    removeSorted(list, position);
    if (list.length === 0 && name.startsWith('excluded\u0000')) this.lists.delete(name);
    this.filterCache.delete(name);
  }
}

export interface BuildOptions {
  /** Longest synchronous slice in ms before yielding to the event loop (default 8). */
  sliceMs?: number;
  /** Polled between slices: true abandons the build (it resolves false). */
  shouldStop?: () => boolean;
  /** Yields to the event loop (default setImmediate/setTimeout). */
  yieldFn?: () => Promise<void>;
}

const defaultYield = (): Promise<void> => new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** Both stages' groups for the records of one review and one reviewer. */
export class ScreeningIndex {
  readonly titleAbstract: StageGroups;
  readonly fullText: StageGroups;
  private readonly positions = new Map<string, number>();
  private filterIds: ReadonlySet<string> | undefined;

  private constructor(
    private readonly source: IndexSource,
    readonly reviewer: string,
  ) {
    const size = source.records.length;
    this.titleAbstract = new StageGroups('title-abstract', size);
    this.fullText = new StageGroups('full-text', size);
    source.records.forEach((record, position) => this.positions.set(record.id, position));
  }

  /** Builds the index in slices; resolves undefined when `shouldStop` said so. */
  static async build(source: IndexSource, options: BuildOptions = {}): Promise<ScreeningIndex | undefined> {
    const sliceMs = options.sliceMs ?? 8;
    const yieldFn = options.yieldFn ?? defaultYield;
    const index = new ScreeningIndex(source, source.reviewerKey);
    const records = source.records;
    let sliceStart = performance.now();
    for (let position = 0; position < records.length; position++) {
      const status = source.status(records[position].id);
      index.titleAbstract.append(position, groupOf(status.titleAbstract, index.reviewer));
      index.fullText.append(position, groupOf(status.fullText, index.reviewer));
      if ((position & 127) === 127 && performance.now() - sliceStart > sliceMs) {
        await yieldFn();
        if (options.shouldStop?.()) return undefined;
        sliceStart = performance.now();
      }
    }
    return index;
  }

  /** Builds the index in one go (tests, small reviews). */
  static buildSync(source: IndexSource): ScreeningIndex {
    const index = new ScreeningIndex(source, source.reviewerKey);
    source.records.forEach((record, position) => {
      const status = source.status(record.id);
      index.titleAbstract.append(position, groupOf(status.titleAbstract, index.reviewer));
      index.fullText.append(position, groupOf(status.fullText, index.reviewer));
    });
    return index;
  }

  get size(): number {
    return this.source.records.length;
  }

  stage(stage: Stage): StageGroups {
    return stage === 'title-abstract' ? this.titleAbstract : this.fullText;
  }

  positionOf(recordId: string): number | undefined {
    return this.positions.get(recordId);
  }

  idAt(position: number): string | undefined {
    return this.source.records[position]?.id;
  }

  /** Re-reads the status of these records (after their decisions or resolutions changed). */
  update(recordIds: Iterable<string>): void {
    for (const id of recordIds) {
      const position = this.positions.get(id);
      if (position === undefined) continue;
      const status = this.source.status(id);
      this.titleAbstract.set(position, groupOf(status.titleAbstract, this.reviewer));
      this.fullText.set(position, groupOf(status.fullText, this.reviewer));
    }
  }

  /** Restricts every group to these record ids; undefined shows everything. */
  setFilter(ids: ReadonlySet<string> | undefined): void {
    this.filterIds = ids;
    this.applyFilter();
  }

  get filtered(): boolean {
    return this.filterIds !== undefined;
  }

  /** Records the filter lets through (all records without a filter). */
  get visibleCount(): number {
    if (!this.filterIds) return this.size;
    let n = 0;
    for (const id of this.filterIds) if (this.positions.has(id)) n++;
    return n;
  }

  private applyFilter(): void {
    let mask: Uint8Array | undefined;
    if (this.filterIds) {
      mask = new Uint8Array(this.size);
      for (const id of this.filterIds) {
        const position = this.positions.get(id);
        if (position !== undefined) mask[position] = 1;
      }
    }
    this.titleAbstract.setFilter(mask);
    this.fullText.setFilter(mask);
  }
}

/**
 * Pages of a long list, so no tree node has thousands of children: [start, end) ranges of
 * `pageSize`. A list of `pageSize` or fewer is one page.
 */
export function pageRanges(length: number, pageSize: number): [start: number, end: number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < length; start += pageSize) out.push([start, Math.min(length, start + pageSize)]);
  return out;
}
