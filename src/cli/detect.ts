import type { Command } from 'commander';
import { finishedSummary } from './summary.js';
import { defaultModelDir } from '../config/index.js';
import { runDetect } from '../pipeline/detect.js';
import { parseShard } from '../pipeline/shard.js';
import { addCommonOptions, addExamples, runContext, userWindowKeys, type CommonFlags } from './common.js';

interface DetectFlags extends CommonFlags {
  model?: string;
  out: string;
  region?: string;
  variable?: string;
  shard?: string;
  fresh?: boolean;
  scoresOnly?: boolean;
}

/** Adds `seamount detect` to the program. */
export function registerDetect(program: Command): void {
  const cmd = program
    .command('detect')
    .description('find seamounts in a grid (GeoTIFF/COG, netCDF-3, netCDF-4, ESRI ASCII; https:// and s3:// COGs) and write OUT/seamounts.geojson')
    .argument('<grid>', 'bathymetry grid: a file, or an https:// or s3:// GeoTIFF/COG')
    .option('--model <dir>', 'model bundle folder (default: the bundled default model)')
    .option('--out <dir>', 'output folder', 'out/detect')
    .option('--region <W/E/S/N>', 'search only this box, degrees (W > E crosses the antimeridian)')
    .option('--variable <name>', 'netCDF variable to read when the file holds several grids')
    .option('--shard <i/N>', 'score only shard i of N (0-based; auto/N reads JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX)')
    .option('--fresh', 'discard a previous job in the output folder instead of resuming it')
    .option('--scores-only', 'score the windows and write error.tif and run.json only: no candidates, no catalogue');
  addExamples(cmd, 'docs/commands/detect.md', [
    'seamount detect data/demo/demo_grid.tif --region 156/159/16/19 --out out/demo-box',
    'seamount detect GEBCO_2024.nc --region 150/-120/-60/60 --out out/pacific',
    'seamount detect GEBCO_2024.nc --region 150/-120/-60/60 --shard 3/16 --out out/pacific/shard-3-of-16',
  ]);
  addCommonOptions(cmd, { backend: true }).action(async (grid: string, flags: DetectFlags) => {
    const layer: Record<string, unknown> = {};
    if (flags.region) layer.region = flags.region;
    if (flags.variable) layer.grid = { variable: flags.variable };
    const ctx = runContext(flags, layer);
    const started = performance.now();
    const summary = await runDetect({
      gridPath: grid,
      modelDir: flags.model ?? defaultModelDir(),
      outDir: flags.out,
      config: ctx.config,
      userWindow: userWindowKeys(ctx),
      shard: parseShard(flags.shard, process.env),
      logger: ctx.logger,
      fresh: flags.fresh,
      scoresOnly: flags.scoresOnly,
    });
    if (summary.seamounts) process.stderr.write(finishedSummary(summary, flags.out, (performance.now() - started) / 1000));
  });
}
