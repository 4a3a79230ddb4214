import { describe, expect, it } from 'vitest';
import { FeatureStore } from '../../../src/screening/ranking/features';

/**
 * The 3-document toy, by hand (minDf 1, no maxDf cut, words + bigrams, sublinear tf, smooth idf, l2):
 *   d0 "apple banana"          → apple, banana, "apple banana"
 *   d1 "apple cherry"          → apple, cherry, "apple cherry"
 *   d2 "banana banana cherry"  → banana (tf 2), cherry, "banana banana", "banana cherry"
 * n = 3; df(apple) = df(banana) = df(cherry) = 2, every bigram 1.
 * idf(df 2) = ln(4/3) + 1 = 1.2876821;  idf(df 1) = ln(4/2) + 1 = 1.6931472.
 * d0: raw (1.2876821, 1.2876821, 1.6931472), ‖·‖ = √(2·1.6581250 + 2.8667470) = 2.4865634
 *     → apple = banana = 0.5178561, "apple banana" = 0.6809186.
 * d2: banana raw = (1 + ln 2) · 1.2876821 = 2.1802349; cherry 1.2876821; each bigram 1.6931472;
 *     ‖·‖ = √(4.7534242 + 1.6581250 + 2·2.8667470) = 3.4849742
 *     → banana 0.6256101, cherry 0.3694954, "banana banana" = "banana cherry" = 0.4858421.
 */
function toy(options = {}): FeatureStore {
  const store = new FeatureStore({ minDf: 1, maxDf: 1, ...options });
  store.add({ title: 'apple banana' });
  store.add({ title: 'apple cherry' });
  store.add({ title: 'banana banana cherry' });
  return store;
}

function close(actual: Map<string, number>, expected: Record<string, number>): void {
  expect([...actual.keys()].sort()).toEqual(Object.keys(expected).sort());
  for (const [term, value] of Object.entries(expected)) expect(actual.get(term)).toBeCloseTo(value, 6);
}

describe('FeatureStore (TF-IDF)', () => {
  it('matches the hand-computed tf-idf of a 3-document toy', () => {
    const store = toy();
    close(store.vector(0), { apple: 0.5178561, banana: 0.5178561, 'apple banana': 0.6809186 });
    close(store.vector(2), { banana: 0.6256101, cherry: 0.3694954, 'banana banana': 0.4858421, 'banana cherry': 0.4858421 });
    expect(store.vocabularySize).toBe(7);
    expect(store.documentFrequency('banana')).toBe(2);
    expect(store.documentFrequency('banana cherry')).toBe(1);
    // l2-normalised
    const norm = Math.hypot(...store.vector(1).values());
    expect(norm).toBeCloseTo(1, 6);
  });

  it('drops terms below the minimum document frequency (and re-normalises)', () => {
    const store = toy({ minDf: 2, minDfRecords: 0 });
    // Only the three words remain; d0 = (apple, banana) with equal idf → 1/√2 each.
    close(store.vector(0), { apple: Math.SQRT1_2, banana: Math.SQRT1_2 });
    expect(store.vocabularySize).toBe(3);
    // Below minDfRecords records (default 50) every term counts.
    expect(toy({ minDf: 2 }).vocabularySize).toBe(7);
  });

  it('drops terms in more than maxDf of the records', () => {
    const store = new FeatureStore({ minDf: 1 }); // default maxDf 0.95
    store.add({ title: 'trial apple' });
    store.add({ title: 'trial banana' });
    expect([...store.vector(0).keys()].sort()).toEqual(['apple', 'trial apple']);
  });

  it('folds case and accents, skips one-letter tokens (and stop words when asked, bigrams then spanning them), and forms no bigram across fields', () => {
    const plain = new FeatureStore({ minDf: 1, maxDf: 1 });
    expect([...plain.vector(plain.add({ title: 'Effects of sleep' })).keys()].sort()).toEqual(['effects', 'of', 'sleep', 'effects of', 'of sleep'].sort());
    const store = new FeatureStore({ minDf: 1, maxDf: 1, stopWords: true });
    const row = store.add({ title: 'Effects of Müller-Straße on a B', abstract: 'Trial', keywords: ['Sleep quality'] });
    expect([...store.vector(row).keys()].sort()).toEqual(
      ['effects', 'muller', 'strasse', 'effects muller', 'muller strasse', 'trial', 'sleep', 'quality', 'sleep quality'].sort(),
    );
  });

  it('weights title terms (titleWeight: tf counts the title that many times)', () => {
    // d0: title "apple" (tf 2 with titleWeight 2), abstract "banana" (tf 1); idf equal (every term in 1 of 2 records)
    // → raw ∝ (1 + ln 2, 1), ‖·‖ = √(1.6931472² + 1) → apple 0.8610370, banana 0.5085423.
    const store = new FeatureStore({ minDf: 1, maxDf: 1, bigrams: false, titleWeight: 2 });
    store.add({ title: 'Apple', abstract: 'banana' });
    store.add({ title: 'cherry' });
    close(store.vector(0), { apple: 0.861037, banana: 0.5085423 });
    // The default counts the title once: equal weights.
    const plain = new FeatureStore({ minDf: 1, maxDf: 1, bigrams: false });
    plain.add({ title: 'Apple', abstract: 'banana' });
    plain.add({ title: 'cherry' });
    close(plain.vector(0), { apple: Math.SQRT1_2, banana: Math.SQRT1_2 });
  });

  it('adds each author as one feature only when asked', () => {
    const store = new FeatureStore({ minDf: 1, maxDf: 1, bigrams: false, authors: true });
    const row = store.add({ title: 'Sleep', authors: ['Müller, E J', 'Dunn, G S'] });
    store.add({ title: 'Teeth', authors: ['Müller, E J'] });
    expect([...store.vector(row).keys()].sort()).toEqual(['@dunn g s', '@muller e j', 'sleep']);
    expect(store.vector(row).get('@muller e j')!).toBeLessThan(store.vector(row).get('@dunn g s')!);
    const plain = new FeatureStore({ minDf: 1, maxDf: 1 });
    expect([...plain.vector(plain.add({ title: 'Sleep', authors: ['Dunn, G S'] })).keys()]).toEqual(['sleep']);
  });

  it('updates idf incrementally as records are added and removed', () => {
    const store = toy();
    const before = store.vector(0).get('apple')!;
    const row = store.add({ title: 'apple pie' });
    // apple now in 3 of 4 records: idf = ln(5/4) + 1; banana 2 of 4: ln(5/3) + 1; "apple banana" 1 of 4: ln(5/2) + 1.
    const apple = Math.log(5 / 4) + 1;
    const banana = Math.log(5 / 3) + 1;
    const pair = Math.log(5 / 2) + 1;
    const norm = Math.hypot(apple, banana, pair);
    close(store.vector(0), { apple: apple / norm, banana: banana / norm, 'apple banana': pair / norm });
    expect(store.vector(0).get('apple')).not.toBeCloseTo(before, 6);
    store.remove(row);
    close(store.vector(0), { apple: 0.5178561, banana: 0.5178561, 'apple banana': 0.6809186 });
    expect(store.isLive(row)).toBe(false);
    expect(store.liveRows).toBe(3);
  });

  it('keeps a record without readable text as an empty row', () => {
    const store = toy();
    const row = store.add({ title: '', abstract: 'a b' });
    expect(store.vector(row).size).toBe(0);
    store.prepare();
    expect(store.rowScale[row]).toBe(0);
  });

  it('handles many distinct terms (growing tables)', () => {
    const store = new FeatureStore({ minDf: 1, maxDf: 1 });
    for (let i = 0; i < 3000; i++) store.add({ title: `w${i} w${i + 1} w${i + 2} shared` });
    expect(store.documentFrequency('w5')).toBe(3);
    expect(store.documentFrequency('w5 w6')).toBe(2);
    expect(store.documentFrequency('shared')).toBe(3000);
    expect(store.vector(10).has('w11 w12')).toBe(true);
  });
});
