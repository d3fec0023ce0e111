/**
 * Window centres on a regular km-spaced plan: rows of constant latitude `strideKm` apart (north to
 * south), centres `strideKm` apart on the ground along each row, ids row-major from 0. The plan
 * depends only on the grid geometry, the region, the stride and the latitude limit, so a resumed or
 * sharded run recomputes the same ids.
 */
import type { PlanConfig } from '../config/schema.js';
import type { Logger } from '../base/logger.js';
import type { GridGeometry, Region } from '../types.js';
import { gridBounds } from '../grid/geometry.js';
import { formatRegion } from '../config/region.js';
import { KM_PER_DEG } from '../base/geodesy.js';

const DEG = Math.PI / 180;

export interface WindowPlan {
  /** The area planned, in the grid's longitude convention with west < east (east − west ≤ 360). */
  region: Region;
  strideKm: number;
  /** Number of windows (ids 0..count-1). */
  count: number;
  rows: number;
  /** Latitude of each row, degrees (row 0 northernmost). */
  rowLatDeg: Float64Array;
  /** First id of each row; rowFirstId[rows] = count. */
  rowFirstId: Int32Array;
  /** Longitude of each row's first centre, grid convention (centres may pass 180 / 360: continuous). */
  rowLon0Deg: Float64Array;
  /** Longitude step between centres of a row, degrees. */
  rowStepDeg: Float64Array;
  /** Rows whose windows go all the way round the globe (periodic grid, whole longitude range). */
  fullCircle: boolean;
  /** Deterministic centre of window `id`; longitude in the grid's convention, continuous along the row. */
  centre(id: number): { lon: number; lat: number };
  /** Row of window `id`. */
  rowOf(id: number): number;
}

/** Picks the 360° alias of [west, west+span] overlapping [lo, hi] most (ties: nearest the middle). */
function alignInterval(west: number, span: number, lo: number, hi: number): number {
  const mid = (lo + hi) / 2;
  const k0 = Math.round((mid - (west + span / 2)) / 360);
  let best = west + 360 * k0;
  let bestOverlap = -Infinity;
  for (const k of [k0, k0 - 1, k0 + 1]) {
    const w = west + 360 * k;
    const overlap = Math.min(hi, w + span) - Math.max(lo, w);
    if (overlap > bestOverlap + 1e-9) {
      bestOverlap = overlap;
      best = w;
    }
  }
  return best;
}

/** Evenly spaced positions `step` apart, centred in [a, b] (a single one at the middle when b − a < step). */
function centredRange(a: number, b: number, step: number): { first: number; n: number } {
  const n = Math.floor((b - a) / step + 1e-9) + 1;
  return { first: a + (b - a - (n - 1) * step) / 2, n };
}

/**
 * Lays out window centres over `region` (null: the whole grid). A region given in the other longitude
 * convention, or crossing the antimeridian (west > east), is mapped onto the grid's convention.
 * Latitudes poleward of `plan.maxAbsLatDeg` are left out (logged), and a region lying wholly there is
 * refused.
 *
 * @example
 * const plan = planWindows(grid, parseRegion('-118/-107/-49/-42'), 4, config.plan);
 * plan.centre(0) // northernmost row, westernmost centre
 */
export function planWindows(grid: GridGeometry, region: Region | null, strideKm: number, plan: PlanConfig, logger?: Logger): WindowPlan {
  if (!(strideKm > 0) || !Number.isFinite(strideKm)) throw new Error(`window plan: strideKm ${strideKm} must be > 0`);
  const bounds = gridBounds(grid);
  const where = region ? `region ${formatRegion(region)}` : 'grid';
  // longitudes: grid convention, west < east
  let west: number;
  let east: number;
  let fullCircle = false;
  if (region === null) {
    west = bounds.west;
    east = bounds.east;
    if (grid.periodicLon) {
      east = west + 360;
      fullCircle = true;
    }
  } else {
    let span = region.east - region.west;
    if (span <= 0) span += 360;
    if (span >= 360) {
      if (!grid.periodicLon) span = 360;
      else fullCircle = true;
    }
    if (fullCircle) {
      west = bounds.west;
      east = west + 360;
    } else {
      west = grid.periodicLon ? alignInterval(region.west, span, bounds.west, bounds.west + 360) : alignInterval(region.west, span, bounds.west, bounds.east);
      east = west + span;
      if (!grid.periodicLon) {
        west = Math.max(west, bounds.west);
        east = Math.min(east, bounds.east);
      }
    }
  }
  let south = Math.max(region?.south ?? bounds.south, bounds.south);
  let north = Math.min(region?.north ?? bounds.north, bounds.north);
  if (!(east >= west) || !(north >= south)) {
    throw new Error(`window plan: ${where} does not overlap the grid (${formatRegion(bounds)})`);
  }
  const limit = plan.maxAbsLatDeg;
  if (south > limit || north < -limit) {
    throw new Error(`window plan: ${where} (${south}..${north}° N) lies poleward of plan.maxAbsLatDeg = ${limit}°: windows are not centred there`);
  }
  if (south < -limit || north > limit) {
    logger?.warn(
      { south, north, maxAbsLatDeg: limit },
      `${where}: window centres are limited to ${-limit}..${limit}° latitude (plan.maxAbsLatDeg); the rest is not searched`,
    );
    south = Math.max(south, -limit);
    north = Math.min(north, limit);
  }

  const latStep = strideKm / KM_PER_DEG;
  const rowsLayout = centredRange(south, north, latStep);
  const rows = rowsLayout.n;
  const rowLatDeg = new Float64Array(rows);
  const rowFirstId = new Int32Array(rows + 1);
  const rowLon0Deg = new Float64Array(rows);
  const rowStepDeg = new Float64Array(rows);
  const northFirst = rowsLayout.first + (rows - 1) * latStep;
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const lat = northFirst - r * latStep;
    rowLatDeg[r] = lat;
    const kmPerDegLon = KM_PER_DEG * Math.cos(lat * DEG);
    let n: number;
    if (fullCircle) {
      n = Math.max(1, Math.ceil((360 * kmPerDegLon) / strideKm - 1e-9));
      rowStepDeg[r] = 360 / n;
      rowLon0Deg[r] = west;
    } else {
      const step = strideKm / kmPerDegLon;
      const layout = centredRange(west, east, step);
      n = layout.n;
      rowStepDeg[r] = step;
      rowLon0Deg[r] = layout.first;
    }
    rowFirstId[r] = count;
    count += n;
    if (count > 2 ** 31 - 1) throw new Error(`window plan: more than 2^31 windows over ${where}; raise window.strideKm`);
  }
  rowFirstId[rows] = count;

  const rowOf = (id: number): number => {
    if (!(id >= 0 && id < count) || !Number.isInteger(id)) throw new Error(`window plan: id ${id} outside 0..${count - 1}`);
    let lo = 0;
    let hi = rows - 1;
    while (lo < hi) {
      const m = (lo + hi + 1) >> 1;
      if (rowFirstId[m] <= id) lo = m;
      else hi = m - 1;
    }
    return lo;
  };
  return {
    region: { west, east, south, north },
    strideKm,
    count,
    rows,
    rowLatDeg,
    rowFirstId,
    rowLon0Deg,
    rowStepDeg,
    fullCircle,
    rowOf,
    centre(id: number) {
      const r = rowOf(id);
      return { lon: rowLon0Deg[r] + (id - rowFirstId[r]) * rowStepDeg[r], lat: rowLatDeg[r] };
    },
  };
}

/**
 * Refuses a grid too small to hold one whole window: its north-south or (at its widest latitude) east-west
 * extent is under the window's side. Every window would be mostly no-data, so a run would find nothing
 * for a reason the user should hear about.
 */
export function assertGridHoldsWindow(grid: GridGeometry & { path?: string }, sizeKm: number): void {
  const bounds = gridBounds(grid);
  const nsKm = (bounds.north - bounds.south + Math.abs(grid.dLat)) * KM_PER_DEG;
  const widestLat = bounds.south <= 0 && bounds.north >= 0 ? 0 : Math.min(Math.abs(bounds.south), Math.abs(bounds.north));
  const ewKm = grid.periodicLon ? Infinity : grid.width * grid.dLon * KM_PER_DEG * Math.cos((widestLat * Math.PI) / 180);
  if (nsKm < sizeKm || ewKm < sizeKm) {
    throw new Error(`${grid.path ?? 'grid'}: the grid covers only ${ewKm.toFixed(1)} km × ${nsKm.toFixed(1)} km, smaller than one ${sizeKm} km window`);
  }
}
