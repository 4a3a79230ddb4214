/**
 * Optimal string alignment distance (the restricted Damerau–Levenshtein distance): insertions,
 * deletions, substitutions and transpositions of adjacent characters each cost one, and no substring
 * is edited twice. This is the distance Lucene's fuzzy queries use with transpositions on; it agrees
 * with unrestricted Damerau–Levenshtein except when an insertion falls between two transposed
 * characters ("ab" -> "bxa": 2 unrestricted, 3 here).
 *
 * Returns the distance, or `max + 1` as soon as it is known to exceed `max`.
 */
export function osaDistance(a: string, b: string, max = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  let prevPrev = new Int32Array(m + 1);
  let prev = new Int32Array(m + 1);
  let row = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    const ca = a.charCodeAt(i - 1);
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, prevPrev[j - 2] + 1);
      row[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const spare = prevPrev;
    prevPrev = prev;
    prev = row;
    row = spare;
  }
  return prev[m] > max ? max + 1 : prev[m];
}
