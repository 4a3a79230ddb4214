/**
 * Inter-rater agreement between two reviewers over the records both screened at a stage:
 * percent agreement and Cohen's kappa (Cohen 1960), κ = (p_o − p_e) / (1 − p_e), where p_o is the
 * observed proportion of agreement and p_e the agreement expected from each reviewer's marginal
 * proportions, with a 95 % confidence interval from the large-sample standard error of Fleiss,
 * Cohen & Everitt (1969). Three codings, because how "maybe" counts changes the figure: all verdicts as
 * categories (include / exclude / maybe, plus not-retrieved at full text); include vs not-include
 * (maybe counts as not included); include-or-maybe vs exclude (maybe counts as include, as Covidence
 * does). Fleiss' kappa (Fleiss 1971) for three or more reviewers over the records all of them decided.
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
  /** Large-sample standard error of kappa (Fleiss, Cohen & Everitt 1969); null where kappa is. */
  standardError: number | null;
  /** 95 % confidence interval (kappa ± 1.96 SE, clipped to [-1, 1]); null where kappa is. */
  ci95: [number, number] | null;
}

const Z95 = 1.959963984540054;

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
  if (n === 0) return { n: 0, observed: 0, expected: 0, kappa: null, percentAgreement: 0, standardError: null, ci95: null };
  const observed = diagonal / n;
  let expected = 0;
  for (let i = 0; i < k; i++) expected += (rows[i] / n) * (columns[i] / n);
  const kappa = Math.abs(1 - expected) < 1e-12 ? null : (observed - expected) / (1 - expected);
  const standardError = kappa === null ? null : kappaStandardError(table, n, rows, columns, expected, kappa);
  const ci95: [number, number] | null =
    kappa === null || standardError === null ? null : [Math.max(-1, kappa - Z95 * standardError), Math.min(1, kappa + Z95 * standardError)];
  return { n, observed, expected, kappa, percentAgreement: observed * 100, standardError, ci95 };
}

/**
 * SE(κ) = √((A + B − C) / n) / (1 − p_e), with proportions p_ij, row sums p_i., column sums p_.j:
 * A = Σ_i p_ii [1 − (p_i. + p_.i)(1 − κ)]², B = (1 − κ)² Σ_{i≠j} p_ij (p_.i + p_j.)², C = [κ − p_e(1 − κ)]².
 */
function kappaStandardError(table: readonly (readonly number[])[], n: number, rows: number[], columns: number[], expected: number, kappa: number): number {
  const k = table.length;
  let a = 0;
  let b = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const p = table[i][j] / n;
      if (i === j) a += p * (1 - ((rows[i] + columns[i]) / n) * (1 - kappa)) ** 2;
      else b += p * ((columns[i] + rows[j]) / n) ** 2;
    }
  }
  b *= (1 - kappa) ** 2;
  const c = (kappa - expected * (1 - kappa)) ** 2;
  return Math.sqrt(Math.max(0, a + b - c) / n) / (1 - expected);
}

export interface FleissResult {
  /** Items rated by every rater. */
  n: number;
  raters: number;
  /** Mean agreement per item P̄ and chance agreement P̄e. */
  observed: number;
  expected: number;
  kappa: number | null;
}

/** Fleiss' kappa from counts[item][category] = raters who put the item in that category (same rater count per item). */
export function fleissKappa(counts: readonly (readonly number[])[]): FleissResult {
  const n = counts.length;
  if (n === 0) return { n: 0, raters: 0, observed: 0, expected: 0, kappa: null };
  const m = counts[0].reduce((sum, count) => sum + count, 0);
  const categories = counts[0].length;
  const totals = new Array<number>(categories).fill(0);
  let agreement = 0;
  for (const row of counts) {
    let sum = 0;
    let pairs = 0;
    row.forEach((count, j) => {
      sum += count;
      totals[j] += count;
      pairs += count * (count - 1);
    });
    if (sum !== m) throw new Error("Fleiss' kappa needs the same number of ratings for every item");
    agreement += m > 1 ? pairs / (m * (m - 1)) : 0;
  }
  const observed = agreement / n;
  const expected = totals.reduce((sum, total) => sum + (total / (n * m)) ** 2, 0);
  const kappa = m < 2 || Math.abs(1 - expected) < 1e-12 ? null : (observed - expected) / (1 - expected);
  return { n, raters: m, observed, expected, kappa };
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
  /** include vs not-include: maybe counts as not included. */
  includeVsNot: KappaResult;
  /** include-or-maybe vs exclude (and not-retrieved): maybe counts as include, as Covidence does. */
  maybeAsInclude: KappaResult;
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
          maybeAsInclude: kappaFromPairs(
            pairs.map(([x, y]) => [x === 'include' || x === 'maybe', y === 'include' || y === 'maybe'] as const),
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

export interface GroupAgreement {
  stage: Stage;
  reviewers: string[];
  categories: Verdict[];
  /** All verdicts as categories. */
  verdicts: FleissResult;
  /** include vs not-include (maybe as not included). */
  includeVsNot: FleissResult;
}

/** Fleiss' kappa per stage over the records every one of three or more reviewers decided. */
export function groupAgreement(decisionsByReviewer: ReadonlyMap<string, Iterable<Decision>>): GroupAgreement[] {
  const reviewers = [...decisionsByReviewer.keys()].sort();
  if (reviewers.length < 3) return [];
  const out: GroupAgreement[] = [];
  for (const stage of STAGES) {
    const categories: Verdict[] = stage === 'full-text' ? ['include', 'exclude', 'maybe', 'not-retrieved'] : ['include', 'exclude', 'maybe'];
    const byRecord = new Map<string, Verdict[]>();
    for (const reviewer of reviewers) {
      for (const decision of decisionsByReviewer.get(reviewer)!) {
        if (decision.stage !== stage) continue;
        const list = byRecord.get(decision.record);
        if (list) list.push(decision.verdict);
        else byRecord.set(decision.record, [decision.verdict]);
      }
    }
    const complete = [...byRecord.values()].filter((verdicts) => verdicts.length === reviewers.length);
    if (complete.length === 0) continue;
    const counts = complete.map((verdicts) => categories.map((category) => verdicts.filter((verdict) => verdict === category).length));
    const binary = complete.map((verdicts) => {
      const included = verdicts.filter((verdict) => verdict === 'include').length;
      return [included, verdicts.length - included];
    });
    out.push({ stage, reviewers, categories, verdicts: fleissKappa(counts), includeVsNot: fleissKappa(binary) });
  }
  return out;
}
