/**
 * Metrics of a screening order (ASReview's simulation metrics). Inputs are the labels (1 include,
 * 0 exclude) of the records in the order they were screened, prior-knowledge records left out (as
 * ASReview does): N and the include count are those of the records screened after the priors.
 *
 * - WSS@r (work saved over sampling): (N − n_r) / N − (1 − r), where n_r is the number of records
 *   screened when ⌈r · R⌉ of the R includes have been found. Random order scores about 0; the best
 *   possible is R/N-dependent, below 1 − (1 − r) = r.
 * - RRF@p (relevant records found): the share of the includes among the first ⌊p · N⌋ records
 *   screened (p = 0.10 for RRF@10), as ASReview-insights slices it.
 * - ATD (average time to discovery): the mean, over the includes, of the number of records screened up
 *   to and including each one (its 1-based position in the order) — `atdRecords`; `atd` is that count
 *   divided by N (a proportion; random order gives about 0.5).
 */

export interface ScreeningMetrics {
  /** Records ranked (prior knowledge excluded). */
  records: number;
  /** Includes among them. */
  includes: number;
  /** WSS@95 as a proportion (0.75 = 75 %). */
  wss95: number;
  /** Records screened to find 95 % of the includes (n_95). */
  recordsTo95: number;
  /** RRF@10 as a proportion of the includes. */
  rrf10: number;
  /** ATD as a proportion of N. */
  atd: number;
  /** ATD as a count of records. */
  atdRecords: number;
}

function isInclude(label: number | boolean): boolean {
  return label === true || label === 1;
}

/** 1-based positions of the includes in the order. */
export function includePositions(labels: ArrayLike<number | boolean>): number[] {
  const positions: number[] = [];
  for (let i = 0; i < labels.length; i++) if (isInclude(labels[i])) positions.push(i + 1);
  return positions;
}

/**
 * Records screened when `ceil(recall · R)` includes have been found. `labels` may stop early (a
 * simulation stops once every include is found) as long as it holds all R includes.
 */
export function recordsToRecall(labels: ArrayLike<number | boolean>, recall: number): number {
  const positions = includePositions(labels);
  if (positions.length === 0) return Number.NaN;
  const needed = Math.max(1, Math.ceil(recall * positions.length - 1e-9));
  return positions[needed - 1];
}

/** WSS@recall = (N − n_recall) / N − (1 − recall); `total` is N when `labels` stops early. */
export function wss(labels: ArrayLike<number | boolean>, recall = 0.95, total = labels.length): number {
  const n = recordsToRecall(labels, recall);
  return (total - n) / total - (1 - recall);
}

/** Share of the includes found among the first ⌊fraction · N⌋ records. */
export function rrf(labels: ArrayLike<number | boolean>, fraction = 0.1, total = labels.length): number {
  const positions = includePositions(labels);
  if (positions.length === 0) return Number.NaN;
  const screened = Math.floor(fraction * total + 1e-9);
  let found = 0;
  for (const position of positions) if (position <= screened) found++;
  return found / positions.length;
}

/** Average time to discovery: mean 1-based position of the includes, as a count and as a proportion of N. */
export function atd(labels: ArrayLike<number | boolean>, total = labels.length): { records: number; proportion: number } {
  const positions = includePositions(labels);
  if (positions.length === 0) return { records: Number.NaN, proportion: Number.NaN };
  let sum = 0;
  for (const position of positions) sum += position;
  const records = sum / positions.length;
  return { records, proportion: records / total };
}

/** All three metrics; `total` is N when `labels` stops after the last include. */
export function screeningMetrics(labels: ArrayLike<number | boolean>, total = labels.length): ScreeningMetrics {
  const discovery = atd(labels, total);
  return {
    records: total,
    includes: includePositions(labels).length,
    wss95: wss(labels, 0.95, total),
    recordsTo95: recordsToRecall(labels, 0.95),
    rrf10: rrf(labels, 0.1, total),
    atd: discovery.proportion,
    atdRecords: discovery.records,
  };
}
