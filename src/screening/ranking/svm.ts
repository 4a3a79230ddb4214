/**
 * A linear support vector machine over sparse rows: L2-regularised squared hinge loss (scikit-learn's
 * `LinearSVC(loss='squared_hinge')`, the classifier of ASReview's default ELAS u4 model), trained by
 * dual coordinate descent (Hsieh, Chang, Lin, Keerthi & Sundararajan 2008, "A dual coordinate descent
 * method for large-scale linear SVM", ICML; the algorithm of LIBLINEAR).
 *
 * Primal: min_w ½‖w‖² + Σ_i C_i · max(0, 1 − y_i (w·x_i + b))², with the bias b learned as the weight of
 * an extra constant feature of value `bias` (regularised, as LIBLINEAR does). Dual: min_α ½ αᵀ Q̄ α − Σ α_i,
 * α_i ≥ 0, Q̄ = Q + D with D_ii = 1 / (2 C_i). Per-sample C_i = C · weight_i is how class balancing enters.
 *
 * Warm start: pass the α of a previous training (any α ≥ 0 is feasible), e.g. after one more label.
 */
import type { SparseRows } from './features';
import { shufflePrefix } from './random';

export interface SvmOptions {
  /** Regularisation: larger fits the labels harder (default 0.11, ASReview's ELAS u4 value). */
  c?: number;
  /** Value of the constant bias feature (default 1, LIBLINEAR's intercept scaling). */
  bias?: number;
  /** Stop when the projected-gradient range over an epoch falls below this (default 0.1, LIBLINEAR's default for its dual solvers). */
  tolerance?: number;
  /** At most this many passes over the samples (default 100). */
  maxEpochs?: number;
  /** Deterministic sample order: a random number in [0, 1) per call. */
  random?: () => number;
  /** Polled between epochs; training stops early (the model so far is returned) when it says true. */
  shouldCancel?: () => boolean;
}

export interface SvmSample {
  row: number;
  /** +1 include, −1 exclude. */
  y: 1 | -1;
  /** Multiplies C for this sample (class balancing). */
  weight: number;
}

export interface SvmModel {
  /** Weight per column. */
  w: Float64Array;
  b: number;
  /** Dual variables, one per sample (same order as the samples given). */
  alpha: Float64Array;
  epochs: number;
  converged: boolean;
  cancelled: boolean;
}

/** w·x_row (without the bias). */
export function dotRow(rows: SparseRows, row: number, w: Float64Array): number {
  const { rowStart, rowEnd, index, value, colScale } = rows;
  let sum = 0;
  for (let k = rowStart[row], end = rowEnd[row]; k < end; k++) {
    const f = index[k];
    sum += value[k] * colScale[f] * w[f];
  }
  return sum * rows.rowScale[row];
}

function squaredNorm(rows: SparseRows, row: number): number {
  if (rows.normalised) return rows.rowScale[row] > 0 ? 1 : 0;
  const { rowStart, rowEnd, index, value, colScale } = rows;
  let sum = 0;
  for (let k = rowStart[row], end = rowEnd[row]; k < end; k++) {
    const x = value[k] * colScale[index[k]];
    sum += x * x;
  }
  const scale = rows.rowScale[row];
  return sum * scale * scale;
}

/** w += step · x_row */
export function addRow(rows: SparseRows, row: number, step: number, w: Float64Array): void {
  const { rowStart, rowEnd, index, value, colScale } = rows;
  const s = step * rows.rowScale[row];
  if (s === 0) return;
  for (let k = rowStart[row], end = rowEnd[row]; k < end; k++) {
    const f = index[k];
    w[f] += s * value[k] * colScale[f];
  }
}

/**
 * A starting point: dual variables per sample (any α ≥ 0), optionally with the w and b they imply
 * (w = Σ α_i y_i x_i, b = Σ α_i y_i · bias) to skip recomputing them. `w` is updated in place.
 */
export interface SvmWarmStart {
  alpha: Float64Array;
  w?: Float64Array;
  b?: number;
}

export function trainSvm(rows: SparseRows, samples: readonly SvmSample[], options: SvmOptions = {}, warm?: SvmWarmStart): SvmModel {
  const c = options.c ?? 0.11;
  const bias = options.bias ?? 1;
  const tolerance = options.tolerance ?? 0.1;
  const maxEpochs = options.maxEpochs ?? 100;
  const random = options.random ?? Math.random;
  const n = samples.length;
  const given = warm?.w !== undefined && warm.w.length >= rows.columns;
  const w = given ? warm.w! : new Float64Array(rows.columns);
  // b is the weight of the constant feature; the intercept is b · bias.
  let b = given ? (warm.b ?? 0) / bias : 0;
  const alpha = new Float64Array(n);
  const diag = new Float64Array(n);
  const qbar = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const sample = samples[i];
    diag[i] = 1 / (2 * c * sample.weight);
    qbar[i] = squaredNorm(rows, sample.row) + bias * bias + diag[i];
    const a = warm && i < warm.alpha.length ? Math.max(0, warm.alpha[i]) : 0;
    if (a > 0) {
      alpha[i] = a;
      if (!given) {
        addRow(rows, sample.row, a * sample.y, w);
        b += a * sample.y * bias;
      }
    }
  }
  // LIBLINEAR's loop with shrinking: a sample at α = 0 whose gradient exceeds the previous pass's
  // largest projected gradient is set aside until the active ones converge, then everything is checked again.
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  let active = n;
  let pgMaxOld = Infinity;
  let epochs = 0;
  let converged = false;
  let cancelled = false;
  while (epochs < maxEpochs) {
    if (options.shouldCancel?.()) {
      cancelled = true;
      break;
    }
    epochs++;
    shufflePrefix(index, active, random);
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (let s = 0; s < active; s++) {
      const i = index[s];
      const { row, y } = samples[i];
      const g = y * (dotRow(rows, row, w) + b * bias) - 1 + diag[i] * alpha[i];
      let pg = g;
      if (alpha[i] === 0) {
        if (g > pgMaxOld) {
          active--;
          index[s] = index[active];
          index[active] = i;
          s--;
          continue;
        }
        if (g > 0) pg = 0;
      }
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i];
        alpha[i] = Math.max(old - g / qbar[i], 0);
        const delta = (alpha[i] - old) * y;
        if (delta !== 0) {
          addRow(rows, row, delta, w);
          b += delta * bias;
        }
      }
    }
    if (pgMax - pgMin <= tolerance || active === 0) {
      if (active === n) {
        converged = true;
        break;
      }
      active = n;
      pgMaxOld = Infinity;
      continue;
    }
    pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
  }
  return { w, b: b * bias, alpha, epochs, converged, cancelled };
}

/**
 * Per-sample weights in the manner of ASReview's `Balanced(ratio)` balancer: class weights
 * include = 1, exclude = n_include / (ratio · n_exclude), then scaled so the weights sum to the number
 * of samples. ratio = 1 is scikit-learn's class_weight='balanced' (both classes weigh the same in
 * total); ASReview's ELAS u4 uses 9.8 (the includes together weigh 9.8 times the excludes).
 */
export function balancedWeights(includes: number, excludes: number, ratio: number): { include: number; exclude: number } {
  if (includes === 0 || excludes === 0) return { include: 1, exclude: 1 };
  const include = 1;
  const exclude = includes / (ratio * excludes);
  const scale = (includes + excludes) / (includes * include + excludes * exclude);
  return { include: include * scale, exclude: exclude * scale };
}
