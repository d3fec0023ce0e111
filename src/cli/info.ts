import type { Command } from 'commander';
import { defaultModelDir } from '../config/index.js';
import type { GridInspection, TransferStats } from '../grid/index.js';
import { formatDuration } from '../pipeline/detect.js';
import { gridInfo, type DetectPlanInfo, type InfoReport } from '../pipeline/info.js';
import { addCommonOptions, addExamples, runContext, userWindowKeys, type CommonFlags } from './common.js';

interface InfoFlags extends CommonFlags {
  model?: string;
  region?: string;
  variable?: string;
  json?: boolean;
  probe: boolean;
  shards?: string;
}

const FORMAT_NAMES: Record<string, string> = { geotiff: 'GeoTIFF', netcdf3: 'netCDF-3', netcdf4: 'netCDF-4', 'esri-ascii': 'ESRI ASCII', memory: 'in memory' };

const num = (x: number, digits = 6) => Number(x.toFixed(digits)).toString();
const int = (x: number) => x.toLocaleString('en-US');
const pct = (x: number | null) => (x === null ? '?' : `${(100 * x).toFixed(x > 0 && x < 0.01 ? 2 : 0)} %`);
const bytes = (n: number) => (n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(2)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`);

function gridLines(r: GridInspection, transfer: TransferStats | null): string[] {
  const i = r.info;
  const arc = i.spacingArcSec[0] === i.spacingArcSec[1] ? `${num(i.spacingArcSec[0], 3)}″` : `${num(i.spacingArcSec[0], 3)}″ × ${num(i.spacingArcSec[1], 3)}″`;
  const hemi = r.spacingLatDeg >= 0 ? 'N' : 'S';
  const units = i.units === null ? 'none stated (taken as metres)' : `'${i.units}' (${num(i.metresPerStoredUnit)} m per unit)`;
  const packing = i.scaleFactor !== 1 || i.addOffset !== 0 ? `, stored × ${num(i.scaleFactor, 9)} + ${num(i.addOffset, 9)}` : '';
  const v = r.valueRange;
  const range = Number.isNaN(v.minM) ? 'no values (all no-data)' : `${num(v.minM, 2)} .. ${num(v.maxM, 2)} m`;
  const lines = [
    `${i.path}`,
    `  format        ${FORMAT_NAMES[i.format] ?? i.format}, variable '${i.variable}', ${i.dataType}`,
    `  size          ${i.width} × ${i.height} cells (${int(i.width * i.height)})`,
    `  spacing       ${arc} = ${num(i.spacingDeg[0], 8)}° × ${num(i.spacingDeg[1], 8)}°; ${r.spacingKm[0].toFixed(3)} km × ${r.spacingKm[1].toFixed(3)} km at ${Math.abs(r.spacingLatDeg).toFixed(2)}°${hemi} (east–west ${r.spacingKmRange[0].toFixed(3)}..${r.spacingKmRange[1].toFixed(3)} km)`,
    `  extent        cell centres lon ${num(i.centres.west)}..${num(i.centres.east)}, lat ${num(i.centres.south)}..${num(i.centres.north)}; edges lon ${num(i.edges.west)}..${num(i.edges.east)}, lat ${num(i.edges.south)}..${num(i.edges.north)}`,
    `  longitudes    ${r.lonConvention}${i.periodicLon ? ', wraps across the seam' : ''}`,
    `  registration  ${i.registration === 'pixel' ? 'pixel (values are cell areas)' : 'gridline (values sit on nodes)'}, ${i.northUp ? 'north row first' : 'south row first'}`,
    `  units         ${units}${packing}${i.positiveDown ? ', positive down (read as elevation, positive up)' : ''}`,
    `  no-data       ${i.nodata.length ? i.nodata.join(', ') : 'none declared'}${i.nodata.length ? ' (and NaN)' : ''}`,
    `  value range   ${range}, ${pct(v.validShare)} of cells valid; from ${v.method === 'all cells' ? '' : `${v.method}: `}${v.detail}`,
    `  layout        ${i.layout}`,
  ];
  if (i.remote) {
    const o = i.remote;
    lines.push(`  remote        ${o.url}: ${int(o.size)} bytes, ETag ${o.etag ?? 'none'}, Last-Modified ${o.lastModified ?? 'none'}`);
  }
  if (transfer)
    lines.push(`  fetched       ${bytes(transfer.bytesFetched)} in ${transfer.requests} range requests (${transfer.retries} retried) for this report`);
  for (const w of i.warnings) lines.push(`  note          ${w}`);
  return lines;
}

function detectLines(d: InfoReport['detect']): string[] {
  if ('error' in d) return ['detect with the current configuration', `  cannot plan  ${d.error}`];
  const lines = [
    `detect with the current configuration (model ${d.model}: ${d.windowSizeKm} km windows of ${d.samples} × ${d.samples}, stride ${d.strideKm} km)`,
    `  region        ${d.region}${d.wholeGrid ? ' (the whole grid)' : ''}`,
    `  windows       ${int(d.windows)} in ${int(d.batches)} batches of ${d.batchSize}`,
    ...d.warnings.map((w) => `  warning       ${w}`),
  ];
  const p = d.probe;
  if (!p) {
    lines.push('  skipped       (no probe: run without --no-probe for the land / no-data share and a time estimate)');
    return [...lines, ...shardLines(d)];
  }
  lines.push(
    `  skipped       about ${pct(d.skippedLandShare)} as land, ${pct(d.skippedNodataShare)} as no-data (probe: ${int(p.windows)} windows in ${p.batches.length > 6 ? `${p.batches.length} batches spread over the plan` : `batches ${p.batches.join(', ')}`})`,
  );
  if (d.estimatedSeconds !== null) {
    lines.push(
      `  estimate      about ${formatDuration(d.estimatedSeconds)} to cut and score the windows (${p.msPerWindow.toFixed(3)} ms a window, ${p.scorer}; start-up ${(p.startupMs / 1000).toFixed(1)} s); picking and writing come on top`,
    );
  }
  if (d.coreHours !== null) lines.push(`  core-hours    ${hours(d.coreHours)} (${d.cores} cores × ${formatDuration(d.estimatedSeconds ?? 0)})`);
  if (d.estimatedPeakMB !== null) {
    lines.push(
      `  memory        about ${Math.ceil(d.estimatedPeakMB)} MB peak (probe ${Math.ceil(p.peakRssMB)} MB + grid.cacheMB ${Math.round(d.estimatedPeakMB - p.peakRssMB)}); the same for any size of job or shard`,
    );
  }
  return [...lines, ...shardLines(d)];
}

const hours = (h: number) => (h >= 10 ? h.toFixed(0) : h >= 0.1 ? h.toFixed(1) : h.toPrecision(2));

function shardLines(d: DetectPlanInfo): string[] {
  const s = d.shards;
  if (!s) return [];
  const time =
    s.estimatedSecondsPerShard === null
      ? ''
      : `: about ${formatDuration(s.estimatedSecondsPerShard)} each on ${d.cores} cores, ${hours(s.coreHours ?? 0)} core-hours in all`;
  return [
    `  shards        ${s.count} (--shard auto/${s.count}) of at most ${int(s.windowsPerShard)} windows in ${int(s.batchesPerShard)} batches${time}; then merge`,
  ];
}

/** The report as text, for a terminal. */
export function formatInfo(r: InfoReport): string {
  return `${[...gridLines(r.grid, r.transfer), ...detectLines(r.detect)].join('\n')}\n`;
}

/** `--shards N`: a whole number ≥ 1 (1 or absent: no shard plan). */
function parseShardCount(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--shards ${text}: expected a whole number of shards, at least 1`);
  return n;
}

/**
 * Registers `seamount info`: a grid's description and what detect would plan on it.
 *
 * @example registerInfo(program); // seamount info GEBCO_2024.nc --shards 16
 */
export function registerInfo(program: Command): void {
  const cmd = program
    .command('info')
    .description('describe a grid (format, size, spacing, extent, units, value range) and what detect would plan on it')
    .argument('<grid>', 'bathymetry grid: a file, or an https:// or s3:// GeoTIFF/COG')
    .option('--model <dir>', 'model bundle whose windows the plan uses (default: the bundled default model)')
    .option('--region <W/E/S/N>', 'plan only this box, degrees')
    .option('--variable <name>', 'netCDF variable to read when the file holds several grids')
    .option('--no-probe', 'skip the short tiling and scoring probe (no skipped shares, no time, memory or core-hours)')
    .option('--shards <N>', 'also plan N shards (detect --shard auto/N): windows, time and core-hours per shard')
    .option('--json', 'print the report as JSON');
  addExamples(cmd, 'docs/commands/info.md', [
    'seamount info ../shared/data/grids/regions_1m/gorda_etopo1.asc',
    'seamount info ../shared/data/grids/HI_topo_02.nc4.nc --shards 4',
    'seamount info GEBCO_2024.nc --shards 16',
  ]);
  addCommonOptions(cmd, { backend: true }).action(async (grid: string, flags: InfoFlags) => {
    const layer: Record<string, unknown> = {};
    if (flags.region) layer.region = flags.region;
    if (flags.variable) layer.grid = { variable: flags.variable };
    // the report goes to stdout: logs only when asked for
    if (!flags.logLevel) layer.logging = { level: 'warn' };
    const ctx = runContext(flags, layer);
    const report = await gridInfo({
      gridPath: grid,
      modelDir: flags.model ?? defaultModelDir(),
      config: ctx.config,
      userWindow: userWindowKeys(ctx),
      probe: flags.probe,
      shards: parseShardCount(flags.shards),
      logger: ctx.logger,
    });
    process.stdout.write(
      flags.json ? `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n` : formatInfo(report),
    );
  });
}
