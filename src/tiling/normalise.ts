/**
 * Window normalisation: remove the median, scale to [−1, 1], taper. No-data samples (NaN) take the
 * median, i.e. 0 after normalising, so they carry no relief.
 */
import type { WindowSpec } from '../types.js';

// module-scope aliases: global lookups are slow inside vm contexts (jest), and these run per sample
const { abs } = Math;

/** Rearranges buf[lo..hi] so that buf[k] holds the value it would have if sorted (Hoare quickselect). */
function selectKth(buf: Float32Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    // median of three as pivot: deterministic, and robust on sorted or constant runs
    const mid = (lo + hi) >> 1;
    const a = buf[lo];
    const b = buf[mid];
    const c = buf[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (buf[i] < pivot) i++;
      while (buf[j] > pivot) j--;
      if (i <= j) {
        const t = buf[i];
        buf[i] = buf[j];
        buf[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * Median of the finite values (mean of the two middle ones for an even count); NaN when none.
 * `scratch` (≥ values.length) avoids an allocation per window. Linear time (quickselect).
 */
export function medianOf(values: Float32Array, scratch?: Float32Array): number {
  const buf = scratch && scratch.length >= values.length ? scratch : new Float32Array(values.length);
  let n = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v === v) buf[n++] = v;
  }
  if (n === 0) return NaN;
  const upper = n >> 1;
  selectKth(buf, 0, n - 1, upper);
  const hi = buf[upper];
  if (n % 2 === 1) return hi;
  // the lower middle value is the largest of the part left of `upper`
  let lo = buf[0];
  for (let k = 1; k < upper; k++) if (buf[k] > lo) lo = buf[k];
  return (lo + hi) / 2;
}

/**
 * Normalises `values` (elevations, m; NaN = no-data) in place and multiplies by `taper`.
 * Returns the median removed (m). A flat window becomes all zeros.
 *
 * @example normaliseWindow(samples, spec, taperWeights(spec)) // samples now in [−1, 1]
 */
export function normaliseWindow(values: Float32Array, spec: WindowSpec, taper: Float32Array, scratch?: Float32Array): number {
  const median = medianOf(values, scratch);
  if (!Number.isFinite(median)) {
    values.fill(0);
    return median;
  }
  let scale: number;
  if (spec.normalisation === 'median-maxabs') {
    let maxAbs = 0;
    for (let k = 0; k < values.length; k++) {
      const a = abs(values[k] - median);
      if (a > maxAbs) maxAbs = a; // NaN compares false: skipped
    }
    scale = maxAbs > 0 ? 1 / maxAbs : 0;
  } else {
    scale = 1 / spec.scaleM;
  }
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    let x = v === v ? (v - median) * scale : 0;
    if (x > 1) x = 1;
    else if (x < -1) x = -1;
    values[k] = x * taper[k];
  }
  return median;
}
