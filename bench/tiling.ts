/**
 * Tiling benchmark: windows per second with 0 (main thread), 1 and 2 worker threads on a real shared
 * grid, and resident memory while streaming a global-size grid (21,600 × 10,800 cells of 1′, values
 * computed on demand) over a small and a 10× larger region: memory must not grow with the region.
 *
 *   node --import tsx bench/tiling.ts [--grid PATH] [--workers 0,1,2] [--large-windows N] [--json FILE]
 *
 * Figures depend on the machine and on what else runs on it; report them with the machine.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/index.js';
import { SyntheticGrid, type PlantedSeamount } from '../test/support/synthetic-grid.js';
import { planWindows, streamWindowBatches, windowSpecFromConfig, type WindowPlan } from '../src/tiling/index.js';
import type { GridSource, Region, WindowSpec } from '../src/types.js';
import type { PlanConfig } from '../src/config/schema.js';

export interface TilingBenchOptions {
  /** Real grid for the throughput runs (default: the shared spac_33.nc4.nc). */
  gridPath?: string;
  /** Worker counts to time (default [0, 1, 2]). */
  workers?: number[];
  /** Windows per batch (default: config tiling.batchSize). */
  batchSize?: number;
  /** Window stride, km (default: config window.strideKm). */
  strideKm?: number;
  /** Approximate number of windows streamed in the larger memory run (default 200,000; the small run is a tenth). */
  largeWindows?: number;
  /** Workers for the memory runs (default 2). */
  memoryWorkers?: number;
  /** Progress lines on stderr. */
  verbose?: boolean;
}

export interface ThroughputRun {
  workers: number;
  windows: number;
  seconds: number;
  windowsPerSecond: number;
  /** Rate after the first batch arrived (leaves out worker start-up). */
  steadyWindowsPerSecond: number;
}

export interface MemoryRun {
  region: string;
  windows: number;
  seconds: number;
  windowsPerSecond: number;
  rssStartMB: number;
  rssPeakMB: number;
  /** RSS after 10 %, 50 % and 100 % of the batches. */
  rssAtMB: [number, number, number];
}

export interface TilingBenchResult {
  machine: { cpus: number; cpuModel: string; node: string; loadAverage: number[] };
  spec: WindowSpec;
  strideKm: number;
  batchSize: number;
  realGrid: { path: string; planned: number; kept: number; skippedLand: number; skippedNodata: number; runs: ThroughputRun[] };
  largeGrid: { width: number; height: number; cellDeg: number; workers: number; rssBeforeMB: number; runs: MemoryRun[] };
}

const MB = 2 ** 20;
const rssMB = (): number => Math.round((process.memoryUsage().rss / MB) * 10) / 10;

async function timeRun(grid: GridSource, plan: WindowPlan, spec: WindowSpec, planCfg: PlanConfig, workers: number, batchSize: number) {
  const t0 = performance.now();
  let tFirst = 0;
  let firstCount = 0;
  let planned = 0;
  let kept = 0;
  let skippedLand = 0;
  let skippedNodata = 0;
  for await (const b of streamWindowBatches(grid, plan, { batchSize, workers, spec, plan: planCfg })) {
    const n = b.ids.length + b.skippedLand + b.skippedNodata;
    if (tFirst === 0) {
      tFirst = performance.now();
      firstCount = n;
    }
    planned += n;
    kept += b.ids.length;
    skippedLand += b.skippedLand;
    skippedNodata += b.skippedNodata;
  }
  const t1 = performance.now();
  const seconds = (t1 - t0) / 1000;
  const run: ThroughputRun = {
    workers,
    windows: planned,
    seconds: Math.round(seconds * 100) / 100,
    windowsPerSecond: Math.round(planned / seconds),
    steadyWindowsPerSecond: Math.round((planned - firstCount) / ((t1 - tFirst) / 1000)),
  };
  return { run, planned, kept, skippedLand, skippedNodata };
}

/** A region of about `windows` windows centred on the equator at `lon0`. */
function regionFor(windows: number, strideKm: number, lon0: number): Region {
  const sideKm = Math.sqrt(windows) * strideKm;
  const halfDeg = sideKm / 2 / 111.195;
  return { west: lon0 - halfDeg, east: lon0 + halfDeg, south: -halfDeg, north: halfDeg };
}

async function memoryRun(
  grid: GridSource,
  region: Region,
  spec: WindowSpec,
  planCfg: PlanConfig,
  strideKm: number,
  workers: number,
  batchSize: number,
  verbose: boolean,
): Promise<MemoryRun> {
  const plan = planWindows(grid, region, strideKm, planCfg);
  const batches = Math.ceil(plan.count / batchSize);
  const marks = [Math.max(1, Math.round(batches * 0.1)), Math.max(1, Math.round(batches * 0.5)), batches];
  const at: number[] = [];
  const rssStartMB = rssMB();
  let peak = rssStartMB;
  let done = 0;
  let windows = 0;
  const t0 = performance.now();
  for await (const b of streamWindowBatches(grid, plan, { batchSize, workers, spec, plan: planCfg })) {
    done++;
    windows += b.ids.length + b.skippedLand + b.skippedNodata;
    const rss = rssMB();
    if (rss > peak) peak = rss;
    if (marks.includes(done)) at.push(rss);
    if (verbose && done % 100 === 0) process.stderr.write(`  ${done}/${batches} batches, rss ${rss} MB\n`);
  }
  const seconds = (performance.now() - t0) / 1000;
  while (at.length < 3) at.push(rssMB());
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    region: `${r(region.west)}/${r(region.east)}/${r(region.south)}/${r(region.north)}`,
    windows,
    seconds: Math.round(seconds * 10) / 10,
    windowsPerSecond: Math.round(windows / seconds),
    rssStartMB,
    rssPeakMB: peak,
    rssAtMB: [at[0], at[1], at[2]],
  };
}

export async function benchTiling(options: TilingBenchOptions = {}): Promise<TilingBenchResult> {
  const config = loadConfig();
  const spec = windowSpecFromConfig(config.window);
  const planCfg = config.plan;
  const strideKm = options.strideKm ?? config.window.strideKm;
  const batchSize = options.batchSize ?? config.tiling.batchSize;
  const verbose = options.verbose ?? false;
  const log = (s: string): void => {
    if (verbose) process.stderr.write(`${s}\n`);
  };

  const rssBeforeMB = rssMB();
  // memory on a global 1′ grid (values computed on read, so the grid itself costs nothing)
  const cellDeg = 1 / 60;
  const seamounts: PlantedSeamount[] = [];
  // a few seamounts only: SyntheticGrid evaluates every seamount at every cell it reads, and the
  // benchmark is about tiling, not about the synthetic grid
  for (let k = 0; k < 9; k++) seamounts.push({ lon: -2 + (k % 3) * 2, lat: -2 + Math.floor(k / 3) * 2, heightM: 1500 + 100 * k, radiusKm: 12 + (k % 5) * 4 });
  const large = new SyntheticGrid({
    width: 21600,
    height: 10800,
    lon0: -180 + cellDeg / 2,
    dLon: cellDeg,
    lat0: 90 - cellDeg / 2,
    dLat: -cellDeg,
    registration: 'pixel',
    baseDepthM: -4500,
    fabric: { amplitudeM: 120, wavelengthKm: 10 },
    seamounts,
    path: '(synthetic global 1′ grid)',
  });
  const largeWindows = options.largeWindows ?? 200_000;
  const memoryWorkers = options.memoryWorkers ?? 2;
  const memRuns: MemoryRun[] = [];
  for (const n of [Math.round(largeWindows / 10), largeWindows]) {
    log(`large grid 21600 × 10800: ~${n} windows, ${memoryWorkers} workers`);
    const r = await memoryRun(large, regionFor(n, strideKm, 0), spec, planCfg, strideKm, memoryWorkers, batchSize, verbose);
    memRuns.push(r);
    log(`  ${r.windows} windows, ${r.windowsPerSecond} windows/s, rss start ${r.rssStartMB} MB, peak ${r.rssPeakMB} MB`);
  }
  await large.close();

  // throughput on a real grid
  const gridPath = options.gridPath ?? path.resolve(process.cwd(), '../shared/data/grids/spac_33.nc4.nc');
  // imported only now: the netCDF-4 reader (h5wasm) alone adds ~600 MB of RSS, which would blur the memory runs
  const { openGrid } = await import('../src/grid/index.js');
  const grid = await openGrid(gridPath);
  const plan = planWindows(grid, null, strideKm, planCfg);
  const runs: ThroughputRun[] = [];
  let counts = { planned: 0, kept: 0, skippedLand: 0, skippedNodata: 0 };
  for (const workers of options.workers ?? [0, 1, 2]) {
    log(`real grid ${gridPath}: ${plan.count} windows, ${workers} workers`);
    const r = await timeRun(grid, plan, spec, planCfg, workers, batchSize);
    runs.push(r.run);
    counts = r;
    log(`  ${r.run.windowsPerSecond} windows/s (${r.run.seconds} s)`);
  }
  await grid.close();

  const cpus = os.cpus();
  return {
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      node: process.version,
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    },
    spec,
    strideKm,
    batchSize,
    realGrid: { path: gridPath, planned: counts.planned, kept: counts.kept, skippedLand: counts.skippedLand, skippedNodata: counts.skippedNodata, runs },
    largeGrid: { width: 21600, height: 10800, cellDeg, workers: memoryWorkers, rssBeforeMB, runs: memRuns },
  };
}

function parseArgs(argv: string[]): TilingBenchOptions & { json?: string } {
  const o: TilingBenchOptions & { json?: string } = { verbose: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--grid') o.gridPath = path.resolve(v);
    else if (a === '--workers') o.workers = v.split(',').map(Number);
    else if (a === '--large-windows') o.largeWindows = Number(v);
    else if (a === '--batch-size') o.batchSize = Number(v);
    else if (a === '--stride-km') o.strideKm = Number(v);
    else if (a === '--json') o.json = v;
    else throw new Error(`bench/tiling: unknown argument ${a}`);
    i++;
  }
  return o;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const result = await benchTiling(args);
  const text = JSON.stringify(result, null, 2);
  if (args.json) writeFileSync(args.json, text);
  console.log(text);
}
