/**
 * Model bundle: a folder holding everything detection needs to reproduce training's windows and threshold.
 *
 *   model.json    tfjs layers-model topology + weights manifest (loadable by tf.loadLayersModel too)
 *   weights.bin   float32 weights
 *   bundle.json   BundleMeta: format version, WindowSpec (incl. normalisation), architecture, calibration,
 *                 the candidate ranker and its cut (format 2), training provenance, and sha256 of the two
 *                 files above
 *
 * Saving is atomic: everything is written to a sibling temporary folder that is renamed into place, so a
 * crash never leaves a half-written bundle. Loading checks the version, the schema and the checksums and
 * says which file is wrong.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { modelSchema, rankerTrainingSchema, trainingSchema, windowSchema } from '../config/schema.js';
import type { ModelConfig, TrainingConfig } from '../config/schema.js';
import type { WindowSpec } from '../types.js';
import type { BackendInfo } from '../engine/backend.js';
import { bottleneckSide } from './autoencoder.js';
import type { Calibration } from './calibration.js';
import { rankerSchema, type Ranker } from '../ranking/index.js';

/**
 * Bumped when bundle.json or the folder layout changes incompatibly. Readers accept this version or older.
 * 2: the candidate ranker (`ranker`); a format-1 bundle has none and can only score windows.
 */
export const BUNDLE_FORMAT_VERSION = 2;

export const BUNDLE_FILES = { meta: 'bundle.json', model: 'model.json', weights: 'weights.bin' } as const;

/** A file an artefact was made from: its path as given and, where known, its sha256. */
export interface FileRef {
  path: string;
  sha256?: string;
}

export interface TrainingProvenance {
  seed: number;
  /** Epochs run. */
  epochs: number;
  /** Epoch whose weights were kept (early stopping). */
  bestEpoch: number;
  history: Array<{ epoch: number; loss: number; valLoss: number }>;
  /** The catalogue the seamounts came from (one file). */
  catalogue?: FileRef;
  /** The catalogues the seamounts came from (several files). */
  catalogues?: FileRef[];
  grids?: FileRef[];
  /** Regions whose seamounts were left out of training ("W/E/S/N"). */
  excludedRegions?: string[];
  /** Windows (training includes shifted copies) and seamounts used. */
  count: { train: number; validation: number; seamounts?: number };
  backend: BackendInfo;
  /** What computed the gradients, e.g. "onnxruntime-node 1.30.0, 1 thread" (absent in older bundles). */
  engine?: string;
  /** Package versions, e.g. { 'seamount-detect': '0.1.0', '@tensorflow/tfjs': '4.22.0', node: 'v20...' }. */
  versions: Record<string, string>;
  /** ISO 8601. */
  createdAt: string;
  /** The command line, for the record. */
  command?: string;
  /** The bundle fine-tuned from (retraining), with its weights' sha256. */
  init?: FileRef;
  /** The training settings used (epochs, batch size, learning rate, shards, augmentation, ranker ...); older bundles lack `engine` and `ranker` (or the ranker's `features`). */
  config?: Omit<TrainingConfig, 'engine' | 'ranker'> & {
    engine?: TrainingConfig['engine'];
    ranker?: Omit<TrainingConfig['ranker'], 'features'> & Partial<Pick<TrainingConfig['ranker'], 'features'>>;
  };
}

export interface BundleMeta {
  formatVersion: number;
  windowSpec: WindowSpec;
  architecture: ModelConfig;
  calibration: Calibration;
  /** The candidate ranker and its cut; absent in format-1 bundles and with training.ranker.enabled false. */
  ranker?: Ranker;
  training: TrainingProvenance;
}

const fileRefSchema = z.object({ path: z.string(), sha256: z.string().optional() });
// bundles made before the trend removal and misfit settings existed were cut and scored the old way
const windowSpecSchema = windowSchema.omit({ strideKm: true }).extend({
  detrend: windowSchema.shape.detrend.default('none'),
  misfit: windowSchema.shape.misfit.default('mse'),
  centreWeight: windowSchema.shape.centreWeight.default(0),
});
const metaSchema = z.object({
  formatVersion: z.number().int().min(1),
  windowSpec: windowSpecSchema,
  architecture: modelSchema,
  calibration: z.object({
    errors: z.array(z.number()).min(1),
    recall: z.number().gt(0).lt(1),
    threshold: z.number(),
  }),
  ranker: rankerSchema.optional(),
  training: z.object({
    seed: z.number().int(),
    epochs: z.number().int().min(0),
    bestEpoch: z.number().int().min(0),
    history: z.array(z.object({ epoch: z.number(), loss: z.number(), valLoss: z.number() })),
    catalogue: fileRefSchema.optional(),
    catalogues: z.array(fileRefSchema).optional(),
    grids: z.array(fileRefSchema).optional(),
    excludedRegions: z.array(z.string()).optional(),
    count: z.object({ train: z.number().int().min(0), validation: z.number().int().min(0), seamounts: z.number().int().min(0).optional() }),
    backend: z.object({ name: z.enum(['tensorflow', 'wasm', 'cpu']), detail: z.string() }),
    engine: z.string().optional(),
    versions: z.record(z.string(), z.string()),
    createdAt: z.string(),
    command: z.string().optional(),
    init: fileRefSchema.optional(),
    // bundles written before training.engine existed lack it, and before training.ranker.features the ranker's
    // settings lack that (the ranker itself always names what it weighs)
    config: trainingSchema
      .extend({ ranker: rankerTrainingSchema.partial({ features: true }) })
      .partial({ engine: true, ranker: true })
      .optional(),
  }),
});
const storedMetaSchema = metaSchema.extend({
  files: z.object({ model: z.string(), weights: z.string() }),
});

/**
 * Writes `model` and `meta` as a bundle folder at `dir`, replacing any bundle already there only once the
 * new one is complete.
 */
export async function saveBundle(dir: string, model: tf.LayersModel, meta: BundleMeta): Promise<void> {
  const checked = metaSchema.safeParse(meta);
  if (!checked.success) throw new Error(`model bundle ${dir}: invalid metadata: ${describeIssues(checked.error)}`);
  if (meta.formatVersion !== BUNDLE_FORMAT_VERSION) {
    throw new Error(`model bundle ${dir}: this version writes format ${BUNDLE_FORMAT_VERSION}, metadata says ${meta.formatVersion}`);
  }
  checkModelMatches(model, meta, dir);
  const target = resolve(dir);
  await mkdir(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
  await mkdir(tmp);
  try {
    let modelJson = '';
    let weights = new Uint8Array(0);
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
        const json: tf.io.ModelJSON = {
          modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
          format: 'layers-model',
          generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
          convertedBy: null,
          weightsManifest: [{ paths: [BUNDLE_FILES.weights], weights: artifacts.weightSpecs ?? [] }],
        };
        modelJson = JSON.stringify(json);
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    const stored = { ...meta, files: { model: sha256(modelJson), weights: sha256(weights) } };
    await writeFile(join(tmp, BUNDLE_FILES.model), modelJson);
    await writeFile(join(tmp, BUNDLE_FILES.weights), weights);
    await writeFile(join(tmp, BUNDLE_FILES.meta), `${JSON.stringify(stored, null, 2)}\n`);
    await replaceDir(tmp, target);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Loads a bundle, with an error naming the folder and the problem for anything missing, corrupt or too new. */
export async function loadBundle(dir: string): Promise<{ model: tf.LayersModel; meta: BundleMeta }> {
  const info = await stat(dir).catch(() => null);
  if (!info) throw new Error(`model bundle ${dir}: not found`);
  if (!info.isDirectory()) throw new Error(`model bundle ${dir}: not a folder (a bundle is a folder holding ${BUNDLE_FILES.meta})`);
  const metaPath = join(dir, BUNDLE_FILES.meta);
  const metaText = await readFile(metaPath, 'utf8').catch(() => null);
  if (metaText === null) throw new Error(`model bundle ${dir}: ${BUNDLE_FILES.meta} is missing (not a model bundle?)`);
  let raw: unknown;
  try {
    raw = JSON.parse(metaText);
  } catch (err) {
    throw new Error(`model bundle ${dir}: ${BUNDLE_FILES.meta} is not valid JSON (${(err as Error).message})`);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(`model bundle ${dir}: ${BUNDLE_FILES.meta} has no valid formatVersion`);
  }
  if (version > BUNDLE_FORMAT_VERSION) {
    throw new Error(
      `model bundle ${dir}: format version ${version} is newer than this seamount-detect reads (${BUNDLE_FORMAT_VERSION}); ` +
        'upgrade seamount-detect to use it',
    );
  }
  const parsed = storedMetaSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`model bundle ${dir}: ${BUNDLE_FILES.meta} is invalid: ${describeIssues(parsed.error)}`);
  const { files, ...meta } = parsed.data;

  const modelText = await readFile(join(dir, BUNDLE_FILES.model), 'utf8').catch(() => null);
  if (modelText === null) throw new Error(`model bundle ${dir}: ${BUNDLE_FILES.model} is missing`);
  const weights = await readFile(join(dir, BUNDLE_FILES.weights)).catch(() => null);
  if (weights === null) throw new Error(`model bundle ${dir}: ${BUNDLE_FILES.weights} is missing`);
  if (sha256(modelText) !== files.model) throw new Error(`model bundle ${dir}: ${BUNDLE_FILES.model} does not match its checksum (corrupt or edited)`);
  if (sha256(weights) !== files.weights) throw new Error(`model bundle ${dir}: ${BUNDLE_FILES.weights} does not match its checksum (corrupt or truncated)`);
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(modelText) as tf.io.ModelJSON;
  } catch (err) {
    throw new Error(`model bundle ${dir}: ${BUNDLE_FILES.model} is not valid JSON (${(err as Error).message})`);
  }
  const weightSpecs = modelJson.weightsManifest?.flatMap((group) => group.weights) ?? [];
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: buffer }));
  } catch (err) {
    throw new Error(`model bundle ${dir}: cannot rebuild the model from ${BUNDLE_FILES.model}: ${(err as Error).message}`);
  }
  try {
    checkModelMatches(model, meta, dir);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, meta };
}

/** The sha256 of a bundle's weights file: how a fine-tuned bundle records its parent. */
export function bundleWeightsSha256(dir: string): string {
  return sha256(readFileSync(join(dir, BUNDLE_FILES.weights)));
}

/** Versions worth recording with a trained model. */
export function runtimeVersions(): Record<string, string> {
  let own = 'unknown';
  try {
    own = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? own;
  } catch {
    // running from an unusual layout: leave 'unknown'
  }
  return { 'seamount-detect': own, '@tensorflow/tfjs': tf.version.tfjs, node: process.version };
}

function checkModelMatches(model: tf.LayersModel, meta: Pick<BundleMeta, 'windowSpec' | 'architecture'>, dir: string): void {
  const shape = model.inputs[0]?.shape ?? [];
  const s = meta.windowSpec.samples;
  if (shape[1] !== s || shape[2] !== s || shape[3] !== 1) {
    throw new Error(`model bundle ${dir}: the model takes [${shape.slice(1).join(', ')}] inputs but the WindowSpec has ${s} x ${s} samples`);
  }
  bottleneckSide(meta.architecture, s);
}

async function replaceDir(tmp: string, target: string): Promise<void> {
  const existing = await stat(target).catch(() => null);
  if (!existing) {
    await rename(tmp, target);
    return;
  }
  if (!existing.isDirectory()) throw new Error(`model bundle ${target}: exists and is not a folder`);
  const old = `${tmp}.old`;
  await rename(target, old);
  try {
    await rename(tmp, target);
  } catch (err) {
    await rename(old, target);
    throw err;
  }
  await rm(old, { recursive: true, force: true });
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
