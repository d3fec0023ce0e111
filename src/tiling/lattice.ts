/**
 * Where a window's samples lie. A window is a `samples × samples` lattice of points `d = sizeKm/samples`
 * km apart on the Lambert azimuthal equal-area plane of its centre, at the centres of the lattice
 * cells (row 0 = north, column 0 = west), optionally rotated about the centre. The geographic offsets
 * of the points depend only on the centre latitude and the rotation, so they are computed once per
 * plan row and reused for every window of the row.
 */
import type { GridGeometry, PixelWindow, WindowSpec } from '../types.js';
import { latToRow, lonToColumn } from '../grid/geometry.js';
import { marginCells } from './antialias.js';
import { laeaForward, laeaInverse } from './projection.js';
import { sampleSpacingKm } from './spec.js';

const DEG = Math.PI / 180;

/** Geographic offsets of a window's sample points from its centre, row-major, row 0 = north. */
export interface WindowLattice {
  /** Longitude of each point minus the centre longitude, degrees (continuous, no wrap). */
  dLonDeg: Float64Array;
  /** Latitude of each point, degrees. */
  latDeg: Float64Array;
  minDLonDeg: number;
  maxDLonDeg: number;
  minLatDeg: number;
  maxLatDeg: number;
}

/** Plane offsets (km) of the lattice points before rotation: [east of column i, north of row j]. */
export function latticeOffsetsKm(spec: Pick<WindowSpec, 'sizeKm' | 'samples'>): Float64Array {
  const n = spec.samples;
  const d = spec.sizeKm / n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (i + 0.5 - n / 2) * d;
  return out;
}

const taperCache = new Map<string, Float32Array>();

/**
 * Radial taper weight of every sample: 1 within `taperStart` of the half-width, a half cosine down to
 * 0 at the half-width, 0 beyond (the corners). All ones for `taper: none`.
 */
export function taperWeights(spec: WindowSpec): Float32Array {
  const key = `${spec.samples}|${spec.taper}|${spec.taperStart}`;
  const hit = taperCache.get(key);
  if (hit) return hit;
  const n = spec.samples;
  const w = new Float32Array(n * n);
  // in units of the half-width, so the taper does not depend on sizeKm
  const off = latticeOffsetsKm({ sizeKm: 2, samples: n });
  const t = spec.taperStart;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const r = Math.hypot(off[i], off[j]);
      let v = 1;
      if (spec.taper === 'cosine') {
        if (r >= 1) v = 0;
        else if (r > t) v = 0.5 * (1 + Math.cos((Math.PI * (r - t)) / (1 - t)));
      }
      w[j * n + i] = v;
    }
  }
  taperCache.set(key, w);
  return w;
}

/** Throws when the window (plus one sample of slack) would contain a pole: its plane degenerates there. */
function checkPole(spec: WindowSpec, latDeg: number, rotationDeg: number): void {
  const reach = spec.sizeKm / 2 + sampleSpacingKm(spec);
  const cosR = Math.cos(rotationDeg * DEG);
  const sinR = Math.sin(rotationDeg * DEG);
  for (const poleLat of [90, -90]) {
    const [x, y] = laeaForward(0, latDeg, 0, poleLat);
    if (!Number.isFinite(y)) continue;
    // back into the window frame (inverse of the lattice rotation)
    const u = cosR * x + sinR * y;
    const v = -sinR * x + cosR * y;
    if (Math.abs(u) <= reach && Math.abs(v) <= reach) {
      throw new Error(
        `window centred at latitude ${latDeg}° (${spec.sizeKm} km wide) reaches the ${poleLat > 0 ? 'North' : 'South'} Pole: ` +
          'windows are not cut across a pole; lower plan.maxAbsLatDeg or window.sizeKm',
      );
    }
  }
}

const latticeCache = new Map<string, WindowLattice>();
/**
 * Bytes of lattices kept per thread (16 bytes a sample: 16 KB for 32 × 32), least recently used
 * dropped first: plan rows arrive in order, so only the rows of the batches in hand are ever reused.
 */
const LATTICE_CACHE_BYTES = 2 * 2 ** 20;

/**
 * Sample-point offsets of a window centred at latitude `latDeg`, its lattice turned counter-clockwise
 * by `rotationDeg` on the plane (so the content appears turned clockwise). Cached: every window of a
 * plan row shares one.
 */
export function windowLattice(spec: WindowSpec, latDeg: number, rotationDeg = 0): WindowLattice {
  const key = `${spec.sizeKm}|${spec.samples}|${latDeg}|${rotationDeg}`;
  const hit = latticeCache.get(key);
  if (hit) {
    // most recently used goes last (Map iterates in insertion order)
    latticeCache.delete(key);
    latticeCache.set(key, hit);
    return hit;
  }
  checkPole(spec, latDeg, rotationDeg);
  const n = spec.samples;
  const off = latticeOffsetsKm(spec);
  const cosR = Math.cos(rotationDeg * DEG);
  const sinR = Math.sin(rotationDeg * DEG);
  const dLonDeg = new Float64Array(n * n);
  const lat = new Float64Array(n * n);
  let minDLon = Infinity;
  let maxDLon = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = -off[j]; // row 0 is north
    for (let i = 0; i < n; i++) {
      const u = off[i];
      const x = cosR * u - sinR * v;
      const y = sinR * u + cosR * v;
      const [lon, la] = laeaInverse(0, latDeg, x, y);
      const k = j * n + i;
      dLonDeg[k] = lon;
      lat[k] = la;
      if (lon < minDLon) minDLon = lon;
      if (lon > maxDLon) maxDLon = lon;
      if (la < minLat) minLat = la;
      if (la > maxLat) maxLat = la;
    }
  }
  const lattice: WindowLattice = { dLonDeg, latDeg: lat, minDLonDeg: minDLon, maxDLonDeg: maxDLon, minLatDeg: minLat, maxLatDeg: maxLat };
  const maxEntries = Math.max(4, Math.floor(LATTICE_CACHE_BYTES / (n * n * 16)));
  while (latticeCache.size >= maxEntries) latticeCache.delete(latticeCache.keys().next().value as string);
  latticeCache.set(key, lattice);
  return lattice;
}

/**
 * Source cells a window needs (sample footprint + margins for the anti-alias kernel and bilinear
 * neighbours), in the grid's own pixel coordinates; not clamped to the grid. Columns are continuous
 * around the centre, so on a periodic grid they may leave 0..width-1 (reads wrap).
 */
export function windowFootprint(g: GridGeometry, spec: WindowSpec, lonDeg: number, lattice: WindowLattice): PixelWindow {
  const colC = lonToColumn(g, lonDeg);
  const c0 = colC + lattice.minDLonDeg / g.dLon;
  const c1 = colC + lattice.maxDLonDeg / g.dLon;
  const rA = latToRow(g, lattice.minLatDeg);
  const rB = latToRow(g, lattice.maxLatDeg);
  const latAbsMax = Math.max(Math.abs(lattice.minLatDeg), Math.abs(lattice.maxLatDeg));
  const [mx, my] = marginCells(g, sampleSpacingKm(spec), spec.antiAlias, latAbsMax);
  const x0 = Math.floor(c0) - mx;
  const x1 = Math.ceil(c1) + mx;
  const y0 = Math.floor(Math.min(rA, rB)) - my;
  const y1 = Math.ceil(Math.max(rA, rB)) + my;
  return { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}
