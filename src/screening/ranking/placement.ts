/**
 * Where the records the model cannot read (no title, abstract or keyword term it knows) go in the
 * ranked list.
 *
 * Such a record is an include about as often as any record of the review; a ranked record is more
 * likely one while the model is still finding includes, and less likely once it has run out of them.
 * So these records wait at the end of the list while the recent yield holds up, and move to the start
 * for good once it falls: when the share of includes among the last `window` labels drops below the
 * share of all records already found to be includes (a lower bound of the review's base rate).
 * Reviewers thus read them before the stopping aid would have them think of stopping.
 *
 * bench:ranking, 12 labeled datasets × 10 seeds, against always listing them first: WSS@95 39.5 vs
 * 39.2 %, RRF@10 38.9 vs 33.7 %, ATD 20.9 vs 22.1 % (bench/experiments/README.md).
 */

export type UnscorablePlacement = 'start' | 'end';

/** Labels in the recent-yield window: 20, or 2 % of the records if more. */
export function yieldWindow(records: number): number {
  return Math.max(20, Math.ceil(0.02 * records));
}

/**
 * 'start' once, at some point of the labelling history, the include share of the last `yieldWindow`
 * labels fell below the share of the `records` found to be includes up to then; 'end' until then.
 * `labels`: the reviewer's labels in the order they were made (true = include).
 */
export function unscorablePlacement(labels: ArrayLike<boolean | number>, records: number): UnscorablePlacement {
  const window = yieldWindow(records);
  if (labels.length < window || records <= 0) return 'end';
  let found = 0;
  let recent = 0;
  for (let i = 0; i < labels.length; i++) {
    const include = labels[i] ? 1 : 0;
    found += include;
    recent += include;
    if (i >= window) recent -= labels[i - window] ? 1 : 0;
    // Cross-multiplied: recent / window < found / records.
    if (i >= window - 1 && recent * records < found * window) return 'start';
  }
  return 'end';
}
