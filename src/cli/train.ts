import type { Command } from 'commander';
import { runTrain } from '../pipeline/train.js';
import { addCommonOptions, addExamples, collect, runContext, type CommonFlags, commandLine } from './common.js';

interface TrainFlags extends CommonFlags {
  catalogue: string[];
  grid: string[];
  out: string;
  init?: string;
  epochs?: string;
  exclude?: string[];
  rankerOnly?: boolean;
}

/** Adds `seamount train` to the program. */
export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description('train an autoencoder bundle on windows centred on catalogue seamounts (or fine-tune one with --init)')
    .requiredOption('--catalogue <file>', 'seamount positions: KW text, xyhrdnc, GeoJSON or CSV with lon/lat (repeatable)', collect)
    .requiredOption('--grid <file...>', 'grids to cut training windows from, files or https:// / s3:// COGs (each seamount uses the first grid that holds it)')
    .requiredOption('--out <dir>', 'folder for the new model bundle')
    .option('--init <bundle>', 'start from this bundle (retraining on new labels); its window spec is kept')
    .option('--epochs <n>', 'maximum epochs (default: config training.epochs)')
    .option('--exclude-region <W/E/S/N>', 'leave out seamounts in this box, e.g. an evaluation area (repeatable)', collect)
    .option('--ranker-only', 'with --init: keep its autoencoder, refit only the candidate ranker and its cut on these catalogues and grids');
  addExamples(cmd, 'docs/commands/train.md', [
    'seamount train --catalogue ../shared/data/catalogues/KWSMTSv01.txt --catalogue ../shared/data/catalogues/kw_gevorgian2023.xyhrdnc --grid ../shared/data/grids/regions_1m/gorda_etopo1.tif --epochs 5 --out out/gorda-model',
    'seamount train --init data/models/default --catalogue ../shared/data/catalogues/kw_gevorgian2023.xyhrdnc --grid ../shared/data/grids/regions_1m/gorda_etopo1.tif --epochs 5 --out out/gorda-retrained',
    'seamount train --init data/models/default --ranker-only --catalogue ../shared/data/catalogues/KWSMTSv01.txt --grid ../shared/data/grids/regions_1m/gorda_etopo1.tif --out out/gorda-ranker',
  ]);
  addCommonOptions(cmd, { backend: true, seed: true }).action(async (flags: TrainFlags & { excludeRegion?: string[] }) => {
    const layer: Record<string, unknown> = {};
    if (flags.epochs !== undefined) layer.training = { epochs: Number(flags.epochs) };
    const ctx = runContext(flags, layer);
    const r = await runTrain({
      cataloguePaths: flags.catalogue,
      gridPaths: flags.grid,
      outDir: flags.out,
      initDir: flags.init,
      excludeRegions: flags.excludeRegion ?? [],
      rankerOnly: flags.rankerOnly,
      config: ctx.config,
      logger: ctx.logger,
      command: commandLine(),
    });
    const cut = r.cut === null ? 'no ranker' : `cut ${r.cut.toPrecision(3)}`;
    process.stderr.write(`model bundle → ${flags.out} (${r.trainCount} training windows, threshold ${r.threshold.toPrecision(4)}, ${cut})\n`);
  });
}
