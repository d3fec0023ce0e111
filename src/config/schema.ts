/**
 * The one schema for every tunable. `config/default.yaml` must satisfy it on its own (it is the source of
 * the defaults and their documentation); user files, environment and flags are merged over it and the
 * result is validated again. Objects are strict: an unknown key is an error, not a silent no-op.
 */
import { z } from 'zod';

const positive = () => z.number().positive();
const fraction = () => z.number().min(0).max(1);

export const windowSchema = z
  .object({
    sizeKm: positive().max(2000),
    samples: z.number().int().min(8).max(512),
    strideKm: positive().max(1000),
    projection: z.literal('laea'),
    interpolation: z.literal('bilinear'),
    antiAlias: z.boolean(),
    taper: z.enum(['none', 'cosine']),
    taperStart: fraction(),
    normalisation: z.enum(['median-maxabs', 'median-scale']),
    scaleM: positive(),
    detrend: z.enum(['none', 'plane']),
    misfit: z.enum(['mse', 'relative']),
    centreWeight: z.number().min(0).max(10),
  })
  .strict();

export const planSchema = z
  .object({
    maxLandFraction: fraction(),
    maxNodataFraction: fraction(),
    landLevelM: z.number(),
    maxAbsLatDeg: z.number().min(0).max(89),
  })
  .strict();

export const tilingSchema = z
  .object({
    workers: z.number().int().min(0).max(256),
    batchSize: z.number().int().min(1).max(65536),
  })
  .strict();

export const modelSchema = z
  .object({
    filters: z.array(z.number().int().min(1).max(1024)).min(1).max(6),
    kernelSize: z.number().int().min(1).max(11),
    bottleneck: z.number().int().min(1).max(4096),
  })
  .strict();

export const augmentSchema = z
  .object({
    rotations: z.boolean(),
    flips: z.boolean(),
    shiftKm: z.number().min(0),
    copies: z.number().int().min(1).max(64),
  })
  .strict();

/** How `train` fits the candidate ranker stored in the bundle (positive-unlabelled; ranking/ranker.ts). */
export const rankerTrainingSchema = z
  .object({
    /** false: no ranker (such a bundle can only score windows: `detect --scores-only`). */
    enabled: z.boolean(),
    /** A candidate within this distance of a catalogue seamount is labelled, km. */
    labelToleranceKm: positive(),
    /** A candidate further than this from every catalogue seamount is unlabelled; between the two it is left out, km. */
    unlabelledBeyondKm: positive(),
    /** L2 penalty on the standardised weights. */
    l2: z.number().min(0),
    /** Spatial folds for out-of-fold confidences (the cut is chosen on them). */
    folds: z.number().int().min(2).max(50),
    /** train --init: penalty pulling the weights towards the initial bundle's ranker (0: refit freely). */
    refitL2: z.number().min(0),
    /**
     * The candidate evidence a new ranker weighs (names of ranking/features.ts FEATURE_NAMES, checked when train
     * starts: config comes before the ranking stage), stored in the bundle. A refit towards an initial ranker
     * (train --init, refitL2 > 0) weighs what that one weighs.
     */
    features: z
      .array(z.string())
      .min(1)
      .refine((f) => new Set(f).size === f.length, 'a feature is named twice'),
  })
  .strict();

/** What runs the model's arithmetic: tfjs on the backend, or the model exported to ONNX Runtime (src/engine/onnx/). */
export const engineSchema = z.enum(['auto', 'tfjs', 'onnxruntime']);

export const trainingSchema = z
  .object({
    epochs: z.number().int().min(1).max(10000),
    batchSize: z.number().int().min(1).max(4096),
    learningRate: positive().max(1),
    validationFraction: z.number().min(0.05).max(0.5),
    patience: z.number().int().min(1),
    minReliefM: z.number().min(0),
    calibrationRecall: z.number().gt(0).lt(1),
    /** Each batch's gradient is the weighted sum of this many sub-batch gradients (fixed, so results do not depend on threads). */
    shards: z.number().int().min(1).max(64),
    /** What computes the gradients (Adam always runs on tfjs). */
    engine: engineSchema,
    /** Threads computing sub-batch gradients, the calling one included; 0: one per core (at most `shards`); onnxruntime: its threads, 0 = 1. */
    threads: z.number().int().min(0).max(256),
    augment: augmentSchema,
    ranker: rankerTrainingSchema,
  })
  .strict();

export const backendSchema = z.enum(['auto', 'tensorflow', 'wasm', 'cpu']);

export const scoringSchema = z
  .object({
    backend: backendSchema,
    /** What runs the scoring pass: tfjs on `backend`, or the model exported to ONNX Runtime (src/scoring/pool.ts). */
    engine: engineSchema,
    /** Scoring threads (one wasm backend each); 0: one per core (1 with the native backend). */
    threads: z.number().int().min(0).max(256),
    batchSize: z.number().int().min(1).max(65536),
  })
  .strict();

export const pickingSchema = z
  .object({
    /** null: take the bundle's calibrated threshold. */
    errorThreshold: positive().nullable(),
    /** Overrides the bundle threshold with the error at this recall on the calibration set. */
    targetRecall: z.number().gt(0).lt(1).nullable(),
    smoothingKm: z.number().min(0),
    minSeparationKm: z.number().min(0),
    /** Hard gate: a summit standing less than this above the regional level is not a candidate, m. */
    minProminenceM: z.number().min(0),
    highpassKm: z.number().min(0),
    measureRadiusKm: positive(),
    /** Peaks of the high-passed relief with a window under seedErrorFactor × threshold this close are candidates too, km (0: off). */
    peakSeedKm: z.number().min(0),
    /** Multiple of the threshold a window near a peak must score under for the peak to be a candidate. */
    seedErrorFactor: positive().max(100),
    /** Window evidence of a candidate: windows centred within this distance of its summit (the ring: 2–4 times it), km. */
    evidenceRadiusKm: positive(),
    /** Picking runs over blocks of the plan about this tall and wide (plus a margin), so memory does not grow with the job, km. */
    bandKm: positive(),
    splitDropFraction: fraction(),
    /** Surface the uphill walk from each hit climbs: the high-passed relief (highpassKm), or raw depth (old design). */
    climbSurface: z.enum(['highpass', 'depth']),
    /** Re-estimate the share of seamounts among the searched area's candidates and adjust every confidence to it. */
    adaptPrior: z.boolean(),
    /** How far the adapted prior moves from the training share towards the EM estimate, in log-odds: 0 stays, 1 takes the estimate. */
    priorWeight: fraction(),
    /** expected-f1: the cut of the best F1 expected from the confidences; bundle: the ranker's fixed cut; a number: that cut. */
    cut: z.union([z.enum(['expected-f1', 'bundle']), fraction()]),
  })
  .strict();

export const baselineSchema = z
  .object({
    highpassKm: z.number().min(0),
    peakRadiusKm: positive(),
    minReliefM: z.number().min(0),
    minProminenceM: z.number().min(0),
    minFitR2: z.number().min(-1).max(1),
    minRadiusKm: z.number().min(0),
    maxRadiusKm: positive(),
    measureRadiusKm: positive(),
    minSeparationKm: z.number().min(0),
    splitDropFraction: fraction(),
    bandRows: z.number().int().min(16).max(65536),
  })
  .strict();

const ascending = (edges: number[]): boolean => edges.every((e, i) => i === 0 || e > edges[i - 1]);

export const compareSchema = z
  .object({
    toleranceKm: positive(),
    minHeightM: z.number().min(0),
    /** Ascending edges of the reference-height bins of the report, m; the last bin is open-ended. */
    heightBinsM: z.array(z.number().min(0)).min(1).max(20).refine(ascending, 'bin edges must be ascending'),
    /** Ascending edges of the distance-to-edge bins, km, from 0; the last bin is open-ended. */
    edgeBinsKm: z.array(z.number().min(0)).min(1).max(20).refine(ascending, 'bin edges must be ascending'),
  })
  .strict();

export const outputSchema = z
  .object({
    csv: z.boolean(),
    /** seamounts.gpkg: points and basal ellipses (OGC GeoPackage, EPSG:4326). */
    geopackage: z.boolean(),
    /** seamounts_kw.txt (Kim & Wessel census layout) and seamounts_gmt.txt (gmt plot -SE). */
    tables: z.boolean(),
    /** ellipses.geojson: basal ellipses as polygons for web maps. */
    ellipses: z.boolean(),
    png: z.boolean(),
    errorGrid: z.boolean(),
  })
  .strict();

export const loggingSchema = z
  .object({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
    /** null: JSON lines to stdout (pretty on a TTY). */
    file: z.string().min(1).nullable(),
    progress: z.enum(['auto', 'on', 'off']),
  })
  .strict();

export const configSchema = z
  .object({
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    grid: z
      .object({
        variable: z.string().min(1).nullable(),
        /** Memory for decoded grid blocks kept between reads, MB (openGrid's cacheMB). */
        cacheMB: z.number().min(0).max(65536),
      })
      .strict(),
    /** "W/E/S/N" in degrees, or null for the whole grid. */
    region: z.string().nullable(),
    window: windowSchema,
    plan: planSchema,
    tiling: tilingSchema,
    model: modelSchema,
    training: trainingSchema,
    scoring: scoringSchema,
    picking: pickingSchema,
    baseline: baselineSchema,
    compare: compareSchema,
    /** Summits above sea level are islands, not seamounts: dropped from every picker's catalogue, or kept and marked. */
    islands: z.enum(['drop', 'keep']),
    output: outputSchema,
    logging: loggingSchema,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type WindowConfig = z.infer<typeof windowSchema>;
export type PlanConfig = z.infer<typeof planSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type TrainingConfig = z.infer<typeof trainingSchema>;
export type PickingConfig = z.infer<typeof pickingSchema>;
export type BaselineConfig = z.infer<typeof baselineSchema>;
export type BackendName = z.infer<typeof backendSchema>;
export type Engine = z.infer<typeof engineSchema>;
