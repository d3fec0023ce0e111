import type { Command } from 'commander';
import { formatRatio, runCompareStage } from '../pipeline/compare.js';
import { addCommonOptions, addExamples, collect, runContext, type CommonFlags, commandLine } from './common.js';

interface CompareFlags extends CommonFlags {
  catalogue: string[];
  toleranceKm?: string;
  region?: string;
  minHeight?: string;
  grid?: string;
  out: string;
}

/** Adds `seamount compare` to the program. */
export function registerCompare(program: Command): void {
  const cmd = program
    .command('compare')
    .description('compare picks with a reference catalogue (KW text, xyhrdnc, GeoJSON or CSV): metrics.json, report.md, PR curve, matched/missed/new layers')
    .argument('<picks>', 'picks to judge: seamounts.geojson (or .csv) from detect or baseline')
    .requiredOption(
      '--catalogue <file>',
      'reference catalogue, e.g. ../shared/data/catalogues/KWSMTSv01.txt (repeatable: their union, a seamount listed under one id counted once)',
      collect,
    )
    .option('--tolerance-km <km>', 'match distance (default: config compare.toleranceKm)')
    .option('--region <W/E/S/N>', 'count reference seamounts only inside this box (default: the searched region from the picks)')
    .option('--min-height <m>', 'leave out reference seamounts lower than this (default: config compare.minHeightM)')
    .option('--grid <file>', 'the searched grid: reference seamounts on no-data or land there do not count (default: the grid named in the picks)')
    .option('--out <dir>', 'output folder', 'out/compare');
  addExamples(cmd, 'docs/commands/compare.md', [
    'seamount compare out/spac/seamounts.geojson --catalogue ../shared/data/catalogues/KWSMTSv01.txt --out out/spac/vs-kw',
    'seamount compare out/spac/seamounts.geojson --catalogue ../shared/data/catalogues/KWSMTSv01.txt --catalogue ../shared/data/catalogues/kw_gevorgian2023.xyhrdnc --out out/spac/vs-both',
    'seamount compare out/spac-baseline/seamounts.geojson --catalogue ../shared/data/catalogues/kw_gevorgian2023.xyhrdnc --tolerance-km 15 --min-height 500 --out out/spac-baseline/vs-gevorgian',
  ]);
  addCommonOptions(cmd).action(async (picks: string, flags: CompareFlags) => {
    const layer: Record<string, unknown> = {};
    const compare: Record<string, number> = {};
    if (flags.toleranceKm !== undefined) compare.toleranceKm = Number(flags.toleranceKm);
    if (flags.minHeight !== undefined) compare.minHeightM = Number(flags.minHeight);
    if (Object.keys(compare).length) layer.compare = compare;
    if (flags.region) layer.region = flags.region;
    const ctx = runContext(flags, layer);
    const r = await runCompareStage({
      picks,
      catalogue: flags.catalogue,
      out: flags.out,
      grid: flags.grid,
      config: ctx.config,
      logger: ctx.logger,
      command: commandLine(),
    });
    process.stderr.write(
      `precision ${formatRatio(r.precision)}  recall ${formatRatio(r.recall)}  F1 ${formatRatio(r.f1)}  (TP ${r.tp}, FP ${r.fp}, FN ${r.fn}) → ${flags.out}/report.md\n`,
    );
  });
}
