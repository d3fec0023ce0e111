/**
 * Coordinate axes → GridGeometry: checks that lon/lat coordinates are monotonic and evenly spaced,
 * that they are geographic, and snaps global longitude axes (whose stored coordinates are often
 * rounded, e.g. ETOPO5's 0..359.92) so that they wrap exactly. Pure functions.
 */
import type { GridGeometry, Registration } from '../types.js';
import { coversAllLongitudes } from './geometry.js';
import { GridError } from './errors.js';

/** Largest departure from even spacing accepted, as a fraction of a cell (float32 coordinates at 180° and 15″ reach ~0.4 %). */
export const AXIS_TOLERANCE_CELLS = 0.02;

export interface RegularAxis {
  /** Coordinate of index 0. */
  start: number;
  /** Coordinate step per index (negative when descending). */
  step: number;
  n: number;
}

/**
 * Fits `start + i × step` to a coordinate array; throws when it is not monotonic or not evenly spaced.
 *
 * @example
 * fitRegularAxis([10, 10.5, 11], 'lon', 'a.nc'); // { start: 10, step: 0.5, n: 3 }
 */
export function fitRegularAxis(values: ArrayLike<number>, name: string, path: string): RegularAxis {
  const n = values.length;
  if (n === 0) throw new GridError(path, `coordinate '${name}' is empty`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) throw new GridError(path, `coordinate '${name}' has a non-finite value at index ${i}`);
  }
  if (n === 1) return { start: values[0], step: 0, n };
  const first = values[0];
  const last = values[n - 1];
  const sign = Math.sign(last - first);
  if (sign === 0) throw new GridError(path, `coordinate '${name}' is not monotonic (first and last values are both ${first})`);
  for (let i = 1; i < n; i++) {
    const d = values[i] - values[i - 1];
    if (Math.sign(d) !== sign) {
      throw new GridError(path, `coordinate '${name}' is not monotonic: value ${i - 1} is ${values[i - 1]}, value ${i} is ${values[i]}`);
    }
  }
  // least squares over all points: robust to rounding of individual coordinates
  const mid = (n - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  for (let i = 0; i < n; i++) {
    sxy += (i - mid) * (values[i] - mean);
    sxx += (i - mid) * (i - mid);
  }
  const step = sxy / sxx;
  const start = mean - step * mid;
  let worst = 0;
  let worstAt = 0;
  for (let i = 0; i < n; i++) {
    const r = Math.abs(values[i] - (start + i * step));
    if (r > worst) {
      worst = r;
      worstAt = i;
    }
  }
  if (worst > AXIS_TOLERANCE_CELLS * Math.abs(step)) {
    throw new GridError(
      path,
      `coordinate '${name}' is not evenly spaced: value ${worstAt} (${values[worstAt]}) is ${(worst / Math.abs(step)).toFixed(3)} cells off a regular step of ${step}`,
    );
  }
  return { ...snapAxis(start, step, n), n };
}

/**
 * Cells per degree when the step is 1/k degree for an integer k (1/60, 1/240 ...) to within what
 * the stored coordinates can tell: over the `n` cells of the axis the difference adds up to less
 * than 1 % of a cell (float32 coordinates near 180° are only good to ~1e-5°). Else null.
 */
function cellsPerDegree(step: number, n: number): number | null {
  const perDegree = 1 / Math.abs(step);
  const k = Math.round(perDegree);
  return k > 0 && (Math.abs(perDegree - k) / perDegree) * Math.max(n, 1) < 0.01 ? k : null;
}

/**
 * Removes float noise from an axis: a step of 1/k degree becomes exactly that, and then a start
 * within 1 % of a cell of a multiple of half a step is put on it, so cell centres like −118 or
 * 128.0020833 come out exact. Axes of other steps (e.g. GMRT's 0.00054982°) are left alone.
 */
export function snapAxis(start: number, step: number, n: number): { start: number; step: number } {
  const k = cellsPerDegree(step, n);
  if (k === null) return { start, step };
  const exactStep = Math.sign(step) / k;
  const m = Math.round(start * 2 * k);
  const exactStart = Math.abs(start * 2 * k - m) < 0.02 ? m / (2 * k) : start;
  return { start: exactStart + 0, step: exactStep };
}

export interface GeographicAxes {
  path: string;
  lon: RegularAxis;
  lat: RegularAxis;
  registration: Registration;
  /** Appended to when an assumption is made. */
  warnings?: string[];
}

/**
 * Geometry of a lon/lat grid from its axes. Longitudes must ascend; latitudes may run either way.
 * A longitude axis spanning 360° within half a cell is snapped to exactly 360° and marked periodic.
 */
export function geographicGeometry(a: GeographicAxes): GridGeometry {
  const { path } = a;
  const lon = { ...a.lon, ...snapAxis(a.lon.start, a.lon.step, a.lon.n) };
  const lat = { ...a.lat, ...snapAxis(a.lat.start, a.lat.step, a.lat.n) };
  if (lon.n < 2 || lat.n < 2) throw new GridError(path, `grid is ${lon.n} × ${lat.n} cells: at least 2 × 2 are needed`);
  if (lon.step <= 0) {
    throw new GridError(path, 'longitudes decrease from west to east (east-to-west storage is not supported; flip it, e.g. `gmt grdedit -Ex` or `gdalwarp`)');
  }
  let dLon = lon.step;
  const lonLast = lon.start + (lon.n - 1) * dLon;
  if (lon.start < -360 || lonLast > 720 || (lon.n - 1) * dLon > 360 + dLon * 1.001) {
    throw new GridError(
      path,
      `longitudes ${lon.start}..${lonLast} are not geographic degrees (projected grid?): reproject to lon/lat first, e.g. \`gdalwarp -t_srs EPSG:4326\``,
    );
  }
  const latFirst = lat.start;
  const latLast = lat.start + (lat.n - 1) * lat.step;
  const halfLat = Math.abs(lat.step) / 2;
  const south = Math.min(latFirst, latLast);
  const north = Math.max(latFirst, latLast);
  // a gridline global grid converted to PixelIsArea (GDAL) puts centres a fraction of a degree past the
  // poles: tolerated with a warning; a degree or more past them is not latitude at all
  if (south < -91 || north > 91) {
    throw new GridError(
      path,
      `latitudes ${latFirst}..${latLast} are outside −90..90: not a geographic grid (projected?); reproject to lon/lat first, e.g. \`gdalwarp -t_srs EPSG:4326\``,
    );
  }
  if (south < -90 - halfLat * 1.001 || north > 90 + halfLat * 1.001) {
    a.warnings?.push(`cell centres reach latitude ${south}..${north}, beyond the poles (registration mixed up when the file was made?)`);
  }
  // global axes: n cells of 360/n (pixel, or gridline without the repeated seam), or, for gridline grids
  // whose last column repeats the first at exactly 360° on (GMT -Rg), n − 1. Stored coordinates may be
  // rounded (ETOPO5's 0..359.92), and grids resampled from such files inherit the error: a span within
  // half a cell or 0.05° of 360° counts as global.
  let best: number | null = null;
  if (a.registration === 'gridline' && Math.abs((lon.n - 1) * dLon - 360) < 0.01 * dLon) best = lon.n - 1;
  else if (Math.abs(lon.n * dLon - 360) < Math.max(dLon / 2, 0.05)) best = lon.n;
  if (best !== null && dLon !== 360 / best) {
    a.warnings?.push(`longitude step ${dLon} snapped to ${360 / best} (360° over ${best} cells)`);
    dLon = 360 / best;
  }
  return {
    width: lon.n,
    height: lat.n,
    lon0: lon.start,
    dLon,
    lat0: lat.start,
    dLat: lat.step,
    registration: a.registration,
    periodicLon: coversAllLongitudes(lon.n, dLon),
  };
}
