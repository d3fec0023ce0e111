import type { Command } from 'commander';
import { runMerge } from '../pipeline/merge.js';
import { addCommonOptions, runContext, type CommonFlags } from './common.js';

interface MergeFlags extends CommonFlags {
  out: string;
}

export function registerMerge(program: Command): void {
  const cmd = program
    .command('merge')
    .description('combine the output folders of all shards of a detect job into one catalogue')
    .argument('<shard-dir...>', 'output folders of `detect --shard i/N` runs')
    .requiredOption('--out <dir>', 'folder for the merged outputs');
  addCommonOptions(cmd, { backend: true }).action(async (dirs: string[], flags: MergeFlags) => {
    const ctx = runContext(flags);
    const summary = await runMerge({ shardDirs: dirs, outDir: flags.out, config: ctx.config, userLayer: ctx.userLayer, logger: ctx.logger });
    process.stderr.write(`${summary.seamounts?.length ?? 0} seamounts → ${flags.out}/seamounts.geojson\n`);
  });
}
