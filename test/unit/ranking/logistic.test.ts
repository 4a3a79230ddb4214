import { describe, expect, it } from 'vitest';
import { rowsOf } from './dense-rows';
import { trainLogistic } from '../../../src/screening/ranking/logistic';
import { seededRandom } from '../../../src/screening/ranking/random';
import { dotRow, type SvmSample } from '../../../src/screening/ranking/svm';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('logistic regression (dual coordinate descent)', () => {
  it('matches the hand-solved 1-D toy: x = ±1, no bias, C = 1 ⇒ w = 2 σ(−w) ⇒ w = 0.6748316', () => {
    const rows = rowsOf([[1], [-1]]);
    const samples: SvmSample[] = [
      { row: 0, y: 1, weight: 1 },
      { row: 1, y: -1, weight: 1 },
    ];
    const model = trainLogistic(rows, samples, { c: 1, bias: 0, tolerance: 1e-10, maxEpochs: 1000, random: seededRandom(1) });
    expect(model.converged).toBe(true);
    expect(model.w[0]).toBeCloseTo(0.6748316, 6);
    expect(model.b).toBe(0);
    // α_i = C σ(−y_i w·x_i)
    expect(model.alpha[0]).toBeCloseTo(sigmoid(-0.6748316), 6);
  });

  it('meets the optimality conditions (α_i = C_i σ(−y_i f(x_i)), w = Σ α_i y_i x_i) with weights and a bias', () => {
    const random = seededRandom(11);
    const points = Array.from({ length: 40 }, (_, i) => [random() * 2 - 1 + (i < 10 ? 0.6 : -0.2), random() * 2 - 1, random()]);
    const rows = rowsOf(points);
    const samples: SvmSample[] = points.map((_, i) => ({ row: i, y: i < 10 ? 1 : -1, weight: i < 10 ? 3 : 1 }));
    const c = 0.5;
    const model = trainLogistic(rows, samples, { c, tolerance: 1e-9, maxEpochs: 5000, random: seededRandom(1) });
    expect(model.converged).toBe(true);
    const w = [0, 0, 0];
    let b = 0;
    samples.forEach((sample, i) => {
      const margin = sample.y * (dotRow(rows, sample.row, model.w) + model.b);
      expect(model.alpha[i]).toBeCloseTo(c * sample.weight * sigmoid(-margin), 6);
      points[i].forEach((x, j) => (w[j] += model.alpha[i] * sample.y * x));
      b += model.alpha[i] * sample.y;
    });
    for (let j = 0; j < 3; j++) expect(model.w[j]).toBeCloseTo(w[j], 6);
    expect(model.b).toBeCloseTo(b, 6);
  });

  it('a warm start from the previous α reaches the same model in fewer epochs', () => {
    const random = seededRandom(4);
    const points = Array.from({ length: 50 }, (_, i) => [random() + (i < 8 ? 0.5 : 0), random(), 1]);
    const rows = rowsOf(points);
    const samples: SvmSample[] = points.map((_, i) => ({ row: i, y: i < 8 ? 1 : -1, weight: 1 }));
    const options = { c: 2, tolerance: 1e-6, maxEpochs: 5000 };
    const cold = trainLogistic(rows, samples, { ...options, random: seededRandom(1) });
    const warm = trainLogistic(rows, samples, { ...options, random: seededRandom(2) }, { alpha: cold.alpha });
    expect(warm.epochs).toBeLessThan(cold.epochs);
    for (let j = 0; j < 3; j++) expect(warm.w[j]).toBeCloseTo(cold.w[j], 4);
  });
});
