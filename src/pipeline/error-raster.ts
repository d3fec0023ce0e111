/**
 * The reconstruction error of every scored window as a regular lon/lat raster, for inspection in GIS
 * (error.tif). Window centres lie on km-regular rows whose longitude step grows with latitude; the
 * raster uses the rows' latitude step and the smallest longitude step of any row, and each cell takes the
 * error of the window whose along-row interval covers it (nearest window in its row). Cells with no
 * scored window are no-data. Built window by window from the plan's layout, so the windows themselves
 * never need to be in memory together.
 */
import type { WindowPlan } from '../tiling/index.js';
import type { GridGeometry } from '../types.js';
import { KM_PER_DEG } from '../base/geodesy.js';

export interface ErrorRaster {
  values: Float32Array;
  geometry: GridGeometry;
}

const rowStepDeg = (strideKm: number, lat: number) => strideKm / (KM_PER_DEG * Math.max(Math.cos((lat * Math.PI) / 180), 1e-6));

export class ErrorRasterBuilder {
  readonly raster: ErrorRaster;
  private readonly strideKm: number;
  private readonly north: number;
  private readonly west: number;

  /** A raster over the plan's window centres, all no-data until windows are added. */
  constructor(plan: Pick<WindowPlan, 'rows' | 'rowLatDeg' | 'rowLon0Deg' | 'rowStepDeg' | 'rowFirstId' | 'strideKm'>, nodata: number) {
    this.strideKm = plan.strideKm;
    let west = Infinity;
    let east = -Infinity;
    let north = -Infinity;
    let south = Infinity;
    let minAbsLat = 90;
    for (let r = 0; r < plan.rows; r++) {
      const n = plan.rowFirstId[r + 1] - plan.rowFirstId[r];
      if (n <= 0) continue;
      const lat = plan.rowLatDeg[r];
      north = Math.max(north, lat);
      south = Math.min(south, lat);
      minAbsLat = Math.min(minAbsLat, Math.abs(lat));
      west = Math.min(west, plan.rowLon0Deg[r]);
      east = Math.max(east, plan.rowLon0Deg[r] + (n - 1) * plan.rowStepDeg[r]);
    }
    if (!Number.isFinite(west)) {
      west = 0;
      east = 0;
      north = 0;
      south = 0;
    }
    const dLat = plan.strideKm / KM_PER_DEG;
    // the row nearest the equator has the smallest step in degrees: every window gets at least one cell
    const dLon = rowStepDeg(plan.strideKm, minAbsLat);
    const width = Math.max(1, Math.round((east - west) / dLon) + 1);
    const height = Math.max(1, Math.round((north - south) / dLat) + 1);
    this.north = north;
    this.west = west;
    this.raster = {
      values: new Float32Array(width * height).fill(nodata),
      geometry: { width, height, lon0: west, dLon, lat0: north, dLat: -dLat, registration: 'gridline', periodicLon: false },
    };
  }

  /** Puts one window's error on the cells its along-row interval covers (lon in the plan's convention). */
  add(lon: number, lat: number, error: number): void {
    const { values, geometry: g } = this.raster;
    const row = Math.round((this.north - lat) / -g.dLat);
    if (row < 0 || row >= g.height) return;
    const half = rowStepDeg(this.strideKm, lat) / 2;
    const centre = Math.round((lon - this.west) / g.dLon);
    const c0 = Math.min(centre, Math.max(0, Math.ceil((lon - half - this.west) / g.dLon - 1e-9)));
    const c1 = Math.max(centre, Math.min(g.width - 1, Math.floor((lon + half - this.west) / g.dLon - 1e-9)));
    for (let c = Math.max(0, c0); c <= Math.min(g.width - 1, c1); c++) values[row * g.width + c] = error;
  }
}
