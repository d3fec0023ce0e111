/**
 * The reconstruction error of every scored window as a regular lon/lat raster, for inspection in GIS
 * (error.tif). Window centres lie on km-regular rows whose longitude step grows with latitude; the
 * raster uses the rows' latitude step and the smallest longitude step of any row, and each cell takes the
 * error of the window whose along-row interval covers it (nearest window in its row). Cells with no
 * scored window are no-data. Built window by window in plan order (rows north to south), one raster row
 * at a time: a finished row goes to a sink (error.tif's writer), so neither the windows nor the raster
 * are ever in memory whole and memory does not grow with the area searched.
 */
import type { WindowPlan } from '../tiling/index.js';
import type { GridGeometry } from '../types.js';
import { KM_PER_DEG, lonDegreesOfKm } from '../base/geodesy.js';

/** Receives the raster's rows, north to south, each `geometry.width` values (the array is reused). */
export type RowSink = (row: Float32Array) => Promise<void>;

type RasterPlan = Pick<WindowPlan, 'rows' | 'rowLatDeg' | 'rowLon0Deg' | 'rowStepDeg' | 'rowFirstId' | 'strideKm'>;

/** The raster over the plan's window centres: the rows' latitude step and the smallest longitude step. */
export function errorRasterGeometry(plan: RasterPlan): GridGeometry {
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
  // (rows lie within plan.maxAbsLatDeg ≤ 89°, far from lonDegreesOfKm's polar floor)
  const dLon = lonDegreesOfKm(plan.strideKm, minAbsLat);
  const width = Math.max(1, Math.round((east - west) / dLon) + 1);
  const height = Math.max(1, Math.round((north - south) / dLat) + 1);
  return { width, height, lon0: west, dLon, lat0: north, dLat: -dLat, registration: 'gridline', periodicLon: false };
}

/**
 * Streams the error raster row by row: `add` windows in plan order (their rows never go back north),
 * `flush` hands the rows finished so far to the sink, `end` the rest (rows without windows: no-data).
 * Holds the rows from the last one flushed to the current one, a few at most.
 *
 * @example
 * const raster = new ErrorRasterStream(plan, -9999, (row) => writer.writeRow(row));
 * for (const w of windowsInPlanOrder) raster.add(w.lon, w.lat, w.error);
 * await raster.end();
 */
export class ErrorRasterStream {
  readonly geometry: GridGeometry;
  private readonly strideKm: number;
  /** Rows [first, first + pending.length) are held; rows above `first` went to the sink. */
  private first = 0;
  private readonly pending: Float32Array[] = [];
  private readonly spare: Float32Array[] = [];

  constructor(
    plan: RasterPlan,
    private readonly nodata: number,
    private readonly sink: RowSink,
  ) {
    this.strideKm = plan.strideKm;
    this.geometry = errorRasterGeometry(plan);
  }

  private rowBuffer(): Float32Array {
    return (this.spare.pop() ?? new Float32Array(this.geometry.width)).fill(this.nodata);
  }

  /** Puts one window's error on the cells its along-row interval covers (lon in the plan's convention). */
  add(lon: number, lat: number, error: number): void {
    const g = this.geometry;
    const row = Math.round((g.lat0 - lat) / -g.dLat);
    if (row < 0 || row >= g.height) return;
    if (row < this.first) throw new Error(`error raster: a window of row ${row} after row ${this.first} was flushed (windows must come in plan order)`);
    while (this.first + this.pending.length <= row) this.pending.push(this.rowBuffer());
    const values = this.pending[row - this.first];
    const half = lonDegreesOfKm(this.strideKm, lat) / 2;
    const centre = Math.round((lon - g.lon0) / g.dLon);
    const c0 = Math.min(centre, Math.max(0, Math.ceil((lon - half - g.lon0) / g.dLon - 1e-9)));
    const c1 = Math.max(centre, Math.min(g.width - 1, Math.floor((lon + half - g.lon0) / g.dLon - 1e-9)));
    for (let c = Math.max(0, c0); c <= Math.min(g.width - 1, c1); c++) values[c] = error;
  }

  /** Sends every held row but the last (windows may still come for it) to the sink. */
  async flush(): Promise<void> {
    while (this.pending.length > 1) await this.emit();
  }

  /** Sends the held rows and no-data rows down to the raster's last row. */
  async end(): Promise<void> {
    while (this.first < this.geometry.height) {
      if (this.pending.length === 0) this.pending.push(this.rowBuffer());
      await this.emit();
    }
  }

  private async emit(): Promise<void> {
    const row = this.pending.shift()!;
    await this.sink(row);
    this.first++;
    this.spare.push(row);
  }
}
