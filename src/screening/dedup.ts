/**
 * Duplicate detection across a review's imports, in three steps:
 * 1. blocking: records that share a DOI, a PMID, the opening or the end of their normalised title,
 *    first author and year (a year apart allowed), or volume and first page become candidate pairs;
 * 2. field-by-field comparison of each pair (dedup-match.ts): duplicate, possible duplicate, distinct;
 * 3. grouping: duplicates are joined into groups, never joining two groups that hold different
 *    DOIs or PMIDs, a notice and an article, or two records a reviewer said are distinct.
 * A reviewer's decisions on pairs (confirm, reject, which record to keep) override steps 1–2.
 * Possible duplicates are reported for a person to decide, never merged. Nothing is deleted: each
 * duplicate is linked to the record its group keeps, the earliest imported unless a reviewer chose.
 */
import { dedupFields, normaliseDedupTitle, type DedupFields, type NoticeKind } from './dedup-fields';
import { bigramCodes, compareRecords, diceSorted, STRONG_TITLE, type PairComparison } from './dedup-match';
import type { BibRecord } from './record';

export type DuplicateReason = 'doi' | 'pmid' | 'fields' | 'decision';

export interface DuplicateLink {
  /** Index (in the input array) of the duplicate record. */
  index: number;
  /** Index of the record its group keeps. */
  duplicateOf: number;
  reason: DuplicateReason;
  /** Title similarity of the pair that joined it, for 'fields' links. */
  similarity?: number;
}

export interface PossiblePair {
  /** Indexes of the two records, the earlier first. */
  a: number;
  b: number;
  comparison: PairComparison;
}

/** A reviewer's decision on two records, by index (see duplicate-decisions.ts for the stored form). */
export interface PairDecision {
  a: number;
  b: number;
  verdict: 'duplicate' | 'distinct';
  /** The record to keep of the group (a or b), for 'duplicate'. */
  keep?: number;
}

export interface DuplicateDetection {
  links: DuplicateLink[];
  /** Pairs a person should look at: one per two groups, not merged. */
  possible: PossiblePair[];
}

/** Blocks larger than this are compared by neighbourhood in title order, not every pair. */
const MAX_BLOCK = 48;
const WINDOW = 12;
/** Title openings and endings shorter than this are not blocked on (too common). */
const TITLE_KEY_LENGTH = 24;

export function findDuplicates(records: readonly BibRecord[]): DuplicateLink[] {
  return detectDuplicates(records).links;
}

export function detectDuplicates(records: readonly BibRecord[], decisions: readonly PairDecision[] = []): DuplicateDetection {
  return groupDuplicates(records, scoreDuplicates(records), decisions);
}

/** What the comparisons found, before grouping: kept so a reviewer's decisions can regroup without comparing again. */
export interface AutomaticMatches {
  duplicates: PossiblePair[];
  possible: PossiblePair[];
  /** Index -> notice kind, for the records that are notices. */
  notices: Record<number, NoticeKind>;
}

/** Steps 1 and 2: blocking and comparison. */
export function scoreDuplicates(records: readonly BibRecord[]): AutomaticMatches {
  const fields = records.map(dedupFields);
  const pairs = candidatePairs(fields);
  const duplicates: PossiblePair[] = [];
  const possible: PossiblePair[] = [];
  for (let p = 0; p < pairs.length; p++) {
    const a = Math.floor(pairs[p] / records.length);
    const b = pairs[p] - a * records.length;
    const comparison = compareRecords(fields[a], fields[b]);
    if (comparison.outcome === 'duplicate') duplicates.push({ a, b, comparison });
    else if (comparison.outcome === 'possible') possible.push({ a, b, comparison });
  }
  const notices: Record<number, NoticeKind> = {};
  fields.forEach((f, i) => {
    if (f.notice) notices[i] = f.notice;
  });
  return { duplicates, possible, notices };
}

/** Step 3: groups from the automatic matches and a reviewer's decisions (which win). */
export function groupDuplicates(
  records: readonly { doi?: string; pmid?: string }[],
  matches: AutomaticMatches,
  decisions: readonly PairDecision[] = [],
): DuplicateDetection {
  const groups = new Groups(records, matches.notices);
  const decided = new Set<string>();
  for (const decision of decisions) {
    decided.add(pairKey(decision.a, decision.b));
    if (decision.verdict === 'distinct') groups.forbid(decision.a, decision.b);
  }
  for (const decision of decisions) {
    if (decision.verdict !== 'duplicate') continue;
    groups.join(decision.a, decision.b, 'decision', undefined, true);
  }
  const possible = [...matches.possible];
  // Identifiers first, then the closest titles, so a chain of near matches cannot outvote them.
  const duplicates = [...matches.duplicates].sort(
    (x, y) => rankOf(x.comparison) - rankOf(y.comparison) || y.comparison.titleSimilarity - x.comparison.titleSimilarity || x.a - y.a || x.b - y.b,
  );
  for (const { a, b, comparison } of duplicates) {
    if (decided.has(pairKey(a, b))) continue;
    const reason = comparison.fields.doi === 'same' ? 'doi' : comparison.fields.pmid === 'same' ? 'pmid' : 'fields';
    if (!groups.join(a, b, reason, round(comparison.titleSimilarity), false)) {
      // Joining would break a never-merge rule for another member: a person decides.
      possible.push({ a, b, comparison: { ...comparison, outcome: 'possible', rule: `${comparison.rule}, but its group conflicts` } });
    }
  }
  // The record a reviewer chose to keep, once the groups are complete (later decisions win).
  for (const decision of decisions) if (decision.verdict === 'duplicate' && decision.keep !== undefined) groups.keep(decision.keep);

  // One possible pair per two groups (the closest), none inside a group, none already decided.
  const best = new Map<string, PossiblePair>();
  for (const pair of possible) {
    if (decided.has(pairKey(pair.a, pair.b))) continue;
    const ra = groups.find(pair.a);
    const rb = groups.find(pair.b);
    // Pairs the automatic rules may not join (two DOIs) are still shown: only a person can join them.
    if (ra === rb || !groups.canJoin(ra, rb, true)) continue;
    const key = pairKey(ra, rb);
    const seen = best.get(key);
    if (!seen || pair.comparison.titleSimilarity > seen.comparison.titleSimilarity) best.set(key, pair);
  }
  return { links: groups.links(), possible: [...best.values()].sort((x, y) => x.a - y.a || x.b - y.b) };
}

function rankOf(comparison: PairComparison): number {
  return comparison.fields.doi === 'same' ? 0 : comparison.fields.pmid === 'same' ? 1 : 2;
}

function pairKey(a: number, b: number): string {
  return a < b ? `${a},${b}` : `${b},${a}`;
}

/** Candidate pairs as a*n+b (a < b), each once, in increasing order. */
function candidatePairs(fields: readonly DedupFields[]): Float64Array {
  const n = fields.length;
  // A block is its first member until a second one comes.
  const blocks = new Map<string, number | number[]>();
  const add = (key: string, i: number): void => {
    const block = blocks.get(key);
    if (block === undefined) blocks.set(key, i);
    else if (typeof block === 'number') blocks.set(key, [block, i]);
    else block.push(i);
  };
  fields.forEach((f, i) => {
    if (f.doi) add(`d${f.doi}`, i);
    if (f.pmid) add(`p${f.pmid}`, i);
    if (f.titleKey.length >= TITLE_KEY_LENGTH) {
      add(`a${f.titleKey.slice(0, TITLE_KEY_LENGTH)}`, i);
      add(`z${f.titleKey.slice(-TITLE_KEY_LENGTH)}`, i);
    } else if (f.titleKey) {
      add(`t${f.titleKey}`, i);
    }
    const first = f.families[0];
    if (first && f.year !== undefined) {
      // Two keys a year wide, overlapping, so records a year apart always share one.
      add(`f${first}|${f.year >> 1}`, i);
      add(`f${first}|${(f.year + 1) >> 1}|`, i);
    }
    if (f.volume && f.firstPage) add(`v${f.volume}|${f.firstPage}`, i);
  });
  let pairs = new Float64Array(1024);
  let count = 0;
  const push = (i: number, j: number): void => {
    if (i === j) return;
    if (count === pairs.length) {
      const grown = new Float64Array(pairs.length * 2);
      grown.set(pairs);
      pairs = grown;
    }
    pairs[count++] = i < j ? i * n + j : j * n + i;
  };
  for (const block of blocks.values()) {
    if (typeof block === 'number') continue;
    if (block.length <= MAX_BLOCK) {
      for (let x = 0; x < block.length; x++) for (let y = x + 1; y < block.length; y++) push(block[x], block[y]);
    } else {
      const sorted = [...block].sort((x, y) => (fields[x].titleKey < fields[y].titleKey ? -1 : fields[x].titleKey > fields[y].titleKey ? 1 : x - y));
      for (let x = 0; x < sorted.length; x++) for (let y = x + 1; y < Math.min(sorted.length, x + 1 + WINDOW); y++) push(sorted[x], sorted[y]);
    }
  }
  const sorted = pairs.subarray(0, count).sort();
  let unique = 0;
  for (let p = 0; p < sorted.length; p++) if (p === 0 || sorted[p] !== sorted[p - 1]) sorted[unique++] = sorted[p];
  return sorted.subarray(0, unique);
}

/** Union–find over records that keeps, per group, what may never meet: DOIs, PMIDs, notice kinds, rejected pairs. */
class Groups {
  private readonly parent: number[];
  private readonly members: number[][];
  private readonly doi: (string | undefined)[];
  private readonly pmid: (string | undefined)[];
  private readonly notice: (NoticeKind | 'article')[];
  private readonly kept: number[];
  private readonly forbidden = new Map<number, number[]>();
  private readonly joinedBy = new Map<number, { reason: DuplicateReason; similarity?: number }>();

  constructor(records: readonly { doi?: string; pmid?: string }[], notices: Record<number, NoticeKind>) {
    this.parent = records.map((_, i) => i);
    this.members = records.map((_, i) => [i]);
    this.doi = records.map((r) => r.doi?.toLowerCase());
    this.pmid = records.map((r) => r.pmid);
    this.notice = records.map((_, i) => notices[i] ?? 'article');
    this.kept = records.map((_, i) => i);
  }

  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]];
      i = this.parent[i];
    }
    return i;
  }

  forbid(a: number, b: number): void {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      const list = this.forbidden.get(x);
      if (list) list.push(y);
      else this.forbidden.set(x, [y]);
    }
  }

  canJoin(ra: number, rb: number, byReviewer = false): boolean {
    if (!byReviewer) {
      if (this.doi[ra] && this.doi[rb] && this.doi[ra] !== this.doi[rb]) return false;
      if (this.pmid[ra] && this.pmid[rb] && this.pmid[ra] !== this.pmid[rb]) return false;
      if (this.notice[ra] !== this.notice[rb]) return false;
    }
    const [small, other] = this.members[ra].length <= this.members[rb].length ? [ra, rb] : [rb, ra];
    for (const member of this.members[small]) {
      for (const partner of this.forbidden.get(member) ?? []) if (this.find(partner) === other) return false;
    }
    return true;
  }

  /** Joins the groups of a and b unless a never-merge rule forbids it; returns whether they are (now) one group. */
  join(a: number, b: number, reason: DuplicateReason, similarity: number | undefined, byReviewer: boolean): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    if (!this.canJoin(ra, rb, byReviewer)) return false;
    // The group keeps the earlier kept record; the other side's records join it.
    const [root, child] = this.kept[ra] <= this.kept[rb] ? [ra, rb] : [rb, ra];
    this.parent[child] = root;
    for (const member of this.members[child]) this.members[root].push(member);
    this.members[child] = [];
    this.doi[root] ??= this.doi[child];
    this.pmid[root] ??= this.pmid[child];
    const later = root === ra ? b : a;
    if (!this.joinedBy.has(later)) this.joinedBy.set(later, { reason, similarity });
    for (const member of this.members[root]) if (member !== this.kept[root] && !this.joinedBy.has(member)) this.joinedBy.set(member, { reason, similarity });
    return true;
  }

  /** Makes `record` the one its group keeps. */
  keep(record: number): void {
    const root = this.find(record);
    const previous = this.kept[root];
    if (previous === record) return;
    this.kept[root] = record;
    const how = this.joinedBy.get(record);
    this.joinedBy.delete(record);
    if (how && !this.joinedBy.has(previous)) this.joinedBy.set(previous, how);
  }

  links(): DuplicateLink[] {
    const links: DuplicateLink[] = [];
    for (let index = 0; index < this.parent.length; index++) {
      const kept = this.kept[this.find(index)];
      if (kept === index) continue;
      const how = this.joinedBy.get(index) ?? { reason: 'fields' as const };
      links.push({ index, duplicateOf: kept, reason: how.reason, ...(how.similarity !== undefined && how.reason === 'fields' ? { similarity: how.similarity } : {}) });
    }
    return links;
  }
}

/** The title similarity at which duplicate detection calls two titles the same (full-text matching uses it too). */
export const TITLE_SIMILARITY_THRESHOLD = STRONG_TITLE;

/** Title similarity of two raw titles (Sørensen–Dice over character bigrams of the normalised titles). */
export function titleSimilarity(a: string, b: string): number {
  const key = (title: string) => normaliseDedupTitle(title).replace(/ /g, '');
  return diceSorted(bigramCodes(key(a)), bigramCodes(key(b)));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
