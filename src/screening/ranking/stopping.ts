/**
 * A stopping aid for prioritised screening — shown to the reviewer, never acted on automatically.
 *
 * 1. How many records were screened since the last include.
 * 2. The hypergeometric stopping criterion of Callaghan & Müller-Hansen (2020), "Statistical stopping
 *    criteria for automated screening in systematic reviews", Systematic Reviews 9:273,
 *    doi:10.1186/s13643-020-01521-4 (as in their buscar/buscarpy `calculate_h0`): treat the last n
 *    screened records as a sample drawn from an urn made of themselves and all unscreened records, and
 *    test H0 "recall is below the target τ", i.e. the urn holds at least
 *    K̂ = ⌊r_seen / τ − r_before + 1⌋ includes (r_seen includes found in all, r_before before the
 *    sample). p = P(X ≤ k) for X ~ Hypergeometric(urn size, K̂, n), k the includes in the sample; the
 *    reported p is the minimum over n. We report the p for τ = 95 % and the highest τ (in whole
 *    percent, 50–99) for which H0 is rejected at the chosen confidence (a recall lower bound).
 *
 * The test assumes the sample was drawn at random from the urn. Prioritised screening does not draw at
 * random: recently screened records were ranked above the unscreened ones, which usually makes the
 * estimate cautious — but only if the model ranks well, so it is never a guarantee.
 */

export interface StoppingOptions {
  /** Recall the p-value is reported for (default 0.95). */
  recallTarget?: number;
  /** Confidence level of the recall lower bound (default 0.95). */
  confidence?: number;
}

export interface StoppingEstimate {
  /** Records in the review (screened and not). */
  total: number;
  /** Records screened (include or exclude). */
  screened: number;
  includesFound: number;
  /** Records screened after the last include (all screened records when there is none yet). */
  sinceLastInclude: number;
  recallTarget: number;
  confidence: number;
  /** p-value of H0 "recall < recallTarget"; undefined before the first include. */
  pValue: number | undefined;
  /**
   * The highest recall (0.50–0.99, whole percent) that H0 "recall < it" is rejected for at `confidence`;
   * undefined before the first include or when even 50 % is not supported.
   */
  recallAtLeast: number | undefined;
}

/** ln(i!) for i = 0…n. */
function logFactorials(n: number): Float64Array {
  const table = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) table[i] = table[i - 1] + Math.log(i);
  return table;
}

/**
 * P(X ≤ k) for X ~ Hypergeometric(population, successes, draws). Terms are summed from the lowest
 * possible x upwards by the ratio pmf(x + 1) / pmf(x), relative to pmf(low) (one exp per call). With
 * `cap`, summing stops as soon as the sum reaches it (the result is then ≥ cap, not exact): callers
 * that only want a minimum skip most of the work.
 */
export function hypergeometricCdf(k: number, population: number, successes: number, draws: number, logFact?: Float64Array, cap = Infinity): number {
  if (successes > population || draws > population || successes < 0 || draws < 0) return 0;
  const low = Math.max(0, draws - (population - successes));
  const high = Math.min(draws, successes);
  if (k < low) return 0;
  if (k >= high) return 1;
  const lf = logFact && logFact.length > population ? logFact : logFactorials(population);
  const logChoose = (a: number, b: number) => lf[a] - lf[b] - lf[a - b];
  let logScale = logChoose(successes, low) + logChoose(population - successes, draws - low) - logChoose(population, draws);
  const failures = population - successes;
  let term = 1;
  let sum = 1;
  let stopAt = cap === Infinity ? Infinity : Math.exp(Math.log(cap) - logScale);
  for (let x = low; x < k; x++) {
    if (sum >= stopAt) break;
    term *= ((successes - x) * (draws - x)) / ((x + 1) * (failures - draws + x + 1));
    sum += term;
    if (sum > 1e250) {
      // Keep the relative terms finite.
      term /= 1e250;
      sum /= 1e250;
      logScale += 250 * Math.LN10;
      stopAt = cap === Infinity ? Infinity : Math.exp(Math.log(cap) - logScale);
    }
  }
  return Math.min(1, Math.exp(logScale + Math.log(sum)));
}

/**
 * p-value of H0 "recall < target" (Callaghan & Müller-Hansen 2020) given the screening labels in
 * order (1/true include) and the total number of records. Minimum over the samples "last n screened";
 * for a fixed number of includes in the sample the p-value falls as the sample grows (the unscreened
 * part of the urn stays the same size while the urn grows), so only the longest sample with each
 * include count is evaluated.
 */
export function stoppingPValue(labels: ArrayLike<number | boolean>, total: number, target: number, logFact?: Float64Array): number {
  const seen = labels.length;
  if (seen === 0) return 1;
  let rSeen = 0;
  for (let i = 0; i < seen; i++) if (labels[i] === 1 || labels[i] === true) rSeen++;
  const lf = logFact && logFact.length > total ? logFact : logFactorials(total);
  const unscreened = total - seen;
  let best = 1;
  let k = 0; // includes in the sample (the last n screened)
  for (let n = 1; n <= seen; n++) {
    const label = labels[seen - n];
    if (label === 1 || label === true) k++;
    const older = seen - n - 1;
    const longest = older < 0 || labels[older] === 1 || labels[older] === true;
    if (!longest) continue;
    const rBefore = rSeen - k;
    const kHat = Math.floor(rSeen / target - rBefore + 1);
    const population = unscreened + n;
    const p = kHat > population ? 0 : hypergeometricCdf(k, population, kHat, n, lf, best);
    if (p < best) best = p;
  }
  return best;
}

/** The stopping aid for the labels of one reviewer in the order they were decided. */
export function estimateStopping(labels: ArrayLike<number | boolean>, total: number, options: StoppingOptions = {}): StoppingEstimate {
  const recallTarget = options.recallTarget ?? 0.95;
  const confidence = options.confidence ?? 0.95;
  const screened = labels.length;
  let includesFound = 0;
  let lastInclude = -1;
  for (let i = 0; i < screened; i++) {
    if (labels[i] === 1 || labels[i] === true) {
      includesFound++;
      lastInclude = i;
    }
  }
  const estimate: StoppingEstimate = {
    total,
    screened,
    includesFound,
    sinceLastInclude: screened - lastInclude - 1,
    recallTarget,
    confidence,
    pValue: undefined,
    recallAtLeast: undefined,
  };
  if (includesFound === 0 || total < screened) return estimate;
  const logFact = logFactorials(total);
  estimate.pValue = stoppingPValue(labels, total, recallTarget, logFact);
  // p rises with the target: binary search the highest whole percent in 50..99 with p < 1 − confidence.
  const alpha = 1 - confidence;
  let low = 50;
  let high = 99;
  let found: number | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (stoppingPValue(labels, total, mid / 100, logFact) < alpha) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  estimate.recallAtLeast = found === undefined ? undefined : found / 100;
  return estimate;
}

const percent = (x: number) => `${Math.round(x * 100)} %`;
const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/**
 * The stopping aid as text for the reviewer. Worded so it cannot be read as a guarantee or an
 * instruction to stop: it names its assumption and what it does not promise.
 */
export function describeStopping(estimate: StoppingEstimate): string {
  const unscreened = Math.max(0, estimate.total - estimate.screened);
  const parts: string[] = [];
  parts.push(
    estimate.includesFound === 0
      ? `No includes yet; ${plural(estimate.screened, 'record', 'records')} screened.`
      : `${plural(estimate.sinceLastInclude, 'record', 'records')} screened since the last include (${count(estimate.screened)} of ${count(estimate.total)} screened, ${plural(estimate.includesFound, 'include', 'includes')}).`,
  );
  if (estimate.pValue === undefined) {
    parts.push('A recall estimate needs at least one include.');
  } else {
    const method = 'Statistical stopping estimate (Callaghan & Müller-Hansen 2020)';
    const target = `${percent(estimate.recallTarget)} recall`;
    const bound =
      estimate.recallAtLeast === undefined
        ? `${method}: the screened records do not yet support even 50 % recall at ${percent(estimate.confidence)} confidence`
        : `${method}: if the records screened recently were a random sample of those left, recall would be at least ${percent(estimate.recallAtLeast)} with ${percent(estimate.confidence)} confidence`;
    const verdict =
      estimate.pValue < 1 - estimate.confidence
        ? `${target} is supported at that confidence (p = ${estimate.pValue.toFixed(3)})`
        : `${target} is not yet supported (p = ${estimate.pValue.toFixed(3)})`;
    parts.push(`${bound}; ${verdict}.`);
    parts.push(
      `This is an estimate, not a guarantee: prioritised screening is not random sampling, so includes may remain among the ${plural(unscreened, 'unscreened record', 'unscreened records')}. Whether to stop is the review team's decision.`,
    );
  }
  return parts.join(' ');
}

/** Where the criterion would first have said "95 % recall supported" along a screening order. */
export interface StoppingPoint {
  /** Records screened (1-based) when p first fell below 1 − confidence; undefined if it never did within `total`. */
  screened: number | undefined;
  /** Share of all the includes in `labels` found by then (1 when the point lies after the last include). */
  recall: number | undefined;
}

/**
 * Replays the criterion along a complete-or-truncated screening order (evaluated every `every` records)
 * to find where it would first have supported the target. `labels` may stop at the last include: the
 * records after it are all excludes, so the search continues with excludes up to `total`.
 */
export function stoppingPoint(labels: ArrayLike<number | boolean>, total: number, options: StoppingOptions & { every?: number } = {}): StoppingPoint {
  const target = options.recallTarget ?? 0.95;
  const alpha = 1 - (options.confidence ?? 0.95);
  const every = Math.max(1, options.every ?? 10);
  const values: number[] = Array.from(labels, (label) => (label === 1 || label === true ? 1 : 0));
  const includes = values.reduce((a: number, b) => a + b, 0);
  if (includes === 0) return { screened: undefined, recall: undefined };
  const logFact = logFactorials(total);
  let found = 0;
  let next = every;
  for (let t = 1; t <= values.length; t++) {
    found += values[t - 1];
    if (t !== next && t !== values.length) continue;
    next += every;
    if (found > 0 && stoppingPValue(values.slice(0, t), total, target, logFact) < alpha) return { screened: t, recall: found / includes };
  }
  // Past the given labels every record is an exclude: p falls as excludes accumulate, so search on.
  const withExcludes = (extra: number) => stoppingPValue(values.concat(new Array<number>(extra).fill(0)), total, target, logFact) < alpha;
  const room = total - values.length;
  if (room <= 0 || !withExcludes(room)) return { screened: undefined, recall: undefined };
  let low = 1;
  let high = room;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (withExcludes(mid)) high = mid;
    else low = mid + 1;
  }
  return { screened: values.length + low, recall: 1 };
}
