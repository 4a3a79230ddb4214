/** The pure side of the relevance ranking in the workbench (src/views/relevanceOrder.ts). */
import { describe, expect, it } from 'vitest';
import { formatText, nextInOrder, orderIndex, orderMembers, relevanceText, relevanceTier, unscreenedOrderText, type RelevanceFacts } from '../../../src/views/relevanceOrder';

const svm = (rank: number, of: number, score: number, scorable = true): RelevanceFacts => ({ rank, of, score, model: 'svm', scorable });

describe('orderMembers', () => {
  it('puts the members in ranking order and skips ranked positions outside the group', () => {
    // Group members 1, 3, 4, 7 (source order); the ranking also holds 0 and 5 (maybe, other groups).
    expect(orderMembers([1, 3, 4, 7], [5, 4, 0, 1, 7, 3], 8)).toEqual([4, 1, 7, 3]);
  });

  it('appends members the ranking does not know yet in source order', () => {
    expect(orderMembers([1, 2, 6, 9], [6, 1], 10)).toEqual([6, 1, 2, 9]);
  });

  it('ignores unknown (-1) and out-of-range positions and never repeats a member', () => {
    expect(orderMembers([0, 2], Int32Array.from([-1, 2, 2, 99, 0]), 3)).toEqual([2, 0]);
  });

  it('is the identity for source order and empty for no members', () => {
    expect(orderMembers([0, 1, 2], [0, 1, 2], 3)).toEqual([0, 1, 2]);
    expect(orderMembers([], [2, 1, 0], 3)).toEqual([]);
  });

  it('orders 50,000 members quickly', () => {
    const n = 50_000;
    const members = Array.from({ length: n }, (_, i) => i);
    const ranked = Int32Array.from(members).reverse();
    const started = performance.now();
    const order = orderMembers(members, ranked, n);
    const at = orderIndex(order, n);
    expect(performance.now() - started).toBeLessThan(200);
    expect(order[0]).toBe(n - 1);
    expect(at[0]).toBe(n - 1);
  });
});

describe('orderIndex and nextInOrder', () => {
  const order = [4, 1, 7, 3];
  const at = orderIndex(order, 8);
  const indexOf = (position: number) => at[position];

  it('indexes positions, -1 for absent ones', () => {
    expect(Array.from(at)).toEqual([-1, 1, -1, 3, 0, -1, -1, 2]);
  });

  it('steps along the order from a record in it, wrapping', () => {
    expect(nextInOrder(order, indexOf, 4)).toBe(1);
    expect(nextInOrder(order, indexOf, 7)).toBe(3);
    expect(nextInOrder(order, indexOf, 3)).toBe(4);
  });

  it('starts at the top when there is no record or it left the group (just decided)', () => {
    expect(nextInOrder(order, indexOf, undefined)).toBe(4);
    expect(nextInOrder(order, indexOf, 5)).toBe(4);
  });

  it('has no next record when the group holds only the record itself, or nothing', () => {
    expect(nextInOrder([2], (p) => (p === 2 ? 0 : -1), 2)).toBeUndefined();
    expect(nextInOrder([], () => -1, undefined)).toBeUndefined();
  });
});

describe('relevance words', () => {
  it('sorts records into plain-language tiers: the model lean, then the place in the ranking', () => {
    expect(relevanceTier(svm(1, 100, 0.4))).toBe('high');
    expect(relevanceTier(svm(40, 100, 0.01))).toBe('high');
    expect(relevanceTier(svm(10, 100, -0.2))).toBe('possible');
    expect(relevanceTier(svm(11, 100, -0.2))).toBe('low');
    expect(relevanceTier(svm(50, 100, -0.5))).toBe('low');
    expect(relevanceTier(svm(51, 100, -0.5))).toBe('unlikely');
    expect(relevanceTier(svm(1, 5, -0.9))).toBe('possible');
    expect(relevanceTier(svm(1, 100, 0, false))).toBe('unscorable');
    expect(relevanceTier({ rank: 1, of: 100, score: 0, model: 'none', scorable: true })).toBe('unranked');
  });

  it('says rank N of M with a label and what it rests on, never as a verdict', () => {
    const text = relevanceText(svm(3, 1200, 0.3), { includes: 2, excludes: 1 });
    expect(text.summary).toBe('Rank 3 of 1,200 · Likely relevant: resembles the records you included');
    expect(text.detail).toContain('your own 2 includes and 1 exclude');
    expect(text.detail).toMatch(/prediction/);
    expect(text.detail).toMatch(/not a judgement/);
  });

  it('says a record without readable text cannot be ranked, and what the others are ranked from', () => {
    const text = relevanceText(svm(1, 300, 0, false), { includes: 1, excludes: 7 });
    expect(text.summary).toBe('Cannot be ranked');
    expect(text.detail).toContain('your own 1 include and 7 excludes');
  });

  it('explains why a record is not ranked yet', () => {
    const text = relevanceText({ rank: 5, of: 9, score: 0, model: 'none', scorable: true }, { includes: 1, excludes: 0 });
    expect(text.summary).toBe('Not ranked yet');
    expect(text.detail).toContain('you have 1 include and 0 excludes');
  });

  it('passes every string through the translation function', () => {
    const seen: string[] = [];
    const t = (template: string, ...args: (string | number)[]) => {
      seen.push(template);
      return formatText(template, ...args);
    };
    relevanceText(svm(60, 100, -1), { includes: 3, excludes: 40 }, t);
    expect(seen).toContain('Rank {0} of {1} · {2}');
    expect(seen).toContain('Unlikely relevant: resembles the records you excluded');
  });
});

describe('unscreenedOrderText', () => {
  it('says which order is in force and why', () => {
    expect(unscreenedOrderText({ kind: 'original' }).description).toBe('original order');
    expect(unscreenedOrderText({ kind: 'pending' }).description).toMatch(/ranking…/);
    const untrained = unscreenedOrderText({ kind: 'untrained', includes: 1, excludes: 0 });
    expect(untrained.description).toBe('original order · ranking needs 1 include + 1 exclude');
    expect(untrained.tooltip).toContain('you have 1 include and 0 excludes');
    const ranked = unscreenedOrderText({ kind: 'ranked', includes: 4, excludes: 12 });
    expect(ranked.description).toBe('by relevance');
    expect(ranked.tooltip).toContain('your own 4 includes and 12 excludes');
    expect(ranked.tooltip).toMatch(/not a decision/);
  });
});
