/**
 * Which reconstruction error counts as "seamount-like": the model bundle's calibrated threshold, unless
 * the configuration overrides it with an error value or a target recall on the calibration set.
 */
import type { PickingConfig } from '../config/schema.js';
import { thresholdAtRecall, type Calibration } from '../model/calibration.js';

export interface ResolvedThreshold {
  threshold: number;
  /** Where it came from, for logs and the run manifest. */
  source: 'errorThreshold' | 'targetRecall' | 'bundle';
  /** Share of the held-out calibration seamounts whose error lies under the threshold. */
  calibrationRecall: number;
}

/**
 * `picking.errorThreshold` wins when set; else `picking.targetRecall` picks the error under which that
 * share of the held-out seamounts fall; else the bundle's own threshold.
 *
 * @example
 * resolveThreshold({ ...config.picking, targetRecall: 0.8 }, bundle.calibration).threshold
 */
export function resolveThreshold(picking: Pick<PickingConfig, 'errorThreshold' | 'targetRecall'>, calibration: Calibration): ResolvedThreshold {
  if (picking.errorThreshold !== null) {
    return { threshold: picking.errorThreshold, source: 'errorThreshold', calibrationRecall: recallAt(calibration, picking.errorThreshold) };
  }
  if (picking.targetRecall !== null) {
    const threshold = thresholdAtRecall(calibration, picking.targetRecall);
    return { threshold, source: 'targetRecall', calibrationRecall: recallAt(calibration, threshold) };
  }
  return { threshold: calibration.threshold, source: 'bundle', calibrationRecall: recallAt(calibration, calibration.threshold) };
}

/** Share of the calibration errors at or below `threshold`. */
function recallAt(c: Calibration, threshold: number): number {
  if (c.errors.length === 0) return NaN;
  let n = 0;
  for (const e of c.errors) if (e <= threshold) n++;
  return n / c.errors.length;
}
