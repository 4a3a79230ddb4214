import { describe, expect, it } from 'vitest';
import { agreementReport, kappaFromPairs, kappaFromTable } from '../../../src/screening/agreement';
import type { Decision, Verdict } from '../../../src/screening/decision';

describe("Cohen's kappa against published worked examples", () => {
  it('Cohen (1960), Table 1: 200 items, three categories, p_o = .70, p_c = .41, kappa = .49', () => {
    // Cohen J. A coefficient of agreement for nominal scales. Educational and Psychological
    // Measurement 1960;20(1):37–46. The illustration's proportions (judge A rows, judge B columns):
    //   .44 .07 .09 | .60
    //   .05 .20 .05 | .30
    //   .01 .03 .06 | .10
    //   .50 .30 .20
    // as counts of 200 items.
    const result = kappaFromTable([
      [88, 14, 18],
      [10, 40, 10],
      [2, 6, 12],
    ]);
    expect(result.n).toBe(200);
    expect(result.observed).toBeCloseTo(0.7, 10);
    expect(result.expected).toBeCloseTo(0.41, 10);
    expect(result.kappa!).toBeCloseTo(0.29 / 0.59, 10); // .4915…, reported as .49
    expect(result.kappa!.toFixed(2)).toBe('0.49');
    expect(result.percentAgreement).toBeCloseTo(70, 10);
  });

  it('Altman (1991), Table 14.3: two radiologists, 85 xeromammograms, four categories, kappa = 0.47', () => {
    // Altman DG. Practical Statistics for Medical Research. Chapman & Hall, 1991, section 14.3
    // (data of Boyd et al. 1982); the same table is the worked example of Stata's `kap`
    // ([R] kappa: agreement 63.53%, expected 30.82%, kappa 0.4728).
    // Rows radiologist A, columns radiologist B: normal, benign, suspected cancer, cancer.
    const result = kappaFromTable([
      [21, 12, 0, 0],
      [4, 17, 1, 0],
      [3, 9, 15, 2],
      [0, 0, 0, 1],
    ]);
    expect(result.n).toBe(85);
    expect(result.percentAgreement.toFixed(2)).toBe('63.53');
    expect((result.expected * 100).toFixed(2)).toBe('30.82');
    expect(result.kappa!.toFixed(4)).toBe('0.4728');
  });

  it('a 2×2 example (50 proposals; yes/yes 20, yes/no 5, no/yes 10, no/no 15): p_o = .70, p_e = .50, kappa = .40', () => {
    // The worked example of the Wikipedia article "Cohen's kappa" (section "Simple example").
    const pairs: [string, string][] = [
      ...Array<[string, string]>(20).fill(['yes', 'yes']),
      ...Array<[string, string]>(5).fill(['yes', 'no']),
      ...Array<[string, string]>(10).fill(['no', 'yes']),
      ...Array<[string, string]>(15).fill(['no', 'no']),
    ];
    const result = kappaFromPairs(pairs);
    expect(result.observed).toBeCloseTo(0.7, 10);
    expect(result.expected).toBeCloseTo(0.5, 10);
    expect(result.kappa!).toBeCloseTo(0.4, 10);
  });

  it('is undefined (null) when chance agreement is 1, and 1 for perfect agreement otherwise', () => {
    expect(kappaFromTable([[10]]).kappa).toBeNull();
    expect(kappaFromTable([]).kappa).toBeNull();
    expect(kappaFromTable([
      [5, 0],
      [0, 5],
    ]).kappa).toBe(1);
  });
});

describe('agreement between reviewers', () => {
  it("reproduces Cohen's table from decisions, and include vs not-include (hand-computed)", () => {
    const categories: Verdict[] = ['include', 'exclude', 'maybe'];
    const counts = [
      [88, 14, 18],
      [10, 40, 10],
      [2, 6, 12],
    ];
    const a: Decision[] = [];
    const b: Decision[] = [];
    let n = 0;
    const decision = (record: string, verdict: Verdict): Decision => ({ record, stage: 'title-abstract', verdict, reason: null, note: null, time: '2026-01-01T00:00:00.000Z' });
    counts.forEach((row, i) =>
      row.forEach((count, j) => {
        for (let k = 0; k < count; k++) {
          const record = `r${n++}`;
          a.push(decision(record, categories[i]));
          b.push(decision(record, categories[j]));
        }
      }),
    );
    // Records only one reviewer screened do not count.
    a.push(decision('only-a', 'include'));
    b.push(decision('only-b', 'exclude'));
    const report = agreementReport(new Map([['b@x.org', b], ['a@x.org', a]]));
    expect(report).toHaveLength(1);
    const pair = report[0];
    expect(pair.reviewers).toEqual(['a@x.org', 'b@x.org']);
    expect(pair.stage).toBe('title-abstract');
    expect(pair.n).toBe(200);
    expect(pair.table).toEqual(counts);
    expect(pair.verdicts.kappa!).toBeCloseTo(0.4915254, 6);
    // include vs not: a = 88, b = 32, c = 12, d = 68; p_o = .78; p_e = .6 × .5 + .4 × .5 = .5; kappa = .56.
    expect(pair.includeVsNot.observed).toBeCloseTo(0.78, 10);
    expect(pair.includeVsNot.expected).toBeCloseTo(0.5, 10);
    expect(pair.includeVsNot.kappa!).toBeCloseTo(0.56, 10);
  });
});
