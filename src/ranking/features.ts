/**
 * Candidate evidence → the numbers a ranker weighs. Transforms are fixed (logs of sizes and errors, clamps),
 * so a linear model over them can say "taller is likelier" or "a window that reconstructs well is likelier"
 * with one weight each; a size both too small and too large to be a seamount needs the squared log radius.
 */
import type { CandidateEvidence } from './evidence.js';
const { log, max, min } = Math;

/**
 * Every feature this version computes, in the order of `featureVector`. A ranker weighs a subset of them
 * (`training.ranker.features`), stored by name in the bundle, so it reads the same columns whatever order or
 * set a later version computes.
 */
export const FEATURE_NAMES = [
  'log_error_min',
  'log_error_summit',
  'log_ring_contrast',
  'log_hits',
  'log_prominence',
  'log_height',
  'log_radius',
  'log_radius_sq',
  'fit_r2',
  'axis_ratio',
  'summit_depth_km',
  'no_windows',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** A window error this many thresholds or more counts as "no evidence of a seamount". */
const ERROR_CAP = 4;
/** Errors under this many thresholds are treated as equal (a perfect reconstruction is not more likely). */
const ERROR_FLOOR = 0.02;

const logError = (error: number, threshold: number): number =>
  Number.isFinite(error) ? log(min(ERROR_CAP, max(ERROR_FLOOR, error / threshold))) : log(ERROR_CAP);

/**
 * The feature vector of a candidate. `threshold` is the bundle's calibrated window-error threshold: errors
 * enter as log(error / threshold), so a ranker stays meaningful whatever scale a model's errors have.
 *
 * @example featureVector({ ...evidence, windowErrorMin: 0.3 }, 0.6)[0] // log(0.5) = −0.693
 */
export function featureVector(e: CandidateEvidence, threshold: number): Float64Array {
  const radius = min(100, max(0.5, Number.isFinite(e.radiusKm) ? e.radiusKm : 0.5));
  const contrast = Number.isFinite(e.ringError) && Number.isFinite(e.windowErrorMin) ? log(max(e.ringError, 1e-3) / max(e.windowErrorMin, 1e-3)) : 0;
  return Float64Array.from([
    logError(e.windowErrorMin, threshold),
    logError(e.windowErrorSummit, threshold),
    min(3, max(-3, contrast)),
    log(1 + max(0, e.hits)),
    log(max(50, e.prominenceM)),
    log(max(50, e.heightM)),
    log(radius),
    log(radius) ** 2,
    Number.isFinite(e.fitR2) ? min(1, max(-1, e.fitR2)) : -1,
    Number.isFinite(e.axisRatio) ? min(1, max(0, e.axisRatio)) : 0,
    Number.isFinite(e.summitDepthM) ? e.summitDepthM / 1000 : 0,
    e.windowsNear > 0 ? 0 : 1,
  ]);
}

/**
 * The columns of `featureVector` holding the named features, in the order given. Throws on a name this
 * version does not compute (a bundle from a newer version, or a typing error in a setting).
 *
 * @example featureColumns(['log_height', 'fit_r2']) // [5, 8]
 */
export function featureColumns(names: readonly string[]): number[] {
  return names.map((name) => {
    const j = (FEATURE_NAMES as readonly string[]).indexOf(name);
    if (j < 0) throw new Error(`ranker feature "${name}" is not one this version computes (${FEATURE_NAMES.join(', ')})`);
    return j;
  });
}

/**
 * The named features of a candidate, in the order of `names`: what a ranker weighing them reads.
 *
 * @example selectedFeatures(evidence, 0.6, featureColumns(['log_height'])) // Float64Array [log(height)]
 */
export function selectedFeatures(e: CandidateEvidence, threshold: number, columns: readonly number[]): Float64Array {
  const all = featureVector(e, threshold);
  return Float64Array.from(columns, (j) => all[j]);
}
