/** Small numeric helpers shared by the tiling tests. */
import type { WindowSpec } from '../../src/types.js';

export const baseSpec: WindowSpec = {
  sizeKm: 64,
  samples: 32,
  projection: 'laea',
  interpolation: 'bilinear',
  antiAlias: true,
  taper: 'cosine',
  taperStart: 0.7,
  normalisation: 'median-maxabs',
  scaleM: 2000,
  detrend: 'none',
  misfit: 'mse',
  centreWeight: 0,
};

export const planConfig = { maxLandFraction: 0.2, maxNodataFraction: 0.1, landLevelM: 0, maxAbsLatDeg: 85 };

/** Pearson correlation. */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Root-mean-square difference. */
export function rmsDifference(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
  return Math.sqrt(s / x.length);
}

export function maxAbsDifference(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** Index of the largest value. */
export function argMax(x: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
  return best;
}
