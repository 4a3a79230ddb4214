/** A small seeded PRNG (mulberry32) so simulations and training are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles the first `count` entries of `values` in place (Fisher–Yates): each epoch's sample order. */
export function shufflePrefix(values: Int32Array, count: number, random: () => number): void {
  for (let i = 0; i < count - 1; i++) {
    const j = i + Math.floor(random() * (count - i));
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
}
