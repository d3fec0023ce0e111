/**
 * The cells of a grid that a region covers.
 */
import { latToRow, lonPeriodColumns, lonToColumn } from '../grid/geometry.js';
import type { GridSource, Region } from '../types.js';
import { KM_PER_DEG, lonDegreesOfKm, wrapLon180 } from '../base/geodesy.js';

/** Inclusive cell ranges of a region. */
export interface CellRange {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * Columns x0..x1 and rows y0..y1 (inclusive) of the cells inside a region (null: the whole grid, each
 * column once). Columns may run past the seam on a periodic grid (reads wrap); null when none lies inside.
 *
 * @example regionCells(grid, { west: -118, east: -107, south: -49, north: -42 }) // { x0: 0, x1: 660, y0: 0, y1: 420 }
 */
export function regionCells(grid: GridSource, region: Region | null): CellRange | null {
  if (!region) {
    const period = grid.periodicLon ? lonPeriodColumns(grid) : grid.width;
    return { x0: 0, x1: Math.min(grid.width, period) - 1, y0: 0, y1: grid.height - 1 };
  }
  const east = region.east > region.west ? region.east : region.east + 360;
  const xw = lonToColumn(grid, region.west);
  let x0 = Math.ceil(xw - 1e-6);
  let x1 = Math.floor(xw + (east - region.west) / grid.dLon + 1e-6);
  if (!grid.periodicLon) {
    x0 = Math.max(0, x0);
    x1 = Math.min(grid.width - 1, x1);
  } else if (x1 - x0 + 1 > lonPeriodColumns(grid)) x1 = x0 + lonPeriodColumns(grid) - 1;
  const ya = latToRow(grid, region.north);
  const yb = latToRow(grid, region.south);
  const y0 = Math.max(0, Math.ceil(Math.min(ya, yb) - 1e-6));
  const y1 = Math.min(grid.height - 1, Math.floor(Math.max(ya, yb) + 1e-6));
  if (x1 < x0 || y1 < y0) return null;
  return { x0, x1, y0, y1 };
}

/**
 * The smallest box holding every point, widened by `padKm` on each side: longitudes as the shortest arc
 * (west > east when it crosses the antimeridian), null when there are no points. A set spanning every
 * longitude gives −180..180.
 *
 * @example pointsRegion([179.5, -179.5], [10, 11], 0) // { west: 179.5, east: -179.5, south: 10, north: 11 }
 */
export function pointsRegion(lons: ArrayLike<number>, lats: ArrayLike<number>, padKm: number): Region | null {
  const n = lons.length;
  if (n === 0) return null;
  let south = Infinity;
  let north = -Infinity;
  const wrapped = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    south = Math.min(south, lats[i]);
    north = Math.max(north, lats[i]);
    wrapped[i] = wrapLon180(lons[i]);
  }
  wrapped.sort();
  // the arc is everything but the largest gap between neighbouring longitudes (the seam gap included)
  let gap = wrapped[0] + 360 - wrapped[n - 1];
  let west = wrapped[0];
  let east = wrapped[n - 1];
  for (let i = 1; i < n; i++) {
    if (wrapped[i] - wrapped[i - 1] > gap) {
      gap = wrapped[i] - wrapped[i - 1];
      west = wrapped[i];
      east = wrapped[i - 1];
    }
  }
  const padLat = padKm / KM_PER_DEG;
  const maxAbsLat = Math.min(89.9, Math.max(Math.abs(south), Math.abs(north)) + padLat);
  const padLon = lonDegreesOfKm(padKm, maxAbsLat);
  const span = (east - west + 360) % 360;
  const box = { south: Math.max(-90, south - padLat), north: Math.min(90, north + padLat) };
  if (span + 2 * padLon >= 360) return { west: -180, east: 180, ...box };
  return { west: wrapLon180(west - padLon), east: wrapLon180(east + padLon), ...box };
}
