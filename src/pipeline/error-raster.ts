/**
 * The reconstruction error of every scored window as a regular lon/lat raster, for inspection in GIS
 * (error.tif). Window centres lie on km-regular rows whose longitude step grows with latitude; the
 * raster uses the rows' latitude step and the smallest longitude step of any row, and each cell takes the
 * error of the window whose along-row interval covers it (nearest window in its row). Cells with no
 * scored window are no-data.
 */
import type { GridGeometry, ScoredWindow } from '../types.js';
import { KM_PER_DEG } from '../grid/geometry.js';


export interface ErrorRaster {
  values: Float32Array;
  geometry: GridGeometry;
}

export function errorRaster(windows: ScoredWindow[], strideKm: number, nodata: number): ErrorRaster | null {
  if (windows.length === 0) return null;
  const dLat = strideKm / KM_PER_DEG;
  let south = Infinity;
  let north = -Infinity;
  let maxAbsLat = 0;
  // longitudes unwrapped around the first window so a region across the antimeridian stays contiguous
  const ref = windows[0].lon;
  const unwrap = (lon: number) => lon - 360 * Math.round((lon - ref) / 360);
  let west = Infinity;
  let east = -Infinity;
  for (const w of windows) {
    south = Math.min(south, w.lat);
    north = Math.max(north, w.lat);
    maxAbsLat = Math.max(maxAbsLat, Math.abs(w.lat));
    const lon = unwrap(w.lon);
    west = Math.min(west, lon);
    east = Math.max(east, lon);
  }
  const rowStepDeg = (lat: number) => strideKm / (KM_PER_DEG * Math.max(Math.cos((lat * Math.PI) / 180), 1e-6));
  const dLon = rowStepDeg(maxAbsLat);
  const width = Math.max(1, Math.round((east - west) / dLon) + 1);
  const height = Math.max(1, Math.round((north - south) / dLat) + 1);
  const values = new Float32Array(width * height).fill(nodata);
  for (const w of windows) {
    const row = Math.round((north - w.lat) / dLat);
    const half = rowStepDeg(w.lat) / 2;
    const lon = unwrap(w.lon);
    const c0 = Math.max(0, Math.ceil((lon - half - west) / dLon - 1e-9));
    const c1 = Math.min(width - 1, Math.floor((lon + half - west) / dLon - 1e-9));
    for (let c = Math.min(c0, Math.round((lon - west) / dLon)); c <= Math.max(c1, Math.round((lon - west) / dLon)); c++) {
      values[row * width + c] = w.error;
    }
  }
  return {
    values,
    geometry: { width, height, lon0: west, dLon, lat0: north, dLat: -dLat, registration: 'gridline', periodicLon: false },
  };
}
