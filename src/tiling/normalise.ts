/**
 * Window normalisation: remove the median, scale to [−1, 1], taper. No-data samples (NaN) take the
 * median, i.e. 0 after normalising, so they carry no relief.
 */
import type { WindowSpec } from '../types.js';

const { abs } = Math;

/** Rearranges buf[lo..hi] so that buf[k] holds the value it would have if sorted (Hoare quickselect). */
function selectKth(buf: Float32Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    // median of three as pivot: deterministic, and robust on sorted or constant runs
    const mid = (lo + hi) >> 1;
    const a = buf[lo];
    const b = buf[mid];
    const c = buf[hi];
    // biome-ignore lint/complexity/useMathMinMax: the median of three, not a minimum or a maximum
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
 * Subtracts the least-squares plane z = a + b·i + c·j of the finite samples of a square `n × n` window
 * (row-major) in place; NaN stays NaN. Returns the plane's value at the window's centre (m), NaN when
 * fewer than 3 samples are finite.
 *
 * @example detrendPlane(Float32Array.of(0, 1, 10, 11), 2) // → 5.5; values now [0, 0, 0, 0]
 */
export function detrendPlane(values: Float32Array, n: number): number {
  // centred coordinates make the normal equations diagonal on a full window
  const c = (n - 1) / 2;
  let count = 0;
  let si = 0;
  let sj = 0;
  let sz = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const v = values[j * n + i];
      if (v !== v) continue;
      count++;
      si += i - c;
      sj += j - c;
      sz += v;
    }
  }
  if (count < 3) return NaN;
  const mi = si / count;
  const mj = sj / count;
  const mz = sz / count;
  let sii = 0;
  let sij = 0;
  let sjj = 0;
  let siz = 0;
  let sjz = 0;
  for (let j = 0; j < n; j++) {
    const dj = j - c - mj;
    for (let i = 0; i < n; i++) {
      const v = values[j * n + i];
      if (v !== v) continue;
      const di = i - c - mi;
      const dz = v - mz;
      sii += di * di;
      sij += di * dj;
      sjj += dj * dj;
      siz += di * dz;
      sjz += dj * dz;
    }
  }
  const det = sii * sjj - sij * sij;
  const b = det > 1e-9 ? (siz * sjj - sjz * sij) / det : 0;
  const g = det > 1e-9 ? (sjz * sii - siz * sij) / det : 0;
  // plane(i, j) = mz + b (i − c − mi) + g (j − c − mj)
  for (let j = 0; j < n; j++) {
    const base = mz + g * (j - c - mj) - b * (c + mi);
    for (let i = 0; i < n; i++) values[j * n + i] -= base + b * i;
  }
  return mz - b * mi - g * mj;
}

/**
 * Normalises `values` (elevations, m; NaN = no-data) in place and multiplies by `taper`: the regional plane
 * removed first when `spec.detrend` is `plane`, then the median, then the scale. Returns the median
 * removed (m; with a plane removed, the plane at the centre plus the residual median). A flat window
 * becomes all zeros.
 *
 * @example normaliseWindow(samples, spec, taperWeights(spec)) // samples now in [−1, 1]
 */
export function normaliseWindow(values: Float32Array, spec: WindowSpec, taper: Float32Array, scratch?: Float32Array): number {
  const planeAtCentre = spec.detrend === 'plane' ? detrendPlane(values, spec.samples) : 0;
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
  return planeAtCentre + median;
}
