import { ErrorRasterStream } from '../../src/pipeline/error-raster.js';
import { collectErrorRaster } from '../support/error-raster.js';
import { KM_PER_DEG } from '../../src/base/geodesy.js';

/** A plan-like layout: rows north to south, `n` centres per row `strideKm` apart from `lon0`. */
function layout(lats: number[], lon0: number, n: number, strideKm: number) {
  const rowStepDeg = Float64Array.from(lats, (lat) => strideKm / (KM_PER_DEG * Math.cos((lat * Math.PI) / 180)));
  return {
    rows: lats.length,
    strideKm,
    rowLatDeg: Float64Array.from(lats),
    rowLon0Deg: Float64Array.from(lats, () => lon0),
    rowStepDeg,
    rowFirstId: Int32Array.from([...lats.keys(), lats.length], (r) => r * n),
  };
}

describe('ErrorRasterStream', () => {
  it('places each window on its row and covers the row without gaps', async () => {
    const stride = 10;
    const lats = [60 + stride / KM_PER_DEG, 60];
    const plan = layout(lats, 10, 5, stride);
    const windows: Array<{ lon: number; lat: number; error: number }> = [];
    let e = 0;
    lats.forEach((lat, r) => {
      for (let i = 0; i < 5; i++) windows.push({ lon: 10 + i * plan.rowStepDeg[r], lat, error: ++e });
    });
    const { values, geometry: g } = await collectErrorRaster(plan, -1, windows);
    expect(g.height).toBe(2);
    expect(g.dLat).toBeCloseTo(-stride / KM_PER_DEG, 12);
    const north = Array.from(values.slice(0, g.width));
    expect(north[0]).toBe(1);
    expect(north[north.length - 1]).toBe(5);
    expect(north).not.toContain(-1);
    expect([...new Set(north)]).toEqual([1, 2, 3, 4, 5]);
    const south = Array.from(values.slice(g.width));
    expect(south[0]).toBe(6);
    expect([...new Set(south.filter((v) => v !== -1))]).toEqual([6, 7, 8, 9, 10]);
  });

  it('keeps a row across the antimeridian contiguous (plan longitudes run on past 180)', async () => {
    const stride = 0.1 * KM_PER_DEG;
    const plan = layout([0], 179.95, 3, stride);
    const r = await collectErrorRaster(
      plan,
      -1,
      [179.95, 180.05, 180.15].map((lon, i) => ({ lon, lat: 0, error: i + 1 })),
    );
    expect(r.geometry.lon0).toBeCloseTo(179.95, 9);
    expect(r.geometry.width).toBe(3);
    expect(Array.from(r.values)).toEqual([1, 2, 3]);
  });

  it('leaves cells of windows never added as no-data', async () => {
    const plan = layout([10, 9.9], 0, 4, 11.1);
    const v = Array.from((await collectErrorRaster(plan, -9999, [{ lon: 0, lat: 10, error: 0.5 }])).values);
    expect(v.filter((x) => x === 0.5).length).toBeGreaterThan(0);
    expect(v.filter((x) => x === -9999).length).toBeGreaterThan(v.length / 2);
  });
});

describe('ErrorRasterStream sampling', () => {
  it('gives every window of every row a cell of its own (step of the row nearest the equator)', async () => {
    const stride = 10;
    const lats = [60, 30, 0.5];
    const n = 8;
    const plan = layout(lats, 0, n, stride);
    const ids: number[] = [];
    const windows: Array<{ lon: number; lat: number; error: number }> = [];
    lats.forEach((lat, r) => {
      for (let i = 0; i < n; i++) {
        ids.push(r * n + i + 1);
        windows.push({ lon: i * plan.rowStepDeg[r], lat, error: r * n + i + 1 });
      }
    });
    const seen = new Set(Array.from((await collectErrorRaster(plan, -1, windows)).values).filter((v) => v !== -1));
    expect([...seen].sort((x, y) => x - y)).toEqual(ids);
  });
});

describe('ErrorRasterStream streaming', () => {
  it('hands rows over north to south as soon as they are finished, holding two rows at most', async () => {
    const stride = 10;
    const lats = Array.from({ length: 12 }, (_, r) => 40 - (r * stride) / KM_PER_DEG);
    const n = 6;
    const plan = layout(lats, 0, n, stride);
    const sunk: number[] = []; // the row's first window error, as each row reaches the sink
    let addedRows = 0;
    const stream = new ErrorRasterStream(plan, -1, async (row) => {
      sunk.push(row[0]);
    });
    for (let r = 0; r < lats.length; r++) {
      if (r === 5) continue; // a row with no windows (all land) still comes out, as no-data
      for (let i = 0; i < n; i++) stream.add(i * plan.rowStepDeg[r], lats[r], 100 * r + i);
      addedRows = r + 1;
      await stream.flush();
      // everything above the row being added has gone to the sink
      expect(sunk.length).toBe(addedRows - 1);
    }
    await stream.end();
    expect(sunk).toEqual(lats.map((_, r) => (r === 5 ? -1 : 100 * r)));
    // a window of a row already handed over is a caller's bug, not a silent overwrite
    expect(() => stream.add(0, lats[0], 1)).toThrow(/plan order/);
  });
});
