import type { Command } from 'commander';
import { runMerge } from '../pipeline/merge.js';
import { addCommonOptions, addExamples, runContext, type CommonFlags } from './common.js';
import { finishedSummary } from './summary.js';

interface MergeFlags extends CommonFlags {
  out: string;
}

/** Adds `seamount merge` to the program. */
export function registerMerge(program: Command): void {
  const cmd = program
    .command('merge')
    .description('combine the output folders of all shards of a detect job into one catalogue')
    .argument('<shard-dir...>', 'output folders of `detect --shard i/N` runs')
    .requiredOption('--out <dir>', 'folder for the merged outputs');
  addExamples(cmd, 'docs/commands/merge.md', [
    'seamount merge out/spac-shards/shard-*-of-2 --out out/spac-shards',
    'seamount merge out/pacific/shard-*-of-16 --out out/pacific',
  ]);
  addCommonOptions(cmd, { backend: true }).action(async (dirs: string[], flags: MergeFlags) => {
    const ctx = runContext(flags);
    const started = performance.now();
    const summary = await runMerge({ shardDirs: dirs, outDir: flags.out, config: ctx.config, userLayer: ctx.userLayer, logger: ctx.logger });
    process.stderr.write(finishedSummary(summary, flags.out, (performance.now() - started) / 1000));
  });
}
