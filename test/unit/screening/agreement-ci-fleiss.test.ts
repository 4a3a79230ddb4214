/**
 * Confidence intervals of Cohen's kappa and Fleiss' kappa, against values computed by hand.
 * SE(κ) = √((A + B − C) / n) / (1 − p_e) (Fleiss, Cohen & Everitt 1969), with
 * A = Σ p_ii [1 − (p_i. + p_.i)(1 − κ)]², B = (1 − κ)² Σ_{i≠j} p_ij (p_.i + p_j.)², C = [κ − p_e(1 − κ)]².
 */
import { describe, expect, it } from 'vitest';
import { agreementReport, fleissKappa, groupAgreement, kappaFromTable } from '../../../src/screening/agreement';
import type { Decision, Verdict } from '../../../src/screening/decision';

describe("Cohen's kappa: standard error and 95 % CI", () => {
  it('2×2: 50 items, 20 / 5 / 10 / 15 (the Wikipedia example): κ = .40, SE = .1270, CI .151 – .649', () => {
    // p = [.4 .1; .2 .3], rows .5 .5, columns .6 .4; p_o = .7, p_e = .5×.6 + .5×.4 = .5, κ = .2 / .5 = .4.
    // A = .4 × (1 − 1.1 × .6)² + .3 × (1 − .9 × .6)² = .4 × .1156 + .3 × .2116 = .10972
    // B = .6² × (.1 × (.6 + .5)² + .2 × (.4 + .5)²) = .36 × (.121 + .162) = .10188
    // C = (.4 − .5 × .6)² = .01
    // SE = √((.10972 + .10188 − .01) / 50) / .5 = √.004032 / .5 = .126996
    const result = kappaFromTable([
      [20, 5],
      [10, 15],
    ]);
    expect(result.kappa!).toBeCloseTo(0.4, 12);
    expect(result.standardError!).toBeCloseTo(Math.sqrt(0.004032) / 0.5, 12);
    expect(result.ci95![0]).toBeCloseTo(0.4 - 1.959964 * 0.126996, 5);
    expect(result.ci95![1]).toBeCloseTo(0.4 + 1.959964 * 0.126996, 5);
    expect(result.ci95!.map((x) => x.toFixed(3))).toEqual(['0.151', '0.649']);
  });

  it('3×3: Cohen (1960) Table 1 (200 items): κ = .4915, SE = .0510, CI .392 – .591', () => {
    // p_o = .70, p_e = .41, κ = .29 / .59. Rows .6 .3 .1, columns .5 .3 .2; 1 − κ = .30 / .59.
    // A = .44 (1 − 1.1 × .5085)² + .20 (1 − .6 × .5085)² + .06 (1 − .3 × .5085)² = .225119
    // B = .5085² × [.07 (.5 + .3)² + .09 (.5 + .1)² + .05 (.3 + .6)² + .05 (.3 + .1)² + .01 (.2 + .6)² + .03 (.2 + .3)²]
    //   = .258546 × .1396 = .036093
    // C = (.4915 − .41 × .5085)² = .080118
    // SE = √((.225119 + .036093 − .080118) / 200) / .59 = .051002
    const result = kappaFromTable([
      [88, 14, 18],
      [10, 40, 10],
      [2, 6, 12],
    ]);
    expect(result.standardError!).toBeCloseTo(0.051002, 5);
    expect(result.ci95!.map((x) => x.toFixed(3))).toEqual(['0.392', '0.591']);
  });

  it('has no CI where kappa is undefined', () => {
    const result = kappaFromTable([
      [5, 0],
      [0, 0],
    ]);
    expect(result.kappa).toBeNull();
    expect(result.ci95).toBeNull();
  });
});

describe("Fleiss' kappa", () => {
  it('Fleiss (1971) as worked on Wikipedia: 10 items, 14 raters, 5 categories: P̄ = .378, P̄e = .213, κ = .210', () => {
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const result = fleissKappa(counts);
    expect(result.n).toBe(10);
    expect(result.raters).toBe(14);
    // P_i: (14·13)/(14·13) = 1, …; P̄ = 3.78 / 10. Column totals 20 28 39 21 32 of 140: P̄e = Σ (t/140)².
    expect(result.observed).toBeCloseTo(0.378022, 6);
    expect(result.expected).toBeCloseTo((20 ** 2 + 28 ** 2 + 39 ** 2 + 21 ** 2 + 32 ** 2) / 140 ** 2, 12);
    expect(result.kappa!.toFixed(3)).toBe('0.210');
  });

  it('rejects items with different numbers of ratings', () => {
    expect(() => fleissKappa([[1, 1], [3, 0]])).toThrow(/same number/);
  });

  it('is computed per stage over the records all three reviewers decided', () => {
    const decide = (record: string, verdict: Verdict): Decision => ({ record, stage: 'title-abstract', verdict, reason: null, note: null, time: '2026-01-01T00:00:00Z' });
    const byReviewer = new Map<string, Decision[]>([
      ['a', [decide('r1', 'include'), decide('r2', 'exclude'), decide('r3', 'include'), decide('r4', 'include')]],
      ['b', [decide('r1', 'include'), decide('r2', 'exclude'), decide('r3', 'exclude')]],
      ['c', [decide('r1', 'include'), decide('r2', 'maybe'), decide('r3', 'exclude')]],
    ]);
    const [group] = groupAgreement(byReviewer);
    expect(group.stage).toBe('title-abstract');
    expect(group.verdicts.n).toBe(3); // r4 only by a
    // Items: r1 [3,0,0], r2 [0,2,1], r3 [1,2,0]. P_i = 1, 1/3, 1/3: P̄ = 5/9.
    // Totals 4 4 1 of 9: P̄e = (16 + 16 + 1) / 81 = 33/81. κ = (45/81 − 33/81) / (48/81) = 12/48 = .25.
    expect(group.verdicts.kappa!).toBeCloseTo(0.25, 12);
    expect(groupAgreement(new Map([...byReviewer].slice(0, 2)))).toEqual([]);
  });

  it('pairs report the Covidence coding (maybe as include) beside include vs not', () => {
    const decide = (record: string, verdict: Verdict): Decision => ({ record, stage: 'title-abstract', verdict, reason: null, note: null, time: '2026-01-01T00:00:00Z' });
    const [pair] = agreementReport(
      new Map([
        ['a', [decide('r1', 'maybe'), decide('r2', 'exclude'), decide('r3', 'include'), decide('r4', 'exclude')]],
        ['b', [decide('r1', 'include'), decide('r2', 'exclude'), decide('r3', 'include'), decide('r4', 'include')]],
      ]),
    );
    expect(pair.includeVsNot.percentAgreement).toBeCloseTo(50, 10); // r1 and r4 differ
    expect(pair.maybeAsInclude.percentAgreement).toBeCloseTo(75, 10); // only r4 differs
  });
});
