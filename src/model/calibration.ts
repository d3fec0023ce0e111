/**
 * Threshold calibration on held-out seamounts. The autoencoder only ever saw seamounts, so the errors of
 * held-out seamounts say what error a real seamount gets: the threshold is the error below which a chosen
 * share (the recall) of them falls, and a pick's confidence is the share of held-out seamounts that
 * reconstruct no better than it does.
 */

export interface Calibration {
  /** Held-out seamount reconstruction errors, ascending. */
  errors: number[];
  /** Recall the threshold was chosen for, 0..1. */
  recall: number;
  /** Error below which `recall` of the held-out seamounts fall. */
  threshold: number;
}

/**
 * @example
 * calibrate([0.4, 0.1, 0.2, 0.3, 0.5], 0.75).threshold; // 0.4
 */
export function calibrate(errors: Float32Array | number[], recall: number): Calibration {
  if (!(recall > 0 && recall < 1)) throw new Error(`calibration: recall must lie in (0, 1), got ${recall}`);
  const sorted = Array.from(errors)
    .filter((e) => Number.isFinite(e))
    .sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error('calibration: no finite held-out seamount errors to calibrate on');
  const calibration = { errors: sorted, recall, threshold: 0 };
  calibration.threshold = thresholdAtRecall(calibration, recall);
  return calibration;
}

/** The error below which `recall` of the held-out seamounts fall (linear interpolation between ranks). */
export function thresholdAtRecall(calibration: Calibration, recall: number): number {
  const e = calibration.errors;
  if (e.length === 0) throw new Error('calibration: empty');
  if (!(recall >= 0 && recall <= 1)) throw new Error(`calibration: recall must lie in [0, 1], got ${recall}`);
  if (e.length === 1) return e[0];
  const pos = recall * (e.length - 1);
  const i = Math.min(Math.floor(pos), e.length - 2);
  return e[i] + (pos - i) * (e[i + 1] - e[i]);
}

/**
 * Confidence in 0..1 for a reconstruction error: the share of held-out seamounts whose error is at least
 * this one, interpolated between ranks (1 at or below the best-reconstructed seamount, 0 at or above the
 * worst). The inverse of thresholdAtRecall: confidenceOf(c, thresholdAtRecall(c, r)) = 1 − r.
 */
export function confidenceOf(calibration: Calibration, error: number): number {
  const e = calibration.errors;
  if (e.length === 0) throw new Error('calibration: empty');
  if (Number.isNaN(error)) return 0;
  if (error <= e[0]) return 1;
  if (error >= e[e.length - 1]) return 0;
  // last index with e[i] <= error (binary search), then interpolate within [e[i], e[i+1])
  let lo = 0;
  let hi = e.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (e[mid] <= error) lo = mid;
    else hi = mid;
  }
  const frac = e[hi] > e[lo] ? (error - e[lo]) / (e[hi] - e[lo]) : 0;
  return 1 - (lo + frac) / (e.length - 1);
}
