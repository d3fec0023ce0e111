import { ErrorRasterBuilder } from '../../src/pipeline/error-raster.js';
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

describe('ErrorRasterBuilder', () => {
  it('places each window on its row and covers the row without gaps', () => {
    const stride = 10;
    const lats = [60 + stride / KM_PER_DEG, 60];
    const plan = layout(lats, 10, 5, stride);
    const b = new ErrorRasterBuilder(plan, -1);
    let e = 0;
    lats.forEach((lat, r) => {
      for (let i = 0; i < 5; i++) b.add(10 + i * plan.rowStepDeg[r], lat, ++e);
    });
    const { values, geometry: g } = b.raster;
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

  it('keeps a row across the antimeridian contiguous (plan longitudes run on past 180)', () => {
    const stride = 0.1 * KM_PER_DEG;
    const plan = layout([0], 179.95, 3, stride);
    const b = new ErrorRasterBuilder(plan, -1);
    [179.95, 180.05, 180.15].forEach((lon, i) => b.add(lon, 0, i + 1));
    expect(b.raster.geometry.lon0).toBeCloseTo(179.95, 9);
    expect(b.raster.geometry.width).toBe(3);
    expect(Array.from(b.raster.values)).toEqual([1, 2, 3]);
  });

  it('leaves cells of windows never added as no-data', () => {
    const plan = layout([10, 9.9], 0, 4, 11.1);
    const b = new ErrorRasterBuilder(plan, -9999);
    b.add(0, 10, 0.5);
    const v = Array.from(b.raster.values);
    expect(v.filter((x) => x === 0.5).length).toBeGreaterThan(0);
    expect(v.filter((x) => x === -9999).length).toBeGreaterThan(v.length / 2);
  });
});

describe('ErrorRasterBuilder sampling', () => {
  it('gives every window of every row a cell of its own (step of the row nearest the equator)', () => {
    const stride = 10;
    const lats = [60, 30, 0.5];
    const n = 8;
    const plan = layout(lats, 0, n, stride);
    const b = new ErrorRasterBuilder(plan, -1);
    const ids: number[] = [];
    lats.forEach((lat, r) => {
      for (let i = 0; i < n; i++) {
        ids.push(r * n + i + 1);
        b.add(i * plan.rowStepDeg[r], lat, r * n + i + 1);
      }
    });
    const seen = new Set(Array.from(b.raster.values).filter((v) => v !== -1));
    expect([...seen].sort((x, y) => x - y)).toEqual(ids);
  });
});
