/**
 * Pixel ↔ geographic conversions for a GridGeometry (cell centres), and the grid's longitude conventions
 * (the sphere, wrapping and distances are in base/geodesy.ts).
 * Pure functions; no I/O.
 */
import { KM_PER_DEG } from '../base/geodesy.js';
import type { GridGeometry, PixelWindow, Region } from '../types.js';

/** Longitude of column x's centre (file convention). */
export const columnLon = (g: GridGeometry, x: number): number => g.lon0 + x * g.dLon;
/** Latitude of row y's centre. */
export const rowLat = (g: GridGeometry, y: number): number => g.lat0 + y * g.dLat;

/**
 * Fractional column of a longitude, choosing the 360° alias that lands inside (or nearest to) the
 * grid, so a grid stored 0..360 answers for −170 and one stored −180..180 answers for 190.
 */
export function lonToColumn(g: GridGeometry, lon: number): number {
  const x = (lon - g.lon0) / g.dLon;
  const period = 360 / g.dLon;
  const mid = (g.width - 1) / 2;
  // pick the alias closest to the grid's middle column
  return x + Math.round((mid - x) / period) * period;
}

/** Fractional row of a latitude. */
export const latToRow = (g: GridGeometry, lat: number): number => (lat - g.lat0) / g.dLat;

/** Geographic bounds of the grid's cell centres (lon in the file's convention, west < east). */
export function gridBounds(g: GridGeometry): Region {
  const lats = [rowLat(g, 0), rowLat(g, g.height - 1)];
  return {
    west: columnLon(g, 0),
    east: columnLon(g, g.width - 1),
    south: Math.min(...lats),
    north: Math.max(...lats),
  };
}

/** Mean spacing of the grid in km at a latitude: [east-west, north-south]. */
export function cellSizeKm(g: GridGeometry, lat: number): [number, number] {
  return [g.dLon * KM_PER_DEG * Math.cos((lat * Math.PI) / 180), Math.abs(g.dLat) * KM_PER_DEG];
}

/** Clamps a pixel window to the rows of the grid (and to the columns unless the grid wraps). */
export function clampWindow(g: GridGeometry, win: PixelWindow): PixelWindow | null {
  const y0 = Math.max(0, win.y0);
  const y1 = Math.min(g.height, win.y0 + win.h);
  let x0 = win.x0;
  let x1 = win.x0 + win.w;
  if (!g.periodicLon) {
    x0 = Math.max(0, x0);
    x1 = Math.min(g.width, x1);
  }
  if (y1 <= y0 || x1 <= x0) return null;
  return { x0, y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * True when `width` columns of `dLon` cover all longitudes: pixel grids have 360/dLon columns,
 * gridline grids usually repeat the seam (360/dLon + 1).
 */
export function coversAllLongitudes(width: number, dLon: number): boolean {
  return width >= Math.round(360 / dLon) && width <= Math.round(360 / dLon) + 1 && Math.abs(Math.round(360 / dLon) * dLon - 360) < dLon * 1e-3;
}

/** A column index wrapped into 0..period−1 (the columns of a periodic grid repeat every period). */
export const wrapColumn = (x: number, period: number): number => ((x % period) + period) % period;

/** Number of distinct columns in 360° (the wrap period of a periodic grid). */
export const lonPeriodColumns = (g: Pick<GridGeometry, 'dLon'>): number => Math.round(360 / g.dLon);

/**
 * Checks a read request against the GridSource contract: rows inside the grid, columns inside it unless
 * the grid wraps in longitude. Throws naming the grid's file.
 */
export function assertReadable(g: GridGeometry & { path: string }, win: PixelWindow): void {
  if (win.w < 0 || win.h < 0 || win.y0 < 0 || win.y0 + win.h > g.height) {
    throw new Error(`${g.path}: rows ${win.y0}..${win.y0 + win.h - 1} outside 0..${g.height - 1}`);
  }
  if (!g.periodicLon && (win.x0 < 0 || win.x0 + win.w > g.width)) {
    throw new Error(`${g.path}: columns ${win.x0}..${win.x0 + win.w - 1} outside 0..${g.width - 1}`);
  }
}
