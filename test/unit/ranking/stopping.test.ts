import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/screening/ranking/random';
import { describeStopping, estimateStopping, hypergeometricCdf, stoppingPoint, stoppingPValue } from '../../../src/screening/ranking/stopping';

/** The criterion as buscarpy's calculate_h0 writes it: every urn size, no shortcut. */
function bruteForceP(labels: number[], total: number, target: number): number {
  const seen = labels.length;
  const rSeen = labels.reduce((a, b) => a + b, 0);
  let best = 1;
  let k = 0;
  for (let n = 1; n <= seen; n++) {
    k += labels[seen - n];
    const kHat = Math.floor(rSeen / target - (rSeen - k) + 1);
    const population = total - seen + n;
    const p = kHat > population ? 0 : hypergeometricCdf(k, population, kHat, n);
    best = Math.min(best, p);
  }
  return best;
}

describe('hypergeometric stopping criterion (Callaghan & Müller-Hansen 2020)', () => {
  it('hypergeometric CDF by hand: P(X ≤ 1), population 10, 3 successes, 4 draws = 1/6 + 1/2', () => {
    expect(hypergeometricCdf(1, 10, 3, 4)).toBeCloseTo(2 / 3, 12);
    expect(hypergeometricCdf(0, 10, 3, 4)).toBeCloseTo(35 / 210, 12);
    expect(hypergeometricCdf(3, 10, 3, 4)).toBe(1);
    // Against the direct sum of binomial ratios, including far tails.
    const choose = (a: number, b: number): number => {
      let r = 1;
      for (let i = 1; i <= b; i++) r = (r * (a - b + i)) / i;
      return r;
    };
    for (const [k, m, s, n] of [
      [0, 60, 5, 20],
      [3, 60, 5, 20],
      [7, 120, 30, 25],
      [2, 200, 40, 100],
    ]) {
      let direct = 0;
      for (let x = Math.max(0, n - (m - s)); x <= k; x++) direct += (choose(s, x) * choose(m - s, n - x)) / choose(m, n);
      expect(hypergeometricCdf(k, m, s, n)).toBeCloseTo(direct, 12);
    }
    // Tiny probabilities stay accurate in relative terms.
    const tiny = hypergeometricCdf(0, 5000, 100, 2000);
    // C(4900, 2000) / C(5000, 2000) = Π_{i<100} (3000 − i) / (5000 − i)
    let logExpected = 0;
    for (let i = 0; i < 100; i++) logExpected += Math.log((3000 - i) / (5000 - i));
    expect(Math.log(tiny)).toBeCloseTo(logExpected, 6);
  });

  it('p by hand: 10 includes, then 50 excludes, of N = 100, target 95 %', () => {
    // Sample = the last 50 (k = 0): K̂ = ⌊10/0.95 − 10 + 1⌋ = 1, urn = 40 unscreened + 50 → p = 40/90.
    // Sample = the last 51 (k = 1): K̂ = 2, urn 91 → p = 1 − C(51,2)/C(91,2) = 0.689. Minimum: 4/9.
    const labels = [...new Array(10).fill(1), ...new Array(50).fill(0)];
    expect(stoppingPValue(labels, 100, 0.95)).toBeCloseTo(4 / 9, 12);
  });

  it('the shortcut (longest sample per include count) equals the brute force over every sample', () => {
    const random = seededRandom(42);
    for (let trial = 0; trial < 200; trial++) {
      const total = 50 + Math.floor(random() * 400);
      const seen = 1 + Math.floor(random() * (total - 1));
      const decay = random() * 0.5;
      const labels = Array.from({ length: seen }, (_, i) => (random() < decay * Math.exp((-5 * i) / seen) + 0.01 ? 1 : 0));
      if (!labels.includes(1)) labels[0] = 1;
      for (const target of [0.8, 0.95]) expect(stoppingPValue(labels, total, target)).toBeCloseTo(bruteForceP(labels, total, target), 10);
    }
  });

  it('estimates: records since the last include, p at 95 %, and a recall lower bound', () => {
    const labels = [...new Array(10).fill(1), ...new Array(50).fill(0)];
    const estimate = estimateStopping(labels, 100);
    expect(estimate).toMatchObject({ total: 100, screened: 60, includesFound: 10, sinceLastInclude: 50, recallTarget: 0.95, confidence: 0.95 });
    expect(estimate.pValue).toBeCloseTo(4 / 9, 12);
    // Every bound it reports is rejected at 5 % and the next whole percent up is not.
    const bound = estimate.recallAtLeast!;
    expect(stoppingPValue(labels, 100, bound)).toBeLessThan(0.05);
    if (bound < 0.99) expect(stoppingPValue(labels, 100, bound + 0.01)).toBeGreaterThanOrEqual(0.05);

    // Far more evidence: 20 includes early, then 2,000 excludes, of 2,500.
    const strong = estimateStopping([...new Array(20).fill(1), ...new Array(2000).fill(0)], 2500);
    expect(strong.pValue!).toBeLessThan(0.05);
    expect(strong.recallAtLeast!).toBeGreaterThanOrEqual(0.95);
  });

  it('before the first include: no estimate', () => {
    const estimate = estimateStopping([0, 0, 0], 10);
    expect(estimate.sinceLastInclude).toBe(3);
    expect(estimate.pValue).toBeUndefined();
    expect(describeStopping(estimate)).toMatch(/No includes yet/);
  });

  it('is worded as an estimate, never a guarantee', () => {
    const weak = describeStopping(estimateStopping([...new Array(10).fill(1), ...new Array(50).fill(0)], 100));
    expect(weak).toMatch(/^50 records screened since the last include \(60 of 100 screened, 10 includes\)\./);
    expect(weak).toMatch(/Callaghan & Müller-Hansen 2020/);
    expect(weak).toMatch(/95 % recall is not yet supported \(p = 0\.444\)/);
    expect(weak).toMatch(/not a guarantee/);
    expect(weak).toMatch(/includes may remain among the 40 unscreened records/);
    expect(weak).toMatch(/Whether to stop is the review team's decision/);
    const strong = describeStopping(estimateStopping([...new Array(20).fill(1), ...new Array(2000).fill(0)], 2500));
    expect(strong).toMatch(/95 % recall is supported at that confidence/);
    expect(strong).toMatch(/if the records screened recently were a random sample/);
    expect(strong).toMatch(/not a guarantee/);
  });

  it('stoppingPoint: the first point where the criterion supports 95 % recall, continuing past a truncated order with excludes', () => {
    const labels = [...new Array(10).fill(1), ...new Array(5).fill(0)];
    const point = stoppingPoint(labels, 1000, { every: 1 });
    // Brute force: the smallest number of trailing excludes m with p < 0.05.
    let m = 0;
    while (stoppingPValue([...labels, ...new Array(m).fill(0)], 1000, 0.95) >= 0.05) m++;
    expect(point).toEqual({ screened: 15 + m, recall: 1 });
    // A stop before the last include counts the recall reached.
    // (With 100 includes, H0 needs K̂ = 6 includes left: after 3,000 excludes, p ≈ (1900/4900)^6.)
    const early = [...new Array(100).fill(1), ...new Array(3000).fill(0), 1];
    const earlyPoint = stoppingPoint(early, 5000, { every: 1 });
    expect(earlyPoint.screened).toBeLessThan(3101);
    expect(earlyPoint.recall).toBeCloseTo(100 / 101, 12);
    expect(stoppingPoint([0, 0], 10)).toEqual({ screened: undefined, recall: undefined });
  });
});
