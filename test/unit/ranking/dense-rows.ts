import type { SparseRows } from '../../../src/screening/ranking/features';

/** Dense points as SparseRows (colScale and rowScale 1), for the classifiers' hand-checked toys. */
export function rowsOf(points: number[][]): SparseRows {
  const columns = points[0].length;
  const index: number[] = [];
  const value: number[] = [];
  const rowStart: number[] = [];
  const rowEnd: number[] = [];
  for (const point of points) {
    rowStart.push(index.length);
    point.forEach((x, j) => {
      if (x !== 0) {
        index.push(j);
        value.push(x);
      }
    });
    rowEnd.push(index.length);
  }
  return {
    rowStart: Int32Array.from(rowStart),
    rowEnd: Int32Array.from(rowEnd),
    index: Int32Array.from(index),
    value: Float32Array.from(value),
    colScale: new Float32Array(columns).fill(1),
    rowScale: new Float32Array(points.length).fill(1),
    columns,
  };
}
