import { errorRaster } from '../../src/pipeline/error-raster.js';
import type { ScoredWindow } from '../../src/types.js';
import { KM_PER_DEG } from '../../src/grid/geometry.js';

describe('errorRaster', () => {
  it('places each window on its row and covers the row without gaps', () => {
    const stride = 10;
    const windows: ScoredWindow[] = [];
    let id = 0;
    for (const lat of [60, 60 + stride / KM_PER_DEG]) {
      const step = stride / (KM_PER_DEG * Math.cos((lat * Math.PI) / 180));
      for (let i = 0; i < 5; i++) windows.push({ id: id++, lon: 10 + i * step, lat, error: id });
    }
    const r = errorRaster(windows, stride, -1)!;
    expect(r.geometry.height).toBe(2);
    expect(r.geometry.dLat).toBeCloseTo(-stride / KM_PER_DEG, 12);
    // north row first: the windows of the second (northern) row, errors 6..10, left to right
    const north = Array.from(r.values.slice(0, r.geometry.width));
    expect(north[0]).toBe(6);
    expect(north[north.length - 1]).toBe(10);
    expect(north).not.toContain(-1);
    expect([...new Set(north)]).toEqual([6, 7, 8, 9, 10]);
    const south = Array.from(r.values.slice(r.geometry.width));
    expect(south[0]).toBe(1);
    expect([...new Set(south.filter((v) => v !== -1))]).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps a region across the antimeridian contiguous', () => {
    const windows: ScoredWindow[] = [179.95, -179.95, -179.85].map((lon, i) => ({ id: i, lon, lat: 0, error: i + 1 }));
    const r = errorRaster(windows, 0.1 * KM_PER_DEG, -1)!;
    expect(r.geometry.lon0).toBeCloseTo(179.95, 9);
    expect(r.geometry.width).toBe(3);
    expect(Array.from(r.values)).toEqual([1, 2, 3]);
  });

  it('returns null without windows', () => {
    expect(errorRaster([], 5, -1)).toBeNull();
  });
});
