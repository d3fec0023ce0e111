/**
 * A small patch of grid cells around a point, with local km coordinates (equirectangular about the
 * patch centre: x east, y north). Seamount measurement works on these; only the cells needed are read.
 * Rows are always north to south, whatever the file's order, so measurement (which scans cells in row
 * order and breaks ties by it) gives the same answer for a south-up netCDF and a north-up GeoTIFF.
 */
import { clampWindow, columnLon, latToRow, lonPeriodColumns, lonToColumn, rowLat, wrapColumn } from '../grid/geometry.js';
import type { GridSource, PixelWindow } from '../types.js';
import { flipRows } from '../grid/flip.js';
import { KM_PER_DEG } from '../base/geodesy.js';
const { abs, ceil, cos, floor, max, min } = Math;

const DEG = Math.PI / 180;

export interface Patch {
  /** Row-major cell values, m (NaN = no-data), `w × h`, row 0 northernmost. */
  values: Float32Array;
  w: number;
  h: number;
  /** Pixel window read, in the file's rows (x0 may lie outside 0..width-1 on a periodic grid). */
  window: PixelWindow;
  /** Centre of the local plane, degrees (lon in the grid's own convention). */
  centreLon: number;
  centreLat: number;
  /** km east of the centre of each column, km north of the centre of each row. */
  xKm: Float64Array;
  yKm: Float64Array;
  /**
   * Grid column of the patch's column 0 (wrapped into the grid on a periodic grid) and row of its row 0
   * counted from the grid's northern edge: cell positions that do not depend on the patch's extent or the
   * file's row order (measurement thins its fit points on them).
   */
  col0: number;
  rowFromNorth0: number;
  /** Cell size at the centre, km: east-west, north-south. */
  cellXKm: number;
  cellYKm: number;
}

/** Pixel window of the cells within `radiusKm` of (lon, lat), clamped to the grid; null when none. */
export function windowAround(grid: GridSource, lon: number, lat: number, radiusKm: number): PixelWindow | null {
  const cx = lonToColumn(grid, lon);
  const cy = latToRow(grid, lat);
  const halfRows = radiusKm / (KM_PER_DEG * abs(grid.dLat));
  const cosLat = max(cos(min(89.9, abs(lat) + radiusKm / KM_PER_DEG) * DEG), 1e-3);
  const halfCols = min(radiusKm / (KM_PER_DEG * cosLat * grid.dLon), grid.periodicLon ? floor((360 / grid.dLon - 1) / 2) : grid.width);
  const x0 = ceil(cx - halfCols);
  const y0 = ceil(cy - halfRows);
  const win = { x0, y0, w: floor(cx + halfCols) - x0 + 1, h: floor(cy + halfRows) - y0 + 1 };
  return clampWindow(grid, win);
}

/** Reads the cells within `radiusKm` of (lon, lat). Null when the point's surroundings lie off the grid. */
export async function readPatchAround(grid: GridSource, lon: number, lat: number, radiusKm: number): Promise<Patch | null> {
  const win = windowAround(grid, lon, lat, radiusKm);
  if (!win) return null;
  const southUp = grid.dLat > 0;
  const values = southUp ? flipRows(await grid.read(win), win.w, win.h) : await grid.read(win);
  // the centre in the grid's own longitude convention, so column longitudes subtract without wrapping
  const centreLon = columnLon(grid, lonToColumn(grid, lon));
  const cosLat = cos(lat * DEG);
  const xKm = new Float64Array(win.w);
  const yKm = new Float64Array(win.h);
  for (let i = 0; i < win.w; i++) xKm[i] = (columnLon(grid, win.x0 + i) - centreLon) * KM_PER_DEG * cosLat;
  for (let j = 0; j < win.h; j++) yKm[j] = (rowLat(grid, southUp ? win.y0 + win.h - 1 - j : win.y0 + j) - lat) * KM_PER_DEG;
  return {
    values,
    w: win.w,
    h: win.h,
    window: win,
    centreLon,
    centreLat: lat,
    xKm,
    yKm,
    col0: grid.periodicLon ? wrapColumn(win.x0, lonPeriodColumns(grid)) : win.x0,
    rowFromNorth0: southUp ? grid.height - (win.y0 + win.h) : win.y0,
    cellXKm: grid.dLon * KM_PER_DEG * cosLat,
    cellYKm: abs(grid.dLat) * KM_PER_DEG,
  };
}

/** Local km → lon/lat for a patch (lon in the grid's convention). */
export function patchToLonLat(p: Patch, xKm: number, yKm: number): [number, number] {
  const cosLat = cos(p.centreLat * DEG);
  return [p.centreLon + xKm / (KM_PER_DEG * cosLat), p.centreLat + yKm / KM_PER_DEG];
}
