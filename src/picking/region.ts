/**
 * The cells of a grid that a region covers.
 */
import { latToRow, lonPeriodColumns, lonToColumn } from '../grid/geometry.js';
import type { GridSource, Region } from '../types.js';

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

