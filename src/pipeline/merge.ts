/**
 * Merge: union the scored batches of every shard of a detect job and finish the job once, exactly as a
 * single process would (picking sees all windows, so no seamount is lost or doubled at shard borders).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../base/logger.js';
import { configSchema, describeZodError, mergeLayers, type Config, type ConfigLayer } from '../config/index.js';
import { selectBackend } from '../engine/index.js';
import { writeJsonAtomic } from '../base/atomic.js';
import { BatchStore } from './batch-store.js';
import { finishDetect, openDetectJob, readJobFile } from './detect.js';
import type { DetectSummary, JobFile } from './job.js';
import { canonicalJson, sha256Text } from '../base/hash.js';
import { formatShard, WHOLE_JOB } from './shard.js';

export interface MergeOptions {
  shardDirs: string[];
  outDir: string;
  /** Settings for picking and outputs; scoring settings come from the shards' job files. */
  config: Config;
  /** Settings the user set for the merge itself (they override the shards' picking/output settings). */
  userLayer?: ConfigLayer;
  logger: Logger;
}

interface ShardRun {
  dir: string;
  job: JobFile;
  config: Config;
}

function readShard(dir: string): ShardRun {
  const job = readJobFile(dir);
  if (!job) throw new Error(`${dir}: no job.json (not a detect output folder)`);
  const runPath = join(dir, 'run.json');
  if (!existsSync(runPath)) throw new Error(`${dir}: shard ${formatShard(job.shard)} has not finished (no run.json); run it again to complete it`);
  const run = JSON.parse(readFileSync(runPath, 'utf8')) as { config: unknown };
  const parsed = configSchema.safeParse(run.config);
  if (!parsed.success) throw new Error(`${runPath}: unreadable configuration:\n${describeZodError(parsed.error)}`);
  return { dir, job, config: parsed.data };
}

/**
 * Merges the shard folders of one detect job: checks they are the complete set of one job, then picks over
 * all their scores at once into `o.outDir`, so the catalogue equals a single-process run's.
 *
 * @example await runMerge({ shardDirs: ['out/s/shard-0-of-2', 'out/s/shard-1-of-2'], outDir: 'out/s', config, userLayer: {}, logger });
 */
export async function runMerge(o: MergeOptions): Promise<DetectSummary> {
  const log = o.logger.child({ stage: 'merge' });
  if (o.shardDirs.length === 0) throw new Error('merge: no shard folders given');
  const shards = o.shardDirs.map(readShard);
  const first = shards[0];
  for (const s of shards) {
    if (s.job.identitySha256 !== first.job.identitySha256) {
      throw new Error(`${s.dir}: belongs to another job than ${first.dir} (grid, model, region or configuration differ)`);
    }
    if (s.job.shard.count !== first.job.shard.count) {
      throw new Error(`${s.dir}: shard of ${s.job.shard.count}, but ${first.dir} is a shard of ${first.job.shard.count}`);
    }
  }
  const seen = new Map<number, string>();
  for (const s of shards) {
    const prev = seen.get(s.job.shard.index);
    if (prev) throw new Error(`merge: ${prev} and ${s.dir} are the same shard ${formatShard(s.job.shard)}`);
    seen.set(s.job.shard.index, s.dir);
  }
  const missing = [...Array(first.job.shard.count).keys()].filter((i) => !seen.has(i));
  if (missing.length) throw new Error(`merge: shards ${missing.map((i) => `${i}/${first.job.shard.count}`).join(', ')} are missing`);

  // the shards' configuration, with what the user set for the merge on top (picking, outputs, logging)
  const config = configSchema.parse(mergeLayers(first.config as unknown as ConfigLayer, o.userLayer ?? {}));
  const id = first.job.identity;
  await selectBackend(config.scoring.backend, log);
  const job = await openDetectJob({ gridPath: id.grid.path, modelDir: id.model.path, outDir: o.outDir, config, logger: log });
  try {
    if (sha256Text(canonicalJson(job.identity)) !== first.job.identitySha256) {
      throw new Error(`merge: the grid or model at ${id.grid.path} / ${id.model.path} changed since the shards ran`);
    }
    await writeJsonAtomic(join(o.outDir, 'job.json'), { ...first.job, shard: WHOLE_JOB });
    const stores = shards.map((s) => new BatchStore(join(s.dir, 'scores')));
    log.info({ shards: shards.length }, `merging ${shards.length} shards`);
    return await finishDetect(job, { gridPath: id.grid.path, modelDir: id.model.path, outDir: o.outDir, config, logger: log }, stores, {
      timingsMs: {},
      shard: WHOLE_JOB,
      batches: { total: id.plan.batches, inShard: id.plan.batches, resumed: 0, scored: 0 },
    });
  } finally {
    job.model.dispose();
    await job.grid.close();
  }
}
