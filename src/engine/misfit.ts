/**
 * How a window's reconstruction is scored (WindowSpec `misfit`, `centreWeight`): the detector's number.
 *
 * - `mse`: mean (x̂ − x)², weighted by w when centre weighting is on (Σ w (x̂ − x)² / Σ w);
 * - `relative`: Σ w (x̂ − x)² / (Σ w x² + ε), the share of the window's relief the model does not
 *   reproduce. Plain error is small for simple, smooth windows whatever they show (the complexity bias
 *   of issue 15); the relative misfit asks how much of *this* window's relief the seamount model explains.
 *
 * Pure functions; the engines (tfjs in ./reconstruction-errors.ts, ONNX Runtime in ./onnx/autoencoder-graphs.ts)
 * compute the same formula in their own graphs, checked against `windowMisfit`.
 */
import type { WindowSpec } from '../types.js';

export interface Misfit {
  /** Per-sample weights (samples², row-major), or null for the plain mean squared error. */
  weights: Float32Array | null;
  relative: boolean;
}

/** ε of the relative misfit, as a share of Σ w: a window with no relief left scores high, not 0/0. */
export const RELATIVE_EPSILON = 1e-6;

/**
 * The misfit a spec asks for. Old bundles (mse, no centre weight) get `{ weights: null }`: the
 * engines' original mean-squared-error path, bit for bit.
 *
 * @example misfitOf({ ...spec, misfit: 'relative', centreWeight: 0.5 }).weights?.length // samples²
 */
export function misfitOf(spec: Pick<WindowSpec, 'samples' | 'misfit' | 'centreWeight'>): Misfit {
  const relative = spec.misfit === 'relative';
  if (!relative && !(spec.centreWeight > 0)) return { weights: null, relative: false };
  return { weights: centreWeights(spec.samples, spec.centreWeight), relative };
}

/**
 * Gaussian weights centred on the window, σ = `fraction` × the half-width (in samples); all 1 when
 * fraction is 0.
 *
 * @example centreWeights(3, 0) // → [1, 1, 1, 1, 1, 1, 1, 1, 1]
 */
export function centreWeights(samples: number, fraction: number): Float32Array {
  const w = new Float32Array(samples * samples).fill(1);
  if (!(fraction > 0)) return w;
  const c = (samples - 1) / 2;
  const sigma = fraction * (samples / 2);
  for (let j = 0; j < samples; j++) {
    for (let i = 0; i < samples; i++) w[j * samples + i] = Math.exp(-((i - c) ** 2 + (j - c) ** 2) / (2 * sigma * sigma));
  }
  return w;
}

/**
 * Reference misfit of one window `x` and its reconstruction `y` (same length), in float64.
 *
 * @example windowMisfit(Float32Array.of(1, -1), Float32Array.of(0.5, -1), { weights: Float32Array.of(1, 1), relative: true }) // → 0.125
 */
export function windowMisfit(x: Float32Array, y: Float32Array, m: Misfit): number {
  let num = 0;
  let den = 0;
  let sw = 0;
  for (let k = 0; k < x.length; k++) {
    const w = m.weights ? m.weights[k] : 1;
    num += w * (y[k] - x[k]) ** 2;
    den += w * x[k] * x[k];
    sw += w;
  }
  return m.relative ? num / (den + RELATIVE_EPSILON * sw) : num / sw;
}
