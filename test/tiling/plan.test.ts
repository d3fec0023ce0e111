import pino from 'pino';
import { Writable } from 'node:stream';
import type { GridGeometry } from '../../src/types.js';
import { planWindows } from '../../src/tiling/plan.js';
import { EARTH_RADIUS_KM, wrapLon180 } from '../../src/base/geodesy.js';

const DEG = Math.PI / 180;
const planCfg = { maxLandFraction: 0.2, maxNodataFraction: 0.1, landLevelM: 0, maxAbsLatDeg: 85 };

function geometry(o: Partial<GridGeometry> & Pick<GridGeometry, 'width' | 'height' | 'lon0' | 'dLon' | 'lat0' | 'dLat'>): GridGeometry {
  return { registration: 'gridline', periodicLon: false, ...o };
}

function distanceKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const a = Math.sin(((lat2 - lat1) * DEG) / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(((lon2 - lon1) * DEG) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(a));
}

/** 1-arc-minute grid over 20°E..30°E, 50°N..60°N, north-up. */
const regional = geometry({ width: 601, height: 601, lon0: 20, dLon: 1 / 60, lat0: 60, dLat: -1 / 60 });
/** Global 0.25° grid, 0..359.75, periodic. */
const global360 = geometry({ width: 1440, height: 721, lon0: 0, dLon: 0.25, lat0: -90, dLat: 0.25, periodicLon: true });
const global180 = geometry({ width: 1440, height: 721, lon0: -180, dLon: 0.25, lat0: 90, dLat: -0.25, periodicLon: true });

describe('planWindows', () => {
  test('centres are strideKm apart on the ground along rows and between rows, ids row-major north to south', () => {
    const plan = planWindows(regional, null, 10, planCfg);
    expect(plan.rows).toBeGreaterThan(100);
    for (let r = 0; r < plan.rows; r += 17) {
      const a = plan.rowFirstId[r];
      const b = plan.rowFirstId[r + 1];
      expect(b - a).toBeGreaterThan(30);
      const c0 = plan.centre(a);
      const c1 = plan.centre(a + 1);
      // spacing along the parallel is the stride (great-circle chord differs by < 0.01 km at 10 km)
      expect(distanceKm(c0.lon, c0.lat, c1.lon, c1.lat)).toBeCloseTo(10, 1);
      expect(c1.lat).toBe(c0.lat);
      // row extent fits the region and is centred in it
      const cLast = plan.centre(b - 1);
      expect(c0.lon).toBeGreaterThanOrEqual(20);
      expect(cLast.lon).toBeLessThanOrEqual(30);
      expect(c0.lon - 20).toBeCloseTo(30 - cLast.lon, 9);
      if (r + 1 < plan.rows) {
        const n0 = plan.centre(b);
        expect(c0.lat - n0.lat).toBeGreaterThan(0);
        expect(distanceKm(0, c0.lat, 0, n0.lat)).toBeCloseTo(10, 6);
      }
    }
    // more windows per row at 50°N than at 60°N
    expect(plan.rowFirstId[plan.rows] - plan.rowFirstId[plan.rows - 1]).toBeGreaterThan(plan.rowFirstId[1] - plan.rowFirstId[0]);
    expect(plan.rowFirstId[plan.rows]).toBe(plan.count);
  });

  test('same inputs, same ids; rowOf and centre agree', () => {
    const a = planWindows(regional, { west: 21, east: 24, south: 52, north: 55 }, 4, planCfg);
    const b = planWindows(regional, { west: 21, east: 24, south: 52, north: 55 }, 4, planCfg);
    expect(a.count).toBe(b.count);
    for (let id = 0; id < a.count; id += 13) {
      expect(a.centre(id)).toEqual(b.centre(id));
      const r = a.rowOf(id);
      expect(a.rowFirstId[r]).toBeLessThanOrEqual(id);
      expect(a.rowFirstId[r + 1]).toBeGreaterThan(id);
    }
    expect(() => a.centre(a.count)).toThrow(/outside/);
  });

  test('a region across the antimeridian plans the same centres on 0..360 and −180..180 grids', () => {
    const region = { west: 170, east: -170, south: -20, north: -10 };
    const p360 = planWindows(global360, region, 8, planCfg);
    const p180 = planWindows(global180, region, 8, planCfg);
    expect(p360.count).toBe(p180.count);
    expect(p360.count).toBeGreaterThan(100);
    for (let id = 0; id < p360.count; id += 7) {
      const a = p360.centre(id);
      const b = p180.centre(id);
      expect(a.lat).toBeCloseTo(b.lat, 9);
      expect(wrapLon180(a.lon)).toBeCloseTo(wrapLon180(b.lon), 6);
      expect(Math.abs(wrapLon180(a.lon))).toBeGreaterThanOrEqual(170 - 1e-9);
    }
    // rows run continuously across 180: consecutive centres one stride apart
    const r0 = p180.rowFirstId[0];
    for (let id = r0; id < p180.rowFirstId[1] - 1; id++) {
      const a = p180.centre(id);
      const b = p180.centre(id + 1);
      expect(distanceKm(a.lon, a.lat, b.lon, b.lat)).toBeCloseTo(8, 1);
    }
    // a region in the other convention maps onto the grid's
    const pOther = planWindows(global360, { west: -30, east: -20, south: 0, north: 5 }, 8, planCfg);
    expect(pOther.region.west).toBeCloseTo(330, 9);
    expect(pOther.region.east).toBeCloseTo(340, 9);
  });

  test('whole periodic grid: rows go round the globe evenly with no seam duplicate', () => {
    const plan = planWindows(global180, { west: -180, east: 180, south: -1, north: 1 }, 50, planCfg);
    expect(plan.fullCircle).toBe(true);
    for (let r = 0; r < plan.rows; r++) {
      const a = plan.rowFirstId[r];
      const n = plan.rowFirstId[r + 1] - a;
      expect(plan.rowStepDeg[r] * n).toBeCloseTo(360, 9);
      const first = plan.centre(a);
      const last = plan.centre(a + n - 1);
      // the gap across the seam equals the step
      expect(first.lon + 360 - last.lon).toBeCloseTo(plan.rowStepDeg[r], 9);
      expect(plan.rowStepDeg[r] * ((EARTH_RADIUS_KM * Math.PI) / 180) * Math.cos(first.lat * DEG)).toBeLessThanOrEqual(50 + 1e-9);
    }
  });

  test('poles: a polar region is refused, a region reaching past the limit is clipped with a warning', () => {
    expect(() => planWindows(global180, { west: 0, east: 10, south: 86, north: 90 }, 10, planCfg)).toThrow(/poleward of plan.maxAbsLatDeg = 85/);
    const lines: string[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write: (chunk, _enc, cb) => {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    const plan = planWindows(global180, { west: 0, east: 10, south: 80, north: 90 }, 10, planCfg, logger);
    expect(plan.rowLatDeg[0]).toBeLessThanOrEqual(85);
    expect(plan.rowLatDeg[plan.rows - 1]).toBeGreaterThanOrEqual(80);
    expect(lines.join('')).toMatch(/limited to -85\.\.85/);
  });

  test('a region off the grid is an error naming the region', () => {
    expect(() => planWindows(regional, { west: 40, east: 50, south: 50, north: 60 }, 10, planCfg)).toThrow(/region 40\/50\/50\/60 does not overlap/);
    expect(() => planWindows(regional, null, 0, planCfg)).toThrow(/strideKm/);
  });
});
