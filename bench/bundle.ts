/**
 * The model bundle the pipeline benchmark runs: the default architecture with seeded random weights.
 * Speed does not depend on the weights, and both implementations load these same weights, so their
 * reconstruction errors can be cross-checked window by window.
 *
 * The threshold is set so that a chosen share of the real grid's windows fall under it (default 5 %):
 * picking costs grow with the number of hits, so an untrained model's arbitrary calibration would make
 * the pick stage meaninglessly cheap or expensive. The calibration "errors" are those of a sample of
 * real windows, not of held-out seamounts; only the threshold matters here. The candidate ranker is the
 * default bundle's (its error scale set to this threshold), so picking ranks, merges and cuts as detect
 * does with a trained model.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../src/config/schema.js';
import { defaultModelDir } from '../src/config/paths.js';
import { openGrid } from '../src/grid/index.js';
import { buildAutoencoder } from '../src/model/autoencoder.js';
import { selectBackend } from '../src/engine/backend.js';
import { saveBundle, runtimeVersions, BUNDLE_FORMAT_VERSION, type BundleMeta } from '../src/model/bundle.js';
import { calibrate, thresholdAtRecall } from '../src/model/calibration.js';
import { misfitOf } from '../src/engine/misfit.js';
import { reconstructionErrors } from '../src/engine/reconstruction-errors.js';
import { planWindows, streamWindowBatches, windowSpecFromConfig } from '../src/tiling/index.js';

export interface BenchBundleOptions {
  /** Folder of the bundle (re-used when it exists with the same recipe). */
  dir: string;
  config: Config;
  /** Grid whose windows set the threshold. */
  gridPath: string;
  /** Share of that grid's windows under the threshold (0..1). */
  hitFraction: number;
  seed: number;
}

/** The default bundle's candidate ranker (data/models/default), or undefined when it has none. */
function defaultRanker(): BundleMeta['ranker'] {
  const file = join(defaultModelDir(), 'bundle.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BundleMeta).ranker : undefined;
}

/** What the bundle was made from; a bundle on disk with another recipe is rebuilt. */
function recipe(o: BenchBundleOptions): string {
  return JSON.stringify({
    v: 2,
    grid: o.gridPath,
    hitFraction: o.hitFraction,
    seed: o.seed,
    window: o.config.window,
    model: o.config.model,
    ranker: defaultRanker(),
  });
}

/**
 * Builds (once) a bundle of random weights whose threshold leaves `hitFraction` of the grid's
 * windows under it. Returns its folder and threshold.
 *
 * @example const { dir, threshold } = await ensureBenchBundle({ dir: 'bench/.cache/model', config, gridPath, hitFraction: 0.05, seed: 42 });
 */
export async function ensureBenchBundle(o: BenchBundleOptions): Promise<{ dir: string; threshold: number }> {
  const recipeFile = join(o.dir, 'bench-recipe.json');
  const metaFile = join(o.dir, 'bundle.json');
  if (existsSync(recipeFile) && existsSync(metaFile) && readFileSync(recipeFile, 'utf8') === recipe(o)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as BundleMeta;
    return { dir: o.dir, threshold: meta.calibration.threshold };
  }
  await selectBackend('auto');
  const spec = windowSpecFromConfig(o.config.window);
  const model = buildAutoencoder(o.config.model, spec.samples, o.seed);
  const grid = await openGrid(o.gridPath, { variable: o.config.grid.variable, cacheMB: o.config.grid.cacheMB });
  const errors: number[] = [];
  try {
    const plan = planWindows(grid, null, o.config.window.strideKm, o.config.plan);
    // every 4th batch is plenty to place a quantile
    for await (const b of streamWindowBatches(grid, plan, { batchSize: 256, workers: 0, spec, plan: o.config.plan, includeBatch: (k) => k % 4 === 0 })) {
      const e = reconstructionErrors(model, b.data, b.ids.length, spec.samples, 256, misfitOf(spec));
      for (const x of e) errors.push(x);
    }
  } finally {
    await grid.close();
  }
  if (errors.length < 100) throw new Error(`bench bundle: only ${errors.length} windows in ${o.gridPath}, too few to set a threshold`);
  // calibrate() wants a recall in (0, 1): the share of sampled windows under the threshold
  const calibration = calibrate(errors, o.hitFraction);
  const ranker = defaultRanker();
  const meta: BundleMeta = {
    formatVersion: BUNDLE_FORMAT_VERSION,
    windowSpec: spec,
    architecture: o.config.model,
    calibration,
    ...(ranker ? { ranker: { ...ranker, errorThreshold: calibration.threshold } } : {}),
    training: {
      seed: o.seed,
      epochs: 0,
      bestEpoch: 0,
      history: [],
      count: { train: 0, validation: errors.length },
      backend: { name: 'cpu', detail: 'untrained: random weights for benchmarks' },
      versions: runtimeVersions(),
      createdAt: new Date().toISOString(),
      command: `bench bundle: threshold at the ${o.hitFraction} quantile of ${errors.length} windows of ${o.gridPath}`,
    },
  };
  await saveBundle(o.dir, model, meta);
  model.dispose();
  writeFileSync(recipeFile, recipe(o));
  tf.disposeVariables();
  return { dir: o.dir, threshold: thresholdAtRecall(calibration, o.hitFraction) };
}
