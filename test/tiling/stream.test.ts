import { Writable } from 'node:stream';
import pino from 'pino';
import { SyntheticGrid } from '../support/synthetic-grid.js';
import type { GridSource, PixelWindow } from '../../src/types.js';
import { batchCount, extractWindow, planWindows, streamWindowBatches, type WindowBatch, type WindowPlan } from '../../src/tiling/index.js';
import { baseSpec, maxAbsDifference, planConfig } from './helpers.js';
import { materialise } from '../support/memory-grid.js';

const s2 = baseSpec.samples * baseSpec.samples;

/**
 * 1′ grid over 2°W..2°E, 2°S..2°N: seamounts, abyssal-hill fabric, land rising to the north-east
 * (slope) and a no-data hole in the south-west.
 */
function testGrid(): SyntheticGrid {
  return new SyntheticGrid({
    width: 241,
    height: 241,
    lon0: -2,
    dLon: 1 / 60,
    lat0: 2,
    dLat: -1 / 60,
    baseDepthM: -2500,
    slopeMPerKm: [8, 8],
    fabric: { amplitudeM: 150, wavelengthKm: 9 },
    seamounts: [
      { lon: -0.5, lat: 0.3, heightM: 2000, radiusKm: 20 },
      { lon: 0.6, lat: -0.8, heightM: 1500, radiusKm: 15, aspect: 0.6, azimuthDeg: 40 },
    ],
    nodata: (lon, lat) => lon < -1 && lat < -0.5,
  });
}

async function collect(grid: GridSource, plan: WindowPlan, o: Partial<Parameters<typeof streamWindowBatches>[2]> = {}): Promise<WindowBatch[]> {
  const out: WindowBatch[] = [];
  for await (const b of streamWindowBatches(grid, plan, { batchSize: 50, workers: 0, spec: baseSpec, plan: planConfig, ...o })) out.push(b);
  return out;
}

describe('streamWindowBatches', () => {
  let grid: GridSource;
  let plan: WindowPlan;
  beforeAll(async () => {
    grid = await materialise(testGrid());
    plan = planWindows(grid, null, 12, planConfig);
  });

  test('plan size is as expected for the test grid', () => {
    expect(plan.count).toBeGreaterThan(500);
    expect(batchCount(plan, 50)).toBe(Math.ceil(plan.count / 50));
  });

  test('main thread and 2 worker threads give identical batches; every window is kept or counted', async () => {
    const main = await collect(grid, plan, { workers: 0 });
    const pooled = await collect(grid, plan, { workers: 2 });
    expect(main.map((b) => b.index)).toEqual([...Array(batchCount(plan, 50)).keys()]);
    expect(pooled.length).toBe(main.length);
    let kept = 0;
    let land = 0;
    let nodata = 0;
    for (let k = 0; k < main.length; k++) {
      const a = main[k];
      const b = pooled[k];
      expect(b.index).toBe(a.index);
      expect(Array.from(b.ids)).toEqual(Array.from(a.ids));
      expect(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength).equals(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength))).toBe(
        true,
      );
      expect(b.skippedLand).toBe(a.skippedLand);
      expect(b.skippedNodata).toBe(a.skippedNodata);
      expect(a.data.length).toBe(a.ids.length * s2);
      for (let i = 0; i < a.ids.length; i++) {
        expect(Math.floor(a.ids[i] / 50)).toBe(k);
        if (i > 0) expect(a.ids[i]).toBeGreaterThan(a.ids[i - 1]);
        const c = plan.centre(a.ids[i]);
        expect(a.lon[i]).toBe(c.lon);
        expect(a.lat[i]).toBe(c.lat);
      }
      kept += a.ids.length;
      land += a.skippedLand;
      nodata += a.skippedNodata;
    }
    expect(kept + land + nodata).toBe(plan.count);
    // the test grid has all three kinds
    expect(kept).toBeGreaterThan(100);
    expect(land).toBeGreaterThan(20);
    expect(nodata).toBeGreaterThan(20);
  });

  test('land and no-data rules count as single windows do, and kept windows equal single extractions', async () => {
    const batches = await collect(grid, plan, { workers: 0 });
    const keptData = new Map<number, Float32Array>();
    for (const b of batches) for (let i = 0; i < b.ids.length; i++) keptData.set(b.ids[i], b.data.subarray(i * s2, (i + 1) * s2));
    let land = 0;
    let nodata = 0;
    let compared = 0;
    for (let id = 0; id < plan.count; id++) {
      const c = plan.centre(id);
      const w = await extractWindow(grid, c, baseSpec, planConfig.landLevelM);
      if (w.nodataFraction > planConfig.maxNodataFraction) nodata++;
      else if (w.landFraction > planConfig.maxLandFraction) land++;
      else {
        const got = keptData.get(id);
        expect(got).toBeDefined();
        if (got && id % 5 === 0) {
          expect(maxAbsDifference(got, w.data)).toBeLessThan(1e-5);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(20);
    expect(batches.reduce((s, b) => s + b.skippedLand, 0)).toBe(land);
    expect(batches.reduce((s, b) => s + b.skippedNodata, 0)).toBe(nodata);
  });

  test('shards (k % 3 === i) and a resumed run reproduce the full run exactly', async () => {
    const full = await collect(grid, plan, { workers: 0 });
    const byIndex = new Map(full.map((b) => [b.index, b]));
    const seen = new Set<number>();
    for (let i = 0; i < 3; i++) {
      const shard = await collect(grid, plan, { workers: i === 1 ? 1 : 0, includeBatch: (k) => k % 3 === i });
      for (const b of shard) {
        expect(b.index % 3).toBe(i);
        seen.add(b.index);
        const ref = byIndex.get(b.index)!;
        expect(Array.from(b.ids)).toEqual(Array.from(ref.ids));
        expect(Array.from(b.data)).toEqual(Array.from(ref.data));
      }
    }
    expect(seen.size).toBe(full.length);
    // resume: batches 0..4 done already
    const resumed = await collect(grid, plan, { includeBatch: (k) => k >= 5 });
    expect(resumed[0].index).toBe(5);
    expect(Array.from(resumed[0].data)).toEqual(Array.from(byIndex.get(5)!.data));
  });

  test('batches are built lazily: stopping early reads only the batches in flight', async () => {
    let reads = 0;
    const source = grid;
    const counting: GridSource = Object.assign(Object.create(source) as GridSource, {
      read: (win: PixelWindow) => {
        reads++;
        return source.read(win);
      },
    });
    let taken = 0;
    for await (const b of streamWindowBatches(counting, plan, { batchSize: 20, workers: 2, spec: baseSpec, plan: planConfig })) {
      expect(b.index).toBe(0);
      taken++;
      break;
    }
    expect(taken).toBe(1);
    // at most workers + 1 batches in flight, each a few patches (row changes split patches)
    const batches = batchCount(plan, 20);
    expect(batches).toBeGreaterThan(20);
    expect(reads).toBeLessThanOrEqual(3 * 4);
  });

  test('an aborted run stops with the abort reason', async () => {
    const controller = new AbortController();
    const run = async (): Promise<number> => {
      let n = 0;
      for await (const _ of streamWindowBatches(grid, plan, { batchSize: 20, workers: 0, spec: baseSpec, plan: planConfig, signal: controller.signal })) {
        n++;
        if (n === 2) controller.abort(new Error('user stopped'));
      }
      return n;
    };
    await expect(run()).rejects.toThrow('user stopped');
  });

  test('skipped counts are logged at the end', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write: (chunk, _e, cb) => {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    const batches = await collect(grid, plan, { logger });
    const land = batches.reduce((s, b) => s + b.skippedLand, 0);
    const last = JSON.parse(lines[lines.length - 1]) as { skippedLand: number; skippedNodata: number; windows: number; msg: string };
    expect(last.skippedLand).toBe(land);
    expect(last.msg).toMatch(new RegExp(`skipped ${land} mostly land`));
  });

  test('a plan across the antimeridian streams windows equal to single extractions', async () => {
    const globe = await materialise(
      new SyntheticGrid({
        width: 3600,
        height: 61,
        lon0: -180,
        dLon: 0.1,
        lat0: 3,
        dLat: -0.1,
        baseDepthM: -4000,
        seamounts: [{ lon: 180, lat: 0, heightM: 2000, radiusKm: 20 }],
      }),
    );
    expect(globe.periodicLon).toBe(true);
    const p = planWindows(globe, { west: 179.5, east: -179.5, south: -0.5, north: 0.5 }, 10, planConfig);
    const batches = await collect(globe, p, { batchSize: 7, workers: 1 });
    const n = batches.reduce((s, b) => s + b.ids.length, 0);
    expect(n).toBe(p.count);
    for (const b of batches) {
      for (let i = 0; i < b.ids.length; i += 3) {
        const w = await extractWindow(globe, { lon: b.lon[i], lat: b.lat[i] }, baseSpec, 0);
        expect(maxAbsDifference(b.data.subarray(i * s2, (i + 1) * s2), w.data)).toBeLessThan(1e-5);
      }
    }
  });
});
