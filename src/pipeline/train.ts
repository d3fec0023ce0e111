/**
 * The train job: catalogue positions → windows centred on them (plus shifted and rotated copies) →
 * autoencoder fitted on seamount windows only → the training grids scored, their candidates gathered and
 * the candidate ranker fitted on them (train-ranker.ts) → model bundle with its window spec, calibrated
 * threshold, ranker and cut, and provenance. With `initDir` it fine-tunes an existing bundle (retraining on
 * new labels: autoencoder, ranker and cut); with `rankerOnly` too, only the ranker and cut are refitted.
 */
import { misfitOf } from '../engine/misfit.js';
import { basename, resolve } from 'node:path';
import type { Logger } from '../base/logger.js';
import { readCatalogue, SearchArea, type CatalogueEntry } from '../catalogue/index.js';
import { formatRegion, parseRegion, type Config } from '../config/index.js';
import { openGrid } from '../grid/index.js';
import { selectBackend } from '../engine/index.js';
import type * as tf from '@tensorflow/tfjs';
import {
  BUNDLE_FORMAT_VERSION,
  bundleWeightsSha256,
  calibrate,
  createPrng,
  loadBundle,
  runtimeVersions,
  saveBundle,
  trainAutoencoder,
  type BundleMeta,
  type Calibration,
  type TrainingSet,
} from '../model/index.js';
import type { BackendInfo } from '../engine/index.js';
import type { ModelConfig } from '../config/index.js';
import { featureColumns, type Ranker } from '../ranking/index.js';
import { createScorer } from '../scoring/index.js';
import { trainRanker } from './train-ranker.js';
import { extractWindow, windowSpecFromConfig, type WindowSample } from '../tiling/index.js';
import type { GridSource, Region, WindowSpec } from '../types.js';
import { sha256File, sha256Folder } from '../base/hash.js';
import { gridFingerprint } from '../grid/fingerprint.js';
import { createProgress } from '../base/progress.js';

export interface TrainJobOptions {
  cataloguePaths: string[];
  gridPaths: string[];
  outDir: string;
  initDir?: string;
  /** "W/E/S/N" boxes whose seamounts are left out (held out for evaluation). */
  excludeRegions: string[];
  /** With `initDir`: keep its autoencoder and calibration, refit only the candidate ranker and its cut. */
  rankerOnly?: boolean;
  config: Config;
  logger: Logger;
  command?: string;
}

export interface TrainJobResult {
  trainCount: number;
  trainSeamounts: number;
  valCount: number;
  threshold: number;
  /** The ranker's calibrated cut (null: no ranker). */
  cut: number | null;
  bestEpoch: number;
}

/** A catalogue seamount whose centred window passed the rules, and the grid it was cut from. */
interface UsableSeamount {
  entry: CatalogueEntry;
  grid: number;
}

/** The plan's land and no-data rules, as detection applies them. */
function withinPlanRules(sample: WindowSample, config: Config): boolean {
  return sample.nodataFraction <= config.plan.maxNodataFraction && sample.landFraction <= config.plan.maxLandFraction;
}

/** A catalogue position is a training seamount when its window passes the rules and shows enough relief. */
function acceptable(sample: WindowSample, config: Config): boolean {
  return withinPlanRules(sample, config) && sample.reliefM >= config.training.minReliefM;
}

function packWindows(windows: Float32Array[], samples: number): TrainingSet {
  const n = samples * samples;
  const out = new Float32Array(windows.length * n);
  windows.forEach((w, i) => out.set(w, i * n));
  return { windows: out, count: windows.length, samples };
}

/**
 * The train job (module comment): fits the autoencoder (unless `rankerOnly`), then the candidate ranker on
 * the training grids, and saves the bundle atomically to `o.outDir`.
 *
 * @example await runTrain({ cataloguePaths: ['KWSMTSv01.txt'], gridPaths: ['spac_33.nc4.nc'], outDir: 'out/model', excludeRegions: [], config, logger });
 */
export async function runTrain(o: TrainJobOptions): Promise<TrainJobResult> {
  const { config } = o;
  const log = o.logger.child({ stage: 'train' });
  // a misspelt ranker feature must fail now, not after the autoencoder's hour of training
  if (config.training.ranker.enabled) {
    try {
      featureColumns(config.training.ranker.features);
    } catch (err) {
      throw new Error(`training.ranker.features: ${(err as Error).message}`);
    }
  }
  const backend = await selectBackend(config.scoring.backend, log);
  const init = o.initDir ? await loadBundle(o.initDir) : null;
  if (o.rankerOnly && !init) throw new Error('train --ranker-only refits the ranker of an existing bundle: give it with --init');
  const spec: WindowSpec = init ? init.meta.windowSpec : windowSpecFromConfig(config.window);
  const arch = init ? init.meta.architecture : config.model;
  if (init)
    log.info({ init: o.initDir }, `${o.rankerOnly ? 'refitting the ranker of' : 'fine-tuning'} ${o.initDir} (its window spec and architecture are kept)`);
  const excluded = o.excludeRegions.map(parseRegion);
  const candidates = await readCandidates(o.cataloguePaths, excluded, log);

  const grids: GridSource[] = [];
  try {
    for (const path of o.gridPaths) grids.push(await openGrid(path, { variable: config.grid.variable, cacheMB: config.grid.cacheMB }));
    let model: tf.LayersModel;
    let calibration: Calibration;
    let training: BundleMeta['training'];
    let counts = { trainCount: 0, trainSeamounts: 0, valCount: 0, bestEpoch: 0 };
    if (o.rankerOnly && init) {
      model = init.model;
      calibration = init.meta.calibration;
      training = {
        ...init.meta.training,
        createdAt: new Date().toISOString(),
        command: o.command,
        init: { path: resolve(o.initDir as string), sha256: await sha256Folder(o.initDir as string) },
      };
    } else {
      const fitted = await fitAutoencoder(o, { candidates, grids, spec, arch, init, backend, excluded, log });
      model = fitted.model;
      calibration = fitted.calibration;
      training = fitted.training;
      counts = fitted.counts;
    }
    const ranker = config.training.ranker.enabled
      ? await fitBundleRanker(o, { model, grids, candidates, excluded, spec, threshold: calibration.threshold, backend, init, log })
      : undefined;
    const meta: BundleMeta = {
      formatVersion: BUNDLE_FORMAT_VERSION,
      windowSpec: spec,
      architecture: arch,
      calibration,
      ...(ranker ? { ranker } : {}),
      training,
    };
    await saveBundle(o.outDir, model, meta);
    if (model !== init?.model) model.dispose();
    init?.model.dispose();
    log.info({ out: o.outDir, threshold: calibration.threshold, cut: ranker?.cut.confidence }, `model bundle written to ${o.outDir}`);
    return { ...counts, threshold: calibration.threshold, cut: ranker ? ranker.cut.confidence : null };
  } finally {
    for (const g of grids) await g.close();
  }
}

interface AutoencoderInputs {
  candidates: CatalogueEntry[];
  grids: GridSource[];
  spec: WindowSpec;
  arch: ModelConfig;
  init: Awaited<ReturnType<typeof loadBundle>> | null;
  backend: BackendInfo;
  excluded: Region[];
  log: Logger;
}

/** The autoencoder half of train: windows of the usable seamounts, the fit, the calibration, the provenance. */
async function fitAutoencoder(o: TrainJobOptions, a: AutoencoderInputs) {
  const { config } = o;
  const { grids, spec, log } = a;
  const { usable, centred } = await findUsableSeamounts(a.candidates, grids, spec, o, log);
  // hold out whole seamounts (not windows) for early stopping and threshold calibration
  const prng = createPrng(config.seed);
  const order = prng.shuffle(usable.map((_, i) => i));
  const nVal = Math.max(1, Math.round(usable.length * config.training.validationFraction));
  const valIdx = order.slice(0, nVal).sort((x, y) => x - y);
  const trainIdx = order.slice(nVal).sort((x, y) => x - y);
  const train = packWindows(await augmentedWindows(trainIdx, usable, centred, grids, spec, config, prng.next), spec.samples);
  const val = packWindows(
    valIdx.map((i) => centred[i]),
    spec.samples,
  );
  log.info(
    { train: train.count, trainSeamounts: trainIdx.length, val: val.count },
    `training on ${train.count} windows of ${trainIdx.length} seamounts, ${val.count} held out`,
  );

  const progress = createProgress('epochs', config.logging.progress, config.training.epochs);
  const result = await trainAutoencoder(train, val, {
    training: config.training,
    seed: config.seed,
    arch: a.arch,
    init: a.init?.model,
    misfit: misfitOf(spec),
    logger: log,
    onEpoch: (e) => {
      progress.increment();
      log.info(e, `epoch ${e.epoch}: loss ${e.loss.toExponential(3)}, validation ${e.valLoss.toExponential(3)}`);
    },
  });
  progress.stop();
  const training: BundleMeta['training'] = {
    seed: config.seed,
    epochs: result.history.length,
    bestEpoch: result.bestEpoch,
    history: result.history,
    ...(await inputProvenance(o)),
    excludedRegions: a.excluded.map(formatRegion),
    count: { seamounts: usable.length, train: train.count, validation: val.count },
    config: config.training,
    backend: a.backend,
    engine: result.engine,
    versions: runtimeVersions(),
    createdAt: new Date().toISOString(),
    command: o.command,
    init: o.initDir ? { path: resolve(o.initDir), sha256: await sha256Folder(o.initDir) } : undefined,
  };
  return {
    model: result.model,
    calibration: a.init ? fineTunedCalibration(a.init.meta.calibration, result.calibration, config.training.calibrationRecall) : result.calibration,
    training,
    counts: { trainCount: train.count, trainSeamounts: trainIdx.length, valCount: val.count, bestEpoch: result.bestEpoch },
  };
}

/**
 * The threshold of a fine-tuned bundle: set on the initial bundle's held-out errors together with the new
 * held-out seamounts'. Retraining usually brings a few dozen labels, a fifth of them held out: a threshold
 * at 90 % recall of five errors swings with each one (measured: 0.65 became 0.22 and 0.81 on the two halves
 * of one region), where the initial calibration's hundreds keep it steady.
 *
 * @example fineTunedCalibration(init.meta.calibration, result.calibration, 0.9).threshold
 */
export function fineTunedCalibration(initial: Calibration, tuned: Calibration, recall: number): Calibration {
  return calibrate([...initial.errors, ...tuned.errors], recall);
}

interface RankerInputs {
  model: tf.LayersModel;
  grids: GridSource[];
  candidates: CatalogueEntry[];
  excluded: Region[];
  spec: WindowSpec;
  threshold: number;
  backend: BackendInfo;
  init: Awaited<ReturnType<typeof loadBundle>> | null;
  log: Logger;
}

/** The ranker half of train: score the training grids with the new model, fit the ranker and its cut. */
async function fitBundleRanker(o: TrainJobOptions, a: RankerInputs): Promise<Ranker> {
  const { config } = o;
  const scorer = await createScorer(a.model, {
    backend: a.backend.name,
    threads: config.scoring.threads === 0 ? undefined : config.scoring.threads,
    batchSize: config.scoring.batchSize,
    engine: config.scoring.engine,
    misfit: misfitOf(a.spec),
  });
  const progress = createProgress('grids', config.logging.progress, a.grids.length);
  try {
    return await trainRanker({
      grids: a.grids,
      catalogue: a.candidates,
      excluded: a.excluded.map((r) => SearchArea.fromRegion(r)),
      spec: a.spec,
      threshold: a.threshold,
      scorer,
      config,
      prior: a.init?.meta.ranker,
      priorWeightsSha256: a.init && o.initDir ? bundleWeightsSha256(o.initDir) : undefined,
      logger: a.log,
      onGrid: (g, n) => {
        progress.increment();
        a.log.info({ grid: g.path, windows: n }, `ranker: scored ${n} windows of ${g.path}`);
      },
    });
  } finally {
    progress.stop();
    await scorer.close();
  }
}

/** The catalogue seamounts outside the excluded regions, from every catalogue. */
async function readCandidates(cataloguePaths: string[], excluded: Region[], log: Logger): Promise<CatalogueEntry[]> {
  const excludedAreas = excluded.map((r) => SearchArea.fromRegion(r));
  const entries: CatalogueEntry[] = [];
  for (const path of cataloguePaths) entries.push(...(await readCatalogue(path)));
  const candidates = entries.filter((e) => !excludedAreas.some((a) => a.contains(e.lon, e.lat)));
  log.info(
    { catalogued: entries.length, excluded: entries.length - candidates.length },
    `${entries.length} catalogue seamounts, ${entries.length - candidates.length} in excluded regions`,
  );
  return candidates;
}

/** Which seamounts have a usable centred window, on which grid (the first that holds them), and those windows. */
async function findUsableSeamounts(
  candidates: CatalogueEntry[],
  grids: GridSource[],
  spec: WindowSpec,
  o: TrainJobOptions,
  log: Logger,
): Promise<{ usable: UsableSeamount[]; centred: Float32Array[] }> {
  const { config } = o;
  const gridAreas = grids.map((g) => SearchArea.fromGrid(g));
  const usable: UsableSeamount[] = [];
  const centred: Float32Array[] = [];
  let outside = 0;
  let rejected = 0;
  const scan = createProgress('catalogue', config.logging.progress, candidates.length);
  for (const entry of candidates) {
    scan.increment();
    const g = gridAreas.findIndex((area) => area.contains(entry.lon, entry.lat));
    if (g < 0) {
      outside++;
      continue;
    }
    const sample = await extractWindow(grids[g], { lon: entry.lon, lat: entry.lat }, spec, config.plan.landLevelM);
    if (!acceptable(sample, config)) {
      rejected++;
      continue;
    }
    usable.push({ entry, grid: g });
    centred.push(sample.data);
  }
  scan.stop();
  if (usable.length === 0) {
    throw new Error(
      `no catalogue seamount in ${o.cataloguePaths.join(', ')} has a usable window in ${o.gridPaths.join(', ')} ` +
        `(${outside} outside the grids, ${rejected} rejected by the land/no-data/relief rules)`,
    );
  }
  if (usable.length < 4) throw new Error(`only ${usable.length} usable seamounts: too few to train and hold some out`);
  log.info({ usable: usable.length, outside, rejected }, `${usable.length} seamounts usable (${outside} outside the grids, ${rejected} rejected by the rules)`);
  return { usable, centred };
}

/** Training windows: each training seamount's centred window plus shifted, arbitrarily rotated copies that pass the plan's rules. */
async function augmentedWindows(
  trainIdx: number[],
  usable: UsableSeamount[],
  centred: Float32Array[],
  grids: GridSource[],
  spec: WindowSpec,
  config: Config,
  rng: () => number,
): Promise<Float32Array[]> {
  const { augment } = config.training;
  const trainWindows: Float32Array[] = [];
  const cut = createProgress('windows', config.logging.progress, trainIdx.length * augment.copies);
  for (const i of trainIdx) {
    const { entry, grid } = usable[i];
    trainWindows.push(centred[i]);
    cut.increment();
    for (let c = 1; c < augment.copies; c++) {
      const pose = {
        lon: entry.lon,
        lat: entry.lat,
        rotationDeg: augment.rotations ? rng() * 360 : 0,
        shiftEastKm: (rng() * 2 - 1) * augment.shiftKm,
        shiftNorthKm: (rng() * 2 - 1) * augment.shiftKm,
      };
      const sample = await extractWindow(grids[grid], pose, spec, config.plan.landLevelM);
      cut.increment();
      if (withinPlanRules(sample, config)) trainWindows.push(sample.data);
    }
  }
  cut.stop();
  return trainWindows;
}

/** The catalogues and grids a bundle was trained on, with their checksums (remote grids by URL, size, ETag). */
async function inputProvenance(o: TrainJobOptions): Promise<Pick<BundleMeta['training'], 'catalogues' | 'grids'>> {
  return {
    catalogues: await Promise.all(o.cataloguePaths.map(async (p) => ({ path: basename(p), sha256: await sha256File(p) }))),
    grids: await Promise.all(
      o.gridPaths.map(async (p) => {
        const f = await gridFingerprint(p);
        return f.remote ? { path: p, remote: f.remote } : { path: basename(p), sha256: f.sha256 };
      }),
    ),
  };
}
