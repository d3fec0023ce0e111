/**
 * Grid reading benchmark: peak memory and read rate while sweeping a global-size grid in row bands
 * through `openGrid(...).read(...)`, for a tiled deflate GeoTIFF, a chunked deflate netCDF-4 and a
 * netCDF-3 of the same 21,600 × 10,800 int16 grid (1′, ETOPO5 resampled by GDAL: real relief, so
 * compression is realistic). Each format runs in its own process so its peak RSS (VmHWM) is its own.
 *
 *   node --import tsx bench/grid-memory.ts [--size 21600x10800] [--band-rows 256] [--cache-mb 128]
 *        [--formats geotiff,netcdf4,netcdf3] [--cache-dir bench/.cache] [--json FILE]
 *
 * The grids are generated once (gdalwarp, gmt grdconvert, gdal_translate) into the cache folder.
 * Figures depend on the machine and on what else runs on it: report them with the machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openGrid } from '../src/grid/index.js';
import type { BlockGrid } from '../src/grid/block-grid.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const ETOPO5 = path.resolve(ROOT, '../shared/data/grids/etopo5.nc3.nc');

export type BenchFormat = 'geotiff' | 'netcdf4' | 'netcdf3';

export interface GridMemoryOptions {
  /** Grid size in cells (default 21600 × 10800). */
  width?: number;
  height?: number;
  /** Rows per read (default 256): each read is a full-width band. */
  bandRows?: number;
  /** Decoded-block cache, MB (default: the reader's default). */
  cacheMB?: number;
  formats?: BenchFormat[];
  /** Where generated grids are kept (default bench/.cache). */
  cacheDir?: string;
  verbose?: boolean;
}

export interface GridMemoryRun {
  format: BenchFormat;
  path: string;
  layout: string;
  fileMB: number;
  cells: number;
  seconds: number;
  /** Cells delivered per second, millions. */
  mcellsPerSecond: number;
  /** Delivered float32 MB (4 bytes a cell) per second. */
  outputMBPerSecond: number;
  /** File bytes per second (compressed size over sweep time). */
  fileMBPerSecond: number;
  rssStartMB: number;
  /** Highest RSS sampled every 20 ms during the sweep. */
  rssPeakSampledMB: number;
  /** Kernel's high-water mark for the process (VmHWM): the true peak, start-up included. */
  vmHwmMB: number;
  blocksRead: number;
  cacheHits: number;
  /** Finite cells and their sum: equal across formats when all read the same grid. */
  finiteCells: number;
  sumM: number;
}

export interface GridMemoryResult {
  machine: { cpus: number; cpuModel: string; node: string; loadAverage: number[]; totalMemMB: number };
  width: number;
  height: number;
  bandRows: number;
  cacheMB: number | null;
  generateSeconds: number;
  runs: GridMemoryRun[];
}

const MB = 2 ** 20;
const log = (verbose: boolean | undefined, msg: string) => {
  if (verbose) process.stderr.write(`${msg}\n`);
};

function sh(cmd: string, args: string[]) {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error(`${cmd} not found: generating the benchmark grids needs GDAL and GMT (apt-get install gdal-bin gmt)`);
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr?.toString() ?? String(err)}`);
  }
}

/** Generates (once) the three files of one size; returns their paths. */
export function ensureBenchGrids(width: number, height: number, cacheDir: string, verbose?: boolean): Record<BenchFormat, string> {
  mkdirSync(cacheDir, { recursive: true });
  const stem = path.join(cacheDir, `global-${width}x${height}`);
  const files: Record<BenchFormat, string> = { geotiff: `${stem}.tif`, netcdf4: `${stem}.nc4.nc`, netcdf3: `${stem}.nc3.nc` };
  const make = (target: string, build: (tmp: string) => void) => {
    if (existsSync(target)) return;
    const tmp = `${target}.tmp${path.extname(target)}`;
    log(verbose, `generating ${path.basename(target)} ...`);
    build(tmp);
    renameSync(tmp, target);
  };
  make(files.geotiff, (tmp) =>
    sh('gdalwarp', [
      '-q',
      '-overwrite',
      '-ts',
      String(width),
      String(height),
      '-te',
      '0',
      '-90',
      '360',
      '90',
      '-r',
      'bilinear',
      '-ot',
      'Int16',
      '-dstnodata',
      '-32768',
      '-wo',
      'NUM_THREADS=2',
      '-co',
      'TILED=YES',
      '-co',
      'BLOCKXSIZE=256',
      '-co',
      'BLOCKYSIZE=256',
      '-co',
      'COMPRESS=DEFLATE',
      '-co',
      'PREDICTOR=2',
      '-co',
      'BIGTIFF=IF_SAFER',
      ETOPO5,
      tmp,
    ]),
  );
  // GMT writes netCDF-4 with 2-D chunks like GEBCO/SRTM15+ files
  make(files.netcdf4, (tmp) => sh('gmt', ['grdconvert', `${files.geotiff}=gd`, `${tmp}=ns`, '--IO_NC4_CHUNK_SIZE=512,512', '--IO_NC4_DEFLATION_LEVEL=4']));
  make(files.netcdf3, (tmp) => sh('gdal_translate', ['-q', '-of', 'netCDF', '-co', 'FORMAT=NC2', files.geotiff, tmp]));
  return files;
}

function vmHwmMB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Sweeps one file in full-width row bands in this process. */
export async function sweepGrid(format: BenchFormat, file: string, bandRows: number, cacheMB?: number): Promise<GridMemoryRun> {
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  const timer = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 20);
  try {
    const t0 = performance.now();
    const g = (await openGrid(file, { cacheMB })) as BlockGrid;
    let finite = 0;
    let sum = 0;
    try {
      for (let y0 = 0; y0 < g.height; y0 += bandRows) {
        const h = Math.min(bandRows, g.height - y0);
        const band = await g.read({ x0: 0, y0, w: g.width, h });
        for (let i = 0; i < band.length; i++) {
          const v = band[i];
          if (v === v) {
            finite++;
            sum += v;
          }
        }
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }
    } finally {
      await g.close();
    }
    const seconds = (performance.now() - t0) / 1000;
    const cells = g.width * g.height;
    const fileMB = statSync(file).size / MB;
    return {
      format,
      path: file,
      layout: g.info.layout,
      fileMB,
      cells,
      seconds,
      mcellsPerSecond: cells / seconds / 1e6,
      outputMBPerSecond: (cells * 4) / MB / seconds,
      fileMBPerSecond: fileMB / seconds,
      rssStartMB: rssStart / MB,
      rssPeakSampledMB: rssPeak / MB,
      vmHwmMB: vmHwmMB(),
      blocksRead: g.stats.blocksRead,
      cacheHits: g.stats.cacheHits,
      finiteCells: finite,
      sumM: sum,
    };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The script the child processes run: this file itself when it is already JavaScript; compiled with
 * tsc when it runs from TypeScript, because tsx's loader adds about 600 MB of resident memory of its
 * own when h5wasm is imported and would swamp the reader's figure.
 */
function childScript(): string {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.js')) return self;
  // inside the repository, so the compiled files find node_modules and "type": "module"
  const outDir = path.join(HERE, '.cache', 'build');
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(
      process.execPath,
      [
        tsc,
        '--outDir',
        outDir,
        '--rootDir',
        ROOT,
        '--module',
        'NodeNext',
        '--moduleResolution',
        'NodeNext',
        '--target',
        'ES2022',
        '--skipLibCheck',
        '--noCheck',
        '--types',
        'node',
        self,
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
  } catch (err) {
    throw new Error(`compiling the benchmark child failed: ${String((err as { stdout?: Buffer }).stdout ?? err)}`);
  }
  return path.join(outDir, 'bench', 'grid-memory.js');
}

/** Generates the grids if needed, then sweeps each format in a child process (plain node, no tsx). */
export async function benchGridMemory(options: GridMemoryOptions = {}): Promise<GridMemoryResult> {
  const width = options.width ?? 21600;
  const height = options.height ?? 10800;
  const bandRows = options.bandRows ?? 256;
  const formats = options.formats ?? ['geotiff', 'netcdf4', 'netcdf3'];
  const cacheDir = options.cacheDir ?? path.join(HERE, '.cache');
  const t0 = performance.now();
  const files = ensureBenchGrids(width, height, cacheDir, options.verbose);
  const generateSeconds = (performance.now() - t0) / 1000;
  const runs: GridMemoryRun[] = [];
  const child = childScript();
  for (const format of formats) {
    log(options.verbose, `sweeping ${format} ...`);
    const args = [child, '--child', format, files[format], String(bandRows)];
    if (options.cacheMB !== undefined) args.push(String(options.cacheMB));
    const out = execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
    runs.push(JSON.parse(out.trim().split('\n').pop() as string) as GridMemoryRun);
  }
  const cpus = os.cpus();
  return {
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', node: process.version, loadAverage: os.loadavg(), totalMemMB: os.totalmem() / MB },
    width,
    height,
    bandRows,
    cacheMB: options.cacheMB ?? null,
    generateSeconds,
    runs,
  };
}

function formatTable(r: GridMemoryResult): string {
  const f1 = (x: number) => x.toFixed(1);
  const lines = [
    `grid ${r.width} × ${r.height} int16, bands of ${r.bandRows} rows, cache ${r.cacheMB ?? 'default'} MB; ${r.machine.cpus} × ${r.machine.cpuModel}, node ${r.machine.node}, load ${r.machine.loadAverage.map((x) => x.toFixed(2)).join(' ')}`,
    'format   | file MB | seconds | Mcells/s | out MB/s | file MB/s | RSS start | RSS peak (sampled) | VmHWM MB | blocks',
  ];
  for (const x of r.runs) {
    lines.push(
      `${x.format.padEnd(8)} | ${f1(x.fileMB).padStart(7)} | ${f1(x.seconds).padStart(7)} | ${f1(x.mcellsPerSecond).padStart(8)} | ${f1(x.outputMBPerSecond).padStart(8)} | ${f1(x.fileMBPerSecond).padStart(9)} | ${f1(x.rssStartMB).padStart(9)} | ${f1(x.rssPeakSampledMB).padStart(18)} | ${f1(x.vmHwmMB).padStart(8)} | ${x.blocksRead}`,
    );
  }
  const sums = new Set(r.runs.map((x) => `${x.finiteCells}/${x.sumM}`));
  lines.push(
    sums.size === 1 ? `all formats read identical values (${r.runs[0]?.finiteCells} finite cells)` : `VALUES DIFFER between formats: ${[...sums].join(', ')}`,
  );
  return lines.join('\n');
}

async function main(argv: string[]) {
  if (argv[0] === '--child') {
    const [, format, file, band, cache] = argv;
    const run = await sweepGrid(format as BenchFormat, file, Number(band), cache === undefined ? undefined : Number(cache));
    process.stdout.write(`${JSON.stringify(run)}\n`);
    return;
  }
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const size = opt('--size') ?? '21600x10800';
  const [width, height] = size.split('x').map(Number);
  if (!(width > 0 && height > 0)) throw new Error(`--size ${size}: expected WIDTHxHEIGHT`);
  const result = await benchGridMemory({
    width,
    height,
    bandRows: opt('--band-rows') ? Number(opt('--band-rows')) : undefined,
    cacheMB: opt('--cache-mb') ? Number(opt('--cache-mb')) : undefined,
    formats: opt('--formats')?.split(',') as BenchFormat[] | undefined,
    cacheDir: opt('--cache-dir'),
    verbose: true,
  });
  process.stdout.write(`${formatTable(result)}\n`);
  const json = opt('--json');
  if (json) writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(fileURLToPath(import.meta.url))) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
