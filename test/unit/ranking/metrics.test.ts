import { describe, expect, it } from 'vitest';
import { atd, recordsToRecall, rrf, screeningMetrics, wss } from '../../../src/screening/ranking/metrics';

describe('screening metrics, against values computed by hand', () => {
  // N = 20, R = 3 includes at positions 1, 2 and 5.
  const ranking = [1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

  it('WSS@95: ⌈0.95 · 3⌉ = 3 includes found after n = 5 records → (20 − 5)/20 − 0.05 = 0.70', () => {
    expect(recordsToRecall(ranking, 0.95)).toBe(5);
    expect(wss(ranking, 0.95)).toBeCloseTo(0.7, 12);
    // WSS@r for r = 2/3: 2 includes after 2 records → 18/20 − 1/3.
    expect(wss(ranking, 2 / 3)).toBeCloseTo(0.9 - 1 / 3, 12);
  });

  it('RRF@10: the first ⌊0.1 · 20⌋ = 2 records hold 2 of the 3 includes → 0.667', () => {
    expect(rrf(ranking, 0.1)).toBeCloseTo(2 / 3, 12);
  });

  it('ATD: mean position (1 + 2 + 5)/3 = 2.667 records = 0.1333 of N', () => {
    expect(atd(ranking).records).toBeCloseTo(8 / 3, 12);
    expect(atd(ranking).proportion).toBeCloseTo(8 / 60, 12);
  });

  it('screeningMetrics gathers them, and a truncated order (stopped after the last include) gives the same values', () => {
    const full = screeningMetrics(ranking);
    expect(full).toEqual({ records: 20, includes: 3, wss95: expect.closeTo(0.7, 12), recordsTo95: 5, rrf10: expect.closeTo(2 / 3, 12), atd: expect.closeTo(8 / 60, 12), atdRecords: expect.closeTo(8 / 3, 12) });
    expect(screeningMetrics(ranking.slice(0, 5), 20)).toEqual(full);
  });

  it('a bad order: includes last', () => {
    // N = 10, includes at 8, 9, 10: n95 = 10 → WSS = 0 − 0.05; RRF@10 = 0 (first record is an exclude); ATD = 9 records = 0.9.
    const worst = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];
    const m = screeningMetrics(worst);
    expect(m.wss95).toBeCloseTo(-0.05, 12);
    expect(m.rrf10).toBe(0);
    expect(m.atdRecords).toBeCloseTo(9, 12);
    expect(m.atd).toBeCloseTo(0.9, 12);
  });

  it('with 40 includes, 95 % is the 38th include', () => {
    const labels = new Array(1000).fill(0);
    for (let i = 0; i < 40; i++) labels[i * 10] = 1; // positions 1, 11, …, 391
    expect(recordsToRecall(labels, 0.95)).toBe(371); // 38th include: 37 · 10 + 1
    expect(wss(labels)).toBeCloseTo((1000 - 371) / 1000 - 0.05, 12);
    expect(rrf(labels)).toBeCloseTo(10 / 40, 12); // first 100 records: positions 1 … 91
  });

  it('accepts booleans and gives NaN without includes', () => {
    expect(wss([true, false, false, false])).toBeCloseTo(0.75 - 0.05, 12);
    expect(Number.isNaN(wss([0, 0, 0]))).toBe(true);
  });
});
