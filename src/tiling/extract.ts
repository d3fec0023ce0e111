/**
 * Resampling one window from source cells: project the window's lattice back to lon/lat, interpolate
 * the (anti-aliased) source bilinearly, count land and no-data, normalise and taper.
 *
 * Land and no-data are judged on the raw source cell nearest each sample (crisp, independent of the
 * low-pass); values come from the low-passed field. A sample is no-data when its nearest cell is
 * no-data or lies outside the grid, or when the field cannot be interpolated there.
 */
import type { GridGeometry, GridSource, PixelWindow, WindowSpec } from '../types.js';
import { clampWindow, lonToColumn } from '../grid/geometry.js';
import { antiAliasPatch, type SourcePatch } from './antialias.js';
import { taperWeights, windowFootprint, windowLattice, type WindowLattice } from './lattice.js';
import { normaliseWindow } from './normalise.js';
import { laeaInverse } from './projection.js';
import { sampleSpacingKm } from './spec.js';

export type { SourcePatch } from './antialias.js';

const { round, floor } = Math;
const NO_DATA = Number.NaN;

/** Where a window is cut: centre, and for training augmentation a rotation and a shift of the centre. */
export interface WindowPose {
  lon: number;
  lat: number;
  /** Turns the sample lattice counter-clockwise on the local plane (content appears turned clockwise). */
  rotationDeg?: number;
  /** Moves the centre this far east / north on the local plane of (lon, lat), km. */
  shiftEastKm?: number;
  shiftNorthKm?: number;
}

export interface WindowSample {
  /** samples² values, normalised and tapered, row-major, row 0 = north. */
  data: Float32Array;
  /** Share of samples whose nearest source cell is above the land level. */
  landFraction: number;
  /** Share of samples that are no-data (or outside the grid). */
  nodataFraction: number;
  /** Median elevation removed by the normalisation, m (NaN when every sample is no-data). */
  medianM: number;
  /**
   * Highest sample of the untapered centre (inside taperStart × half-width) above the median, m: how much
   * of an edifice the window shows (training skips catalogue positions whose window shows too little).
   */
  reliefM: number;
}

/** Counts of one sampled window, before normalisation. */
export interface SampleCounts {
  land: number;
  nodata: number;
}

/** Centre of a pose after its shift. */
export function poseCentre(pose: WindowPose): { lon: number; lat: number } {
  const east = pose.shiftEastKm ?? 0;
  const north = pose.shiftNorthKm ?? 0;
  if (east === 0 && north === 0) return { lon: pose.lon, lat: pose.lat };
  const [lon, lat] = laeaInverse(pose.lon, pose.lat, east, north);
  return { lon, lat };
}

/**
 * Interpolates the source at every lattice point of a window centred at (lonC, latC) into `out`
 * (elevations, NaN = no-data) and counts land / no-data samples. `raw` is the patch as read, `field`
 * the anti-aliased one (may be `raw` itself).
 */
export function sampleLattice(
  out: Float32Array,
  raw: SourcePatch,
  field: SourcePatch,
  lonC: number,
  _latC: number,
  lattice: WindowLattice,
  landLevelM: number,
): SampleCounts {
  const rg = raw.geometry;
  const fg = field.geometry;
  const rv = raw.values;
  const fv = field.values;
  const rawColC = lonToColumn(rg, lonC);
  const fieldColC = lonToColumn(fg, lonC);
  let land = 0;
  let nodata = 0;
  const n = out.length;
  for (let k = 0; k < n; k++) {
    const dLon = lattice.dLonDeg[k];
    const lat = lattice.latDeg[k];
    // nearest raw cell: land / no-data
    const ri = round((lat - rg.lat0) / rg.dLat);
    const ci = round(rawColC + dLon / rg.dLon);
    if (ri < 0 || ri >= rg.height || ci < 0 || ci >= rg.width) {
      out[k] = NO_DATA;
      nodata++;
      continue;
    }
    const nearest = rv[ri * rg.width + ci];
    if (nearest !== nearest) {
      out[k] = NO_DATA;
      nodata++;
      continue;
    }
    // bilinear on the field; corners off the field or no-data drop out, renormalising the weights
    const fx = fieldColC + dLon / fg.dLon;
    const fy = (lat - fg.lat0) / fg.dLat;
    const x0 = floor(fx);
    const y0 = floor(fy);
    const tx = fx - x0;
    const ty = fy - y0;
    let s = 0;
    let ws = 0;
    for (let c = 0; c < 4; c++) {
      const x = x0 + (c & 1);
      const y = y0 + (c >> 1);
      const w = (c & 1 ? tx : 1 - tx) * (c >> 1 ? ty : 1 - ty);
      if (w === 0 || x < 0 || x >= fg.width || y < 0 || y >= fg.height) continue;
      const v = fv[y * fg.width + x];
      if (v === v) {
        s += w * v;
        ws += w;
      }
    }
    if (ws < 0.5) {
      out[k] = NO_DATA;
      nodata++;
      continue;
    }
    out[k] = s / ws;
    if (nearest > landLevelM) land++;
  }
  return { land, nodata };
}

/**
 * Resamples one window from a patch of source cells already in memory (pure).
 *
 * @example
 * const w = resampleWindow(patch, { lon: -110, lat: -45 }, spec, 0);
 * if (w.nodataFraction <= 0.1) use(w.data);
 */
export function resampleWindow(patch: SourcePatch, pose: WindowPose, spec: WindowSpec, landLevelM: number): WindowSample {
  const c = poseCentre(pose);
  const lattice = windowLattice(spec, c.lat, pose.rotationDeg ?? 0);
  const field = spec.antiAlias ? antiAliasPatch(patch, sampleSpacingKm(spec)) : patch;
  const data = new Float32Array(spec.samples * spec.samples);
  const counts = sampleLattice(data, patch, field, c.lon, c.lat, lattice, landLevelM);
  const taper = taperWeights(spec);
  let centreMaxM = -Infinity;
  for (let k = 0; k < data.length; k++) if (taper[k] === 1 && data[k] > centreMaxM) centreMaxM = data[k];
  const medianM = normaliseWindow(data, spec, taper);
  const reliefM = Number.isFinite(centreMaxM) ? centreMaxM - medianM : NaN;
  return { data, landFraction: counts.land / data.length, nodataFraction: counts.nodata / data.length, medianM, reliefM };
}

/** Geometry of the cells `win` (in the grid's pixel coordinates) as a patch of their own. */
export function patchGeometry(g: GridGeometry, win: PixelWindow): GridGeometry {
  return {
    width: win.w,
    height: win.h,
    lon0: g.lon0 + win.x0 * g.dLon,
    dLon: g.dLon,
    lat0: g.lat0 + win.y0 * g.dLat,
    dLat: g.dLat,
    registration: g.registration,
    periodicLon: false,
  };
}

/** The part of `win` that lies on the grid (columns wrap on a periodic grid). */
export function clampPatchWindow(grid: GridGeometry, win: PixelWindow): PixelWindow {
  return clampWindow(grid, win) ?? { x0: 0, y0: 0, w: 0, h: 0 };
}

/** Reads the cells of `win` that lie on the grid; off-grid parts are left out (samples there are no-data). */
export async function readSourcePatch(grid: GridSource, win: PixelWindow): Promise<SourcePatch> {
  const clamped = clampPatchWindow(grid, win);
  const values = clamped.w > 0 && clamped.h > 0 ? await grid.read(clamped) : new Float32Array(0);
  return { values, geometry: patchGeometry(grid, clamped) };
}

/**
 * Reads just the patch a window needs and resamples it: windows on catalogue positions for training,
 * with rotation / shift augmentation.
 *
 * @example const w = await extractWindow(grid, { lon: -65.4, lat: 39.4, rotationDeg: 90 }, spec, 0);
 */
export async function extractWindow(grid: GridSource, pose: WindowPose, spec: WindowSpec, landLevelM: number): Promise<WindowSample> {
  const c = poseCentre(pose);
  if (!Number.isFinite(c.lon) || !Number.isFinite(c.lat) || Math.abs(c.lat) > 90) {
    throw new Error(`${grid.path}: window centre (${pose.lon}, ${pose.lat}) is not a valid position`);
  }
  const rotationDeg = pose.rotationDeg ?? 0;
  const lattice = windowLattice(spec, c.lat, rotationDeg);
  const patch = await readSourcePatch(grid, windowFootprint(grid, spec, c.lon, lattice));
  return resampleWindow(patch, { lon: c.lon, lat: c.lat, rotationDeg }, spec, landLevelM);
}
