/**
 * End-to-end benchmark, side by side with the Python peer (bench/peer/peer_pipeline.py: numpy/scipy
 * windows, PyTorch with the same weights, scipy picking), on the same machine in one run:
 *
 * - per stage (read, tile, score, pick) and end to end: seconds, sea-floor windows per second, km² of sea
 *   floor per second, peak RSS (VmHWM), for a real shared grid and a region of a large generated grid;
 *   scoring per available backend; the speed ratio ours / peer per stage;
 * - a scaling curve: end to end at 1×, 4× and 16× the area, cut from the large grid, and ours alone at
 *   64× and 256×: time, peak RSS and live memory (sampled after full collections) as lines in area and windows;
 * - a cross-check: our windows and the peer's on the same centres, and the reconstruction errors of
 *   both models on the same windows (same weights, so they must agree).
 *
 * Every measured configuration runs in a process of its own (ours: bench/stages.ts transpiled to
 * bench/.cache/stages.js over the built dist/; the peer: /usr/bin/python3), so peak memory is per
 * configuration. "Sea-floor windows" are the windows a run keeps (scores); each stands for strideKm² of
 * sea floor, which gives the km² figures. A stage's rate is the job's sea-floor windows over the stage's
 * time, so the stage rates of one input compare directly (the score stage of a slow backend scores a
 * sample and is scaled).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { EARTH_RADIUS_KM } from '../src/base/geodesy.js';
import { type Config, loadConfig } from '../src/config/index.js';
import { ensureBenchBundle } from './bundle.js';
import { ensureBenchGrids } from './grid-memory.js';
import { median } from './stats.js';
import type { StageJob, StageResult } from './stages.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const MB = 2 ** 20;

export type Impl = 'ours' | 'peer';
export type Stage = 'read' | 'tile' | 'score' | 'pick' | 'e2e' | 'e2e-pool';
const STAGES: Stage[] = ['read', 'tile', 'score', 'pick', 'e2e', 'e2e-pool'];

export interface PipelineBenchOptions {
  /** Real grid (default: the shared spac_33 netCDF-3, 1′ South Pacific ridge flank). */
  realGrid: string;
  /** Size of the generated global grid (cells). */
  largeWidth: number;
  largeHeight: number;
  /** Centre (grid convention, degrees) and side of the 1× region cut from the large grid. */
  largeCentre: [lon: number, lat: number];
  baseSideDeg: number;
  /** Area multiples of the scaling curve. */
  scales: number[];
  /** Extra, larger scales run by ours only (runDetect), to measure memory growth further out. */
  oursOnlyScales: number[];
  /** Which scale gets the per-stage breakdown on the large grid. */
  stageScale: number;
  /** Scoring backends tried for the score stage ('tensorflow' is skipped where not installed). */
  backends: Array<'tensorflow' | 'wasm' | 'cpu'>;
  /** Windows scored by the plain-JavaScript cpu backend (it is ~100× slower). */
  cpuScoreWindows: number;
  /** Share of the real grid's windows under the threshold. */
  hitFraction: number;
  peer: boolean;
  python: string;
  /** torch threads tried in the peer's score stage; the faster is used for the peer's end-to-end runs. */
  peerThreads: number[];
  /** Also run the peer reading each region in one piece (xarray style) at every scale. */
  peerWholeRegion: boolean;
  /** Kept windows compared in the cross-check. */
  crossCheckWindows: number;
  cacheDir: string;
  /** Per-child time limit, s. */
  timeoutS: number;
  log: (line: string) => void;
}

export const defaultPipelineBenchOptions = (): PipelineBenchOptions => ({
  realGrid: path.resolve(ROOT, '../shared/data/grids/spac_33.nc3.nc'),
  largeWidth: 21600,
  largeHeight: 10800,
  // north-east Pacific, open ocean at mid latitudes (the generated grid runs 0..360)
  largeCentre: [205, 35],
  baseSideDeg: 5,
  scales: [1, 4, 16],
  oursOnlyScales: [64, 256],
  stageScale: 4,
  backends: ['tensorflow', 'wasm', 'cpu'],
  cpuScoreWindows: 1024,
  hitFraction: 0.05,
  peer: true,
  python: '/usr/bin/python3',
  peerThreads: [1, 2],
  peerWholeRegion: true,
  crossCheckWindows: 3000,
  cacheDir: path.join(HERE, '.cache'),
  timeoutS: 1800,
  log: (line) => process.stderr.write(`${line}\n`),
});

export interface BenchRow {
  input: string;
  impl: Impl;
  stage: Stage;
  /** What ran: backend, threads, read mode. */
  config: string;
  /** Time of the stage itself, s (e2e: the whole process, start-up included). */
  seconds: number;
  /** CPU time of all the process's threads during the stage, s (a sampled score stage scaled like seconds). */
  cpuSeconds: number | null;
  /** Sea-floor windows the figure stands for. */
  windows: number;
  windowsPerSec: number;
  km2PerSec: number;
  vmHwmMB: number;
  loadAverage: [before: number, after: number];
  detail: Record<string, unknown>;
}

export interface ScalingPoint {
  scale: number;
  region: string;
  areaKm2: number;
  seaFloorKm2: number;
  windows: number;
  /**
   * runDetect, as `seamount detect` runs; liveMB: the most live memory sampled after full collections;
   * liveUncachedMB: the same outside the grid's block cache (bounded by grid.cacheMB), and blockCacheMB the
   * most that cache held.
   */
  ours: { seconds: number; msPerKm2x1000: number; vmHwmMB: number; liveMB?: number; liveUncachedMB?: number; blockCacheMB?: number } | null;
  /** The library with the scoring pool (experiment: stage e2e-pool). */
  oursPool: { seconds: number; msPerKm2x1000: number; vmHwmMB: number } | null;
  peer: { seconds: number; msPerKm2x1000: number; vmHwmMB: number; config: string } | null;
  peerWholeRegion: { seconds: number; vmHwmMB: number } | null;
}

export interface CrossCheck {
  input: string;
  region: string | null;
  windowsCompared: number;
  /** Our first kept ids and the peer's are the same list (same plan, same land / no-data rules). */
  sameIds: boolean;
  idsInCommon: number;
  /** Largest |ours − peer| of any sample of any common window (normalised units, −1..1). */
  maxWindowDiff: number;
  meanWindowDiff: number;
  /** Relative difference of the two models on OUR windows: max |e_peer − e_ours| / e_ours. */
  maxModelRelDiff: number;
  /** Same, each on its own windows. */
  maxPipelineRelDiff: number;
  /** Whole e2e run: relative difference of the errors on common ids (null if not run). */
  e2e?: { common: number; oursOnly: number; peerOnly: number; maxRelDiff: number; medianRelDiff: number };
}

export interface PipelineBenchResult {
  machine: { cpus: number; cpuModel: string; totalMemMB: number; node: string; python: string | null; torch: string | null };
  startedAt: string;
  seconds: number;
  loadAverageStart: number[];
  loadAverageEnd: number[];
  options: Omit<PipelineBenchOptions, 'log'>;
  /** What was measured: the commit, how many files under src/ differed from it, and the dist/ snapshot's hash. */
  code?: { gitHead: string | null; srcFilesChanged: number; distSha256: string };
  bundle: { dir: string; threshold: number };
  /** Scoring backends asked for that could not be loaded here (e.g. tensorflow without tfjs-node). */
  unavailableBackends: string[];
  inputs: Record<string, { grid: string; region: string | null; areaKm2: number; kept: number; planned: number }>;
  rows: BenchRow[];
  ratios: Array<{ input: string; stage: Stage; ours: string; peer: string; ratio: number }>;
  scaling: ScalingPoint[];
  crossChecks: CrossCheck[];
  /** The whole large grid's plan (for extrapolating memory). */
  wholeLargeGrid: { planned: number };
  /** Lines through the scaling points, per implementation. */
  scalingFits: Record<string, ScalingFit>;
  targets: Array<{ target: string; met: boolean | null; figure: string }>;
}

/**
 * Transpiles bench/stages.ts to bench/.cache/stages.js over a snapshot of the built dist/ (what
 * `npm run build` made) in bench/.cache/dist, so a rebuild during the run cannot mix two versions.
 */
export function compileStagesChild(cacheDir: string): { script: string; distSha256: string } {
  const dist = path.join(ROOT, 'dist');
  if (!existsSync(path.join(dist, 'pipeline', 'detect.js'))) throw new Error(`${dist} is missing: run npm run build first (npm run bench does)`);
  const newestSrc = newestMtime(path.join(ROOT, 'src'), '.ts');
  if (newestMtime(dist, '.js') < newestSrc - 1000) {
    process.stderr.write('warning: dist/ is older than src/; figures are of the last build (npm run build)\n');
  }
  if (path.resolve(cacheDir) !== path.join(HERE, '.cache')) throw new Error('the stages child must live in bench/.cache (its imports are relative)');
  const snapshot = path.join(cacheDir, 'dist');
  rmSync(snapshot, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  cpSync(dist, snapshot, { recursive: true, filter: (f) => !f.endsWith('.map') });
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else hash.update(path.relative(snapshot, p)).update(readFileSync(p));
    }
  };
  walk(snapshot);
  const source = readFileSync(path.join(HERE, 'stages.ts'), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
  // the child lives in bench/.cache: its '../src/x.js' imports become the snapshot's './dist/x.js'
  const script = path.join(cacheDir, 'stages.js');
  writeFileSync(script, js.replaceAll("'../src/", "'./dist/"));
  return { script, distSha256: hash.digest('hex') };
}

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p, ext));
    else if (e.name.endsWith(ext)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

interface ChildRun<T> {
  result: T;
  wallSeconds: number;
  loadAverage: [number, number];
}

function runChild<T>(cmd: string, args: string[], what: string, timeoutS: number): ChildRun<T> {
  const before = os.loadavg()[0];
  const t0 = performance.now();
  const run = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: timeoutS * 1000, maxBuffer: 64 * MB });
  const wallSeconds = (performance.now() - t0) / 1000;
  if (run.status !== 0) {
    const tail = `${run.stderr ?? ''}${run.error ? String(run.error) : ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${what} failed (exit ${run.status ?? run.signal}):\n${tail}`);
  }
  const last = run.stdout.trim().split('\n').pop() ?? '';
  let result: T;
  try {
    result = JSON.parse(last) as T;
  } catch {
    throw new Error(`${what}: no JSON result on stdout (got "${last.slice(0, 200)}")`);
  }
  return { result, wallSeconds, loadAverage: [round2(before), round2(os.loadavg()[0])] };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function regionAround(lon: number, lat: number, sideDeg: number): string {
  const h = sideDeg / 2;
  const f = (x: number) => String(Math.round(x * 1e6) / 1e6);
  return `${f(lon - h)}/${f(lon + h)}/${f(lat - h)}/${f(lat + h)}`;
}

/** Area of a W/E/S/N box on the sphere (base/geodesy.ts), km². */
export function boxAreaKm2(region: string): number {
  const [w, e, s, n] = region.split('/').map(Number);
  const R = EARTH_RADIUS_KM;
  const d = Math.PI / 180;
  return ((e - w + 360) % 360 || 360) * d * R * R * (Math.sin(n * d) - Math.sin(s * d));
}

/** Reads a little-endian .npy file of a numeric dtype (version 1/2 header). */
export function readNpy(file: string): Float64Array {
  const buf = readFileSync(file);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  const header = buf.toString('latin1', major === 1 ? 10 : 12, start);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const body = buf.subarray(start);
  const ab = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
  switch (descr) {
    case '<f4':
      return Float64Array.from(new Float32Array(ab));
    case '<f8':
      return new Float64Array(ab);
    case '<i8':
      return Float64Array.from(new BigInt64Array(ab), Number);
    case '<i4':
      return Float64Array.from(new Int32Array(ab));
    default:
      throw new Error(`${file}: dtype ${descr} not handled`);
  }
}

function maxAndMedian(values: number[]): [number, number] {
  if (values.length === 0) return [NaN, NaN];
  const s = [...values].sort((a, b) => a - b);
  return [s[s.length - 1], s[Math.floor(s.length / 2)]];
}

/** Compares the errors of two finished e2e runs on their common window ids. */
async function compareE2e(oursDir: string, peerDir: string) {
  const { BatchStore } = await import('../src/pipeline/batch-store.js');
  const store = new BatchStore(path.join(oursDir, 'scores'));
  const mine = new Map<number, number>();
  for (const k of store.doneBatches()) {
    const b = await store.read(k);
    b.ids.forEach((id, i) => mine.set(id, b.errors[i]));
  }
  const ids = readNpy(path.join(peerDir, 'ids.npy'));
  const errs = readNpy(path.join(peerDir, 'errors.npy'));
  const rel: number[] = [];
  let peerOnly = 0;
  for (let i = 0; i < ids.length; i++) {
    const e = mine.get(ids[i]);
    if (e === undefined) peerOnly++;
    else rel.push(Math.abs(errs[i] - e) / Math.abs(e));
  }
  const [maxRelDiff, medianRelDiff] = maxAndMedian(rel);
  return { common: rel.length, oursOnly: mine.size - rel.length, peerOnly, maxRelDiff, medianRelDiff };
}

/** Windows, ids and errors of the two implementations' `windows` stage dumps, compared on their common ids. */
function compareWindowDumps(input: string, region: string | null, dirOurs: string, dirPeer: string, s2: number): CrossCheck {
  const count = (JSON.parse(readFileSync(path.join(dirOurs, 'meta.json'), 'utf8')) as { count: number; samples: number }).count;
  const f32 = (f: string) => new Float32Array(new Uint8Array(readFileSync(f)).buffer);
  const i32 = (f: string) => new Int32Array(new Uint8Array(readFileSync(f)).buffer);
  const idsO = i32(path.join(dirOurs, 'ids.i32'));
  const idsP = i32(path.join(dirPeer, 'ids.i32'));
  const winO = f32(path.join(dirOurs, 'windows.f32'));
  const winP = f32(path.join(dirPeer, 'windows.f32'));
  const errO = f32(path.join(dirOurs, 'errors.f32'));
  const errP = f32(path.join(dirPeer, 'errors.f32'));
  const errPofO = f32(path.join(dirPeer, 'errors-of-ours.f32'));
  const peerIndex = new Map<number, number>();
  idsP.forEach((id, i) => peerIndex.set(id, i));
  let maxDiff = 0;
  let sumDiff = 0;
  let common = 0;
  let maxPipe = 0;
  for (let i = 0; i < count; i++) {
    const j = peerIndex.get(idsO[i]);
    if (j === undefined) continue;
    common++;
    for (let k = 0; k < s2; k++) {
      const d = Math.abs(winO[i * s2 + k] - winP[j * s2 + k]);
      sumDiff += d;
      if (d > maxDiff) maxDiff = d;
    }
    maxPipe = Math.max(maxPipe, Math.abs(errP[j] - errO[i]) / Math.abs(errO[i]));
  }
  let maxModel = 0;
  for (let i = 0; i < count; i++) maxModel = Math.max(maxModel, Math.abs(errPofO[i] - errO[i]) / Math.abs(errO[i]));
  const sameIds = idsO.length === idsP.length && idsO.every((id, i) => idsP[i] === id);
  const xc: CrossCheck = {
    input,
    region,
    windowsCompared: count,
    sameIds,
    idsInCommon: common,
    maxWindowDiff: maxDiff,
    meanWindowDiff: common > 0 ? sumDiff / (common * s2) : NaN,
    maxModelRelDiff: maxModel,
    maxPipelineRelDiff: maxPipe,
  };
  return xc;
}

/** What every step of one run shares: options, child runners, and the results the steps accumulate. */
interface BenchContext {
  o: PipelineBenchOptions;
  log: (line: string) => void;
  config: Config;
  strideKm: number;
  /** Scratch folder of the children's outputs, removed when the result is assembled. */
  work: string;
  /** The generated large grid (GeoTIFF) the scaling regions are cut from. */
  large: string;
  bundle: { dir: string; threshold: number };
  /** performance.now() at the start, for the result's startedAt and seconds. */
  started: number;
  loadAverageStart: number[];
  code: NonNullable<PipelineBenchResult['code']>;
  python: string | null;
  torchVersion: string | null;
  ours: (job: Omit<StageJob, 'model'>, what: string) => ChildRun<StageResult>;
  peer: (args: string[], what: string) => ChildRun<StageResult>;
  rows: BenchRow[];
  unavailableBackends: string[];
  inputs: PipelineBenchResult['inputs'];
  crossChecks: CrossCheck[];
  scaling: ScalingPoint[];
  /** Torch threads of the peer's e2e runs: the last tried until the real grid's score stage picks the fastest. */
  peerE2eThreads: number;
}

/** One measured input: a name for the rows, the grid and a W/E/S/N region (null: the whole grid). */
interface BenchInput {
  input: string;
  grid: string;
  region: string | null;
}

/** The e2e runs a scaling point has already made, handed to its stage breakdown so they do not run twice. */
interface StageE2e {
  ours: ChildRun<StageResult>;
  oursPool: ChildRun<StageResult>;
  oursDir: string;
  peer: ChildRun<StageResult> | null;
  peerDir: string;
}

type Timing = { seconds: number; msPerKm2x1000: number; vmHwmMB: number; liveMB?: number; liveUncachedMB?: number; blockCacheMB?: number };

export async function benchPipeline(partial: Partial<PipelineBenchOptions> = {}): Promise<PipelineBenchResult> {
  const ctx = await setUpBench({ ...defaultPipelineBenchOptions(), ...partial });
  const { o } = ctx;
  // real grid: cross-check, then every stage (the peer's score stage picks its thread count here)
  if (o.peer) ctx.crossChecks.push(crossCheck(ctx, { input: 'real', grid: o.realGrid, region: null }));
  await stagesOf(ctx, { input: 'real', grid: o.realGrid, region: null });
  // large grid: the scaling curve, then the per-stage breakdown of one of its regions
  if (o.peer) ctx.crossChecks.push(crossCheck(ctx, { input: 'large', grid: ctx.large, region: largeRegion(ctx, 1) }));
  ctx.log(`\nscaling on ${path.basename(ctx.large)} around ${o.largeCentre[0]}°, ${o.largeCentre[1]}°`);
  for (const scale of o.scales) await scalingPoint(ctx, scale);
  const wholeGrid = await wholeGridPlan(ctx);
  for (const scale of o.oursOnlyScales) oursOnlyScalingPoint(ctx, scale);
  return assembleResult(ctx, wholeGrid);
}

/** Everything before the first measurement: config, the stages child, grids, model bundle, the peer's Python. */
async function setUpBench(o: PipelineBenchOptions): Promise<BenchContext> {
  const started = performance.now();
  const loadAverageStart = os.loadavg().map(round2);
  const config = loadConfig();
  const { script: child, distSha256 } = compileStagesChild(o.cacheDir);
  const code = { ...gitState(), distSha256 };
  const work = mkdtempSync(path.join(os.tmpdir(), 'seamount-bench-'));
  const large = ensureBenchGrids(o.largeWidth, o.largeHeight, o.cacheDir, true).geotiff;
  o.log(`bundle: random weights, threshold at the ${o.hitFraction} quantile of ${path.basename(o.realGrid)}'s windows`);
  const bundle = await ensureBenchBundle({ dir: path.join(o.cacheDir, 'model'), config, gridPath: o.realGrid, hitFraction: o.hitFraction, seed: config.seed });
  const { python, torchVersion } = probePeer(o);
  const peerScript = path.join(HERE, 'peer', 'peer_pipeline.py');
  return {
    o,
    log: o.log,
    config,
    strideKm: config.window.strideKm,
    work,
    large,
    bundle,
    started,
    loadAverageStart,
    code,
    python,
    torchVersion,
    ours: (job, what) => runChild<StageResult>(process.execPath, [child, JSON.stringify({ ...job, model: bundle.dir })], `ours ${what}`, o.timeoutS),
    peer: (args, what) => runChild<StageResult>(o.python, [peerScript, '--model', bundle.dir, ...args], `peer ${what}`, o.timeoutS),
    rows: [],
    unavailableBackends: [],
    inputs: {},
    crossChecks: [],
    scaling: [],
    peerE2eThreads: o.peerThreads[o.peerThreads.length - 1] ?? 2,
  };
}

/** The commit measured and how many files under src/ differ from it, so figures of uncommitted code say so. */
function gitState(): { gitHead: string | null; srcFilesChanged: number } {
  const git = (args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout;
  const gitHead = git(['rev-parse', '--short', 'HEAD'])?.trim() || null;
  const srcFilesChanged = (git(['status', '--porcelain', '--', 'src']) ?? '').trim().split('\n').filter(Boolean).length;
  return { gitHead, srcFilesChanged };
}

/** Python and torch versions of the peer; checked up front, so a missing module fails before hours of runs. */
function probePeer(o: PipelineBenchOptions): { python: string | null; torchVersion: string | null } {
  if (!o.peer) return { python: null, torchVersion: null };
  const probe = spawnSync(o.python, ['-c', 'import sys, torch, scipy, numpy, yaml; from osgeo import gdal; print(sys.version.split()[0], torch.__version__)'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0)
    throw new Error(
      `the peer needs ${o.python} with torch, scipy, numpy, yaml and GDAL (apt-get install python3-torch python3-scipy python3-yaml python3-gdal): ${probe.stderr.trim().split('\n').pop()}`,
    );
  const [python, torchVersion] = probe.stdout.trim().split(' ');
  return { python, torchVersion };
}

/** Records (and logs) one measured row; `windows` are the job's sea-floor windows the figure stands for. */
function recordRow(
  ctx: BenchContext,
  input: string,
  impl: Impl,
  stage: Stage,
  cfg: string,
  run: ChildRun<StageResult>,
  windows: number,
  useWall = false,
): BenchRow {
  const r = run.result;
  const seconds = useWall ? run.wallSeconds : r.seconds;
  // a sampled score stage (slow backend) stands for the job's windows at its own rate
  const perSec = stage === 'score' ? r.windows / r.seconds : windows / seconds;
  const out: BenchRow = {
    input,
    impl,
    stage,
    config: cfg,
    seconds: stage === 'score' ? (windows / r.windows) * r.seconds : seconds,
    cpuSeconds: r.cpuSeconds === undefined ? null : stage === 'score' ? (windows / r.windows) * r.cpuSeconds : r.cpuSeconds,
    windows,
    windowsPerSec: perSec,
    km2PerSec: perSec * ctx.strideKm * ctx.strideKm,
    vmHwmMB: r.vmHwmMB,
    loadAverage: run.loadAverage,
    detail: { ...r.detail, stageSeconds: r.seconds, wallSeconds: run.wallSeconds, measuredWindows: r.windows },
  };
  ctx.rows.push(out);
  ctx.log(
    `  ${impl.padEnd(4)} ${stage.padEnd(5)} ${cfg.padEnd(34)} ${out.seconds.toFixed(2).padStart(8)} s  ${fmt(out.windowsPerSec).padStart(8)} windows/s  ${fmt(out.vmHwmMB).padStart(6)} MB  (load ${run.loadAverage.join('→')})`,
  );
  return out;
}

/** Cross-check: both implementations cut windows on the same centres and score them with the same weights. */
function crossCheck(ctx: BenchContext, { input, grid, region }: BenchInput): CrossCheck {
  const dirOurs = path.join(ctx.work, `xc-ours-${input}`);
  const dirPeer = path.join(ctx.work, `xc-peer-${input}`);
  const max = ctx.o.crossCheckWindows;
  ctx.ours({ stage: 'windows', grid, region, outDir: dirOurs, maxWindows: max }, `windows ${input}`);
  ctx.peer(
    [
      '--stage',
      'windows',
      '--grid',
      grid,
      ...(region ? [`--region=${region}`] : []),
      '--out',
      dirPeer,
      '--max-windows',
      String(max),
      '--ours',
      dirOurs,
      '--threads',
      '1',
    ],
    `windows ${input}`,
  );
  const xc = compareWindowDumps(input, region, dirOurs, dirPeer, ctx.config.window.samples ** 2);
  const { windowsCompared: count, sameIds, maxWindowDiff: maxDiff, maxModelRelDiff: maxModel, maxPipelineRelDiff: maxPipe } = xc;
  ctx.log(
    `cross-check ${input}: ${count} windows, same ids ${sameIds}, max |window diff| ${maxDiff.toExponential(2)}, model rel. diff ${maxModel.toExponential(2)}, pipeline rel. diff ${maxPipe.toExponential(2)}`,
  );
  return xc;
}

/** One input, every stage, both implementations; `e2e` brings the e2e runs a scaling point has already made. */
async function stagesOf(ctx: BenchContext, at: BenchInput, e2e?: StageE2e): Promise<void> {
  ctx.log(`\n${at.input}: ${at.grid}${at.region ? ` region ${at.region}` : ''}`);
  const oursDir = e2e?.oursDir ?? path.join(ctx.work, `ours-${at.input}`);
  const peerDir = e2e?.peerDir ?? path.join(ctx.work, `peer-${at.input}`);
  const kept = oursStages(ctx, at, oursDir, e2e);
  if (!ctx.o.peer) return;
  peerStages(ctx, at, peerDir, kept, e2e);
  await crossCheckE2e(ctx, at.input, oursDir, peerDir);
}

/** Our stages of one input (e2e first: its kept windows are what every row stands for); returns that count. */
function oursStages(ctx: BenchContext, at: BenchInput, oursDir: string, e2e?: StageE2e): number {
  const { input, grid, region } = at;
  const { config } = ctx;
  const oursE2e = e2e?.ours ?? ctx.ours({ stage: 'e2e', grid, region, outDir: oursDir, logFile: path.join(ctx.work, `ours-${input}.log`) }, `e2e ${input}`);
  const kept = oursE2e.result.windows;
  const planned = Number(oursE2e.result.detail.planned);
  ctx.inputs[input] = { grid, region, areaKm2: region ? boxAreaKm2(region) : NaN, kept, planned };
  recordRow(ctx, input, 'ours', 'e2e', `runDetect: tiling ×${config.tiling.workers}, scoring ${config.scoring.backend}`, oursE2e, kept, true);
  const pool = e2e?.oursPool ?? ctx.ours({ stage: 'e2e-pool', grid, region, outDir: `${oursDir}-pool` }, `e2e-pool ${input}`);
  recordRow(ctx, input, 'ours', 'e2e-pool', 'library, the outputs the peer writes', pool, kept, true);
  recordRow(ctx, input, 'ours', 'read', 'patch reads of tiling', ctx.ours({ stage: 'read', grid, region }, `read ${input}`), kept);
  recordRow(ctx, input, 'ours', 'tile', `${config.tiling.workers} workers`, ctx.ours({ stage: 'tile', grid, region }, `tile ${input}`), kept);
  oursScoreStages(ctx, at, kept);
  recordRow(ctx, input, 'ours', 'pick', 'pickSeamounts', ctx.ours({ stage: 'pick', grid, region, outDir: oursDir }, `pick ${input}`), kept);
  return kept;
}

/** Our score stage per backend, in-thread and on a pool of 2; a backend not installed here is noted and skipped. */
function oursScoreStages(ctx: BenchContext, { input, grid, region }: BenchInput, kept: number): void {
  for (const backend of ctx.o.backends) {
    // the plain-JavaScript cpu backend is ~100× slower: it scores a sample, in-thread only
    const sample = backend === 'cpu' ? ctx.o.cpuScoreWindows : undefined;
    const modes: Array<'inline' | number> = backend === 'cpu' ? ['inline'] : ['inline', 2];
    for (const mode of modes) {
      try {
        const run = ctx.ours({ stage: 'score', grid, region, backend, scoreThreads: mode, scoreWindows: sample }, `score ${backend} ${input}`);
        recordRow(ctx, input, 'ours', 'score', `${String(run.result.detail.backend)}${mode === 'inline' ? ', in-thread' : ''}`, run, kept);
      } catch (err) {
        const msg = (err as Error).message;
        if (/not available/.test(msg)) {
          ctx.log(`  ours score ${backend}: not available here`);
          if (!ctx.unavailableBackends.includes(backend)) ctx.unavailableBackends.push(backend);
          break;
        }
        throw err;
      }
    }
  }
}

/** The peer's stages of one input; on an input of its own (no `e2e`), its fastest score threads become the e2e threads. */
function peerStages(ctx: BenchContext, { input, grid, region }: BenchInput, peerDir: string, kept: number, e2e?: StageE2e): void {
  const regionArgs = region ? [`--region=${region}`] : [];
  recordRow(ctx, input, 'peer', 'read', 'GDAL/scipy bands', ctx.peer(['--stage', 'read', '--grid', grid, ...regionArgs], `read ${input}`), kept);
  recordRow(ctx, input, 'peer', 'tile', 'numpy/scipy bands, 1 process', ctx.peer(['--stage', 'tile', '--grid', grid, ...regionArgs], `tile ${input}`), kept);
  let best: { threads: number; rate: number } | null = null;
  for (const t of ctx.o.peerThreads) {
    const run = ctx.peer(['--stage', 'score', '--grid', grid, ...regionArgs, '--threads', String(t)], `score ${input}`);
    const r = recordRow(ctx, input, 'peer', 'score', `torch ${ctx.torchVersion} cpu, ${t} thread${t > 1 ? 's' : ''}`, run, kept);
    if (!best || r.windowsPerSec > best.rate) best = { threads: t, rate: r.windowsPerSec };
  }
  if (!e2e && best) ctx.peerE2eThreads = best.threads;
  const threads = ctx.peerE2eThreads;
  const peerE2e = e2e?.peer ?? ctx.peer(['--stage', 'e2e', '--grid', grid, ...regionArgs, '--out', peerDir, '--threads', String(threads)], `e2e ${input}`);
  recordRow(ctx, input, 'peer', 'e2e', `torch ×${threads}, bands`, peerE2e, kept, true);
  recordRow(
    ctx,
    input,
    'peer',
    'pick',
    'scipy (cKDTree, least_squares)',
    ctx.peer(['--stage', 'pick', '--grid', grid, ...regionArgs, '--out', peerDir], `pick ${input}`),
    kept,
  );
}

/** Adds the whole e2e runs' error comparison to the input's cross-check, where one was made. */
async function crossCheckE2e(ctx: BenchContext, input: string, oursDir: string, peerDir: string): Promise<void> {
  const xc = ctx.crossChecks.find((x) => x.input === input);
  if (!xc) return;
  xc.e2e = await compareE2e(oursDir, peerDir);
  ctx.log(
    `e2e errors ${input}: ${xc.e2e.common} common windows (ours only ${xc.e2e.oursOnly}, peer only ${xc.e2e.peerOnly}), rel. diff max ${xc.e2e.maxRelDiff.toExponential(2)}, median ${xc.e2e.medianRelDiff.toExponential(2)}`,
  );
}

/** The region of the large grid at `scale` × the base area, around the large centre. */
function largeRegion(ctx: BenchContext, scale: number): string {
  const [lonC, latC] = ctx.o.largeCentre;
  return regionAround(lonC, latC, ctx.o.baseSideDeg * Math.sqrt(scale));
}

/** A run's wall time, per 1000 km² of box, and peak memory: one implementation's figures at one scaling point. */
function timingOf(run: ChildRun<StageResult>, areaKm2: number): Timing {
  const r = run.result;
  const live = {
    ...(r.liveMB === undefined ? {} : { liveMB: r.liveMB }),
    ...(r.liveUncachedMB === undefined ? {} : { liveUncachedMB: r.liveUncachedMB }),
    ...(r.blockCacheMB === undefined ? {} : { blockCacheMB: r.blockCacheMB }),
  };
  return { seconds: run.wallSeconds, msPerKm2x1000: (run.wallSeconds / areaKm2) * 1e6, vmHwmMB: run.result.vmHwmMB, ...live };
}

/**
 * One point of the scaling curve: ours (runDetect, and the library with the scoring pool) and the peer on the
 * same region. The stage scale also gets the per-stage breakdown, which reuses these e2e runs and their outputs.
 */
async function scalingPoint(ctx: BenchContext, scale: number): Promise<void> {
  const { large, work } = ctx;
  const region = largeRegion(ctx, scale);
  const tag = `large-${scale}x`;
  const oursDir = path.join(work, `ours-${tag}`);
  const peerDir = path.join(work, `peer-${tag}`);
  const oRun = ctx.ours({ stage: 'e2e', grid: large, region, outDir: oursDir, logFile: path.join(work, `ours-${tag}.log`) }, `e2e ${tag}`);
  const kept = oRun.result.windows;
  const pRunOurs = ctx.ours({ stage: 'e2e-pool', grid: large, region, outDir: `${oursDir}-pool` }, `e2e-pool ${tag}`);
  rmSync(`${oursDir}-pool`, { recursive: true, force: true });
  const area = boxAreaKm2(region);
  ctx.log(
    `  ${scale}× ${region}: ours ${oRun.wallSeconds.toFixed(1)} s, ${fmt(oRun.result.vmHwmMB)} MB, ${kept} windows; library with scoring pool ${pRunOurs.wallSeconds.toFixed(1)} s, ${fmt(pRunOurs.result.vmHwmMB)} MB`,
  );
  const { pRun, wRun } = peerScalingRuns(ctx, scale, region, peerDir, tag);
  ctx.scaling.push({
    scale,
    region,
    areaKm2: area,
    seaFloorKm2: kept * ctx.strideKm * ctx.strideKm,
    windows: kept,
    ours: timingOf(oRun, area),
    oursPool: timingOf(pRunOurs, area),
    peer: pRun ? { ...timingOf(pRun, area), config: `torch ×${ctx.peerE2eThreads}, bands` } : null,
    peerWholeRegion: wRun ? { seconds: wRun.wallSeconds, vmHwmMB: wRun.result.vmHwmMB } : null,
  });
  if (scale === ctx.o.stageScale) {
    await stagesOf(ctx, { input: tag, grid: large, region }, { ours: oRun, oursPool: pRunOurs, oursDir, peer: pRun, peerDir });
  } else {
    rmSync(oursDir, { recursive: true, force: true });
    rmSync(peerDir, { recursive: true, force: true });
  }
}

/** The peer's e2e run at one scaling point, in bands and (if asked) reading the region whole, xarray style. */
function peerScalingRuns(
  ctx: BenchContext,
  scale: number,
  region: string,
  peerDir: string,
  tag: string,
): { pRun: ChildRun<StageResult> | null; wRun: ChildRun<StageResult> | null } {
  if (!ctx.o.peer) return { pRun: null, wRun: null };
  const args = ['--stage', 'e2e', '--grid', ctx.large, `--region=${region}`];
  const threads = String(ctx.peerE2eThreads);
  const pRun = ctx.peer([...args, '--out', peerDir, '--threads', threads], `e2e ${tag}`);
  ctx.log(`  ${scale}× ${region}: peer ${pRun.wallSeconds.toFixed(1)} s, ${fmt(pRun.result.vmHwmMB)} MB`);
  if (!ctx.o.peerWholeRegion) return { pRun, wRun: null };
  const wRun = ctx.peer([...args, '--out', `${peerDir}-whole`, '--threads', threads, '--read', 'region'], `e2e whole-region ${tag}`);
  ctx.log(`  ${scale}× ${region}: peer, region read whole: ${wRun.wallSeconds.toFixed(1)} s, ${fmt(wRun.result.vmHwmMB)} MB`);
  rmSync(`${peerDir}-whole`, { recursive: true, force: true });
  return { pRun, wRun };
}

/** A larger scaling point run by ours only (runDetect), to follow memory growth further out. */
function oursOnlyScalingPoint(ctx: BenchContext, scale: number): void {
  const region = largeRegion(ctx, scale);
  const tag = `large-${scale}x`;
  const oursDir = path.join(ctx.work, `ours-${tag}`);
  const oRun = ctx.ours({ stage: 'e2e', grid: ctx.large, region, outDir: oursDir, logFile: path.join(ctx.work, `ours-${tag}.log`) }, `e2e ${tag}`);
  rmSync(oursDir, { recursive: true, force: true });
  const area = boxAreaKm2(region);
  const windows = oRun.result.windows;
  ctx.log(`  ${scale}× ${region} (ours only): ${oRun.wallSeconds.toFixed(1)} s, ${fmt(oRun.result.vmHwmMB)} MB, ${windows} windows`);
  ctx.scaling.push({
    scale,
    region,
    areaKm2: area,
    seaFloorKm2: windows * ctx.strideKm * ctx.strideKm,
    windows,
    ours: timingOf(oRun, area),
    oursPool: null,
    peer: null,
    peerWholeRegion: null,
  });
}

/** Windows planned over the whole large grid, for extrapolating memory to a global run. */
async function wholeGridPlan(ctx: BenchContext): Promise<{ planned: number }> {
  const { openGrid } = await import('../src/grid/index.js');
  const { planWindows } = await import('../src/tiling/index.js');
  const g = await openGrid(ctx.large);
  try {
    return { planned: planWindows(g, null, ctx.strideKm, ctx.config.plan).count };
  } finally {
    await g.close();
  }
}

/** The result: what was measured, plus the derived ratios, fits and targets; removes the scratch folder. */
function assembleResult(ctx: BenchContext, wholeGrid: { planned: number }): PipelineBenchResult {
  const { rows, scaling, started } = ctx;
  const ratios = stageRatios(rows);
  const targets = evaluateTargets(rows, scaling, ratios, wholeGrid, memoryBounds(ctx.config));
  rmSync(ctx.work, { recursive: true, force: true });
  const cpus = os.cpus();
  const { log: _drop, ...options } = ctx.o;
  return {
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      totalMemMB: Math.round(os.totalmem() / MB),
      node: process.version,
      python: ctx.python,
      torch: ctx.torchVersion,
    },
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    seconds: (performance.now() - started) / 1000,
    loadAverageStart: ctx.loadAverageStart,
    loadAverageEnd: os.loadavg().map(round2),
    options,
    code: ctx.code,
    bundle: ctx.bundle,
    unavailableBackends: ctx.unavailableBackends,
    inputs: ctx.inputs,
    rows,
    ratios,
    scaling,
    crossChecks: ctx.crossChecks,
    wholeLargeGrid: wholeGrid,
    scalingFits: fitsOf(scaling),
    targets,
  };
}

function fitsOf(scaling: ScalingPoint[]): Record<string, ScalingFit> {
  const out: Record<string, ScalingFit> = {};
  const series: Array<[string, (s: ScalingPoint) => { seconds: number; vmHwmMB: number } | null]> = [
    ['ours (runDetect)', (s) => s.ours],
    ['ours (library + scoring pool)', (s) => s.oursPool],
    ['peer (bands)', (s) => s.peer],
    ['peer (region read whole)', (s) => s.peerWholeRegion],
  ];
  for (const [name, get] of series) {
    const pts = scaling.flatMap((s) => {
      const x = get(s);
      return x ? [{ areaKm2: s.areaKm2, windows: s.windows, seconds: x.seconds, vmHwmMB: x.vmHwmMB }] : [];
    });
    if (pts.length >= 2) out[name] = fitScaling(pts);
  }
  return out;
}

/** Recomputes the derived parts (ratios, fits, targets) of a result, e.g. one read back from results.json. */
export function summarise(r: PipelineBenchResult): PipelineBenchResult {
  const ratios = stageRatios(r.rows);
  return {
    ...r,
    ratios,
    scalingFits: fitsOf(r.scaling),
    targets: evaluateTargets(r.rows, r.scaling, ratios, r.wholeLargeGrid ?? null, memoryBounds(loadConfig())),
  };
}

/** Per input and stage: ours' fastest configuration over the peer's fastest (> 1: ours is faster). */
export function stageRatios(rows: BenchRow[]): PipelineBenchResult['ratios'] {
  const out: PipelineBenchResult['ratios'] = [];
  const inputs = [...new Set(rows.map((r) => r.input))];
  for (const input of inputs) {
    for (const stage of STAGES) {
      const best = (impl: Impl, st: Stage) =>
        rows.filter((r) => r.input === input && r.stage === st && r.impl === impl).sort((a, b) => b.windowsPerSec - a.windowsPerSec)[0];
      const a = best('ours', stage);
      // the library experiment is compared with the peer's end-to-end run
      const b = best('peer', stage === 'e2e-pool' ? 'e2e' : stage);
      if (a && b) out.push({ input, stage, ours: a.config, peer: b.config, ratio: a.windowsPerSec / b.windowsPerSec });
    }
  }
  return out;
}

/** Least-squares line y = a + b·x. */
function fitLine(x: number[], y: number[]): { a: number; b: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  return { a: my - b * mx, b };
}

/** Live memory (sampled after full collections) as a line in windows, and its first and last points. */
function fitLive(pts: Array<{ windows: number; liveMB: number }>): { baseMB: number; mbPerMillionWindows: number; first: number; last: number } {
  const line = fitLine(
    pts.map((p) => p.windows / 1e6),
    pts.map((p) => p.liveMB),
  );
  return { baseMB: line.a, mbPerMillionWindows: line.b, first: pts[0].liveMB, last: pts[pts.length - 1].liveMB };
}

export interface ScalingFit {
  /** Fixed cost (start-up, model, pools), s, and marginal cost, s per 1000 km² of searched area. */
  fixedSeconds: number;
  secondsPer1000Km2: number;
  /** Largest |point − line| / point over the scales. */
  worstDeviation: number;
  /** Peak RSS = base + slope × windows: MB at zero windows and MB per million sea-floor windows. */
  baseMB: number;
  mbPerMillionWindows: number;
}

/** Time and memory of a series of end-to-end runs as lines in area and in windows. */
export function fitScaling(points: Array<{ areaKm2: number; windows: number; seconds: number; vmHwmMB: number }>): ScalingFit {
  const t = fitLine(
    points.map((p) => p.areaKm2 / 1000),
    points.map((p) => p.seconds),
  );
  const m = fitLine(
    points.map((p) => p.windows / 1e6),
    points.map((p) => p.vmHwmMB),
  );
  const worst = Math.max(...points.map((p) => Math.abs(t.a + (t.b * p.areaKm2) / 1000 - p.seconds) / p.seconds));
  return { fixedSeconds: t.a, secondsPer1000Km2: t.b, worstDeviation: worst, baseMB: m.a, mbPerMillionWindows: m.b };
}

/** What bounds live memory by configuration: windows in one picking block (picking.bandKm square; live
 * memory grows with the job until a job spans a few) and the grid's block cache (grid.cacheMB). */
function memoryBounds(config: Config): { blockWindows: number; cacheMB: number } {
  return { blockWindows: (config.picking.bandKm / config.window.strideKm) ** 2, cacheMB: config.grid.cacheMB };
}

function evaluateTargets(
  rows: BenchRow[],
  scaling: ScalingPoint[],
  ratios: PipelineBenchResult['ratios'],
  wholeGrid: { planned: number } | null,
  bounds: { blockWindows: number; cacheMB: number },
): PipelineBenchResult['targets'] {
  const t: PipelineBenchResult['targets'] = [];
  for (const r of ratios.filter((x) => x.stage === 'e2e' || x.stage === 'e2e-pool')) {
    if (r.stage === 'e2e-pool') {
      t.push({ target: `(experiment) the library with the scoring pool vs the peer (${r.input})`, met: null, figure: `ours/peer ${r.ratio.toFixed(2)}×` });
      continue;
    }
    t.push({ target: `end to end at least as fast as the peer (${r.input})`, met: r.ratio >= 1, figure: `ours/peer ${r.ratio.toFixed(2)}×` });
  }
  const pts = scaling.filter((s) => s.ours).map((s) => ({ areaKm2: s.areaKm2, windows: s.windows, ...s.ours! }));
  if (pts.length >= 2) {
    const first = pts[0];
    const last = pts[pts.length - 1];
    const fit = fitScaling(pts);
    const peak = Math.max(...pts.map((p) => p.vmHwmMB));
    t.push({ target: 'peak memory under 1.5 GB (regions of the large grid)', met: peak < 1536, figure: `${peak.toFixed(0)} MB at most` });
    // judged on live memory (sampled after full collections): peak RSS also carries garbage V8 has not
    // collected yet, whose amount depends on when it collects, so a line through a few peaks is noise.
    // The grid's block cache fills with the area read until grid.cacheMB: bounded by configuration, it is
    // judged apart (live memory outside it must be flat; the extrapolation adds the cache at its bound)
    const uncached = pts.every((p) => p.liveUncachedMB !== undefined && p.blockCacheMB !== undefined);
    const liveOf = (p: (typeof pts)[number]) => (uncached ? p.liveUncachedMB : p.liveMB);
    const live = pts.every((p) => liveOf(p) !== undefined) ? fitLive(pts.map((p) => ({ windows: p.windows, liveMB: liveOf(p) as number }))) : null;
    // picking holds one block's windows (and the reader and picking caches fill up to their sizes): below a
    // few blocks' worth of windows the job has not reached its bound yet, so flatness cannot be judged
    const judged = last.windows >= 8 * bounds.blockWindows;
    const what = uncached ? 'live memory outside the grid block cache' : 'live memory';
    if (live) {
      // the largest run against the median of the smaller ones: a short run gets a few samples every 2 s and
      // can miss its own peak (the same 1x and 4x jobs read 86-145 MB in different runs), so no single small
      // run is the reference; with scales 4x apart, growth shows as the largest run far above that median
      const refLive =
        median(
          pts
            .slice(0, -1)
            .map((p) => liveOf(p) as number)
            .sort((a, b) => a - b),
        ) ?? NaN;
      const cacheNote = uncached
        ? `; grid block cache at most ${first.blockCacheMB!.toFixed(0)} → ${last.blockCacheMB!.toFixed(0)} MB (bound ${bounds.cacheMB} MB); all live ${first.liveMB!.toFixed(0)} → ${last.liveMB!.toFixed(0)} MB`
        : '';
      t.push({
        target: `peak memory flat in area (${what}, ${pts.length} scales)${judged ? '' : ` — not judged: the largest run (${last.windows} windows) is under 8 picking blocks (${Math.round(8 * bounds.blockWindows)} windows)`}`,
        met: judged ? pts.length >= 4 && live.last / refLive < 1.25 && live.mbPerMillionWindows < 50 : null,
        figure: `${live.first.toFixed(0)} MB at ${first.windows} windows → ${live.last.toFixed(0)} MB at ${last.windows} (${(live.last / refLive).toFixed(2)}× the median of the smaller runs, ${refLive.toFixed(0)} MB); fit ${live.baseMB.toFixed(0)} MB + ${live.mbPerMillionWindows.toFixed(1)} MB per million windows${cacheNote} (peak RSS ${first.vmHwmMB.toFixed(0)} → ${last.vmHwmMB.toFixed(0)} MB)`,
      });
    } else {
      t.push({
        target: 'peak memory flat in area (peak RSS: no live-memory figures in these results)',
        met: last.vmHwmMB / first.vmHwmMB < 1.25 && fit.mbPerMillionWindows < 50,
        figure: `${first.vmHwmMB.toFixed(0)} MB at ${first.windows} windows → ${last.vmHwmMB.toFixed(0)} MB at ${last.windows}; fit ${fit.baseMB.toFixed(0)} MB + ${fit.mbPerMillionWindows.toFixed(0)} MB per million windows`,
      });
    }
    if (wholeGrid) {
      // land is skipped: roughly 70 % of a global grid's windows are sea floor. From the largest run's peak
      // RSS, growing at the live-memory slope (at the peak-RSS slope when there is no live figure), plus
      // what the block cache may still add up to its bound
      const windows = 0.7 * wholeGrid.planned;
      const top = pts.reduce((a, b) => (b.windows > a.windows ? b : a));
      const slope = Math.max(0, live ? live.mbPerMillionWindows : fit.mbPerMillionWindows);
      const cacheRoom = uncached ? Math.max(0, bounds.cacheMB - top.blockCacheMB!) : 0;
      const mb = top.vmHwmMB + (slope * Math.max(0, windows - top.windows)) / 1e6 + cacheRoom;
      t.push({
        target: `peak memory under 1.5 GB on the whole large grid (extrapolated)${judged ? '' : ' — not judged (see above)'}`,
        met: judged ? mb < 1536 : null,
        figure: `~${(windows / 1e6).toFixed(1)} million sea-floor windows (70 % of ${wholeGrid.planned} planned): ${top.vmHwmMB.toFixed(0)} MB at ${top.windows} + ${slope.toFixed(1)} MB per million (${live ? what : 'peak RSS'})${uncached ? ` + ${cacheRoom.toFixed(0)} MB for the block cache to reach its bound` : ''} → ~${mb.toFixed(0)} MB`,
      });
    }
    // time over the scales both implementations ran (the larger ones, ours alone, are there for memory)
    const common = scaling
      .filter((x) => x.ours && x.peer)
      .map((x) => ({ areaKm2: x.areaKm2, windows: x.windows, seconds: x.ours!.seconds, vmHwmMB: x.ours!.vmHwmMB }));
    const tf = common.length >= 2 ? fitScaling(common) : fit;
    t.push({
      target: `time linear in area (fixed cost + constant cost per km²; ${common.length >= 2 ? common.length : pts.length} scales)`,
      met: tf.worstDeviation < 0.2,
      figure: `fit ${tf.fixedSeconds.toFixed(1)} s + ${tf.secondsPer1000Km2.toFixed(4)} s per 1000 km²; worst point ${(100 * tf.worstDeviation).toFixed(0)} % off the line`,
    });
  }
  void rows;
  return t;
}

const fmt = (x: number): string => (!Number.isFinite(x) ? '-' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** The results as the table `npm run bench` prints. */
export function formatPipelineTable(r: PipelineBenchResult): string {
  const lines: string[] = [];
  lines.push(
    `seamount-detect vs Python peer — ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.totalMemMB} MB, node ${r.machine.node}, python ${r.machine.python ?? '-'}, torch ${r.machine.torch ?? '-'}`,
  );
  lines.push(
    `load average ${r.loadAverageStart.join(' ')} at the start, ${r.loadAverageEnd.join(' ')} at the end${r.loadAverageStart[0] > 1 || r.loadAverageEnd[0] > 1 ? ' (the machine was busy: figures are noisy)' : ''}`,
  );
  lines.push(
    'rates: sea-floor windows of the job per second of the stage; km²/s = windows/s × stride²; CPU s = CPU time of all threads; RSS = peak (VmHWM) of the process',
  );
  if (r.unavailableBackends?.length) lines.push(`scoring backends not available on this machine: ${r.unavailableBackends.join(', ')}`);
  for (const [input, info] of Object.entries(r.inputs)) {
    lines.push('');
    lines.push(
      `${input}: ${path.basename(info.grid)}${info.region ? ` ${info.region}` : ' (whole grid)'} — ${info.kept} sea-floor windows of ${info.planned} planned`,
    );
    lines.push(
      `  stage  impl  ${'configuration'.padEnd(40)} ${'seconds'.padStart(8)} ${'CPU s'.padStart(7)} ${'windows/s'.padStart(10)} ${'km²/s'.padStart(10)} ${'RSS MB'.padStart(7)}`,
    );
    for (const stage of STAGES) {
      for (const x of r.rows.filter((y) => y.input === input && y.stage === stage)) {
        const cpu = x.cpuSeconds === null || x.cpuSeconds === undefined ? '-' : x.cpuSeconds.toFixed(2);
        lines.push(
          `  ${stage.padEnd(6)} ${x.impl.padEnd(5)} ${x.config.slice(0, 40).padEnd(40)} ${x.seconds.toFixed(2).padStart(8)} ${cpu.padStart(7)} ${fmt(x.windowsPerSec).padStart(10)} ${fmt(x.km2PerSec).padStart(10)} ${fmt(x.vmHwmMB).padStart(7)}`,
        );
      }
      const ratio = r.ratios.find((y) => y.input === input && y.stage === stage);
      if (ratio) lines.push(`  ${stage.padEnd(6)} ours/peer speed ${ratio.ratio.toFixed(2)}×`);
    }
  }
  if (r.scaling.length > 0) {
    lines.push('');
    lines.push('scaling (end to end, whole process):');
    lines.push(
      `  scale ${'region'.padEnd(26)} ${'km²'.padStart(10)} ${'windows'.padStart(8)} | ours s  s/1000km²  RSS MB live MB  uncached cache MB | peer s  s/1000km²  RSS MB | library+pool s, RSS | peer whole-region s, RSS`,
    );
    for (const s of r.scaling) {
      const o = s.ours;
      const p = s.peer;
      const w = s.peerWholeRegion;
      const q = s.oursPool;
      const mb = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(0)).padStart(8);
      const cell = (
        x: { seconds: number; msPerKm2x1000: number; vmHwmMB: number; liveMB?: number; liveUncachedMB?: number; blockCacheMB?: number } | null,
        live = false,
      ) =>
        x
          ? `${x.seconds.toFixed(1).padStart(6)} ${x.msPerKm2x1000.toFixed(4).padStart(9)} ${x.vmHwmMB.toFixed(0).padStart(7)}${live ? `${mb(x.liveMB)}${mb(x.liveUncachedMB)}${mb(x.blockCacheMB)}` : ''}`
          : '-'.padEnd(live ? 48 : 24);
      lines.push(
        `  ${`${s.scale}×`.padEnd(5)} ${s.region.padEnd(26)} ${s.areaKm2.toExponential(2).padStart(10)} ${String(s.windows).padStart(8)} | ${cell(o, true)} | ${cell(p)} | ${q ? `${q.seconds.toFixed(1)} s, ${q.vmHwmMB.toFixed(0)} MB` : '-'} | ${w ? `${w.seconds.toFixed(1)} s, ${w.vmHwmMB.toFixed(0)} MB` : '-'}`,
      );
    }
  }
  if (Object.keys(r.scalingFits ?? {}).length > 0) {
    lines.push('  lines through the points: time = fixed + per-area cost; peak RSS = base + per-window cost');
    for (const [name, f] of Object.entries(r.scalingFits)) {
      lines.push(
        `    ${name.padEnd(30)} ${f.fixedSeconds.toFixed(1).padStart(6)} s + ${f.secondsPer1000Km2.toFixed(4)} s/1000 km² (worst point ${(100 * f.worstDeviation).toFixed(0)} % off); ${f.baseMB.toFixed(0)} MB + ${f.mbPerMillionWindows.toFixed(0)} MB per million windows`,
      );
    }
  }
  if (r.crossChecks.length > 0) {
    lines.push('');
    lines.push('cross-check (same weights, same centres):');
    for (const x of r.crossChecks) {
      lines.push(
        `  ${x.input}: ${x.windowsCompared} windows, ids identical: ${x.sameIds}; max |window ours − peer| ${x.maxWindowDiff.toExponential(2)} (mean ${x.meanWindowDiff.toExponential(2)}); errors on our windows: max rel. diff ${x.maxModelRelDiff.toExponential(2)}; each on its own windows: ${x.maxPipelineRelDiff.toExponential(2)}` +
          (x.e2e
            ? `; whole run: ${x.e2e.common} common windows, max rel. diff ${x.e2e.maxRelDiff.toExponential(2)}, ours only ${x.e2e.oursOnly}, peer only ${x.e2e.peerOnly}`
            : ''),
      );
    }
  }
  if (r.targets.length > 0) {
    lines.push('');
    lines.push('targets:');
    for (const t of r.targets) lines.push(`  ${t.met === null ? '?' : t.met ? 'met   ' : 'MISSED'} ${t.target}: ${t.figure}`);
  }
  return lines.join('\n');
}
