/**
 * Pure helpers for showing the relevance ranking (src/screening/ranking) in the workbench: the
 * Unscreened group in ranking order, "next unscreened" along that order, and the words the tree and
 * the reader use. No `vscode` import: strings go through a `t(template, ...args)` the caller passes
 * (vscode.l10n.t in the extension; `formatText` in tests).
 */

/** `{0}`-style formatting, as vscode.l10n.t does. */
export type Translate = (template: string, ...args: (string | number)[]) => string;

export const formatText: Translate = (template, ...args) => template.replace(/\{(\d+)\}/g, (match, n: string) => (args[Number(n)] !== undefined ? String(args[Number(n)]) : match));

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Orders a group's members (record positions, in source order) by a ranking: first the members in
 * the order of `rankedPositions` (positions of the ranked records, most relevant first; positions
 * not in `members` are skipped), then the members the ranking does not know (records added since it
 * was computed) in source order. `size` bounds every position (the index's record count).
 */
export function orderMembers(members: readonly number[], rankedPositions: ArrayLike<number>, size: number): number[] {
  const pending = new Uint8Array(size);
  for (const position of members) if (position >= 0 && position < size) pending[position] = 1;
  const out: number[] = [];
  for (let i = 0; i < rankedPositions.length; i++) {
    const position = rankedPositions[i];
    if (position >= 0 && position < size && pending[position] === 1) {
      out.push(position);
      pending[position] = 0;
    }
  }
  for (const position of members) {
    if (pending[position] === 1) {
      out.push(position);
      pending[position] = 0;
    }
  }
  return out;
}

/** A group's members (record positions) in display order, and where each position stands in it (-1 when absent). */
export interface UnscreenedOrder {
  order: readonly number[];
  at: Int32Array;
}

/** Where each position stands in `order` (-1 when absent), for `size` positions. */
export function orderIndex(order: readonly number[], size: number): Int32Array {
  const at = new Int32Array(size).fill(-1);
  for (let i = 0; i < order.length; i++) if (order[i] >= 0 && order[i] < size) at[order[i]] = i;
  return at;
}

/**
 * "Next unscreened" along an order: the record after `from` when `from` is in the order (wrapping),
 * else the first (the record just decided left the group: the most relevant one left comes next).
 * Undefined when there is nothing other than `from`.
 */
export function nextInOrder(order: readonly number[], indexOf: (position: number) => number, from: number | undefined): number | undefined {
  if (order.length === 0) return undefined;
  const at = from === undefined ? -1 : indexOf(from);
  if (at < 0) return order[0] === from ? order[1] : order[0];
  const next = order[(at + 1) % order.length];
  return next === from ? undefined : next;
}

/** One record's place in the ranking (the ranking service's Relevance). */
export interface RelevanceFacts {
  rank: number;
  of: number;
  score: number;
  model: 'svm' | 'none';
  scorable: boolean;
}

/** What the ranking learnt from. */
export interface TrainingFacts {
  includes: number;
  excludes: number;
}

export type RelevanceTier = 'high' | 'possible' | 'low' | 'unlikely' | 'unranked' | 'unscorable';

/** A plain-language tier for a record's relevance: the model's lean first, then its place in the ranking. */
export function relevanceTier(facts: RelevanceFacts): RelevanceTier {
  if (facts.model !== 'svm') return 'unranked';
  if (!facts.scorable) return 'unscorable';
  if (facts.score > 0) return 'high';
  if (facts.rank <= Math.max(1, Math.ceil(facts.of * 0.1))) return 'possible';
  if (facts.rank <= Math.ceil(facts.of / 2)) return 'low';
  return 'unlikely';
}

/** The reader's relevance lines: a short summary ("Rank 3 of 1,200 · Likely include") and what it rests on. */
export function relevanceText(facts: RelevanceFacts, training: TrainingFacts, t: Translate = formatText): { summary: string; detail: string; tier: RelevanceTier } {
  const tier = relevanceTier(facts);
  const basis = t('A prediction from your own {0} and {1}, to order your screening: not a judgement of this record. Read it and decide.', plural(training.includes, 'include', 'includes', t), plural(training.excludes, 'exclude', 'excludes', t));
  switch (tier) {
    case 'unranked':
      return {
        tier,
        summary: t('Not ranked yet'),
        detail: untrainedText(training, t),
      };
    case 'unscorable':
      return {
        tier,
        summary: t('Cannot be ranked'),
        detail: t(
          'This record has no title or abstract words the model knows, so it cannot be ranked: screen it yourself. Records like it wait at the end of the list while your decisions keep finding includes, then move to the start, so they are read before you think of stopping. The other records are ranked from your own {0} and {1}.',
          plural(training.includes, 'include', 'includes', t),
          plural(training.excludes, 'exclude', 'excludes', t),
        ),
      };
    default: {
      const label =
        tier === 'high'
          ? t('Likely relevant: resembles the records you included')
          : tier === 'possible'
            ? t('Possibly relevant: in the top 10 % of the ranking')
            : tier === 'low'
              ? t('Less likely relevant: upper half of the ranking')
              : t('Unlikely relevant: resembles the records you excluded');
      return { tier, summary: t('Rank {0} of {1} · {2}', count(facts.rank), count(facts.of), label), detail: basis };
    }
  }
}

/** Why there is no ranking yet (no include or no exclude), with the reviewer's counts. */
function untrainedText(training: TrainingFacts, t: Translate): string {
  return t(
    'Relevance ranking starts once you have included at least one record and excluded at least one (you have {0} and {1}). Until then records keep their original order.',
    plural(training.includes, 'include', 'includes', t),
    plural(training.excludes, 'exclude', 'excludes', t),
  );
}

function plural(n: number, one: string, many: string, t: Translate): string {
  return n === 1 ? t(`1 ${one}`) : t(`{0} ${many}`, count(n));
}

export type UnscreenedOrderState =
  /** The setting asks for the original order. */
  | { kind: 'original' }
  /** Relevance asked for, the first ranking is still being computed. */
  | { kind: 'pending' }
  /** Relevance asked for, but the reviewer has no include or no exclude yet. */
  | { kind: 'untrained'; includes: number; excludes: number }
  /** Ordered by the model. */
  | { kind: 'ranked'; includes: number; excludes: number };

/** The Unscreened group's description and tooltip (title/abstract) for the order in force. */
export function unscreenedOrderText(state: UnscreenedOrderState, t: Translate = formatText): { description: string; tooltip: string } {
  switch (state.kind) {
    case 'original':
      return { description: t('original order'), tooltip: t('Records in the order of their sources. Use "Order Unscreened by Relevance" to see the likely includes first.') };
    case 'pending':
      return { description: t('original order · ranking…'), tooltip: t('Computing the relevance ranking from your decisions; until it is ready records keep their original order.') };
    case 'untrained':
      return {
        description: t('original order · ranking needs 1 include + 1 exclude'),
        tooltip: untrainedText(state, t),
      };
    case 'ranked':
      return {
        description: t('by relevance'),
        tooltip: t(
          'Likely includes first: ranked by a model trained on your own {0} and {1} at title/abstract, retrained after each of your decisions. A prediction to order your screening, not a decision: every record still needs your judgement.',
          plural(state.includes, 'include', 'includes', t),
          plural(state.excludes, 'exclude', 'excludes', t),
        ),
      };
  }
}
