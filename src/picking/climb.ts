/**
 * Uphill walk on the bathymetry from a point to the summit it belongs to: each step moves to the highest
 * cell within a few cells (so a one-cell bump on a flank does not stop the walk), until none is higher.
 * Windows that climb to the same summit support the same seamount; windows on either side of a saddle
 * climb to different summits, which is what keeps adjacent seamounts apart.
 */
import { latToRow, lonPeriodColumns, lonToColumn } from '../grid/geometry.js';
import type { GridSource } from '../types.js';
import { KM_PER_DEG } from '../base/geodesy.js';
const { abs, cos, floor, hypot, max, min, round } = Math;

/** Cells remembered on walked paths (about 100 bytes each). */
const MAX_MEMO_CELLS = 1_000_000;
const DEG = Math.PI / 180;

export interface SummitCell {
  /** Column (wrapped into 0..period-1 on a periodic grid) and row of the summit cell. */
  x: number;
  y: number;
  /** A key unique per cell. */
  key: number;
  valueM: number;
}

export interface ClimbOptions {
  /** Half-size of the neighbourhood searched at each step, km (at least one cell). */
  stepKm: number;
  /** A summit further than this from the start does not count (the walk left the seamount), km. */
  limitKm: number;
}

/**
 * Climbs from many starts, sharing the cells already walked (memo) so converging paths stop early.
 * Deterministic: the result for a start does not depend on the starts climbed before it, except in the
 * pathological case of a path that leaves 2 × limitKm and comes back.
 */
export class SummitClimber {
  private readonly grid: GridSource;
  private readonly o: ClimbOptions;
  private readonly period: number;
  private readonly memo = new Map<number, SummitCell>();

  constructor(grid: GridSource, o: ClimbOptions) {
    this.grid = grid;
    this.o = o;
    this.period = grid.periodicLon ? lonPeriodColumns(grid) : grid.width;
  }

  /** Summit reached from (lon, lat); null when the start is off the grid or the summit is out of reach. */
  async climb(lon: number, lat: number): Promise<SummitCell | null> {
    const g = this.grid;
    let x = round(lonToColumn(g, lon));
    let y = round(latToRow(g, lat));
    if (y < 0 || y >= g.height) return null;
    if (!g.periodicLon && (x < 0 || x >= g.width)) return null;
    x = this.wrap(x);
    const x0 = x;
    const y0 = y;
    const cosLat = max(cos(lat * DEG), 1e-3);
    const cellX = g.dLon * KM_PER_DEG * cosLat;
    const cellY = abs(g.dLat) * KM_PER_DEG;
    const kx = max(1, round(this.o.stepKm / cellX));
    const ky = max(1, round(this.o.stepKm / cellY));
    const path: number[] = [];
    let summit: SummitCell | null = null;
    for (let guard = 0; guard < 100000 && !summit; guard++) {
      const key = y * this.period + x;
      const known = this.memo.get(key);
      if (known) {
        summit = known;
        break;
      }
      path.push(key);
      const win = this.neighbourhood(x, y, kx, ky);
      const values = await g.read(win);
      let best = -1;
      for (let k = 0; k < values.length; k++) if (!Number.isNaN(values[k]) && (best < 0 || values[k] > values[best])) best = k;
      if (best < 0) return null; // all no-data around
      const here = values[(y - win.y0) * win.w + (this.unwrapNear(x, win.x0) - win.x0)];
      if (!Number.isNaN(here) && values[best] <= here) {
        summit = { x, y, key, valueM: here }; // nothing higher within a step (ties keep the current cell)
        break;
      }
      x = this.wrap(win.x0 + (best % win.w));
      y = win.y0 + floor(best / win.w);
      if (this.offsetKm(x0, y0, x, y, cellX, cellY) > 2 * this.o.limitKm) return null;
    }
    if (!summit) return null;
    // the memo only saves work: drop it rather than let it grow without bound on huge runs
    if (this.memo.size > MAX_MEMO_CELLS) this.memo.clear();
    for (const k of path) this.memo.set(k, summit);
    return this.offsetKm(x0, y0, summit.x, summit.y, cellX, cellY) <= this.o.limitKm ? summit : null;
  }

  private neighbourhood(x: number, y: number, kx: number, ky: number) {
    const g = this.grid;
    const y0 = max(0, y - ky);
    const y1 = min(g.height - 1, y + ky);
    let x0 = x - kx;
    let x1 = x + kx;
    if (!g.periodicLon) {
      x0 = max(0, x0);
      x1 = min(g.width - 1, x1);
    }
    return { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
  }

  /** The column index of x as it appears in a window starting at x0 (windows may run past the seam). */
  private unwrapNear(x: number, x0: number): number {
    return x0 + (this.grid.periodicLon ? (((x - x0) % this.period) + this.period) % this.period : x - x0);
  }

  private wrap(x: number): number {
    return this.grid.periodicLon ? ((x % this.period) + this.period) % this.period : x;
  }

  private offsetKm(xa: number, ya: number, xb: number, yb: number, cellX: number, cellY: number): number {
    let dx = xb - xa;
    if (this.grid.periodicLon) dx -= this.period * round(dx / this.period);
    return hypot(dx * cellX, (yb - ya) * cellY);
  }
}
