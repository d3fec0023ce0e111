/**
 * A GridSource over an array already in memory: synthetic grids in tests and benchmarks, and small
 * cut-outs. Honours the same contract as the file readers (NaN no-data, wrap when periodic).
 */
import type { GridGeometry, GridSource, PixelWindow } from '../../src/types.js';
import { GridSourceBase } from '../../src/grid/base.js';
import { assertReadable, coversAllLongitudes, lonPeriodColumns } from '../../src/grid/geometry.js';

export interface MemoryGridOptions extends Omit<GridGeometry, 'periodicLon' | 'registration'> {
  values: Float32Array;
  registration?: GridGeometry['registration'];
  /** Defaults to true when width × dLon covers 360°. */
  periodicLon?: boolean;
  path?: string;
  variable?: string;
}

export class MemoryGrid extends GridSourceBase {
  private values: Float32Array | null;

  constructor(o: MemoryGridOptions) {
    if (o.values.length !== o.width * o.height) {
      throw new Error(`memory grid: ${o.values.length} values for ${o.width} x ${o.height} cells`);
    }
    super(
      { path: o.path ?? '(memory)', format: 'memory', variable: o.variable ?? 'z' },
      { ...o, registration: o.registration ?? 'gridline', periodicLon: o.periodicLon ?? coversAllLongitudes(o.width, o.dLon) },
    );
    this.values = o.values;
  }

  async read(win: PixelWindow): Promise<Float32Array> {
    const values = this.values;
    if (!values) throw new Error(`${this.path}: read after close`);
    assertReadable(this, win);
    const out = new Float32Array(win.w * win.h);
    const period = this.periodicLon ? lonPeriodColumns(this) : this.width;
    for (let j = 0; j < win.h; j++) {
      const row = (win.y0 + j) * this.width;
      for (let i = 0; i < win.w; i++) {
        const x = (((win.x0 + i) % period) + period) % period;
        out[j * win.w + i] = values[row + x];
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.values = null;
  }
}

/**
 * The values of a (procedural) grid computed once into a MemoryGrid: SyntheticGrid recomputes every
 * read, which is slow under jest's vm contexts, so tests that read it many times pay for it once.
 */
export async function materialise(grid: GridSource): Promise<MemoryGrid> {
  const values = await grid.read({ x0: 0, y0: 0, w: grid.width, h: grid.height });
  return new MemoryGrid({
    values,
    width: grid.width,
    height: grid.height,
    lon0: grid.lon0,
    dLon: grid.dLon,
    lat0: grid.lat0,
    dLat: grid.dLat,
    periodicLon: grid.periodicLon,
    path: grid.path,
  });
}
