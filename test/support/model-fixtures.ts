/**
 * Synthetic normalised windows whose nature is known, for model tests and benchmarks: Gaussian seamounts
 * (the training class), flat-topped guyots (a new shape for retraining), and non-seamount sea floor
 * (abyssal-hill fabric, slopes). Each is normalised like the tiling stage does (median removed, divided by
 * the largest |value|) and cosine-tapered to zero at the edge.
 */
import { FEATURE_NAMES } from '../../src/ranking/features.js';
import type { TrainingConfig } from '../../src/config/schema.js';
import { createPrng } from '../../src/model/prng.js';

export type WindowKind = 'gaussian' | 'guyot' | 'fabric' | 'slope';

export interface WindowSetOptions {
  count: number;
  samples: number;
  seed: number;
  kind: WindowKind;
  /** Largest offset of a seamount from the centre, as a fraction of the half-width (default 0.15). */
  maxOffset?: number;
  /** Noise standard deviation relative to the relief (default 0.02). */
  noise?: number;
}

/** `count` windows of `samples × samples`, row-major, one after another. */
export function syntheticWindows(o: WindowSetOptions): Float32Array {
  const rng = createPrng(o.seed);
  const n = o.samples;
  const out = new Float32Array(o.count * n * n);
  const raw = new Float64Array(n * n);
  const gauss = () => {
    // Box-Muller from the seeded PRNG
    const u = Math.max(rng.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  };
  for (let w = 0; w < o.count; w++) {
    const maxOffset = o.maxOffset ?? 0.15;
    const cx = (rng.next() * 2 - 1) * maxOffset;
    const cy = (rng.next() * 2 - 1) * maxOffset;
    const sigma = 0.12 + rng.next() * 0.15; // in half-widths
    const aspect = 0.6 + rng.next() * 0.4;
    const az = rng.next() * Math.PI;
    const slopeX = (rng.next() * 2 - 1) * 0.3;
    const slopeY = (rng.next() * 2 - 1) * 0.3;
    const wavelength = 0.15 + rng.next() * 0.25;
    const strike = rng.next() * Math.PI;
    const noise = o.noise ?? 0.02;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = ((j + 0.5) / n) * 2 - 1;
        const y = 1 - ((i + 0.5) / n) * 2;
        let v = 0;
        if (o.kind === 'gaussian' || o.kind === 'guyot') {
          const dx = x - cx;
          const dy = y - cy;
          const a = dx * Math.cos(az) + dy * Math.sin(az);
          const b = (-dx * Math.sin(az) + dy * Math.cos(az)) / aspect;
          v = Math.exp((-0.5 * (a * a + b * b)) / (sigma * sigma));
          if (o.kind === 'guyot') v = Math.min(v, 0.45) / 0.45; // truncated flat top
          v += 0.1 * (slopeX * x + slopeY * y);
        } else if (o.kind === 'fabric') {
          const t = x * Math.cos(strike) + y * Math.sin(strike);
          v = Math.sin((2 * Math.PI * t) / wavelength) + 0.3 * Math.sin((2 * Math.PI * t) / (wavelength * 0.37));
        } else {
          v = slopeX * x + slopeY * y + 0.2 * Math.sin(3 * x * slopeY);
        }
        raw[i * n + j] = v + noise * gauss();
      }
    }
    normaliseAndTaper(raw, n, out.subarray(w * n * n, (w + 1) * n * n));
  }
  return out;
}

/** Median removed, divided by max |value| (Valentine et al. 2013), then a cosine taper from 0.7 of the half-width. */
export function normaliseAndTaper(raw: Float64Array, n: number, dst: Float32Array): void {
  const sorted = Float64Array.from(raw).sort();
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]);
  let maxAbs = 0;
  for (let k = 0; k < raw.length; k++) maxAbs = Math.max(maxAbs, Math.abs(raw[k] - median));
  const scale = maxAbs > 0 ? 1 / maxAbs : 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = ((j + 0.5) / n) * 2 - 1;
      const y = ((i + 0.5) / n) * 2 - 1;
      const r = Math.hypot(x, y);
      const taper = r <= 0.7 ? 1 : r >= 1 ? 0 : 0.5 * (1 + Math.cos((Math.PI * (r - 0.7)) / 0.3));
      dst[i * n + j] = (raw[i * n + j] - median) * scale * taper;
    }
  }
}

/** Training settings for small synthetic runs (16 x 16 windows, a few epochs), with `overrides` on top. */
export function trainingConfig(overrides: Partial<TrainingConfig> = {}): TrainingConfig {
  return {
    epochs: 8,
    batchSize: 16,
    learningRate: 0.003,
    validationFraction: 0.2,
    patience: 3,
    minReliefM: 0,
    calibrationRecall: 0.9,
    shards: 2,
    engine: 'tfjs',
    threads: 1,
    augment: { rotations: true, flips: true, shiftKm: 0, copies: 1 },
    ranker: { enabled: false, labelToleranceKm: 10, unlabelledBeyondKm: 25, l2: 1, folds: 5, refitL2: 20, features: [...FEATURE_NAMES] },
    ...overrides,
  };
}
