import type { Command } from 'commander';
import { runBaseline } from '../pipeline/baseline.js';
import { addCommonOptions, addExamples, runContext, type CommonFlags } from './common.js';

interface BaselineFlags extends CommonFlags {
  out: string;
  method: string;
  region?: string;
  variable?: string;
}

/** Adds `seamount baseline` to the program. */
export function registerBaseline(program: Command): void {
  const cmd = program
    .command('baseline')
    .description('Kim & Wessel-style picker: elliptical 2-D Gaussians on high-passed bathymetry; same GeoJSON schema as detect')
    .argument('<grid>', 'bathymetry grid: a file, or an https:// or s3:// GeoTIFF/COG')
    .option('--out <dir>', 'output folder', 'out/baseline')
    .option('--method <name>', 'gaussian (Kim & Wessel-style Gaussian fits) or peaks (plain peak-prominence picker)', 'gaussian')
    .option('--region <W/E/S/N>', 'search only this box, degrees')
    .option('--variable <name>', 'netCDF variable to read when the file holds several grids');
  addExamples(cmd, 'docs/commands/baseline.md', [
    'seamount baseline ../shared/data/grids/spac_33.nc4.nc --region -118/-116/-49/-47 --out out/spac-baseline',
    'seamount baseline ../shared/data/grids/spac_33.nc4.nc --region -118/-116/-49/-47 --method peaks --out out/spac-peaks',
  ]);
  addCommonOptions(cmd).action(async (grid: string, flags: BaselineFlags) => {
    const layer: Record<string, unknown> = {};
    if (flags.region) layer.region = flags.region;
    if (flags.variable) layer.grid = { variable: flags.variable };
    if (flags.method !== 'gaussian' && flags.method !== 'peaks') throw new Error(`--method ${flags.method}: expected gaussian or peaks`);
    const ctx = runContext(flags, layer);
    const r = await runBaseline({ grid, method: flags.method, out: flags.out, config: ctx.config, logger: ctx.logger });
    process.stderr.write(`${r.seamounts} seamounts (${r.method} baseline) → ${flags.out}/seamounts.geojson\n`);
  });
}
