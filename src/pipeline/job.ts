/**
 * The types of a detect job, shared by the detect and merge stages and the output writers: what a job was
 * asked to do, what pins it (its identity, written to job.json), what it found.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Logger } from '../base/logger.js';
import type { Config } from '../config/index.js';
import type { GridFingerprint } from '../grid/fingerprint.js';
import type { BundleMeta } from '../model/index.js';
import type { WindowPlan } from '../tiling/index.js';
import type { GridSource, Seamount, WindowSpec } from '../types.js';
import type { Shard } from './shard.js';

export const JOB_FORMAT_VERSION = 1;

export interface DetectOptions {
  gridPath: string;
  modelDir: string;
  outDir: string;
  config: Config;
  /** Window keys the user set explicitly (they must match the bundle's spec). */
  userWindow?: Record<string, unknown>;
  shard?: Shard;
  logger: Logger;
  /** Start again from zero even if the folder holds a finished or partial job. */
  fresh?: boolean;
  /** Score windows and write error.tif and run.json only: no candidates, no catalogue (a bundle without a ranker can do this). */
  scoresOnly?: boolean;
}

/** What pins a job: any change here makes an output folder's partial scores unusable. */
export interface JobIdentity {
  formatVersion: number;
  /** sha256 of a local grid file; URL, size, ETag and Last-Modified of a remote one. */
  grid: GridFingerprint & { variable: string };
  model: { path: string; sha256: string };
  windowSpec: WindowSpec;
  strideKm: number;
  region: string;
  plan: { count: number; batches: number; batchSize: number };
  /** Hash of the configuration that affects scores (window, plan, tiling batch size, scoring backend). */
  scoringConfigSha256: string;
}

export interface JobFile {
  identity: JobIdentity;
  identitySha256: string;
  shard: Shard;
}

export interface DetectSummary {
  outDir: string;
  shard: Shard;
  windows: { planned: number; scored: number; skippedLand: number; skippedNodata: number };
  batches: { total: number; inShard: number; resumed: number; scored: number };
  seamounts: Seamount[] | null;
  /** What became of the candidates (run.json counts.candidates); null for shards and scores-only runs. */
  candidates: { candidates: number; picked: number; merged: number; dropped: Record<string, number>; islands: number } | null;
  threshold: number | null;
  timingsMs: Record<string, number>;
}

/** The pieces of an opened detect job, shared by detect and merge. */
export interface OpenedJob {
  grid: GridSource;
  model: tf.LayersModel;
  meta: BundleMeta;
  plan: WindowPlan;
  identity: JobIdentity;
}
