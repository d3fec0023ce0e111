import { SearchArea } from '../../src/catalogue/index.js';
import { onValidSeaFloor } from '../../src/evaluation/index.js';
import { MemoryGrid } from '../support/memory-grid.js';
import { EARTH_RADIUS_KM, KM_PER_DEG } from '../../src/base/geodesy.js';

describe('SearchArea', () => {
  it('contains points of a region that crosses the antimeridian', () => {
    const a = SearchArea.fromRegion({ west: 170, east: -170, south: -20, north: -10 });
    expect(a.contains(175, -15)).toBe(true);
    expect(a.contains(-175, -15)).toBe(true);
    expect(a.contains(185, -15)).toBe(true);
    expect(a.contains(165, -15)).toBe(false);
    expect(a.contains(-165, -15)).toBe(false);
    expect(a.contains(175, -9)).toBe(false);
  });

  it('intersects a 0..360 grid with a region in -180..180', () => {
    // Hawaii-style grid: cell centres 160..220 east
    const grid = new MemoryGrid({ width: 61, height: 41, lon0: 160, dLon: 1, lat0: 5, dLat: 1, values: new Float32Array(61 * 41) });
    const a = SearchArea.fromGrid(grid).intersect(SearchArea.fromRegion({ west: -170, east: -150, south: 15, north: 60 }));
    expect(a.arcs).toEqual([{ west: 190, widthDeg: 20 }]);
    expect([a.south, a.north]).toEqual([15, 45]);
    expect(a.contains(-160, 20)).toBe(true);
    expect(a.contains(200, 20)).toBe(true);
    expect(a.contains(-171, 20)).toBe(false);
    expect(a.describe()).toBe('-170/-150/15/45');
  });

  it('measures the distance to the nearest edge in km', () => {
    const a = SearchArea.fromRegion({ west: 10, east: 12, south: 0, north: 2 });
    // 0.3° from the south edge, 0.5° from the west meridian at lat 0.3
    expect(a.edgeDistanceKm(10.5, 0.3)).toBeCloseTo(0.3 * KM_PER_DEG, 6);
    // meridian distance: R·asin(sin Δλ cos φ)
    const d = a.edgeDistanceKm(10.1, 1);
    expect(d).toBeCloseTo(EARTH_RADIUS_KM * Math.asin(Math.sin((0.1 * Math.PI) / 180) * Math.cos(Math.PI / 180)), 6);
    expect(a.edgeDistanceKm(13, 1)).toBe(0);
    // across the antimeridian
    const b = SearchArea.fromRegion({ west: 179, east: -179, south: -1, north: 1 });
    expect(b.edgeDistanceKm(-179.5, 0)).toBeCloseTo(0.5 * KM_PER_DEG, 6);
    // the world has no edge; a global grid has only its latitude limits
    expect(SearchArea.world().edgeDistanceKm(0, 0)).toBe(Infinity);
    const global = new MemoryGrid({ width: 360, height: 121, lon0: 0, dLon: 1, lat0: -60, dLat: 1, values: new Float32Array(360 * 121) });
    expect(global.periodicLon).toBe(true);
    expect(SearchArea.fromGrid(global).edgeDistanceKm(359.9, 50)).toBeCloseTo(10 * KM_PER_DEG, 6);
  });
});

describe('onValidSeaFloor', () => {
  it('rejects points on no-data and land cells and off the grid, reading blocks', async () => {
    // 600 × 300 cells of 0.01°: more than one 256-cell block each way
    const width = 600;
    const height = 300;
    const values = new Float32Array(width * height).fill(-4000);
    values[150 * width + 100] = NaN; // (11.0, 1.5)
    values[10 * width + 550] = 120; // (15.5, 0.1): land
    values[299 * width + 599] = -10; // last cell, shallow sea
    const grid = new MemoryGrid({ width, height, lon0: 10, dLon: 0.01, lat0: 0, dLat: 0.01, values });
    let reads = 0;
    const read = grid.read.bind(grid);
    grid.read = (w) => {
      reads++;
      expect(w.w * w.h).toBeLessThanOrEqual(256 * 256);
      return read(w);
    };
    const ok = await onValidSeaFloor(grid, [
      { lon: 11.0, lat: 1.5 },
      { lon: 11.004, lat: 1.496 }, // nearest cell is the NaN one
      { lon: 15.5, lat: 0.1 },
      { lon: 15.99, lat: 2.99 },
      { lon: 10.2, lat: 0.2 },
      { lon: 17, lat: 1 },
    ]);
    expect(ok).toEqual([false, false, false, true, true, false]);
    expect(reads).toBeLessThanOrEqual(4);
  });

  it('wraps on a global grid', async () => {
    const values = new Float32Array(360 * 11).fill(-3000);
    values[5 * 360 + 359] = NaN; // lon 359 = -1
    const grid = new MemoryGrid({ width: 360, height: 11, lon0: 0, dLon: 1, lat0: -5, dLat: 1, values });
    expect(
      await onValidSeaFloor(grid, [
        { lon: -1, lat: 0 },
        { lon: -2, lat: 0 },
        { lon: 358.6, lat: 0 },
        { lon: 359.6, lat: 0 },
      ]),
    ).toEqual([false, true, false, true]);
  });
});
