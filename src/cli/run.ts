import type { Command } from 'commander';
import { readPipeline } from '../pipeline/pipeline-file.js';
import { runPipeline, stageConfig } from '../pipeline/run-pipeline.js';
import { parseShard } from '../pipeline/shard.js';
import { createLogger } from '../base/logger.js';
import { loadConfig, parseRegion } from '../config/index.js';
import { addCommonOptions, addExamples, flagLayer, type CommonFlags, commandLine } from './common.js';

interface RunFlags extends CommonFlags {
  shard?: string;
  fresh?: boolean;
  check?: boolean;
}

/** Adds `seamount run` to the program. */
export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run a pipeline file (pipelines/*.yaml): its stages in order, resuming where a previous run stopped')
    .argument('<pipeline>', 'pipeline YAML file, e.g. pipelines/demo.yaml')
    .option('--shard <i/N>', 'run only shard i of N of the detect stages (auto/N reads JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX)')
    .option('--fresh', 'ignore finished stages and partial results; start from zero')
    .option('--check', 'validate the pipeline file and the configuration of each stage, then stop');
  addExamples(cmd, 'docs/commands/run.md', [
    'seamount run pipelines/demo.yaml --fresh',
    'GRID=../shared/data/grids/spac_33.nc4.nc REGION=-118/-116/-49/-47 seamount run pipelines/ocean-basin.yaml',
    'seamount run pipelines/ocean-basin.yaml --check',
  ]);
  addCommonOptions(cmd, { backend: true, seed: true }).action(async (file: string, flags: RunFlags) => {
    const pipeline = readPipeline(file, process.env);
    const overrides = flagLayer(flags);
    const base = loadConfig({ baseLayers: pipeline.config ? [[`${file}: config`, pipeline.config]] : [], file: flags.config, env: process.env, overrides });
    const logger = createLogger({ level: base.logging.level, file: base.logging.file });
    if (flags.check) {
      for (const stage of pipeline.stages) {
        const { config } = stageConfig({ pipeline, source: file, configFile: flags.config, env: process.env, overrides }, stage);
        if (config.region !== null) parseRegion(config.region);
      }
      process.stderr.write(`${file}: valid (${pipeline.stages.length} stages: ${pipeline.stages.map((s) => s.name).join(', ')})\n`);
      return;
    }
    const r = await runPipeline({
      pipeline,
      source: file,
      configFile: flags.config,
      overrides,
      env: process.env,
      shard: parseShard(flags.shard, process.env),
      logger,
      fresh: flags.fresh,
      command: commandLine(),
    });
    process.stderr.write(`pipeline ${pipeline.name}: ran ${r.ran.join(', ') || 'nothing'}${r.skipped.length ? `; skipped ${r.skipped.join(', ')}` : ''}\n`);
  });
}
