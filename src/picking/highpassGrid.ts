/**
 * A GridSource of the high-passed relief of another one: elevation minus the Gaussian regional trend
 * (σ = highpassKm / 6, the filter of the baselines and of a pick's prominence). The uphill walk that groups
 * windows into seamounts climbs this surface, so on a regional slope it stops at the seamount's summit
 * instead of walking on up the slope (issue 15).
 *
 * Computed in bands of whole rows, the filter's blocks aligned to the grid's corner, so a cell's value does
 * not depend on which band computed it; the last few bands are kept (bounded memory).
 */
import { GridSourceBase } from '../grid/base.js';
import { assertReadable, lonPeriodColumns } from '../grid/geometry.js';
import type { GridSource, PixelWindow } from '../types.js';
import { highpassBand } from './highpass.js';

export interface HighpassGridOptions {
  /** Width (6 σ) of the Gaussian regional trend removed, km. */
  highpassKm: number;
  /** Rows per band (default 256). */
  bandRows?: number;
  /** Bands kept (default 3). */
  maxBands?: number;
}

export class HighpassGrid extends GridSourceBase {
  private readonly source: GridSource;
  private readonly o: Required<HighpassGridOptions>;
  private readonly bands = new Map<number, Promise<Float32Array>>();
  private readonly columns: number;

  constructor(source: GridSource, o: HighpassGridOptions) {
    super(source, source);
    this.source = source;
    this.o = { bandRows: 256, maxBands: 3, ...o };
    // a periodic grid's band holds one period of columns; reads wrap into it
    this.columns = source.periodicLon ? Math.min(lonPeriodColumns(source), source.width) : source.width;
  }

  async read(win: PixelWindow): Promise<Float32Array> {
    assertReadable(this, win);
    const out = new Float32Array(win.w * win.h);
    const n = this.o.bandRows;
    const period = this.columns;
    for (let b = Math.floor(win.y0 / n); b * n < win.y0 + win.h; b++) {
      const band = await this.band(b);
      const r0 = Math.max(win.y0, b * n);
      const r1 = Math.min(win.y0 + win.h, (b + 1) * n, this.height);
      for (let r = r0; r < r1; r++) {
        const src = (r - b * n) * period;
        const dst = (r - win.y0) * win.w;
        for (let i = 0; i < win.w; i++) out[dst + i] = band[src + ((((win.x0 + i) % period) + period) % period)];
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.bands.clear();
  }

  private band(b: number): Promise<Float32Array> {
    const hit = this.bands.get(b);
    if (hit) {
      this.bands.delete(b);
      this.bands.set(b, hit);
      return hit;
    }
    const n = this.o.bandRows;
    const b0 = b * n;
    const b1 = Math.min(this.height - 1, b0 + n - 1);
    const cells = { x0: 0, x1: this.columns - 1, y0: 0, y1: this.height - 1 };
    const p = highpassBand(this.source, cells, b0, b1, { highpassKm: this.o.highpassKm, peakRadiusKm: 0 }).then((h) => h.highpass);
    this.bands.set(b, p);
    p.catch(() => this.bands.delete(b));
    while (this.bands.size > this.o.maxBands) this.bands.delete(this.bands.keys().next().value as number);
    return p;
  }
}
