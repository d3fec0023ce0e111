/**
 * The scored windows of a detect run's error.tif, and their labels for the window AUC: a window is a
 * positive when its centre lies within `positiveKm` of a catalogue seamount, a negative when it lies more
 * than `negativeKm` from every one. Pure (the raster arrives as values + geometry).
 */
import type { GridGeometry } from '../../src/types.js';
import { around } from 'geokdbush';
import type { LonLat } from '../../src/evaluation/index.js';
import { pointIndex } from '../../src/evaluation/match.js';
import { concatFloat64 } from '../../src/base/float32.js';
import { greatCircleKm, wrapLon180 } from '../../src/base/geodesy.js';

/** A regular lon/lat raster of cell centres: column x at lon0 + x·dLon, row y at lat0 + y·dLat. */
export type RasterGeometry = Pick<GridGeometry, 'width' | 'height' | 'lon0' | 'dLon' | 'lat0' | 'dLat'>;

/** One entry per scored window: its centre and score. */
export interface ScoredWindows {
  lon: Float64Array;
  lat: Float64Array;
  score: Float64Array;
}

export const POSITIVE_KM = 6;
export const NEGATIVE_KM = 30;

const DEG = Math.PI / 180;

/**
 * The windows behind an error raster (src/pipeline/error-raster.ts): windows sit on km-regular rows
 * whose longitude step (k cells, k ≥ 1) grows with latitude while the raster's step is the smallest of
 * any row, and each window writes its score over the cells from ceil(x − k/2) to floor(x + k/2), x its
 * centre in cells, the next window overwriting the overlap. So a run of equal scores in a row is one
 * window, and its first and last cells a, b bound its centre: x ∈ (a + k/2 − 1, a + k/2] and
 * x ∈ (b − k/2, b + 1 − k/2] (each bound only where the raster's edge does not cut the run). The windows
 * of a row lie at x₀ + j·k, so intersecting every window's bounds, shifted by j·k, pins x₀ down
 * (to ~1e-3 cell on a row of tens of windows); where the bounds disagree (a run split below), each window
 * keeps the middle of its own interval. A run longer than one window can fill (flat, featureless windows
 * with bit-identical scores) is split into as many windows as fit.
 * `missing(v)` says which cells hold no window (default: non-finite or -9999, the raster's nodata).
 */
export function windowsOfRaster(
  values: ArrayLike<number>,
  g: RasterGeometry,
  missing: (v: number) => boolean = (v) => !Number.isFinite(v) || v === -9999,
): ScoredWindows {
  const lon: number[] = [];
  const lat: number[] = [];
  const score: number[] = [];
  for (let y = 0; y < g.height; y++) {
    const rowLat = g.lat0 + y * g.dLat;
    // cells one window spans: its along-row step (stride / cos lat, stride = |dLat| in degrees) over dLon
    const k = Math.abs(g.dLat) / (Math.max(Math.cos(rowLat * DEG), 1e-6) * Math.abs(g.dLon));
    const h = k / 2;
    const maxRun = Math.floor(k) + 1;
    const base = y * g.width;
    const lo: number[] = [];
    const hi: number[] = [];
    const rowScores: number[] = [];
    for (let x = 0; x < g.width; ) {
      const v = values[base + x];
      if (missing(v)) {
        x++;
        continue;
      }
      let end = x + 1;
      while (end < g.width && values[base + end] === v) end++;
      const run = end - x;
      const n = Math.max(1, Math.ceil(run / maxRun));
      for (let i = 0; i < n; i++) {
        const a = x + Math.floor((i * run) / n);
        const b = x + Math.floor(((i + 1) * run) / n) - 1;
        let l = a > 0 ? a + h - 1 : -Infinity;
        let u = a > 0 ? a + h : Infinity;
        if (b < g.width - 1) {
          l = Math.max(l, b - h);
          u = Math.min(u, b + 1 - h);
        }
        if (!(l <= u)) [l, u] = [(a + b) / 2, (a + b) / 2];
        if (!Number.isFinite(l)) l = Math.min(u - 0.5, (a + b) / 2);
        if (!Number.isFinite(u)) u = Math.max(l + 0.5, (a + b) / 2);
        lo.push(l);
        hi.push(u);
        rowScores.push(v);
      }
      x = end;
    }
    if (rowScores.length === 0) continue;
    // the row's lattice: window i is x₀ + j_i·k; j_i is the step whose shifted bounds overlap x₀'s so far
    const rough = lo.map((l, i) => (l + hi[i]) / 2);
    const j: number[] = [0];
    let x0lo = lo[0];
    let x0hi = hi[0];
    for (let i = 1; i < rough.length && x0lo <= x0hi; i++) {
      const guess = Math.round((rough[i] - (x0lo + x0hi) / 2) / k);
      let best = guess;
      let bestOverlap = -Infinity;
      for (const c of [guess - 1, guess, guess + 1]) {
        const overlap = Math.min(x0hi, hi[i] - c * k) - Math.max(x0lo, lo[i] - c * k);
        if (overlap > bestOverlap) [best, bestOverlap] = [c, overlap];
      }
      j.push(best);
      x0lo = Math.max(x0lo, lo[i] - best * k);
      x0hi = Math.min(x0hi, hi[i] - best * k);
    }
    const lattice = j.length === rough.length && x0lo <= x0hi + 1e-9 && Number.isFinite(x0lo + x0hi);
    for (let i = 0; i < rough.length; i++) {
      const onLattice = (x0lo + x0hi) / 2 + j[i] * k;
      const centre = lattice && onLattice >= lo[i] - 1e-9 && onLattice <= hi[i] + 1e-9 ? onLattice : rough[i];
      lon.push(g.lon0 + centre * g.dLon);
      lat.push(rowLat);
      score.push(rowScores[i]);
    }
  }
  return { lon: Float64Array.from(lon), lat: Float64Array.from(lat), score: Float64Array.from(score) };
}

/**
 * Great-circle distance from each point to the nearest reference, km; Infinity when none lies within
 * `maxKm` (any longitude convention on either side).
 */
export function nearestDistanceKm(points: { lon: ArrayLike<number>; lat: ArrayLike<number> }, refs: readonly LonLat[], maxKm: number): Float64Array {
  const out = new Float64Array(points.lon.length).fill(Infinity);
  if (refs.length === 0) return out;
  const index = pointIndex(refs);
  for (let i = 0; i < out.length; i++) {
    const lo = points.lon[i];
    const la = points.lat[i];
    // geokdbush's sphere (6371 km) lies just inside ours: it finds all within maxKm, in our order; greatCircleKm decides the edge
    for (const r of around(index, wrapLon180(lo), la, 1, maxKm * (1 + 1e-9) + 1e-9)) {
      const d = greatCircleKm(lo, la, refs[r].lon, refs[r].lat);
      if (d <= maxKm && d < out[i]) out[i] = d;
    }
  }
  return out;
}

/** Scores of the positive and negative windows. */
export interface LabelledScores {
  positive: Float64Array;
  negative: Float64Array;
}

/** Splits the windows' scores into positives (≤ positiveKm from a reference) and negatives (> negativeKm from all). */
export function labelWindows(windows: ScoredWindows, refs: readonly LonLat[], positiveKm = POSITIVE_KM, negativeKm = NEGATIVE_KM): LabelledScores {
  if (!(positiveKm >= 0 && negativeKm >= positiveKm)) throw new Error(`labelWindows: want 0 <= positiveKm <= negativeKm, got ${positiveKm}, ${negativeKm}`);
  const d = nearestDistanceKm(windows, refs, negativeKm);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < d.length; i++) {
    if (d[i] <= positiveKm) pos.push(windows.score[i]);
    else if (d[i] > negativeKm) neg.push(windows.score[i]);
  }
  return { positive: Float64Array.from(pos), negative: Float64Array.from(neg) };
}

/**
 * Score of the window nearest to each reference, or null when no window centre lies within `maxKm`:
 * what the model says about each catalogue seamount (for the recall at the calibrated threshold).
 */
export function nearestWindowScores(refs: readonly LonLat[], windows: ScoredWindows, maxKm = POSITIVE_KM): Array<number | null> {
  if (windows.score.length === 0) return refs.map(() => null);
  const pts: LonLat[] = Array.from(windows.lon, (lon, i) => ({ lon, lat: windows.lat[i] }));
  const index = pointIndex(pts);
  return refs.map((r) => {
    let best: number | null = null;
    let bestKm = Infinity;
    for (const w of around(index, wrapLon180(r.lon), r.lat, 1, maxKm * (1 + 1e-9) + 1e-9)) {
      const d = greatCircleKm(r.lon, r.lat, windows.lon[w], windows.lat[w]);
      if (d <= maxKm && d < bestKm) {
        bestKm = d;
        best = windows.score[w];
      }
    }
    return best;
  });
}

/** Concatenates several regions' windows (pooling, e.g. the GEBCO tiles as one group). */
export function concatScores(parts: readonly LabelledScores[]): LabelledScores {
  return { positive: concatFloat64(parts.map((p) => p.positive)), negative: concatFloat64(parts.map((p) => p.negative)) };
}
