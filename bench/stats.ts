/** Small statistics shared by the benchmarks. */

/**
 * Median of sorted values (mean of the middle two for an even count); null when empty.
 *
 * @example median([1, 2, 4, 10]) // 3
 */
export function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const h = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}
