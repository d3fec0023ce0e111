import type { Command } from 'commander';
import { defaultModelDir } from '../config/index.js';
import { runDetect } from '../pipeline/detect.js';
import { parseShard } from '../pipeline/shard.js';
import { addCommonOptions, runContext, userWindowKeys, type CommonFlags } from './common.js';

interface DetectFlags extends CommonFlags {
  model?: string;
  out: string;
  region?: string;
  variable?: string;
  shard?: string;
  fresh?: boolean;
}

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
    .option('--fresh', 'discard a previous job in the output folder instead of resuming it');
  addCommonOptions(cmd, { backend: true }).action(async (grid: string, flags: DetectFlags) => {
    const layer: Record<string, unknown> = {};
    if (flags.region) layer.region = flags.region;
    if (flags.variable) layer.grid = { variable: flags.variable };
    const ctx = runContext(flags, layer);
    const summary = await runDetect({
      gridPath: grid,
      modelDir: flags.model ?? defaultModelDir(),
      outDir: flags.out,
      config: ctx.config,
      userWindow: userWindowKeys(ctx),
      shard: parseShard(flags.shard, process.env),
      logger: ctx.logger,
      fresh: flags.fresh,
    });
    if (summary.seamounts) process.stderr.write(`${summary.seamounts.length} seamounts → ${flags.out}/seamounts.geojson\n`);
  });
}
