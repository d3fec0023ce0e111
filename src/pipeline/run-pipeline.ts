/**
 * Runs a pipeline file's stages in order, with a state file recording which stages finished (and with
 * which inputs and settings), so a rerun after a crash skips finished stages and resumes the unfinished
 * one. Sharded runs (`--shard i/N`) run only the detect stages, each into `<out>/shard-<i>-of-<N>`; a
 * later unsharded run finds the complete shard folders and merges them instead of detecting again.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../base/logger.js';
import { defaultModelDir, loadConfigLayers, type Config, type ConfigLayer, type LoadedConfig } from '../config/index.js';
import { writeJsonAtomic } from '../base/atomic.js';
import { runBaseline } from './baseline.js';
import { runCompareStage } from './compare.js';
import { runDetect } from './detect.js';
import { canonicalJson, sha256Text } from '../base/hash.js';
import { runMerge } from './merge.js';
import { stageKind, type PipelineFile, type PipelineStage } from './pipeline-file.js';
import { formatShard, WHOLE_JOB, type Shard } from './shard.js';
import { runTrain } from './train.js';

export interface RunPipelineOptions {
  pipeline: PipelineFile;
  /** The pipeline file's path, for messages. */
  source: string;
  /** --config file of the `run` command. */
  configFile?: string;
  /** Flags of the `run` command (--set, logging ...). */
  overrides: ConfigLayer;
  env: NodeJS.ProcessEnv;
  shard?: Shard;
  logger: Logger;
  /** Rerun every stage from zero. */
  fresh?: boolean;
  /** The command line, recorded in outputs (training provenance). */
  command?: string;
}

interface StageRecord {
  fingerprint: string;
  finishedAt: string;
  summary: unknown;
}

interface PipelineState {
  pipeline: string;
  stages: Record<string, StageRecord>;
}

export interface PipelineResult {
  ran: string[];
  skipped: string[];
  statePath: string;
}

const shardFolder = (out: string, shard: Shard) => join(out, `shard-${shard.index}-of-${shard.count}`);

/** Complete set of shard folders under a detect stage's output folder, or null when there are none. */
function findShardFolders(out: string): string[] | null {
  if (!existsSync(out)) return null;
  const found = readdirSync(out)
    .map((name) => /^shard-(\d+)-of-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null);
  if (found.length === 0) return null;
  const counts = new Set(found.map((m) => m[2]));
  if (counts.size > 1) throw new Error(`${out}: shard folders of different shard counts (${[...counts].join(', ')}); remove the stale ones`);
  return found.sort((a, b) => Number(a[1]) - Number(b[1])).map((m) => join(out, m[0]));
}

/** size:mtime of every existing input file or folder a stage names (not its outputs), so an input changed in place reruns the stage. */
function inputStamps(stage: PipelineStage): Record<string, string> {
  const stamps: Record<string, string> = {};
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (existsSync(v)) {
        const st = statSync(v);
        stamps[v] = `${st.size}:${st.mtimeMs}`;
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (k !== 'out' && k !== 'config') visit(x);
    }
  };
  visit(stage);
  return stamps;
}

/** Settings a stage gives as its own keys (a detect stage's region and variable). */
function stageKeysLayer(stage: PipelineStage): ConfigLayer {
  const layer: ConfigLayer = {};
  const d = stage.detect;
  if (d?.region !== undefined) layer.region = d.region;
  if (d?.variable !== undefined) layer.grid = { variable: d.variable };
  return layer;
}

/** The configuration one stage runs with: defaults < pipeline < stage < --config < environment < flags. */
export function stageConfig(o: Pick<RunPipelineOptions, 'pipeline' | 'source' | 'configFile' | 'env' | 'overrides'>, stage: PipelineStage): LoadedConfig {
  const baseLayers: Array<[string, ConfigLayer]> = [];
  if (o.pipeline.config) baseLayers.push([`${o.source}: config`, o.pipeline.config]);
  if (stage.config) baseLayers.push([`${o.source}: stage ${stage.name} config`, stage.config]);
  baseLayers.push([`${o.source}: stage ${stage.name}`, stageKeysLayer(stage)]);
  return loadConfigLayers({
    baseLayers,
    file: o.configFile,
    env: o.env,
    overrides: o.overrides,
  });
}

async function runStage(o: RunPipelineOptions, stage: PipelineStage, loaded: LoadedConfig, shard: Shard, log: Logger): Promise<unknown> {
  const config: Config = loaded.config;
  const userWindow = loaded.userLayer.window as Record<string, unknown> | undefined;
  switch (stageKind(stage)) {
    case 'detect': {
      const d = stage.detect!;
      const base = { gridPath: d.grid, modelDir: d.model ?? defaultModelDir(), config, userWindow, logger: log, fresh: o.fresh };
      if (shard.count > 1) {
        const s = await runDetect({ ...base, outDir: shardFolder(d.out, shard), shard });
        return { shard: formatShard(shard), batches: s.batches };
      }
      const shards = findShardFolders(d.out);
      const s = shards
        ? await runMerge({ shardDirs: shards, outDir: d.out, config, userLayer: loaded.userLayer, logger: log })
        : await runDetect({ ...base, outDir: d.out });
      return { seamounts: s.seamounts?.length ?? 0, windows: s.windows, merged: shards?.length ?? 0 };
    }
    case 'merge': {
      const m = stage.merge!;
      const s = await runMerge({ shardDirs: m.shards, outDir: m.out, config, userLayer: loaded.userLayer, logger: log });
      return { seamounts: s.seamounts?.length ?? 0 };
    }
    case 'compare':
      return runCompareStage({ ...stage.compare!, config, logger: log });
    case 'baseline':
      return runBaseline({ ...stage.baseline!, config, logger: log });
    case 'train': {
      const t = stage.train!;
      const r = await runTrain({
        cataloguePaths: Array.isArray(t.catalogue) ? t.catalogue : [t.catalogue],
        gridPaths: t.grids,
        outDir: t.out,
        initDir: t.init,
        excludeRegions: t.excludeRegions ?? [],
        config,
        logger: log,
        command: o.command,
      });
      return { bundle: t.out, trainWindows: r.trainCount, valSeamounts: r.valCount, threshold: r.threshold };
    }
  }
}

/**
 * Runs a pipeline file's stages in order, skipping those its state file records as finished with the same
 * inputs and settings, and resuming the unfinished one.
 *
 * @example await runPipeline({ pipeline: readPipeline('pipelines/demo.yaml', process.env), source: 'pipelines/demo.yaml', overrides: {}, env: process.env, logger });
 */
export async function runPipeline(o: RunPipelineOptions): Promise<PipelineResult> {
  const shard = o.shard ?? WHOLE_JOB;
  const p = o.pipeline;
  const statePath = join(p.workdir, shard.count > 1 ? `pipeline-state.shard-${shard.index}-of-${shard.count}.json` : 'pipeline-state.json');
  let state: PipelineState = { pipeline: p.name, stages: {} };
  if (existsSync(statePath) && !o.fresh) state = JSON.parse(readFileSync(statePath, 'utf8')) as PipelineState;
  const log = o.logger.child({ job: p.name, shard: formatShard(shard) });
  log.info({ stages: p.stages.map((s) => s.name) }, `pipeline ${p.name}: ${p.stages.length} stages`);
  const ran: string[] = [];
  const skipped: string[] = [];
  for (const stage of p.stages) {
    const kind = stageKind(stage);
    const slog = log.child({ stage: stage.name });
    if (shard.count > 1 && kind !== 'detect') {
      slog.info(`stage ${stage.name} (${kind}) skipped in a sharded run: run the pipeline without --shard after all shards finish`);
      skipped.push(stage.name);
      continue;
    }
    const loaded = stageConfig(o, stage);
    const fingerprint = sha256Text(canonicalJson({ stage, config: loaded.config, shard, inputs: inputStamps(stage) }));
    const prev = state.stages[stage.name];
    if (prev && prev.fingerprint === fingerprint) {
      slog.info(`stage ${stage.name} already finished at ${prev.finishedAt} with the same inputs: skipped`);
      skipped.push(stage.name);
      continue;
    }
    slog.info(`stage ${stage.name} (${kind}) starting`);
    const t0 = performance.now();
    const summary = await runStage(o, stage, loaded, shard, slog);
    const seconds = (performance.now() - t0) / 1000;
    slog.info({ summary, seconds }, `stage ${stage.name} finished in ${seconds.toFixed(1)} s`);
    state.stages[stage.name] = { fingerprint, finishedAt: new Date().toISOString(), summary };
    await writeJsonAtomic(statePath, state);
    ran.push(stage.name);
  }
  return { ran, skipped, statePath };
}
