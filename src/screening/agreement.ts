/**
 * Inter-rater agreement between two reviewers over the records both screened at a stage:
 * percent agreement and Cohen's kappa (Cohen 1960), κ = (p_o − p_e) / (1 − p_e), where p_o is the
 * observed proportion of agreement and p_e the agreement expected from each reviewer's marginal
 * proportions. Two codings: all verdicts as categories (include / exclude / maybe, plus
 * not-retrieved at full text), and include vs not-include.
 */
import { STAGES, type Decision, type Stage, type Verdict } from './decision';

export interface KappaResult {
  /** Items rated by both. */
  n: number;
  /** Observed agreement p_o (0..1). */
  observed: number;
  /** Chance agreement p_e (0..1). */
  expected: number;
  /** Cohen's kappa; null when undefined (no items, or p_e = 1: both always gave one same category). */
  kappa: number | null;
  /** p_o as a percentage. */
  percentAgreement: number;
}

/** Kappa from a square contingency table: table[i][j] = items rater 1 put in i and rater 2 in j. */
export function kappaFromTable(table: readonly (readonly number[])[]): KappaResult {
  const k = table.length;
  let n = 0;
  let diagonal = 0;
  const rows = new Array<number>(k).fill(0);
  const columns = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    if (table[i].length !== k) throw new Error('kappa needs a square table');
    for (let j = 0; j < k; j++) {
      const count = table[i][j];
      n += count;
      rows[i] += count;
      columns[j] += count;
      if (i === j) diagonal += count;
    }
  }
  if (n === 0) return { n: 0, observed: 0, expected: 0, kappa: null, percentAgreement: 0 };
  const observed = diagonal / n;
  let expected = 0;
  for (let i = 0; i < k; i++) expected += (rows[i] / n) * (columns[i] / n);
  const kappa = Math.abs(1 - expected) < 1e-12 ? null : (observed - expected) / (1 - expected);
  return { n, observed, expected, kappa, percentAgreement: observed * 100 };
}

/** Kappa from paired ratings. */
export function kappaFromPairs<T>(pairs: readonly (readonly [T, T])[], categories?: readonly T[]): KappaResult {
  const cats = categories ? [...categories] : [...new Set(pairs.flat())];
  const index = new Map(cats.map((category, i) => [category, i]));
  for (const [a, b] of pairs) {
    for (const value of [a, b]) {
      if (!index.has(value)) {
        index.set(value, cats.length);
        cats.push(value);
      }
    }
  }
  const table = cats.map(() => new Array<number>(cats.length).fill(0));
  for (const [a, b] of pairs) table[index.get(a)!][index.get(b)!]++;
  return kappaFromTable(table);
}

export interface PairAgreement {
  stage: Stage;
  reviewers: [string, string];
  /** Records both reviewers decided at this stage. */
  n: number;
  /** All verdicts as categories. */
  verdicts: KappaResult;
  /** include vs not-include. */
  includeVsNot: KappaResult;
  /** The verdict categories in table order, and the table (rows: first reviewer). */
  categories: Verdict[];
  table: number[][];
}

/** Per stage and reviewer pair (reviewers in id order), over the records both decided. */
export function agreementReport(decisionsByReviewer: ReadonlyMap<string, Iterable<Decision>>): PairAgreement[] {
  const reviewers = [...decisionsByReviewer.keys()].sort();
  const byStage = new Map<string, Map<Stage, Map<string, Verdict>>>();
  for (const reviewer of reviewers) {
    const stages = new Map<Stage, Map<string, Verdict>>(STAGES.map((stage) => [stage, new Map()]));
    for (const decision of decisionsByReviewer.get(reviewer)!) stages.get(decision.stage)!.set(decision.record, decision.verdict);
    byStage.set(reviewer, stages);
  }
  const report: PairAgreement[] = [];
  for (const stage of STAGES) {
    const categories: Verdict[] = stage === 'full-text' ? ['include', 'exclude', 'maybe', 'not-retrieved'] : ['include', 'exclude', 'maybe'];
    for (let i = 0; i < reviewers.length; i++) {
      for (let j = i + 1; j < reviewers.length; j++) {
        const a = byStage.get(reviewers[i])!.get(stage)!;
        const b = byStage.get(reviewers[j])!.get(stage)!;
        const [small, large, swapped] = a.size <= b.size ? [a, b, false] : [b, a, true];
        const pairs: [Verdict, Verdict][] = [];
        for (const [record, verdict] of small) {
          const other = large.get(record);
          if (other !== undefined) pairs.push(swapped ? [other, verdict] : [verdict, other]);
        }
        if (pairs.length === 0) continue;
        const index = new Map(categories.map((category, k) => [category, k]));
        const table = categories.map(() => new Array<number>(categories.length).fill(0));
        for (const [x, y] of pairs) table[index.get(x)!][index.get(y)!]++;
        report.push({
          stage,
          reviewers: [reviewers[i], reviewers[j]],
          n: pairs.length,
          verdicts: kappaFromTable(table),
          includeVsNot: kappaFromPairs(
            pairs.map(([x, y]) => [x === 'include', y === 'include'] as const),
            [true, false],
          ),
          categories,
          table,
        });
      }
    }
  }
  return report;
}
