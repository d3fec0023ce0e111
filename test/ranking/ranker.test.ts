import { FEATURE_NAMES, featureColumns, featureVector, selectedFeatures } from '../../src/ranking/features.js';
import { confidenceOfFeatures, fitRanker, rankerConfidence, rankerSchema, type Ranker, type RankerExample, type RankerFit } from '../../src/ranking/ranker.js';
import { spatialFold } from '../../src/ranking/folds.js';
import type { CandidateEvidence } from '../../src/ranking/evidence.js';
import { createPrng } from '../../src/model/prng.js';

const seamountLike: CandidateEvidence = {
  windowErrorMin: 0.2,
  windowErrorSummit: 0.25,
  ringError: 0.9,
  windowsNear: 9,
  hits: 6,
  prominenceM: 1400,
  heightM: 1600,
  radiusKm: 9,
  fitR2: 0.85,
  axisRatio: 0.8,
  summitDepthM: -2400,
};

/**
 * Candidates whose truth is known: seamounts are tall, round and reconstruct well; the rest (abyssal hills,
 * ridges) are low, elongated and reconstruct badly. A share `listed` of the seamounts is labelled (the
 * catalogue); everything else, unlisted seamounts included, is unlabelled.
 */
function candidates(n: number, listed: number, seed: number): Array<RankerExample & { seamount: boolean }> {
  const rng = createPrng(seed);
  const out: Array<RankerExample & { seamount: boolean }> = [];
  for (let i = 0; i < n; i++) {
    const seamount = rng.next() < 0.4;
    const jitter = () => 0.6 + 0.8 * rng.next();
    const e: CandidateEvidence = seamount
      ? { ...seamountLike, windowErrorMin: 0.3 * jitter(), heightM: 1500 * jitter(), prominenceM: 1200 * jitter(), axisRatio: 0.6 + 0.4 * rng.next() }
      : { ...seamountLike, windowErrorMin: 0.9 * jitter(), heightM: 500 * jitter(), prominenceM: 400 * jitter(), axisRatio: 0.2 + 0.4 * rng.next(), hits: 0 };
    const lon = -120 + 20 * rng.next();
    const lat = -40 + 10 * rng.next();
    out.push({ x: featureVector(e, 0.6), label: seamount && rng.next() < listed ? 1 : 0, fold: spatialFold(lon, lat, 5), seamount });
  }
  return out;
}

/** A fitted model as a bundle stores it (threshold 0.6; cut and training record placeholders). */
function storedRanker(model: RankerFit['model']): Ranker {
  return {
    formatVersion: 1,
    ...model,
    errorThreshold: 0.6,
    cut: {
      confidence: 0.4,
      aim: 'test',
      f1: 0.5,
      precision: 0.5,
      recall: 0.5,
      picks: 10,
      references: 10,
      coverage: 0.9,
      adaptive: { f1: 0.5, precision: 0.5, recall: 0.5, picks: 10 },
    },
    training: {
      labelled: 1,
      unlabelled: 1,
      ambiguous: 0,
      labelToleranceKm: 10,
      unlabelledBeyondKm: 25,
      l2: 1,
      prior: 0.5,
      folds: 5,
      averagePrecision: null,
      labelFrequency: null,
    },
  };
}

describe('fitRanker (positive-unlabelled)', () => {
  const train = candidates(1500, 0.6, 1);
  const fit = fitRanker(train, { l2: 1 });

  it('ranks true seamounts above the rest, though it only ever saw labelled against unlabelled', () => {
    const test = candidates(800, 0.6, 2);
    const scores = test.map((c) => confidenceOfFeatures(fit.model, c.x));
    // AUC of seamount (listed or not) vs not
    let above = 0;
    let pairs = 0;
    test.forEach((a, i) => {
      if (!a.seamount) return;
      test.forEach((b, j) => {
        if (b.seamount) return;
        pairs++;
        above += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      });
    });
    expect(above / pairs).toBeGreaterThan(0.95);
  });

  it('gives out-of-fold confidences from models that did not see the fold', () => {
    expect(fit.folds).toBe(5);
    expect(fit.outOfFold).toHaveLength(train.length);
    // out of fold differs from in-sample, but not by much on well-separated data
    const inSample = train.map((c) => confidenceOfFeatures(fit.model, c.x));
    let diff = 0;
    fit.outOfFold.forEach((p, i) => (diff = Math.max(diff, Math.abs(p - inSample[i]))));
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(0.3);
  });

  it('refits towards a prior ranker: a strong pull keeps its weights and its standardisation', () => {
    const few = candidates(60, 0.6, 3);
    const prior = { ...fit.model };
    const refit = fitRanker(few, { l2: 1e5, prior });
    expect(refit.model.mean).toEqual(prior.mean);
    refit.model.weights.forEach((w, j) => expect(w).toBeCloseTo(prior.weights[j], 2));
    const loose = fitRanker(few, { l2: 0.01, prior });
    expect(loose.model.weights.some((w, j) => Math.abs(w - prior.weights[j]) > 0.1)).toBe(true);
    expect(() => fitRanker(few, { l2: 1, prior: { ...prior, features: ['height'] } })).toThrow(/weighs height/);
  });

  it('round-trips through the bundle schema and scores evidence', () => {
    const ranker = storedRanker(fit.model);
    const parsed = rankerSchema.parse(JSON.parse(JSON.stringify(ranker)));
    expect(parsed).toEqual(ranker);
    expect(parsed.features).toEqual([...FEATURE_NAMES]);
    const high = rankerConfidence(parsed, seamountLike);
    const low = rankerConfidence(parsed, { ...seamountLike, windowErrorMin: 1.5, heightM: 300, prominenceM: 300, hits: 0, axisRatio: 0.3 });
    expect(high).toBeGreaterThan(0.5);
    expect(low).toBeLessThan(high);
  });
});

describe('a ranker weighing some of the features (training.ranker.features)', () => {
  // geometry only, in an order unlike featureVector's: the bundle's names say which columns it reads
  const names = ['fit_r2', 'log_height', 'log_prominence', 'axis_ratio'];
  const columns = featureColumns(names);
  const select = (rows: ReturnType<typeof candidates>) => rows.map((c) => ({ ...c, x: Float64Array.from(columns, (j) => c.x[j]) }));
  const fit = fitRanker(select(candidates(1500, 0.6, 1)), { l2: 1, features: names });
  const ranker = (): Ranker => storedRanker(fit.model);

  it('stores the names of what it weighs, and scores evidence by those columns', () => {
    expect(fit.model.features).toEqual(names);
    expect(fit.model.weights).toHaveLength(names.length);
    const r = rankerSchema.parse(JSON.parse(JSON.stringify(ranker())));
    const e = { ...seamountLike, heightM: 900, axisRatio: 0.4 };
    expect(rankerConfidence(r, e)).toBe(confidenceOfFeatures(r, selectedFeatures(e, 0.6, columns)));
    // it ignores the window evidence it does not weigh, and follows what it does
    expect(rankerConfidence(r, { ...e, windowErrorMin: 3, hits: 0 })).toBe(rankerConfidence(r, e));
    expect(rankerConfidence(r, { ...e, heightM: 2500, prominenceM: 2000 })).toBeGreaterThan(rankerConfidence(r, e));
  });

  it('the bundle schema refuses a feature this version does not compute, or values that do not match the names', () => {
    expect(() => rankerSchema.parse({ ...ranker(), features: ['fit_r2', 'log_height', 'log_prominence', 'slope'] })).toThrow(
      /slope is not a feature this version computes/,
    );
    expect(() => rankerSchema.parse({ ...ranker(), weights: [1, 2, 3] })).toThrow(/3 values for 4 features/);
    expect(() => rankerSchema.parse({ ...ranker(), features: ['fit_r2', 'fit_r2', 'log_prominence', 'axis_ratio'] })).toThrow(/named twice/);
    expect(() => featureColumns(['log_height', 'slope'])).toThrow(/"slope"/);
  });

  it('a refit towards it must hold the same columns', () => {
    expect(() => fitRanker(candidates(60, 0.6, 3), { l2: 1, prior: fit.model })).toThrow(/weighs fit_r2, log_height/);
    expect(() => fitRanker(select(candidates(60, 0.6, 3)), { l2: 1, features: FEATURE_NAMES })).toThrow(/12 feature names for 4 columns/);
  });
});

describe('featureVector', () => {
  it('puts errors relative to the threshold, sizes on log scales, and flags missing windows', () => {
    const x = featureVector(seamountLike, 0.4);
    expect(x).toHaveLength(FEATURE_NAMES.length);
    expect(x[FEATURE_NAMES.indexOf('log_error_min')]).toBeCloseTo(Math.log(0.5), 12);
    expect(x[FEATURE_NAMES.indexOf('log_height')]).toBeCloseTo(Math.log(1600), 12);
    expect(x[FEATURE_NAMES.indexOf('no_windows')]).toBe(0);
    const none = featureVector({ ...seamountLike, windowErrorMin: NaN, windowErrorSummit: NaN, ringError: NaN, windowsNear: 0, fitR2: NaN }, 0.4);
    expect(none[FEATURE_NAMES.indexOf('no_windows')]).toBe(1);
    expect(none[FEATURE_NAMES.indexOf('fit_r2')]).toBe(-1);
    expect(none.every(Number.isFinite)).toBe(true);
  });
});

describe('spatialFold', () => {
  it('puts a tile in one fold and spreads tiles over every fold', () => {
    expect(spatialFold(-112.3, -45.1, 5)).toBe(spatialFold(-112.9, -44.2, 5));
    const seen = new Set<number>();
    for (let lon = -180; lon < 180; lon += 2) seen.add(spatialFold(lon + 1, 10, 5));
    expect(seen).toEqual(new Set([0, 1, 2, 3, 4]));
    // either longitude convention
    expect(spatialFold(190, 0, 7)).toBe(spatialFold(-170, 0, 7));
  });
});
