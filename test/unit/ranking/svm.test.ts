import { describe, expect, it } from 'vitest';
import { rowsOf } from './dense-rows';
import { seededRandom } from '../../../src/screening/ranking/random';
import { balancedWeights, dotRow, trainSvm, type SvmSample } from '../../../src/screening/ranking/svm';

describe('linear SVM (dual coordinate descent)', () => {
  it('separates separable toy data', () => {
    const points = [
      [2, 0.1],
      [1.5, 0.3],
      [1.8, -0.2],
      [-1.6, 0.2],
      [-2, -0.1],
      [-1.2, 0.4],
    ];
    const rows = rowsOf(points);
    const samples: SvmSample[] = points.map((_, i) => ({ row: i, y: i < 3 ? 1 : -1, weight: 1 }));
    const model = trainSvm(rows, samples, { c: 10, tolerance: 1e-6, maxEpochs: 1000, random: seededRandom(3) });
    expect(model.converged).toBe(true);
    for (const sample of samples) expect(Math.sign(dotRow(rows, sample.row, model.w) + model.b)).toBe(sample.y);
    // A new point on the include side scores above 0.
    const probe = rowsOf([[1, 0]]);
    expect(dotRow(probe, 0, model.w) + model.b).toBeGreaterThan(0);
  });

  it('meets the optimality conditions of the L2-loss dual (α_i > 0 ⇒ y_i f(x_i) = 1 − α_i / (2 C_i))', () => {
    const random = seededRandom(11);
    const points = Array.from({ length: 40 }, (_, i) => [random() * 2 - 1 + (i < 10 ? 0.6 : -0.2), random() * 2 - 1, random()]);
    const rows = rowsOf(points);
    const samples: SvmSample[] = points.map((_, i) => ({ row: i, y: i < 10 ? 1 : -1, weight: i < 10 ? 3 : 1 }));
    const c = 0.5;
    const model = trainSvm(rows, samples, { c, tolerance: 1e-8, maxEpochs: 5000, random: seededRandom(1) });
    expect(model.converged).toBe(true);
    samples.forEach((sample, i) => {
      const margin = sample.y * (dotRow(rows, sample.row, model.w) + model.b);
      const a = model.alpha[i];
      if (a > 1e-9) expect(margin).toBeCloseTo(1 - a / (2 * c * sample.weight), 4);
      else expect(margin).toBeGreaterThanOrEqual(1 - 1e-4);
    });
  });

  it('class balancing raises the scores of the rare class', () => {
    // 3 includes among 60 overlapping points.
    const random = seededRandom(5);
    const points = Array.from({ length: 60 }, (_, i) => [random() + (i < 3 ? 0.4 : 0), random(), 1]);
    const rows = rowsOf(points);
    const train = (weights: { include: number; exclude: number }) =>
      trainSvm(
        rows,
        points.map((_, i) => ({ row: i, y: i < 3 ? 1 : -1, weight: i < 3 ? weights.include : weights.exclude }) as SvmSample),
        { c: 1, tolerance: 1e-6, maxEpochs: 2000, random: seededRandom(2) },
      );
    const plain = train({ include: 1, exclude: 1 });
    const balanced = train(balancedWeights(3, 57, 1));
    const score = (model: ReturnType<typeof train>, row: number) => dotRow(rows, row, model.w) + model.b;
    for (let i = 0; i < 3; i++) expect(score(balanced, i)).toBeGreaterThan(score(plain, i));
    const positives = (model: ReturnType<typeof train>) => points.filter((_, i) => score(model, i) > 0).length;
    expect(positives(balanced)).toBeGreaterThan(positives(plain));
  });

  it('balancedWeights follows ASReview Balanced(ratio): includes weigh ratio × the excludes in total, weights sum to n', () => {
    const w = balancedWeights(2, 98, 9.8);
    expect(2 * w.include).toBeCloseTo(9.8 * 98 * w.exclude, 9);
    expect(2 * w.include + 98 * w.exclude).toBeCloseTo(100, 9);
    const even = balancedWeights(10, 90, 1);
    expect(even.include).toBeCloseTo(5, 9); // scikit-learn 'balanced': n / (2 n_class)
    expect(even.exclude).toBeCloseTo(100 / 180, 9);
  });

  it('a warm start from the previous solution converges at once to the same model', () => {
    const random = seededRandom(8);
    const points = Array.from({ length: 30 }, (_, i) => [random() + (i < 8 ? 0.5 : 0), random(), 1]);
    const rows = rowsOf(points);
    const samples: SvmSample[] = points.map((_, i) => ({ row: i, y: i < 8 ? 1 : -1, weight: 1 }));
    const cold = trainSvm(rows, samples, { c: 1, tolerance: 1e-6, maxEpochs: 2000, random: seededRandom(1) });
    const warm = trainSvm(rows, samples, { c: 1, tolerance: 1e-6, maxEpochs: 2000, random: seededRandom(1) }, { alpha: cold.alpha });
    expect(warm.epochs).toBeLessThanOrEqual(2);
    for (let j = 0; j < 3; j++) expect(warm.w[j]).toBeCloseTo(cold.w[j], 4);
    expect(warm.b).toBeCloseTo(cold.b, 4);
  });

  it('stops when cancelled', () => {
    const rows = rowsOf([
      [1, 0],
      [0, 1],
    ]);
    const model = trainSvm(
      rows,
      [
        { row: 0, y: 1, weight: 1 },
        { row: 1, y: -1, weight: 1 },
      ],
      { shouldCancel: () => true },
    );
    expect(model.cancelled).toBe(true);
    expect(model.epochs).toBe(0);
  });
});
