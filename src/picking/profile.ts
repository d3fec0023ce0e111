/**
 * The basal radius from the relief itself: the detrended relief around a seamount, averaged in rings of
 * its basal ellipse's shape (a radial profile), fitted with the seamount shapes of the literature — a
 * Gaussian (Kim & Wessel 2011), a cone (Smith 1988), a paraboloid and GMT's polynomial bell, each
 * optionally flat-topped — and the radius read from the shape that fits best. Why: a Gaussian fitted to a cone or a paraboloid puts
 * its 3 σ a third to a half beyond the base (issue 28), because the Gaussian's tail has to follow flanks
 * that end; a cone fitted to a cone ends where the cone does. Pure numerics over typed arrays.
 *
 * Shapes are parametrised as `gmt grdseamount` plants them, by the basal radius R and the flatness F
 * (plateau radius / basal radius; GMT's -F, Smith 1988's f), with t = ρ / R:
 *   gaussian   g = exp(−4.5 (t² − F²))        (R = 3 σ: 1.1 % of the height is left there)
 *   cone       g = (1 − t) / (1 − F)          (0 at and beyond R)
 *   parabolic  g = (1 − t²) / (1 − F²)
 *   polynomial g = p(t) / p(F), p(t) = (1 − t²)³ / (1 + t³)   (GMT's bell that ends at R)
 * and g = 1 on the plateau (t < F). The model of the profile is c + H·g(ρ / R).
 *
 * The shape with the least squared residual wins, with two preferences, for a radius that does not jump
 * with noise: a plateau must lower the residuals by PLATEAU_MIN_GAIN, and the polynomial, a bell that
 * fits where the Gaussian does but puts R ~15 % further out, must beat the Gaussian by BELL_MIN_GAIN
 * (so the Gaussian, Kim & Wessel's convention, stays the bell of record unless the foot clearly ends).
 */
const { exp, log, max, min, sqrt } = Math;

export type ProfileShape = 'gaussian' | 'cone' | 'parabolic' | 'polynomial';
export const PROFILE_SHAPES: readonly ProfileShape[] = ['gaussian', 'cone', 'parabolic', 'polynomial'];

/**
 * The normalised shape at t = ρ / R with flatness F: 1 on the plateau, falling to the base at t = 1.
 *
 * @example shapeAt('cone', 0.5, 0) // 0.5
 */
export function shapeAt(shape: ProfileShape, t: number, flatness: number): number {
  if (t <= flatness) return 1;
  switch (shape) {
    case 'gaussian':
      return exp(-4.5 * (t * t - flatness * flatness));
    case 'cone':
      return t >= 1 ? 0 : (1 - t) / (1 - flatness);
    case 'parabolic':
      return t >= 1 ? 0 : (1 - t * t) / (1 - flatness * flatness);
    case 'polynomial':
      return t >= 1 ? 0 : polynomial(t) / polynomial(flatness);
  }
}

/** GMT's polynomial bell (1 − t²)³ / (1 + t³): Gaussian-like, but it reaches the base at t = 1. */
const polynomial = (t: number): number => {
  const u = 1 - t * t;
  return (u * u * u) / (1 + t * t * t);
};

/** The relief in rings: per bin, the mean radius of its cells, the sum and sum of squares of their relief and their count. */
export interface ProfileBins {
  rKm: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
  count: Float64Array;
}

/**
 * Bins cells by radius: `radiusKm[i]` (the equal-area radius of the ring through the cell) and `reliefM[i]`
 * (the cell's height above the regional plane); bins `binKm` wide out to `maxKm`; empty bins dropped.
 *
 * @example binProfile(Float64Array.of(0.2, 1.4), Float64Array.of(900, 400), 1, 3).count // [1, 1]
 */
export function binProfile(radiusKm: Float64Array, reliefM: Float64Array, binKm: number, maxKm: number): ProfileBins {
  const n = Math.max(1, Math.ceil(maxKm / binKm));
  const r = new Float64Array(n);
  const s1 = new Float64Array(n);
  const s2 = new Float64Array(n);
  const c = new Float64Array(n);
  for (let i = 0; i < radiusKm.length; i++) {
    const b = Math.floor(radiusKm[i] / binKm);
    if (!(b >= 0 && b < n) || Number.isNaN(reliefM[i])) continue;
    r[b] += radiusKm[i];
    s1[b] += reliefM[i];
    s2[b] += reliefM[i] * reliefM[i];
    c[b]++;
  }
  const keep: number[] = [];
  for (let b = 0; b < n; b++) if (c[b] > 0) keep.push(b);
  const out: ProfileBins = {
    rKm: new Float64Array(keep.length),
    sum: new Float64Array(keep.length),
    sumSq: new Float64Array(keep.length),
    count: new Float64Array(keep.length),
  };
  keep.forEach((b, k) => {
    out.rKm[k] = r[b] / c[b];
    out.sum[k] = s1[b];
    out.sumSq[k] = s2[b];
    out.count[k] = c[b];
  });
  return out;
}

export interface ProfileFit {
  shape: ProfileShape;
  /** Basal radius R (equal-area), km. */
  radiusKm: number;
  /** Plateau radius / basal radius, 0..MAX_FLATNESS. */
  flatness: number;
  /** H: the shape's height above c, m. */
  heightM: number;
  /** c: the level of the base relative to the regional plane the relief was measured from, m. */
  offsetM: number;
  /** Residual standard deviation of the cells about the model, m. */
  residualSdM: number;
  /** Formal (white-noise) standard errors of R and c: scale them for correlated residuals. */
  radiusSdKm: number;
  offsetSdM: number;
  /** Cells fitted. */
  cells: number;
  /** Cell-level residual sum of squares of the fit, m². */
  sse: number;
  /** The best fit of each shape (the chosen one among them), in PROFILE_SHAPES order. */
  alternatives: Array<{ shape: ProfileShape; radiusKm: number; flatness: number; heightM: number; sse: number }>;
  /** Share of the cells' relief variance the model explains. */
  r2: number;
}

export interface ProfileFitOptions {
  /** Range searched for R, km. */
  minRadiusKm: number;
  maxRadiusKm: number;
}

/** Flatness values tried before refinement (which then searches ±0.1 about the best), and the largest allowed. */
const FLATNESS_GRID = [0, 0.2, 0.4, 0.6];
export const MAX_FLATNESS = 0.85;
/** Radii tried (log-spaced over the range) before refinement, and the rounds of refinement. */
const RADIUS_STEPS = 20;
const REFINE_ROUNDS = 5;
/** A plateau is kept only when it lowers the residual sum of squares by more than this share. */
const PLATEAU_MIN_GAIN = 0.02;
/** The polynomial bell replaces the Gaussian only when it lowers the residual sum of squares by more than this share. */
const BELL_MIN_GAIN = 0.1;

interface Solved {
  c: number;
  h: number;
  /** Cell-level sum of squared residuals (Infinity when H ≤ 0). */
  sse: number;
}

/** Accumulated sums of the bins: ΣS1, ΣS2, N. */
interface Totals {
  s1: number;
  s2: number;
  n: number;
}

/** The shape's sums over the bins at R and F: Σ n·g, Σ n·g², Σ S1·g (the normal equations' terms). */
function shapeSums(b: ProfileBins, shape: ProfileShape, radiusKm: number, flatness: number): { sg: number; sgg: number; s1g: number } {
  let sg = 0;
  let sgg = 0;
  let s1g = 0;
  for (let k = 0; k < b.rKm.length; k++) {
    const g = shapeAt(shape, b.rKm[k] / radiusKm, flatness);
    sg += b.count[k] * g;
    sgg += b.count[k] * g * g;
    s1g += b.sum[k] * g;
  }
  return { sg, sgg, s1g };
}

/** Weighted least squares of the bins for c and H at a given shape, R and F (cell-level SSE). */
function solve(b: ProfileBins, t: Totals, shape: ProfileShape, radiusKm: number, flatness: number): Solved {
  const { sg, sgg, s1g } = shapeSums(b, shape, radiusKm, flatness);
  const det = t.n * sgg - sg * sg;
  if (!(det > 1e-9 * t.n * sgg)) return { c: NaN, h: NaN, sse: Infinity };
  const c = (t.s1 * sgg - s1g * sg) / det;
  const h = (t.n * s1g - sg * t.s1) / det;
  if (!(h > 0)) return { c, h, sse: Infinity };
  const sse = t.s2 - 2 * c * t.s1 - 2 * h * s1g + c * c * t.n + 2 * c * h * sg + h * h * sgg;
  return { c, h, sse: max(sse, 0) };
}

interface Trial {
  lnR: number;
  f: number;
  s: Solved;
}

/**
 * Refines (ln R, F) on ever finer 5 × 5 grids about `start` (spans ±lnStep and ±fStep, halved each round;
 * fStep 0 keeps F fixed).
 */
function refine(b: ProfileBins, t: Totals, shape: ProfileShape, start: Trial, lnStep: number, fStep: number, lnLo: number, lnHi: number): Trial {
  let best = start;
  let dLn = lnStep;
  let dF = fStep;
  for (let round = 0; round < REFINE_ROUNDS; round++) {
    const centre = best;
    for (let a = -2; a <= 2; a++) {
      const lnA = min(lnHi, max(lnLo, centre.lnR + (a * dLn) / 2));
      for (let c = dF > 0 ? -2 : 0; c <= (dF > 0 ? 2 : 0); c++) {
        if (a === 0 && c === 0) continue;
        const fc = min(MAX_FLATNESS, max(0, centre.f + (c * dF) / 2));
        const si = solve(b, t, shape, exp(lnA), fc);
        if (si.sse < best.s.sse) best = { lnR: lnA, f: fc, s: si };
      }
    }
    dLn /= 2;
    dF /= 2;
  }
  return best;
}

/**
 * Fits c + H·g(ρ / R) for each shape, flatness and radius (a grid search, then refinement on finer grids
 * of R and F), and returns the best fit of all shapes; null when the profile cannot be fitted (too few
 * rings, or no positive relief).
 *
 * @example
 * const fit = fitProfile(binProfile(radii, relief, 0.5, 30), { minRadiusKm: 2, maxRadiusKm: 25 });
 * fit?.radiusKm; // where the fitted cone / paraboloid meets its base, or 3 σ of the Gaussian
 */
export function fitProfile(b: ProfileBins, o: ProfileFitOptions): ProfileFit | null {
  if (b.rKm.length < 5 || !(o.maxRadiusKm > o.minRadiusKm) || !(o.minRadiusKm > 0)) return null;
  const t: Totals = { s1: 0, s2: 0, n: 0 };
  for (let k = 0; k < b.rKm.length; k++) {
    t.s1 += b.sum[k];
    t.s2 += b.sumSq[k];
    t.n += b.count[k];
  }
  let best: { shape: ProfileShape; r: number; f: number; s: Solved } | null = null;
  const alternatives: ProfileFit['alternatives'] = [];
  const ratio = o.maxRadiusKm / o.minRadiusKm;
  const lnLo = log(o.minRadiusKm);
  const lnHi = log(o.maxRadiusKm);
  const lnStep = log(ratio) / (RADIUS_STEPS - 1);
  for (const shape of PROFILE_SHAPES) {
    let lnR = NaN;
    let f = 0;
    let s: Solved = { c: NaN, h: NaN, sse: Infinity };
    for (let i = 0; i < RADIUS_STEPS; i++) {
      for (const fi of FLATNESS_GRID) {
        const si = solve(b, t, shape, exp(lnLo + i * lnStep), fi);
        if (si.sse < s.sse) [lnR, f, s] = [lnLo + i * lnStep, fi, si];
      }
    }
    if (!(s.sse < Infinity)) continue;
    const flat = refine(b, t, shape, { lnR, f, s }, lnStep, 0.1, lnLo, lnHi);
    // the same shape with a pointed or rounded top: kept unless a plateau fits clearly better (a plateau
    // narrower than the innermost ring only rescales H, and fits as well)
    let lnR0 = lnLo;
    let s0: Solved = { c: NaN, h: NaN, sse: Infinity };
    for (let i = 0; i < RADIUS_STEPS; i++) {
      const si = solve(b, t, shape, exp(lnLo + i * lnStep), 0);
      if (si.sse < s0.sse) [lnR0, s0] = [lnLo + i * lnStep, si];
    }
    const pointed = s0.sse < Infinity ? refine(b, t, shape, { lnR: lnR0, f: 0, s: s0 }, lnStep, 0, lnLo, lnHi) : null;
    const chosen = pointed && pointed.s.sse <= flat.s.sse * (1 + PLATEAU_MIN_GAIN) + 1e-9 * t.n ? pointed : flat;
    alternatives.push({ shape, radiusKm: exp(chosen.lnR), flatness: chosen.f, heightM: chosen.s.h, sse: chosen.s.sse });
    const gaussian = alternatives[0];
    const preferGaussian = shape === 'polynomial' && gaussian?.shape === 'gaussian' && !(chosen.s.sse < (1 - BELL_MIN_GAIN) * gaussian.sse);
    if (!preferGaussian && (!best || chosen.s.sse < best.s.sse)) best = { shape, r: exp(chosen.lnR), f: chosen.f, s: chosen.s };
  }
  if (!best) return null;
  const { shape, r, f, s } = best;
  const dof = max(1, t.n - 4);
  const variance = s.sse / dof;
  // R's standard error from the curvature of SSE(ln R), c and H re-solved at each R (profiled)
  const d = 0.03;
  const up = solve(b, t, shape, r * exp(d), f).sse;
  const down = solve(b, t, shape, r * exp(-d), f).sse;
  const curvature = (up - 2 * s.sse + down) / (d * d);
  const radiusSdKm = curvature > 0 && Number.isFinite(curvature) ? r * sqrt((2 * variance) / curvature) : NaN;
  // c's standard error from the 2 × 2 normal equations at the optimum
  const { sg, sgg } = shapeSums(b, shape, r, f);
  const det = t.n * sgg - sg * sg;
  const offsetSdM = det > 0 ? sqrt((variance * sgg) / det) : NaN;
  const total = t.s2 - (t.s1 * t.s1) / t.n;
  return {
    shape,
    radiusKm: r,
    flatness: f,
    heightM: s.h,
    offsetM: s.c,
    residualSdM: sqrt(variance),
    radiusSdKm,
    offsetSdM,
    cells: t.n,
    sse: s.sse,
    alternatives,
    r2: total > 0 ? 1 - s.sse / total : NaN,
  };
}

/**
 * True when the chosen shape fits clearly better than every other: its residual sum of squares at most
 * `ratio` × theirs (an apex extrapolated from a shape the data do not single out is not trusted).
 *
 * @example clearlyBest(fit, 0.85)
 */
export function clearlyBest(fit: Pick<ProfileFit, 'shape' | 'sse' | 'alternatives'>, ratio: number): boolean {
  return fit.alternatives.every((a) => a.shape === fit.shape || fit.sse <= ratio * a.sse);
}

/**
 * The fitted profile's relief at equal-area radius ρ, m (above the regional plane the relief was taken from).
 *
 * @example profileAt(fit, 0) // fit.offsetM + fit.heightM: the top
 */
export function profileAt(fit: Pick<ProfileFit, 'shape' | 'radiusKm' | 'flatness' | 'heightM' | 'offsetM'>, rhoKm: number): number {
  return fit.offsetM + fit.heightM * shapeAt(fit.shape, rhoKm / fit.radiusKm, fit.flatness);
}
