/**
 * `npm run bench:measure`: the measurement benchmark of issue 28. Plants seamounts with `gmt grdseamount`
 * (bench/measure/scenes.ts says which), measures each with `measureSeamount` at its planted position, runs
 * both baselines (and, with --detect, detect) on the same grids, and writes bench/measure/results.json
 * and results.md: pass / fail of the targets per shape, where they fail, and the errors by shape, size,
 * background, cell size and spacing.
 *
 *   node --import tsx bench/measure/run.ts [--quick] [--detect MODEL_DIR] [--cells 15,30,60,120]
 *        [--backgrounds flat,sloping,noisy] [--out DIR] [--before results.json] [--no-baselines]
 *
 * Needs GMT (`gmt grdseamount`, `grdfilter`, `grdmath`, `grd2xyz`) and the shared data
 * (../shared/data: the residual tile, and spac_33 with the KW census for the timing on real sea floor).
 * --quick: fewer seamounts, 1′ and 2′ cells (about 15 s; the full run 1–1.5 min on two cores), written to
 * results-quick.*. --before: a results.json of an earlier run, shown beside the targets (results-before.json
 * is the run on the measurement before issue 28). --detect: `detect` with that model bundle on each grid,
 * written as a GeoTIFF (default off). results.json holds the report and, one seamount a line, the direct
 * measurement's errors; the residual tile's high-pass is cached in bench/.cache/measure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { gaussianBaseline, peakProminenceBaseline } from '../../src/baseline/index.js';
import { measureSeamount, type MeasureOptions } from '../../src/picking/measure.js';
import { matchOneToOne } from '../../src/evaluation/match.js';
import { openGrid } from '../../src/grid/index.js';
import { readCatalogue } from '../../src/catalogue/read.js';
import { KM_PER_DEG } from '../../src/base/geodesy.js';
import type { GridSource, Seamount } from '../../src/types.js';
import { buildScenes, type Background, type PlantedSeamount, type Scene } from './scenes.js';
import { haveGmt, plantScene, trueSummitDepthM, RESIDUAL_TILE } from './plant.js';
import { cellKmOf, scoreOne, truthOf, type Method, type Outcome, type Reported } from './score.js';
import { calibration, classCheck, groupBy, reportMarkdown, summarise, verdict, type BenchReport, type GroupSummary } from './report.js';
import type { ShapeCode } from './shapes.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');

interface Args {
  quick: boolean;
  detect: string | null;
  cells: number[];
  backgrounds: Background[];
  out: string;
  before: string | null;
  baselines: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, detect: null, cells: [], backgrounds: ['flat', 'sloping', 'noisy'], out: HERE, before: null, baselines: true };
  for (let i = 0; i < argv.length; i++) {
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case '--quick':
        a.quick = true;
        break;
      case '--detect':
        a.detect = next();
        break;
      case '--cells':
        a.cells = next().split(',').map(Number);
        break;
      case '--backgrounds':
        a.backgrounds = next().split(',') as Background[];
        break;
      case '--out':
        a.out = next();
        break;
      case '--before':
        a.before = next();
        break;
      case '--no-baselines':
        a.baselines = false;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (a.cells.length === 0) a.cells = a.quick ? [60, 120] : [15, 30, 60, 120];
  return a;
}

/** What a Measurement or Seamount reports (the fields issue 28 added read loosely: older code lacks them). */
function reported(m: Pick<Seamount, 'lon' | 'lat' | 'summitDepthM' | 'heightM' | 'radiusKm' | 'ellipse'> & Partial<Seamount>): Reported {
  return {
    lon: m.lon,
    lat: m.lat,
    summitDepthM: m.summitDepthM,
    heightM: m.heightM,
    radiusKm: m.radiusKm,
    ellipse: m.ellipse,
    volumeKm3: m.volumeKm3,
    flankSlopeDeg: m.flankSlopeDeg,
    plateauShare: m.plateauShare,
    flatTopped: m.flatTopped,
    heightSdM: m.heightSdM,
    radiusSdKm: m.radiusSdKm,
    seamountClass: m.seamountClass,
  };
}

/** Picks matched one-to-one to the planted seamounts within max(5 km, two cells). */
function matchPicks(scene: Scene, picks: Seamount[]): Map<string, Seamount> {
  const tol = Math.max(5, 2 * cellKmOf(scene.cellArcSec));
  const out = new Map<string, Seamount>();
  for (const m of matchOneToOne(picks, scene.seamounts, tol)) out.set(scene.seamounts[m.ref].id, picks[m.pick]);
  return out;
}

async function detectPicks(grid: GridSource, scene: Scene, modelDir: string, workDir: string): Promise<Seamount[]> {
  const { writeFloat32GeoTiff } = await import('../../src/grid/index.js');
  const { runDetect } = await import('../../src/pipeline/detect.js');
  const { silentLogger } = await import('../../src/base/logger.js');
  const tif = path.join(workDir, `${scene.name}.tif`);
  const values = await grid.read({ x0: 0, y0: 0, w: grid.width, h: grid.height });
  await writeFloat32GeoTiff(tif, values, grid, -99999);
  const outDir = path.join(workDir, `detect-${scene.name}`);
  const summary = await runDetect({ gridPath: tif, modelDir, outDir, config: loadConfig(), logger: silentLogger(), fresh: true });
  return summary.seamounts ?? [];
}

/** Mean CPU time of measureSeamount (ms) at the KW seamounts of spac_33 (real 1′ sea floor), as detect calls it. */
async function realTiming(o: MeasureOptions): Promise<{ ms: number; count: number } | null> {
  const gridPath = path.resolve(ROOT, '../shared/data/grids/spac_33.nc3.nc');
  const kwPath = path.resolve(ROOT, '../shared/data/catalogues/KWSMTSv01.txt');
  if (!existsSync(gridPath) || !existsSync(kwPath)) return null;
  const grid = await openGrid(gridPath);
  try {
    const kw = (await readCatalogue(kwPath)).filter((s) => s.lon > -117.5 && s.lon < -107.5 && s.lat > -48.5 && s.lat < -42.5);
    const cellKm = Math.abs(grid.dLat) * KM_PER_DEG;
    const opts = { ...o, searchRadiusKm: 1.5 * cellKm };
    for (const s of kw) await measureSeamount(grid, s.lon, s.lat, opts); // warm the reader's cache and the JIT
    // CPU time, not wall time: the figure should not depend on what else the machine runs
    const c0 = process.cpuUsage();
    const repeats = 5;
    for (let r = 0; r < repeats; r++) for (const s of kw) await measureSeamount(grid, s.lon, s.lat, opts);
    const c = process.cpuUsage(c0);
    return { ms: (c.user + c.system) / 1000 / (repeats * kw.length), count: kw.length };
  } finally {
    await grid.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!haveGmt()) {
    console.error('bench:measure needs GMT (gmt grdseamount); install it (apt-get install gmt) and run again');
    process.exit(2);
  }
  if (args.backgrounds.includes('noisy') && !existsSync(path.resolve(ROOT, RESIDUAL_TILE))) {
    console.error(`no residual tile at ${RESIDUAL_TILE}: run without the noisy background (--backgrounds flat,sloping)`);
    process.exit(2);
  }
  process.chdir(ROOT); // the shared data's relative paths, and gmt.history, land where they should
  const config = loadConfig();
  const measureOpts: MeasureOptions = { measureRadiusKm: config.picking.measureRadiusKm, highpassKm: config.picking.highpassKm };
  const workDir = path.join(ROOT, 'bench', '.cache', 'measure');
  const scenes = buildScenes({ cellsArcSec: args.cells, backgrounds: args.backgrounds, quick: args.quick });
  const methods: Method[] = ['measure', ...(args.baselines ? (['gaussian', 'peak'] as Method[]) : []), ...(args.detect ? (['detect'] as Method[]) : [])];
  const outcomes: Outcome[] = [];
  const timing: Record<string, number> = {};
  const t0 = performance.now();
  let measureMs = 0;
  let measureCount = 0;
  for (const scene of scenes) {
    const ts = performance.now();
    const { grid, background } = plantScene(scene, workDir);
    timing[`plant ${scene.name} (s)`] = (performance.now() - ts) / 1000;
    const byId = new Map(scene.seamounts.map((s) => [s.id, s]));
    const truths = new Map(scene.seamounts.map((s) => [s.id, truthOf(s, trueSummitDepthM(scene, background, s))]));
    const cellKm = cellKmOf(scene.cellArcSec);
    // direct: measureSeamount at the planted position, told of the other members of its group
    const tm = process.cpuUsage();
    for (const s of scene.seamounts) {
      const neighbours = s.neighbours.map((id) => byId.get(id) as PlantedSeamount).map((n) => ({ lon: n.lon, lat: n.lat }));
      const m = await measureSeamount(grid, s.lon, s.lat, { ...measureOpts, searchRadiusKm: 1.5 * cellKm, ...(neighbours.length ? { neighbours } : {}) });
      outcomes.push(scoreOne(scene, s, truths.get(s.id)!, 'measure', m ? reported(m) : null));
    }
    const used = process.cpuUsage(tm);
    measureMs += (used.user + used.system) / 1000;
    measureCount += scene.seamounts.length;
    const pickers: Array<[Method, () => Promise<Seamount[]>]> = [];
    if (args.baselines) {
      pickers.push(['gaussian', async () => (await gaussianBaseline(grid, null, { ...config.baseline, islands: 'keep' })).seamounts]);
      pickers.push(['peak', async () => (await peakProminenceBaseline(grid, null, { ...config.baseline, islands: 'keep' })).seamounts]);
    }
    if (args.detect) pickers.push(['detect', () => detectPicks(grid, scene, path.resolve(args.detect as string), workDir)]);
    for (const [method, run] of pickers) {
      const tp = performance.now();
      const matched = matchPicks(scene, await run());
      timing[`${method} ${scene.name} (s)`] = (performance.now() - tp) / 1000;
      for (const s of scene.seamounts) {
        const p = matched.get(s.id);
        outcomes.push(scoreOne(scene, s, truths.get(s.id)!, method, p ? reported(p) : null));
      }
    }
    console.error(`${scene.name}: ${scene.seamounts.length} seamounts, ${((performance.now() - ts) / 1000).toFixed(1)} s`);
  }
  timing['measureSeamount on the planted grids (CPU ms per call)'] = measureMs / measureCount;
  const real = await realTiming(measureOpts);
  if (real) timing[`measureSeamount on spac_33 at its ${real.count} KW seamounts (CPU ms per call)`] = real.ms;
  timing['total (s)'] = (performance.now() - t0) / 1000;

  const report = buildReport(args, methods, outcomes, timing);
  const before = args.before ? (JSON.parse(readFileSync(args.before, 'utf8')) as { report: BenchReport }).report : undefined;
  mkdirSync(args.out, { recursive: true });
  const name = args.quick ? 'results-quick' : 'results';
  writeAtomic(path.join(args.out, `${name}.json`), resultsJson(report, outcomes));
  writeAtomic(path.join(args.out, `${name}.md`), reportMarkdown(report, before));
  console.log(reportMarkdown(report, before));
}

function buildReport(args: Args, methods: Method[], outcomes: Outcome[], timing: Record<string, number>): BenchReport {
  const direct = outcomes.filter((o) => o.method === 'measure');
  const isolated = direct.filter((o) => o.arrangement === 'isolated' && o.flattening === 0);
  const tall = isolated.filter((o) => o.truth.heightM >= 500);
  const order = (m: Map<string, Outcome[]>): GroupSummary[] => [...m.entries()].map(([k, v]) => summarise(k, v));
  const shapes: ShapeCode[] = ['g', 'c', 'p', 'o'];
  const sizeOrder = ['tiny', 'small', 'medium', 'large'];
  const byShapeSize = shapes.flatMap((sh) =>
    sizeOrder.flatMap((sz) => {
      const list = isolated.filter((o) => o.shape === sh && o.size === sz);
      return list.length ? [summarise(`${sh} ${sz}`, list)] : [];
    }),
  );
  const gitCommand = ['node --import tsx bench/measure/run.ts', args.quick ? '--quick' : '', args.detect ? `--detect ${args.detect}` : '']
    .filter(Boolean)
    .join(' ');
  let gmtVersion = '';
  try {
    gmtVersion = execFileSync('gmt', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    gmtVersion = 'unknown';
  }
  return {
    command: gitCommand,
    settings: {
      quick: args.quick,
      cellsArcSec: args.cells,
      backgrounds: args.backgrounds,
      gmt: gmtVersion,
      matchToleranceKm: 5,
      residualTile: RESIDUAL_TILE,
    },
    methods,
    verdicts: methods.flatMap((m) => shapes.map((sh) => verdict(sh, m, outcomes))),
    byShapeSize,
    byBackground: order(groupBy(tall, (o) => o.background)),
    byCell: order(groupBy(tall, (o) => `${o.cellArcSec}″`)),
    bySpacing: order(
      groupBy(
        direct.filter((o) => o.arrangement !== 'isolated'),
        (o) => `${o.shape} ${o.arrangement} ${o.spacingR0}`,
      ),
    ),
    guyots: order(
      groupBy(
        direct.filter((o) => o.flattening > 0),
        (o) => `${o.shape} F=${o.flattening}${o.elliptical ? ' elliptical' : ''}`,
      ),
    ),
    byMethod: methods.map((m) => {
      const list = outcomes.filter((o) => o.method === m);
      const tallAll = list.filter((o) => o.truth.heightM >= 500);
      return {
        method: m,
        recall500: tallAll.length ? tallAll.filter((o) => o.found).length / tallAll.length : null,
        summary: summarise(m, list),
        calibration: calibration(list),
        classes: classCheck(list),
      };
    }),
    timing,
  };
}

/** Columns of results.json's per-seamount table (the direct measurement's outcomes; the pickers' are in the report). */
const OUTCOME_COLUMNS = [
  'id',
  'shape',
  'size',
  'arrangement',
  'spacingR0',
  'elliptical',
  'flattening',
  'cellArcSec',
  'background',
  'target',
  'radiusCells',
  'true.heightM',
  'true.radiusKm',
  'true.volumeKm3',
  'true.flankSlopeDeg',
  'err.positionCells',
  'err.heightRel',
  'err.radiusRel',
  'err.majorRel',
  'err.minorRel',
  'err.azimuthDeg',
  'err.summitDepthM',
  'err.volumeRel',
  'err.flankSlopeDeg',
  'err.flatness',
  'heightSdM',
  'radiusSdKm',
  'class',
  'flatTopped',
] as const;

function outcomeRow(o: Outcome): unknown[] {
  const e = o.errors;
  const r = o.reported;
  const sig = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toPrecision(4)));
  return [
    o.id,
    o.shape,
    o.size,
    o.arrangement,
    o.spacingR0,
    o.elliptical,
    o.flattening,
    o.cellArcSec,
    o.background,
    o.target,
    sig(o.radiusCells),
    o.truth.heightM,
    sig(o.truth.radiusKm),
    sig(o.truth.volumeKm3),
    sig(o.truth.flankSlopeDeg),
    sig(e?.positionCells),
    sig(e?.heightRel),
    sig(e?.radiusRel),
    sig(e?.majorRel),
    sig(e?.minorRel),
    sig(e?.azimuthDeg),
    sig(e?.summitDepthM),
    sig(e?.volumeRel),
    sig(e?.flankSlopeDeg),
    sig(e?.flatness),
    sig(r?.heightSdM),
    sig(r?.radiusSdKm),
    o.seamountClass,
    o.guyot,
  ];
}

/** results.json: the report (readable), then the direct measurement's outcomes as a table, one seamount a line. */
function resultsJson(report: BenchReport, outcomes: Outcome[]): string {
  const rows = outcomes.filter((o) => o.method === 'measure').map((o) => JSON.stringify(outcomeRow(o)));
  return `{"report": ${reportJson(report)},\n"outcomeColumns": ${JSON.stringify(OUTCOME_COLUMNS)},\n"outcomes": [\n${rows.join(',\n')}\n]}\n`;
}

/** The report as JSON, a line per entry of its tables. */
export function reportJson(report: BenchReport): string {
  const entries = Object.entries(report).map(([k, v]) =>
    Array.isArray(v)
      ? `${JSON.stringify(k)}: [\n${v.map((x) => JSON.stringify(x, roundNumbers)).join(',\n')}\n]`
      : `${JSON.stringify(k)}: ${JSON.stringify(v, roundNumbers)}`,
  );
  return `{\n${entries.join(',\n')}\n}`;
}

/** 6 significant digits in results.json: readable, and stable between runs of the same code. */
function roundNumbers(_k: string, v: unknown): unknown {
  return typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v;
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
