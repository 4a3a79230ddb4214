/**
 * A character trie over the vocabulary in flat typed arrays (first child / next sibling), grown
 * incrementally. It answers the two expansion questions of a query word quickly: which terms start
 * with a prefix, and which terms lie within k edits (restricted Damerau–Levenshtein, see
 * edit-distance.ts). The fuzzy walk keeps one dynamic-programming row per depth and abandons a branch
 * as soon as every cell of its row exceeds k, so it touches a small part of the trie.
 */
import { MAX_TERM_LENGTH } from './tokenize';

export class TermTrie {
  private label = new Uint16Array(1024);
  private firstChild = new Int32Array(1024).fill(-1);
  private nextSibling = new Int32Array(1024).fill(-1);
  private termAt = new Int32Array(1024).fill(-1);
  private nodes = 1; // node 0 is the root

  get nodeCount(): number {
    return this.nodes;
  }

  /** Bytes held by the trie's arrays. */
  get bytes(): number {
    return this.label.byteLength + this.firstChild.byteLength + this.nextSibling.byteLength + this.termAt.byteLength;
  }

  insert(term: string, termId: number): void {
    let node = 0;
    for (let i = 0; i < term.length; i++) {
      const c = term.charCodeAt(i);
      let child = this.firstChild[node];
      while (child >= 0 && this.label[child] !== c) child = this.nextSibling[child];
      if (child < 0) {
        child = this.newNode(c);
        this.nextSibling[child] = this.firstChild[node];
        this.firstChild[node] = child;
      }
      node = child;
    }
    this.termAt[node] = termId;
  }

  /** Term ids of every term starting with `prefix` (including `prefix` itself). */
  withPrefix(prefix: string, visit: (termId: number) => void): void {
    let node = 0;
    for (let i = 0; i < prefix.length && node >= 0; i++) {
      const c = prefix.charCodeAt(i);
      let child = this.firstChild[node];
      while (child >= 0 && this.label[child] !== c) child = this.nextSibling[child];
      node = child;
    }
    if (node < 0) return;
    const stack = [node];
    while (stack.length > 0) {
      const current = stack.pop() as number;
      if (this.termAt[current] >= 0) visit(this.termAt[current]);
      for (let child = this.firstChild[current]; child >= 0; child = this.nextSibling[child]) stack.push(child);
    }
  }

  /**
   * Calls `visit(termId, distance)` for every term within `maxEdits` of `word`. Only the diagonal band
   * |depth - j| <= maxEdits of each row is computed (cells outside it exceed maxEdits anyway), with a
   * sentinel of maxEdits + 1 on each side of the band.
   */
  fuzzy(word: string, maxEdits: number, visit: (termId: number, distance: number) => void): void {
    const length = word.length;
    const width = length + 1;
    if (length > MAX_TERM_LENGTH + maxEdits) return;
    const query = new Uint16Array(length);
    for (let j = 0; j < length; j++) query[j] = word.charCodeAt(j);
    const maxDepth = length + maxEdits;
    const over = maxEdits + 1;
    const rows = new Int32Array((maxDepth + 1) * width + 1).fill(over);
    for (let j = 0; j < width; j++) rows[j] = j;
    const path = new Uint16Array(maxDepth + 1);
    if (maxEdits >= length && this.termAt[0] >= 0) visit(this.termAt[0], length);
    const { label, firstChild, nextSibling, termAt } = this;
    const walk = (node: number, depth: number): void => {
      const d = depth + 1;
      const base = d * width;
      const prev = depth * width;
      const prevPrev = (depth - 1) * width;
      const lo = d - maxEdits > 1 ? d - maxEdits : 1;
      const hi = d + maxEdits < length ? d + maxEdits : length;
      rows[base + lo - 1] = lo === 1 ? d : over;
      if (hi < length) rows[base + hi + 1] = over;
      for (let child = firstChild[node]; child >= 0; child = nextSibling[child]) {
        const c = label[child];
        let rowMin = lo === 1 ? d : over;
        for (let j = lo; j <= hi; j++) {
          const q = query[j - 1];
          let v = rows[prev + j - 1] + (q === c ? 0 : 1);
          const del = rows[prev + j] + 1;
          if (del < v) v = del;
          const ins = rows[base + j - 1] + 1;
          if (ins < v) v = ins;
          if (d > 1 && j > 1 && c === query[j - 2] && path[d - 2] === q) {
            const tr = rows[prevPrev + j - 2] + 1;
            if (tr < v) v = tr;
          }
          if (v > over) v = over;
          rows[base + j] = v;
          if (v < rowMin) rowMin = v;
        }
        path[d - 1] = c;
        if (termAt[child] >= 0 && hi === length && rows[base + length] <= maxEdits) visit(termAt[child], rows[base + length]);
        if (rowMin <= maxEdits && d < maxDepth) walk(child, d);
      }
    };
    walk(0, 0);
  }

  private newNode(c: number): number {
    if (this.nodes === this.label.length) {
      const size = this.label.length * 2;
      const grow = <T extends Uint16Array | Int32Array>(old: T, make: (n: number) => T, fill?: number): T => {
        const next = make(size);
        if (fill !== undefined) next.fill(fill);
        next.set(old);
        return next;
      };
      this.label = grow(this.label, (n) => new Uint16Array(n));
      this.firstChild = grow(this.firstChild, (n) => new Int32Array(n), -1);
      this.nextSibling = grow(this.nextSibling, (n) => new Int32Array(n), -1);
      this.termAt = grow(this.termAt, (n) => new Int32Array(n), -1);
    }
    const node = this.nodes++;
    this.label[node] = c;
    return node;
  }
}
