/**
 * The candidate ranker stored in a model bundle: a logistic regression over standardised candidate
 * features, learned positive-unlabelled (Elkan & Noto 2008): candidates near a catalogue seamount are the
 * labelled class, every other candidate is unlabelled (never "not a seamount"), and the model gives
 * g(x) = p(a catalogue lists a seamount at this candidate | its evidence). That probability is the pick's
 * `confidence`; ranking by it is ranking by p(seamount | x) as long as labelling does not depend on x
 * (it does on height: height is a feature, and the harness checks the ranking leave-region-out).
 */
import { z } from 'zod';
import type { CandidateEvidence } from './evidence.js';
import { FEATURE_NAMES, featureColumns, selectedFeatures } from './features.js';
import { fitLogistic, logit, sigmoid, type LogisticModel } from './logistic.js';

export const RANKER_FORMAT_VERSION = 1;

/** How the cut was chosen and what it achieved on the training grids (out-of-fold). */
export const cutSchema = z.object({
  /** Candidates with confidence ≥ this enter the catalogue. */
  confidence: z.number().min(0).max(1),
  /** What the cut aims at, in words. */
  aim: z.string(),
  f1: z.number(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  picks: z.number().int().min(0),
  references: z.number().int().min(0),
  /** Share of the training grids' catalogue seamounts matched by some candidate left after merging (the expected-F1 cut's denominator). */
  coverage: z.number().gt(0).max(1),
  /** What the adaptive rule (prior re-estimated per grid, expected-F1 cut) achieved on the training grids, out of fold. */
  adaptive: z.object({ f1: z.number(), precision: z.number().nullable(), recall: z.number().nullable(), picks: z.number().int().min(0) }),
});

export const rankerSchema = z
  .object({
    formatVersion: z.number().int().min(1).max(RANKER_FORMAT_VERSION),
    /** Feature names, in order (ranking/features.ts). */
    features: z.array(z.string()).min(1),
    /** Standardisation of each feature: (x − mean) / scale. */
    mean: z.array(z.number()),
    scale: z.array(z.number().positive()),
    weights: z.array(z.number()),
    intercept: z.number(),
    /** The window-error threshold the error features are relative to (the bundle's calibrated threshold). */
    errorThreshold: z.number().positive(),
    cut: cutSchema,
    /** How it was learned: counts, settings and out-of-fold figures on the training grids. */
    training: z.object({
      labelled: z.number().int().min(0),
      unlabelled: z.number().int().min(0),
      /** Candidates between the label tolerance and the unlabelled distance of a catalogue seamount: left out. */
      ambiguous: z.number().int().min(0),
      labelToleranceKm: z.number().positive(),
      unlabelledBeyondKm: z.number().positive(),
      l2: z.number().min(0),
      /** π: the share of labelled candidates the ranker was fitted on (the prior its confidences assume). */
      prior: z.number().gt(0).lt(1),
      folds: z.number().int().min(1),
      /** Average precision of the out-of-fold confidences on the training grids' picks. */
      averagePrecision: z.number().nullable(),
      /** Elkan & Noto's c: mean out-of-fold g over labelled candidates (p(seamount | x) ≈ g / c). */
      labelFrequency: z.number().nullable(),
      /** The ranker this one was refitted from (train --init), with the strength of the pull towards it. */
      refit: z.object({ fromWeightsSha256: z.string().optional(), l2: z.number(), kept: z.boolean().optional() }).optional(),
    }),
  })
  .superRefine((r, ctx) => {
    const known = new Set<string>(FEATURE_NAMES);
    for (const f of r.features)
      if (!known.has(f))
        ctx.addIssue({ code: 'custom', path: ['features'], message: `${f} is not a feature this version computes (${FEATURE_NAMES.join(', ')})` });
    if (new Set(r.features).size !== r.features.length) ctx.addIssue({ code: 'custom', path: ['features'], message: 'a feature is named twice' });
    for (const k of ['mean', 'scale', 'weights'] as const) {
      if (r[k].length !== r.features.length) ctx.addIssue({ code: 'custom', path: [k], message: `${r[k].length} values for ${r.features.length} features` });
    }
  });

export type Ranker = z.infer<typeof rankerSchema>;
export type RankerCut = z.infer<typeof cutSchema>;

/** A candidate as the ranker learns from it: features, label (1: near a catalogue seamount) and fold. */
export interface RankerExample {
  x: Float64Array;
  label: 0 | 1;
  fold: number;
}

/**
 * The ranker's confidence (0..1) for a candidate's evidence.
 *
 * @example rankerConfidence(bundle.ranker, candidate.evidence) // 0.83
 */
export function rankerConfidence(r: Ranker, e: CandidateEvidence): number {
  return confidenceOfFeatures(r, selectedFeatures(e, r.errorThreshold, columnsOf(r)));
}

/** Each ranker's feature columns, looked up once (detect scores every candidate of a grid with one ranker). */
const COLUMNS = new WeakMap<Ranker, number[]>();
function columnsOf(r: Ranker): number[] {
  let c = COLUMNS.get(r);
  if (!c) COLUMNS.set(r, (c = featureColumns(r.features)));
  return c;
}

/** The ranker's confidence for a raw (unstandardised) feature vector. */
export function confidenceOfFeatures(r: Pick<Ranker, 'mean' | 'scale' | 'weights' | 'intercept'>, x: ArrayLike<number>): number {
  return sigmoid(logit({ weights: r.weights, intercept: r.intercept }, standardise(r, x)));
}

function standardise(r: Pick<Ranker, 'mean' | 'scale'>, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(r.mean.length);
  for (let j = 0; j < out.length; j++) out[j] = (x[j] - r.mean[j]) / r.scale[j];
  return out;
}

export interface RankerFitOptions {
  l2: number;
  /** The names of the examples' feature columns, in order (default: every feature, FEATURE_NAMES). */
  features?: readonly string[];
  /**
   * Refit towards this ranker: its standardisation is kept and its weights are the prior, so a few local
   * labels adjust it rather than replace it. The intercept stays free: it takes the local share of labelled
   * candidates, which the refitted ranker's prior then is.
   */
  prior?: Pick<Ranker, 'mean' | 'scale' | 'weights' | 'features'>;
}

export interface RankerFit {
  model: Pick<Ranker, 'features' | 'mean' | 'scale' | 'weights' | 'intercept'>;
  /** Out-of-fold confidence of each example (in-sample where only one fold holds examples). */
  outOfFold: Float64Array;
  /** Out-of-fold confidence of each of the `others` rows (scored, not learned from). */
  othersOutOfFold: Float64Array;
  folds: number;
}

/**
 * Standardises the features (unless refitting: the prior's scale is kept), fits the logistic model on all
 * examples and, fold by fold, on the others, for honest out-of-fold confidences of the examples and of
 * `others` (rows that are scored but not learned from, e.g. candidates of uncertain label).
 *
 * @example
 * const fit = fitRanker(examples, { l2: 1 });
 * fit.model.weights.length === FEATURE_NAMES.length // true
 */
export function fitRanker(examples: readonly RankerExample[], o: RankerFitOptions, others: ReadonlyArray<{ x: Float64Array; fold: number }> = []): RankerFit {
  if (examples.length === 0) throw new Error('ranker: no candidates to learn from');
  const d = examples[0].x.length;
  const features = [...(o.features ?? FEATURE_NAMES)];
  if (features.length !== d) throw new Error(`ranker: ${features.length} feature names for ${d} columns`);
  if (o.prior && (o.prior.features.length !== d || o.prior.features.some((f, j) => f !== features[j]))) {
    throw new Error(`ranker: the ranker to refit weighs ${o.prior.features.join(', ')}; these examples hold ${features.join(', ')}`);
  }
  const { mean, scale } = o.prior ? { mean: o.prior.mean, scale: o.prior.scale } : standardisation(examples, d);
  const xs = examples.map((e) => standardise({ mean, scale }, e.x));
  const os = others.map((r) => standardise({ mean, scale }, r.x));
  const ys = examples.map((e) => e.label);
  const fitOn = (rows: number[]): LogisticModel =>
    fitLogistic(
      rows.map((i) => xs[i]),
      rows.map((i) => ys[i]),
      { l2: o.l2, prior: o.prior?.weights },
    );
  const all = fitOn(examples.map((_, i) => i));
  const foldIds = [...new Set(examples.map((e) => e.fold))].sort((a, b) => a - b);
  const outOfFold = new Float64Array(examples.length);
  const othersOutOfFold = new Float64Array(others.length);
  // rows of a fold no example falls in (and everything, with one fold) get the full model
  xs.forEach((x, i) => (outOfFold[i] = sigmoid(logit(all, x))));
  os.forEach((x, i) => (othersOutOfFold[i] = sigmoid(logit(all, x))));
  if (foldIds.length >= 2) {
    for (const f of foldIds) {
      const train = examples.map((_, i) => i).filter((i) => examples[i].fold !== f);
      // a fold whose complement has one label only cannot be fitted: its rows keep the full model
      if (new Set(train.map((i) => ys[i])).size < 2) continue;
      const m = fitOn(train);
      examples.forEach((e, i) => {
        if (e.fold === f) outOfFold[i] = sigmoid(logit(m, xs[i]));
      });
      others.forEach((r, i) => {
        if (r.fold === f) othersOutOfFold[i] = sigmoid(logit(m, os[i]));
      });
    }
  }
  return {
    model: { features, mean: [...mean], scale: [...scale], weights: all.weights, intercept: all.intercept },
    outOfFold,
    othersOutOfFold,
    folds: foldIds.length,
  };
}

/** Mean and standard deviation of each feature (a constant feature gets scale 1). */
function standardisation(examples: readonly RankerExample[], d: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const e of examples) for (let j = 0; j < d; j++) mean[j] += e.x[j] / examples.length;
  for (const e of examples) for (let j = 0; j < d; j++) scale[j] += (e.x[j] - mean[j]) ** 2 / examples.length;
  return { mean, scale: scale.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}
