/** Row order of cell arrays: grids store rows north→south or south→north; consumers that scan cells want one order. */

/**
 * Reverses the rows of a row-major `w × h` array in place and returns it.
 *
 * @example
 * flipRows(Float32Array.of(1, 2, 3, 4), 2, 2); // → [3, 4, 1, 2]
 */
export function flipRows(values: Float32Array, w: number, h: number): Float32Array {
  const row = new Float32Array(w);
  for (let a = 0, b = h - 1; a < b; a++, b--) {
    row.set(values.subarray(a * w, (a + 1) * w));
    values.copyWithin(a * w, b * w, (b + 1) * w);
    values.set(row, b * w);
  }
  return values;
}
