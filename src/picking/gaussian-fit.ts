/**
 * Least-squares fit of an elliptical 2-D Gaussian on a regional plane (Levenberg–Marquardt), the
 * seamount model of Kim & Wessel (2011). Pure numerics over typed arrays; coordinates are local km
 * (x east, y north) and values metres.
 *
 *   z(x, y) = c0 + cx·x + cy·y + A·exp(−q/2),   q = (u/σa)² + (v/σb)²
 *   u = (x − x0)·sin θ + (y − y0)·cos θ   (along the major axis, azimuth θ clockwise from north)
 *   v = (x − x0)·cos θ − (y − y0)·sin θ   (across it)
 */
const { abs, cos, exp, log, max, min, sin, sqrt } = Math;

/** Parameters of the model. σ are standard deviations, km; azimuth in radians clockwise from north. */
export interface GaussianParams {
  amplitudeM: number;
  x0Km: number;
  y0Km: number;
  sigmaAKm: number;
  sigmaBKm: number;
  azimuthRad: number;
  /** Plane: c0 + cx·x + cy·y (m, m/km, m/km). */
  c0: number;
  cx: number;
  cy: number;
}

export interface GaussianFitResult {
  params: GaussianParams;
  /**
   * Share of the variance left after removing the fitted plane that the Gaussian explains:
   * 1 − Σ residual² / Σ (z − plane)². Measures "is this a Gaussian bump", not "is the floor tilted".
   */
  r2: number;
  /** Root-mean-square residual, m. */
  rmsM: number;
  iterations: number;
  converged: boolean;
}

export interface GaussianFitOptions {
  /** Points with weight 0 are ignored (e.g. the plateau of a guyot); default all 1. */
  weights?: Float64Array;
  maxIterations?: number;
  /** σ are kept within these bounds, km (they stop a flat or needle-thin fit from running away). */
  minSigmaKm?: number;
  maxSigmaKm?: number;
}

const NP = 9; // A, x0, y0, ln σa, ln σb, θ, c0, cx, cy

/**
 * Fits the model to points (x[i], y[i], z[i]) from a starting guess.
 *
 * @example
 * const fit = fitEllipticalGaussian(xs, ys, zs, { amplitudeM: 500, x0Km: 0, y0Km: 0, sigmaAKm: 3,
 *   sigmaBKm: 3, azimuthRad: 0, c0: -4000, cx: 0, cy: 0 });
 * fit.params.sigmaAKm; // major-axis σ, km (σa ≥ σb on return)
 */
export function fitEllipticalGaussian(x: Float64Array, y: Float64Array, z: Float64Array, start: GaussianParams, o: GaussianFitOptions = {}): GaussianFitResult {
  const w = o.weights;
  const minLnS = log(o.minSigmaKm ?? 1e-3);
  const maxLnS = log(o.maxSigmaKm ?? 1e4);
  const maxIter = o.maxIterations ?? 60;
  let p = toVector(start);
  clampSigmas(p, minLnS, maxLnS);
  let cost = sumSquares(x, y, z, w, p);
  let lambda = 1e-3;
  const jtj = new Float64Array(NP * NP);
  const jtr = new Float64Array(NP);
  const row = new Float64Array(NP);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIter; iterations++) {
    accumulateNormalEquations(p, x, y, z, w, jtj, jtr, row);
    for (let a = 0; a < NP; a++) for (let b = 0; b < a; b++) jtj[b * NP + a] = jtj[a * NP + b];
    // try steps with growing damping until the cost drops
    let improved = false;
    for (let tries = 0; tries < 12; tries++) {
      const step = solveDamped(jtj, jtr, lambda);
      if (!step) {
        lambda *= 10;
        continue;
      }
      const q = p.slice();
      for (let a = 0; a < NP; a++) q[a] += step[a];
      clampSigmas(q, minLnS, maxLnS);
      const c = sumSquares(x, y, z, w, q);
      if (c < cost) {
        const relativeDrop = (cost - c) / max(cost, 1e-30);
        p = q;
        cost = c;
        lambda = max(lambda / 10, 1e-12);
        improved = true;
        if (relativeDrop < 1e-7) converged = true;
        break;
      }
      lambda *= 10;
    }
    if (!improved) {
      converged = true; // no downhill step left: a minimum within numerical precision
      break;
    }
    if (converged) break;
  }
  const params = fromVector(p);
  return { params, ...fitQuality(x, y, z, w, params), iterations, converged };
}

/** Model value at (x, y). */
export function gaussianModel(p: GaussianParams, x: number, y: number): number {
  return p.c0 + p.cx * x + p.cy * y + p.amplitudeM * exp(-0.5 * quadratic(p, x, y));
}

/** q = (u/σa)² + (v/σb)² at (x, y): 0 at the centre, 9 on the basal ellipse (radius = 3σ). */
export function quadratic(p: GaussianParams, x: number, y: number): number {
  const dx = x - p.x0Km;
  const dy = y - p.y0Km;
  const s = sin(p.azimuthRad);
  const c = cos(p.azimuthRad);
  const u = dx * s + dy * c;
  const v = dx * c - dy * s;
  return (u * u) / (p.sigmaAKm * p.sigmaAKm) + (v * v) / (p.sigmaBKm * p.sigmaBKm);
}

function fitQuality(x: Float64Array, y: Float64Array, z: Float64Array, w: Float64Array | undefined, p: GaussianParams): { r2: number; rmsM: number } {
  let ssRes = 0;
  let ssBump = 0;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    if (w && w[i] === 0) continue;
    const plane = p.c0 + p.cx * x[i] + p.cy * y[i];
    const r = z[i] - gaussianModel(p, x[i], y[i]);
    ssRes += r * r;
    ssBump += (z[i] - plane) * (z[i] - plane);
    count++;
  }
  return { r2: ssBump > 0 ? 1 - ssRes / ssBump : NaN, rmsM: count > 0 ? sqrt(ssRes / count) : NaN };
}

function toVector(g: GaussianParams): Float64Array {
  return Float64Array.from([g.amplitudeM, g.x0Km, g.y0Km, log(g.sigmaAKm), log(g.sigmaBKm), g.azimuthRad, g.c0, g.cx, g.cy]);
}

/** Vector → params, ordered so that σa ≥ σb and the azimuth lies in [0, π). */
function fromVector(p: Float64Array): GaussianParams {
  let sa = exp(p[3]);
  let sb = exp(p[4]);
  let az = p[5];
  if (sb > sa) {
    [sa, sb] = [sb, sa];
    az += Math.PI / 2;
  }
  az %= Math.PI;
  if (az < 0) az += Math.PI;
  return { amplitudeM: p[0], x0Km: p[1], y0Km: p[2], sigmaAKm: sa, sigmaBKm: sb, azimuthRad: az, c0: p[6], cx: p[7], cy: p[8] };
}

function clampSigmas(p: Float64Array, lo: number, hi: number): void {
  p[3] = min(hi, max(lo, p[3]));
  p[4] = min(hi, max(lo, p[4]));
}

/** Fills the lower triangle of JᵀWJ and JᵀWr at parameters p (per-iteration constants hoisted). */
function accumulateNormalEquations(
  p: Float64Array,
  x: Float64Array,
  y: Float64Array,
  z: Float64Array,
  w: Float64Array | undefined,
  jtj: Float64Array,
  jtr: Float64Array,
  jac: Float64Array,
): void {
  jtj.fill(0);
  jtr.fill(0);
  const amp = p[0];
  const x0 = p[1];
  const y0 = p[2];
  const ia2 = exp(-2 * p[3]);
  const ib2 = exp(-2 * p[4]);
  const s = sin(p[5]);
  const c = cos(p[5]);
  const dab = ia2 - ib2;
  for (let i = 0; i < x.length; i++) {
    const wi = w ? w[i] : 1;
    if (wi === 0) continue;
    const dx = x[i] - x0;
    const dy = y[i] - y0;
    const u = dx * s + dy * c;
    const v = dx * c - dy * s;
    const g = exp(-0.5 * (u * u * ia2 + v * v * ib2));
    const G = amp * g;
    jac[0] = g;
    jac[1] = G * (u * s * ia2 + v * c * ib2);
    jac[2] = G * (u * c * ia2 - v * s * ib2);
    jac[3] = G * u * u * ia2;
    jac[4] = G * v * v * ib2;
    jac[5] = -G * u * v * dab;
    jac[6] = 1;
    jac[7] = x[i];
    jac[8] = y[i];
    const r = z[i] - (p[6] + p[7] * x[i] + p[8] * y[i] + G);
    for (let a = 0; a < NP; a++) {
      const ja = jac[a] * wi;
      jtr[a] += ja * r;
      for (let b = 0; b <= a; b++) jtj[a * NP + b] += ja * jac[b];
    }
  }
}

function sumSquares(x: Float64Array, y: Float64Array, z: Float64Array, w: Float64Array | undefined, p: Float64Array): number {
  const ia2 = exp(-2 * p[3]);
  const ib2 = exp(-2 * p[4]);
  const s = sin(p[5]);
  const c = cos(p[5]);
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const wi = w ? w[i] : 1;
    if (wi === 0) continue;
    const dx = x[i] - p[1];
    const dy = y[i] - p[2];
    const u = dx * s + dy * c;
    const v = dx * c - dy * s;
    const r = z[i] - (p[6] + p[7] * x[i] + p[8] * y[i] + p[0] * exp(-0.5 * (u * u * ia2 + v * v * ib2)));
    ss += wi * r * r;
  }
  return ss;
}

/** Solves (JᵀJ + λ·diag(JᵀJ)) δ = Jᵀr by Gaussian elimination with partial pivoting; null if singular. */
function solveDamped(jtj: Float64Array, jtr: Float64Array, lambda: number): Float64Array | null {
  const m = new Float64Array(NP * (NP + 1));
  for (let a = 0; a < NP; a++) {
    for (let b = 0; b < NP; b++) m[a * (NP + 1) + b] = jtj[a * NP + b];
    // Marquardt's scaling, with a floor so a parameter without support (σ of a zero-amplitude bump) stays put
    m[a * (NP + 1) + a] += lambda * max(jtj[a * NP + a], 1e-12);
    m[a * (NP + 1) + NP] = jtr[a];
  }
  for (let col = 0; col < NP; col++) {
    let pivot = col;
    for (let r = col + 1; r < NP; r++) if (abs(m[r * (NP + 1) + col]) > abs(m[pivot * (NP + 1) + col])) pivot = r;
    const pv = m[pivot * (NP + 1) + col];
    if (!Number.isFinite(pv) || abs(pv) < 1e-300) return null;
    if (pivot !== col) {
      for (let k = 0; k <= NP; k++) {
        const t = m[col * (NP + 1) + k];
        m[col * (NP + 1) + k] = m[pivot * (NP + 1) + k];
        m[pivot * (NP + 1) + k] = t;
      }
    }
    for (let r = col + 1; r < NP; r++) {
      const f = m[r * (NP + 1) + col] / pv;
      if (f === 0) continue;
      for (let k = col; k <= NP; k++) m[r * (NP + 1) + k] -= f * m[col * (NP + 1) + k];
    }
  }
  const out = new Float64Array(NP);
  for (let r = NP - 1; r >= 0; r--) {
    let s = m[r * (NP + 1) + NP];
    for (let k = r + 1; k < NP; k++) s -= m[r * (NP + 1) + k] * out[k];
    out[r] = s / m[r * (NP + 1) + r];
    if (!Number.isFinite(out[r])) return null;
  }
  return out;
}
