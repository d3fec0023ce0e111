/**
 * One pick per seamount: picks closer than `minSeparationKm` are merged unless the bathymetry between
 * them dips enough to make them two edifices (the lower summit stands at least `splitDropFraction` of
 * its height above the lowest point of the profile between the summits).
 */
import { latToRow, lonPeriodColumns, lonToColumn } from '../grid/geometry.js';
import type { GridSource } from '../types.js';
import { GeoIndex } from './geo-index.js';
import { measureSeamount, type Measurement, type MeasureOptions } from './measure.js';
import { KM_PER_DEG, greatCircleKm } from '../base/geodesy.js';
const { abs, ceil, floor, hypot, max, min, round } = Math;

export interface MergeOptions {
  minSeparationKm: number;
  splitDropFraction: number;
}

/**
 * Greedy merge: picks are taken best first (`better` < 0 when a is better); each joins the first kept
 * pick within `minSeparationKm` that it is not separated from (`absorb(kept, merged)` is called), or is
 * kept. Returns the kept picks, best first.
 *
 * @example
 * const kept = await mergeClosePicks(grid, picks, { minSeparationKm: 12, splitDropFraction: 0.25 },
 *   (a, b) => a.error - b.error, (keep, drop) => { keep.windows += drop.windows; });
 */
export async function mergeClosePicks<T extends { m: Measurement }>(
  grid: GridSource,
  picks: T[],
  o: MergeOptions,
  better: (a: T, b: T) => number,
  absorb: (kept: T, merged: T) => void,
): Promise<T[]> {
  const ordered = [...picks].sort(better);
  const index = new GeoIndex(
    ordered.map((p) => p.m.lon),
    ordered.map((p) => p.m.lat),
  );
  const kept = new Uint8Array(ordered.length);
  const cellKm = abs(grid.dLat) * KM_PER_DEG;
  for (let i = 0; i < ordered.length; i++) {
    const p = ordered[i];
    let host = -1;
    if (o.minSeparationKm > 0) {
      for (const j of index.within(p.m.lon, p.m.lat, o.minSeparationKm)) {
        if (j >= i || !kept[j]) continue;
        const q = ordered[j];
        const d = greatCircleKm(p.m.lon, p.m.lat, q.m.lon, q.m.lat);
        if (d <= 1.5 * cellKm || !(await separated(grid, p.m, q.m, o.splitDropFraction))) {
          host = j;
          break;
        }
      }
    }
    if (host >= 0) absorb(ordered[host], p);
    else kept[i] = 1;
  }
  return ordered.filter((_, i) => kept[i]);
}

/** True when the profile between the two summits dips by ≥ fraction × the lower one's height. */
export async function separated(grid: GridSource, a: Measurement, b: Measurement, fraction: number): Promise<boolean> {
  const low = await profileMinimum(grid, a.lon, a.lat, b.lon, b.lat);
  if (!Number.isFinite(low)) return false;
  const lower = a.summitDepthM < b.summitDepthM ? a : b;
  const drop = lower.summitDepthM - low;
  return drop > 0 && drop >= fraction * max(lower.heightM, 0);
}

/** Lowest grid value (nearest cell) along the straight line between two points; NaN if none is valid. */
export async function profileMinimum(grid: GridSource, lonA: number, latA: number, lonB: number, latB: number): Promise<number> {
  const xa = lonToColumn(grid, lonA);
  let xb = lonToColumn(grid, lonB);
  if (grid.periodicLon) {
    const period = lonPeriodColumns(grid);
    xb -= period * round((xb - xa) / period);
  }
  const ya = latToRow(grid, latA);
  const yb = latToRow(grid, latB);
  const clampX = (x: number) => (grid.periodicLon ? x : min(grid.width - 1, max(0, x)));
  const clampY = (y: number) => min(grid.height - 1, max(0, y));
  const x0 = floor(clampX(min(xa, xb)));
  const x1 = ceil(clampX(max(xa, xb)));
  const y0 = floor(clampY(min(ya, yb)));
  const y1 = ceil(clampY(max(ya, yb)));
  const win = { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
  const values = await grid.read(win);
  const steps = max(2, ceil(2 * hypot(xb - xa, yb - ya)));
  let low = NaN;
  for (let s = 0; s <= steps; s++) {
    const t = s / steps;
    const i = round(clampX(xa + t * (xb - xa))) - x0;
    const j = round(clampY(ya + t * (yb - ya))) - y0;
    if (i < 0 || j < 0 || i >= win.w || j >= win.h) continue;
    const v = values[j * win.w + i];
    if (!Number.isNaN(v) && !(v >= low)) low = v;
  }
  return low;
}

/**
 * Re-measures the picks that have another pick within reach of their fit disc (closer than
 * 2 × own radius + other's radius), leaving the neighbours' cells out of the fit. The new measurement
 * replaces the old one when `accept` approves it (a chain's members keep their own size and height).
 */
export async function remeasureCrowded<T extends { m: Measurement }>(
  grid: GridSource,
  picks: T[],
  o: Omit<MeasureOptions, 'neighbours'>,
  accept: (m: Measurement) => boolean,
): Promise<number> {
  const index = new GeoIndex(
    picks.map((p) => p.m.lon),
    picks.map((p) => p.m.lat),
  );
  const maxRadius = picks.reduce((r, p) => max(r, p.m.radiusKm), 0);
  const before = picks.map((p) => p.m);
  let changed = 0;
  for (let i = 0; i < picks.length; i++) {
    const a = before[i];
    const neighbours = index
      .within(a.lon, a.lat, 2 * a.radiusKm + maxRadius)
      .filter((j) => j !== i && greatCircleKm(a.lon, a.lat, before[j].lon, before[j].lat) < 2 * a.radiusKm + before[j].radiusKm)
      .map((j) => ({ lon: before[j].lon, lat: before[j].lat }));
    if (neighbours.length === 0) continue;
    const m = await measureSeamount(grid, a.lon, a.lat, { ...o, neighbours });
    if (m && accept(m)) {
      picks[i].m = m;
      changed++;
    }
  }
  return changed;
}
