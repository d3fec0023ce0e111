/** The small building blocks of picking: spatial index, tile cache, error field, climbing, merging. */
import { MemoryGrid } from '../support/memory-grid.js';
import { SyntheticGrid, type PlantedSeamount } from '../support/synthetic-grid.js';
import { CachedGrid } from '../../src/picking/cached-grid.js';
import { SummitClimber } from '../../src/picking/climb.js';
import { findHits, sigmaOfFwhm } from '../../src/picking/error-field.js';
import { GeoIndex } from '../../src/picking/geo-index.js';
import { measureSeamount } from '../../src/picking/measure.js';
import { separated } from '../../src/picking/merge.js';
import { regionCells } from '../../src/picking/region.js';
import type { ScoredWindow } from '../../src/types.js';
import { planCentres } from './fixtures.js';
import { KM_PER_DEG, greatCircleKm } from '../../src/base/geodesy.js';

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('GeoIndex', () => {
  const rnd = lcg(3);
  const lons = Array.from({ length: 3000 }, () => rnd() * 360 - 180);
  const lats = Array.from({ length: 3000 }, () => Math.asin(2 * rnd() - 1) * (180 / Math.PI));
  const index = new GeoIndex(lons, lats);

  it.each([
    [0, 0, 800],
    [179.5, 10, 900],
    [-179.9, -30, 1500],
    [30, 88, 700],
    [-120, -89.5, 400],
  ])('within(%f, %f, %f km) equals a brute-force scan', (lon, lat, r) => {
    const brute = lons.map((_, i) => i).filter((i) => greatCircleKm(lon, lat, lons[i], lats[i]) <= r);
    expect(brute.length).toBeGreaterThan(0);
    expect(index.within(lon, lat, r)).toEqual(brute);
  });

  it('is empty for no points', () => {
    expect(new GeoIndex([], []).within(0, 0, 100)).toEqual([]);
  });
});

describe('CachedGrid', () => {
  const rnd = lcg(11);
  const width = 700;
  const height = 300;
  const values = Float32Array.from({ length: width * height }, () => rnd());
  const base = new MemoryGrid({ values, width, height, lon0: 0, dLon: 0.5, lat0: 70, dLat: -0.5 });
  const periodic = new MemoryGrid({ values: values.slice(0, 720 * 200), width: 720, height: 200, lon0: 0, dLon: 0.5, lat0: 50, dLat: -0.5 });

  it('returns exactly what the source returns, across tile edges', async () => {
    const cached = new CachedGrid(base, { tileSize: 64, maxTiles: 6 });
    for (let k = 0; k < 40; k++) {
      const w = 1 + Math.floor(rnd() * 150);
      const h = 1 + Math.floor(rnd() * 100);
      const win = { x0: Math.floor(rnd() * (width - w)), y0: Math.floor(rnd() * (height - h)), w, h };
      expect(await cached.read(win)).toEqual(await base.read(win));
    }
  });

  it('wraps columns on a periodic grid like the source does', async () => {
    expect(periodic.periodicLon).toBe(true);
    const cached = new CachedGrid(periodic, { tileSize: 100 });
    for (const win of [
      { x0: -30, y0: 10, w: 80, h: 20 },
      { x0: 700, y0: 0, w: 50, h: 5 },
      { x0: -800, y0: 190, w: 900, h: 10 },
    ]) {
      expect(await cached.read(win)).toEqual(await periodic.read(win));
    }
  });

  it('reads each tile once while it stays cached, and refuses rows off the grid', async () => {
    const cached = new CachedGrid(base, { tileSize: 100, maxTiles: 100 });
    await cached.read({ x0: 0, y0: 0, w: 250, h: 150 });
    const first = cached.tilesRead;
    await cached.read({ x0: 10, y0: 20, w: 200, h: 100 });
    expect(cached.tilesRead).toBe(first);
    await expect(cached.read({ x0: 0, y0: 290, w: 5, h: 20 })).rejects.toThrow(/rows/);
    await expect(cached.read({ x0: 690, y0: 0, w: 20, h: 2 })).rejects.toThrow(/columns/);
  });
});

describe('findHits', () => {
  const centres = planCentres({ west: -10, east: -9, south: 40, north: 41 }, 4);
  const rnd = lcg(5);
  const windows: ScoredWindow[] = centres.map((c) => ({ ...c, error: 0.02 + 0.04 * rnd() }));

  it('without smoothing: exactly the windows under the threshold', () => {
    const hits = findHits(windows, 0.03, 0);
    expect(hits.map((h) => h.index)).toEqual(windows.map((w, i) => (w.error < 0.03 ? i : -1)).filter((i) => i >= 0));
  });

  it('with smoothing: the same as low-passing every window by brute force', () => {
    const sigma = sigmaOfFwhm(10);
    const smoothed = windows.map((a) => {
      let sw = 0;
      let se = 0;
      for (const b of windows) {
        const d = greatCircleKm(a.lon, a.lat, b.lon, b.lat);
        if (d > 3 * sigma) continue;
        const w = Math.exp((-0.5 * d * d) / (sigma * sigma));
        sw += w;
        se += w * b.error;
      }
      return se / sw;
    });
    const threshold = 0.039;
    const expected = smoothed.map((e, i) => (e < threshold ? i : -1)).filter((i) => i >= 0);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(windows.length);
    const hits = findHits(windows, threshold, 10);
    expect(hits.map((h) => h.index)).toEqual(expected);
    for (const h of hits) expect(h.smoothedError).toBeCloseTo(smoothed[h.index], 4);
  });

  it('treats non-finite errors as misses', () => {
    const bad = windows.map((w, i) => (i % 2 ? { ...w, error: NaN } : w));
    for (const h of findHits(bad, 0.05, 0)) expect(h.index % 2).toBe(0);
  });
});

describe('SummitClimber and separated', () => {
  const east = (km: number) => km / (KM_PER_DEG * Math.cos((45 * Math.PI) / 180));
  const a: PlantedSeamount = { lon: -112.5, lat: -45, heightM: 1000, radiusKm: 10 };
  const b: PlantedSeamount = { lon: -112.5 + east(15), lat: -45, heightM: 800, radiusKm: 10 };
  const grid = new SyntheticGrid({
    width: 241,
    height: 181,
    lon0: -114,
    dLon: 1 / 60,
    lat0: -43.5,
    dLat: -1 / 60,
    baseDepthM: -4000,
    slopeMPerKm: [1, 1],
    seamounts: [a, b],
  });

  it('walks from each flank to its own summit', async () => {
    const climber = new SummitClimber(grid, { stepKm: 3, limitKm: 20 });
    const fromWest = await climber.climb(a.lon - east(6), a.lat + 0.03);
    const fromEast = await climber.climb(b.lon + east(6), b.lat - 0.03);
    const nearA = await climber.climb(a.lon + east(5), a.lat); // between the two, nearer a
    expect(fromWest).not.toBeNull();
    expect(fromEast).not.toBeNull();
    expect(Math.abs(grid.lon0 + (fromWest?.x ?? 0) * grid.dLon - a.lon)).toBeLessThanOrEqual(grid.dLon);
    expect(Math.abs(grid.lon0 + (fromEast?.x ?? 0) * grid.dLon - b.lon)).toBeLessThanOrEqual(grid.dLon);
    expect(nearA?.key).toBe(fromWest?.key);
    expect(fromWest?.key).not.toBe(fromEast?.key);
  });

  it('gives up when the summit is beyond its reach', async () => {
    const climber = new SummitClimber(grid, { stepKm: 3, limitKm: 4 });
    expect(await climber.climb(a.lon - east(12), a.lat)).toBeNull();
  });

  it('tells two edifices from one by the dip between them', async () => {
    const o = { measureRadiusKm: 40, highpassKm: 100 };
    const ma = await measureSeamount(grid, a.lon, a.lat, o);
    const mb = await measureSeamount(grid, b.lon, b.lat, o);
    expect(ma && mb).toBeTruthy();
    if (!ma || !mb) return;
    expect(await separated(grid, ma, mb, 0.25)).toBe(true);
    // the same summit measured twice is not two
    const ma2 = { ...ma, lon: ma.lon + 0.02 };
    expect(await separated(grid, ma, ma2, 0.25)).toBe(false);
  });
});

describe('regionCells', () => {
  const grid = new MemoryGrid({ values: new Float32Array(661 * 421), width: 661, height: 421, lon0: -118, dLon: 1 / 60, lat0: -49, dLat: 1 / 60 });
  it('covers the whole grid for null and clamps a region to it', () => {
    expect(regionCells(grid, null)).toEqual({ x0: 0, x1: 660, y0: 0, y1: 420 });
    expect(regionCells(grid, { west: -113, east: -110, south: -47, north: -45 })).toEqual({ x0: 300, x1: 480, y0: 120, y1: 240 });
    expect(regionCells(grid, { west: -120, east: -117, south: -50, north: -48 })).toEqual({ x0: 0, x1: 60, y0: 0, y1: 60 });
    expect(regionCells(grid, { west: 10, east: 20, south: -47, north: -45 })).toBeNull();
  });
});
