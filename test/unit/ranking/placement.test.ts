import { describe, expect, it } from 'vitest';
import { unscorablePlacement, yieldWindow } from '../../../src/screening/ranking/placement';

const includes = (n: number) => Array<boolean>(n).fill(true);
const excludes = (n: number) => Array<boolean>(n).fill(false);

describe('unscorablePlacement', () => {
  it('uses a window of 20 labels, or 2 % of the records if more', () => {
    expect(yieldWindow(100)).toBe(20);
    expect(yieldWindow(1000)).toBe(20);
    expect(yieldWindow(1001)).toBe(21);
    expect(yieldWindow(5000)).toBe(100);
  });

  it('keeps unreadable records at the end until there are a window of labels', () => {
    expect(unscorablePlacement([], 100)).toBe('end');
    expect(unscorablePlacement([true, ...excludes(18)], 100)).toBe('end');
  });

  it('moves them first once the recent include share falls below the share of records found to be includes', () => {
    // 100 records, window 20. After 5 includes the bound is 5 / 100: the last 20 labels must hold fewer
    // than 20 × 5 / 100 = 1 include. Labels 6–25 are the first 20 excludes in a row.
    const history = [...includes(5), ...excludes(20)];
    expect(unscorablePlacement(history.slice(0, 24), 100)).toBe('end');
    expect(unscorablePlacement(history, 100)).toBe('start');
    // With 1,000 records the bound is 5 / 1,000: one include in 20 recent labels is above it…
    expect(unscorablePlacement([...includes(5), ...excludes(19), true], 1000)).toBe('end');
    // …none is below it.
    expect(unscorablePlacement([...includes(5), ...excludes(20)], 1000)).toBe('start');
  });

  it('stays first once moved, even when includes turn up again', () => {
    expect(unscorablePlacement([...includes(5), ...excludes(20), ...includes(20)], 100)).toBe('start');
  });

  it('stays at the end while the recent labels keep finding includes', () => {
    // Every other label an include: the recent share (1/2) stays above the found share (at most 20/100).
    const alternating = Array.from({ length: 40 }, (_, i) => i % 2 === 0);
    expect(unscorablePlacement(alternating, 100)).toBe('end');
    // Labels may be 0/1 numbers.
    expect(unscorablePlacement([1, 1, 1, 1, 1, ...Array<number>(20).fill(0)], 100)).toBe('start');
  });
});
