/**
 * L2-regularised logistic regression over sparse rows (scikit-learn's `LogisticRegression`, the
 * classifier of Cormack & Grossman's BMI/CAL and one of ASReview's), trained by dual coordinate descent
 * (Yu, Huang & Lin 2011, "Dual coordinate descent methods for logistic regression and maximum entropy
 * models", Machine Learning 85; LIBLINEAR's `-s 7`).
 *
 * Primal: min_w ½‖w‖² + Σ_i C_i · log(1 + exp(−y_i (w·x_i + b))), the bias b the weight of a constant
 * feature of value `bias`. Dual: min_α ½ αᵀQα + Σ_i α_i ln α_i + (C_i − α_i) ln(C_i − α_i), 0 < α_i < C_i;
 * each coordinate step solves its one-variable sub-problem by Newton's method. Same samples, options,
 * warm start and model as trainSvm (α of a previous fit is clipped into (0, C_i)).
 */
import type { SparseRows } from './features';
import { addRow, dotRow, type SvmModel, type SvmOptions, type SvmSample, type SvmWarmStart } from './svm';
import { shufflePrefix } from './random';

function squaredNorm(rows: SparseRows, row: number): number {
  if (rows.normalised) return rows.rowScale[row] > 0 ? 1 : 0;
  const { rowStart, rowEnd, index, value, colScale } = rows;
  let sum = 0;
  for (let k = rowStart[row], end = rowEnd[row]; k < end; k++) {
    const x = value[k] * colScale[index[k]];
    sum += x * x;
  }
  return sum * rows.rowScale[row] * rows.rowScale[row];
}

/** Options as trainSvm's; `c` defaults to 1 (scikit-learn's and LIBLINEAR's default for logistic regression). */
export function trainLogistic(rows: SparseRows, samples: readonly SvmSample[], options: SvmOptions = {}, warm?: SvmWarmStart): SvmModel {
  const c = options.c ?? 1;
  const bias = options.bias ?? 1;
  const tolerance = options.tolerance ?? 0.1;
  const maxEpochs = options.maxEpochs ?? 100;
  const random = options.random ?? Math.random;
  const n = samples.length;
  const w = new Float64Array(rows.columns);
  let b = 0;
  const alpha = new Float64Array(n);
  const upper = new Float64Array(n);
  const qd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const { row, y, weight } = samples[i];
    upper[i] = c * weight;
    qd[i] = squaredNorm(rows, row) + bias * bias;
    // LIBLINEAR starts at min(0.001 C, 1e-8); a warm α is kept strictly inside (0, C_i).
    const given = warm && i < warm.alpha.length ? warm.alpha[i] : 0;
    alpha[i] = given > 0 ? Math.min(Math.max(given, 1e-8 * upper[i]), upper[i] * (1 - 1e-8)) : Math.min(0.001 * upper[i], 1e-8);
    addRow(rows, row, alpha[i] * y, w);
    b += alpha[i] * y * bias;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const innerMin = Math.min(1e-8, tolerance);
  let inner = 1e-2;
  let epochs = 0;
  let converged = false;
  let cancelled = false;
  while (epochs < maxEpochs) {
    if (options.shouldCancel?.()) {
      cancelled = true;
      break;
    }
    epochs++;
    shufflePrefix(order, n, random);
    let gMax = 0;
    let newtonSteps = 0;
    for (let s = 0; s < n; s++) {
      const i = order[s];
      const { row, y } = samples[i];
      const C = upper[i];
      const a = qd[i];
      const ywx = y * (dotRow(rows, row, w) + b * bias);
      // Minimise over z = α_i (sign +1) or z = C − α_i (sign −1), whichever keeps z away from C:
      // g(z) = z ln z + (C − z) ln(C − z) + ½ a (z − z₀)² + sign · ywx · (z − z₀).
      let sign = 1;
      let z0 = alpha[i];
      if (0.5 * a * (C - 2 * alpha[i]) + ywx < 0) {
        sign = -1;
        z0 = C - alpha[i];
      }
      let z = z0;
      if (C - z < 0.5 * C) z *= 0.1;
      let gp = a * (z - z0) + sign * ywx + Math.log(z / (C - z));
      gMax = Math.max(gMax, Math.abs(gp));
      let steps = 0;
      while (steps <= 100 && Math.abs(gp) >= inner) {
        const next = z - gp / (a + C / (C - z) / z);
        z = next <= 0 ? z * 0.1 : next;
        gp = a * (z - z0) + sign * ywx + Math.log(z / (C - z));
        steps++;
      }
      newtonSteps += steps;
      if (steps > 0) {
        const updated = sign === 1 ? z : C - z;
        const delta = (updated - alpha[i]) * y;
        alpha[i] = updated;
        addRow(rows, row, delta, w);
        b += delta * bias;
      }
    }
    if (gMax < tolerance) {
      converged = true;
      break;
    }
    if (newtonSteps <= n / 10) inner = Math.max(innerMin, 0.1 * inner);
  }
  return { w, b: b * bias, alpha, epochs, converged, cancelled };
}
