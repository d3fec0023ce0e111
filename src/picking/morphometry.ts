/**
 * Morphometry of a measured seamount on its patch of grid: volume above the base, mean flank slope,
 * summit plateau, uncertainties that allow for correlated residuals, and its class. Pure numerics; the
 * shape fit these start from is profile.ts's, the ellipse the Gaussian fit's (measure.ts).
 *
 * Conventions (docs/measurement.md):
 * - the basal ellipse has semi-axes R·sqrt(σa/σb) and R·sqrt(σb/σa): the fitted radius R as an
 *   equal-area radius, stretched as the Gaussian is; `equalAreaRadius` is a cell's ring radius in it;
 * - volume: the fitted shape's volume above the base inside the basal ellipse, plus Σ (z − base − shape) ×
 *   cell area over the cells with data there (signed, so noise cancels): the data's volume where there are
 *   data, the shape's where there are none (a neighbour's side, left out of the fit; beyond the grid's
 *   edge), so it does not depend on how far the grid extends;
 * - flank slope: mean of atan |∇(z − regional plane)| (central differences) over the cells between the
 *   plateau's edge and the base, degrees;
 * - plateau: π F² × major × minor, its share of the basal ellipse F² (F: plateau radius / basal radius);
 * - class (IHO 2008; Harris et al. 2014): island when the summit is above sea level, guyot when
 *   flat-topped and ≥ 1000 m tall, seamount ≥ 1000 m, knoll 500–1000 m, hill < 500 m.
 */
import type { Seamount } from '../types.js';
import type { Patch } from './patch.js';
import { profileAt, shapeAt, type ProfileFit } from './profile.js';
const { atan, cos, min, max, PI, sin, sqrt } = Math;

export type SeamountClass = Seamount['seamountClass'];

/** Relief (m) from which an edifice is a seamount, and from which it is a knoll (IHO 2008; Harris et al. 2014). */
export const SEAMOUNT_MIN_HEIGHT_M = 1000;
export const KNOLL_MIN_HEIGHT_M = 500;
/**
 * A top is flat (a guyot's) when its plateau is at least this share of the basal radius (Smith 1988's
 * flatness f; his surveyed Pacific seamounts cluster at 0.1–0.2 and 0.35–0.5) and at least
 * `PLATEAU_MIN_CELLS` cells across in radius, so a rounded or pixelated top is not called flat.
 */
export const FLAT_TOP_MIN_FLATNESS = 0.25;
export const PLATEAU_MIN_CELLS = 1.5;

/**
 * The class by relief, summit and top: `island` (summit above sea level), `guyot` (flat-topped, ≥ 1000 m),
 * `seamount` (≥ 1000 m), `knoll` (500–1000 m), `hill` (< 500 m).
 *
 * @example seamountClass(1200, -800, true) // 'guyot'
 */
export function seamountClass(heightM: number, summitDepthM: number, flatTopped: boolean): SeamountClass {
  if (summitDepthM > 0) return 'island';
  if (heightM >= SEAMOUNT_MIN_HEIGHT_M) return flatTopped ? 'guyot' : 'seamount';
  return heightM >= KNOLL_MIN_HEIGHT_M ? 'knoll' : 'hill';
}

/** The basal ellipse's frame: centre (patch km), azimuth of the major axis (radians clockwise from north), minor / major. */
export interface EllipseFrame {
  x0Km: number;
  y0Km: number;
  azimuthRad: number;
  axisRatio: number;
}

/**
 * The equal-area radius of the ring of the frame's shape through (x, y), km: sqrt(u²·k + v²/k) with u, v
 * along and across the major axis and k = minor / major (for a circle, the distance to the centre).
 *
 * @example equalAreaRadius({ x0Km: 0, y0Km: 0, azimuthRad: 0, axisRatio: 0.25 }, 0, 4) // 2: on the major axis
 */
export function equalAreaRadius(f: EllipseFrame, xKm: number, yKm: number): number {
  return ringRadius(f)(xKm, yKm);
}

/**
 * `equalAreaRadius` of a frame as a function of (x, y), its trigonometry done once (for loops over cells).
 *
 * @example const rho = ringRadius(frame); rho(3, 4)
 */
export function ringRadius(f: EllipseFrame): (xKm: number, yKm: number) => number {
  const s = sin(f.azimuthRad);
  const c = cos(f.azimuthRad);
  const k = f.axisRatio;
  const { x0Km, y0Km } = f;
  return (xKm, yKm) => {
    const dx = xKm - x0Km;
    const dy = yKm - y0Km;
    const u = dx * s + dy * c;
    const v = dx * c - dy * s;
    return sqrt(u * u * k + (v * v) / k);
  };
}

/** The regional plane z = c0 + cx·x + cy·y (m, m/km) the relief is measured from. */
export type Plane = [number, number, number];

export interface Morphometry {
  volumeKm3: number;
  flankSlopeDeg: number;
  plateauAreaKm2: number;
  plateauShare: number;
  flatTopped: boolean;
}

/**
 * Volume, flank slope and plateau of the fitted seamount on its patch. `fit` is the profile fit (its
 * offset lifts the plane to the base), `frame` the basal ellipse's.
 *
 * @example const m = morphometry(patch, frame, plane, fit, cellKm); m.volumeKm3
 */
export function morphometry(p: Patch, frame: EllipseFrame, plane: Plane, fit: ProfileFit, cellKm: number): Morphometry {
  const rKm = fit.radiusKm;
  const inner = fit.flatness * rKm;
  const reachKm = rKm / sqrt(frame.axisRatio); // the semi-major axis bounds the cells to visit
  const cellAreaKm2 = p.cellXKm * p.cellYKm;
  const ring = ringRadius(frame);
  let volume = shapeVolumeKm2M(fit);
  let slopeSum = 0;
  let slopeCells = 0;
  for (let j = 0; j < p.h; j++) {
    const y = p.yKm[j];
    if (Math.abs(y - frame.y0Km) > reachKm) continue;
    for (let i = 0; i < p.w; i++) {
      const x = p.xKm[i];
      if (Math.abs(x - frame.x0Km) > reachKm) continue;
      const rho = ring(x, y);
      if (rho > rKm) continue;
      const k = j * p.w + i;
      const z = p.values[k];
      if (Number.isNaN(z)) continue;
      // where there are data, what they add to (or take from) the fitted shape's volume
      volume += (z - (plane[0] + plane[1] * x + plane[2] * y) - profileAt(fit, rho)) * cellAreaKm2;
      if (rho <= inner) continue;
      const gx = derivative(p, i, j, 1, 0);
      const gy = derivative(p, i, j, 0, 1);
      if (!Number.isFinite(gx) || !Number.isFinite(gy)) continue;
      slopeSum += atan(Math.hypot(gx - plane[1], gy - plane[2]) / 1000);
      slopeCells++;
    }
  }
  const majorKm = reachKm;
  const minorKm = rKm * sqrt(frame.axisRatio);
  const flatTopped = fit.flatness >= FLAT_TOP_MIN_FLATNESS && inner >= PLATEAU_MIN_CELLS * cellKm;
  return {
    volumeKm3: volume / 1000,
    flankSlopeDeg: slopeCells > 0 ? ((slopeSum / slopeCells) * 180) / PI : NaN,
    plateauAreaKm2: PI * fit.flatness * fit.flatness * majorKm * minorKm,
    plateauShare: fit.flatness * fit.flatness,
    flatTopped,
  };
}

/**
 * The fitted shape's volume above its base inside the basal ellipse, km²·m: H · 2π R² ∫₀¹ g(t) t dt (the
 * ellipse has the area of the disc of radius R), by the midpoint rule.
 */
function shapeVolumeKm2M(fit: ProfileFit): number {
  const steps = 400;
  let integral = 0;
  for (let k = 0; k < steps; k++) {
    const t = (k + 0.5) / steps;
    integral += shapeAt(fit.shape, t, fit.flatness) * t;
  }
  return fit.heightM * 2 * PI * fit.radiusKm * fit.radiusKm * (integral / steps);
}

/** dz/dx (di = 1) or dz/dy (dj = 1) at cell (i, j), m/km: central difference, one-sided at an edge or beside no-data. */
function derivative(p: Patch, i: number, j: number, di: number, dj: number): number {
  const k = j * p.w + i;
  const step = dj * p.w + di;
  const forward = i + di < p.w && j + dj < p.h ? p.values[k + step] : NaN;
  const backward = i - di >= 0 && j - dj >= 0 ? p.values[k - step] : NaN;
  const c = di ? p.xKm : p.yKm;
  const at = di ? i : j;
  if (!Number.isNaN(forward) && !Number.isNaN(backward)) return (forward - backward) / (c[at + 1] - c[at - 1]);
  if (!Number.isNaN(forward)) return (forward - p.values[k]) / (c[at + 1] - c[at]);
  if (!Number.isNaN(backward)) return (p.values[k] - backward) / (c[at] - c[at - 1]);
  return NaN;
}

/** Largest factor by which correlated residuals inflate a variance (σ at most 10 × the formal one). */
const MAX_INFLATION = 100;

/**
 * How much neighbouring residuals' correlation inflates the fit's variances: ((1 + ρx)/(1 − ρx)) ×
 * ((1 + ρy)/(1 − ρy)), ρ the lag-one correlation of the residuals about the fitted profile along rows and
 * columns within `maxRhoKm` (a separable first-order autoregression: the effective number of independent
 * cells), 1 for white residuals, at most MAX_INFLATION.
 *
 * @example residualInflation(patch, frame, plane, fit, 30) // 1 on white noise, ~20 on abyssal hills at 1′
 */
export function residualInflation(p: Patch, frame: EllipseFrame, plane: Plane, fit: ProfileFit, maxRhoKm: number): number {
  // the cells within maxRhoKm lie within its semi-major axis of the centre: a window of the patch
  const reach = maxRhoKm / sqrt(frame.axisRatio);
  let i0 = p.w;
  let i1 = -1;
  for (let i = 0; i < p.w; i++) if (Math.abs(p.xKm[i] - frame.x0Km) <= reach) [i0, i1] = [min(i0, i), i];
  let j0 = p.h;
  let j1 = -1;
  for (let j = 0; j < p.h; j++) if (Math.abs(p.yKm[j] - frame.y0Km) <= reach) [j0, j1] = [min(j0, j), j];
  if (i1 < i0 || j1 < j0) return 1;
  const w = i1 - i0 + 1;
  const h = j1 - j0 + 1;
  const res = new Float64Array(w * h).fill(NaN);
  const ring = ringRadius(frame);
  for (let j = 0; j < h; j++) {
    const y = p.yKm[j0 + j];
    for (let i = 0; i < w; i++) {
      const x = p.xKm[i0 + i];
      const z = p.values[(j0 + j) * p.w + i0 + i];
      if (Number.isNaN(z)) continue;
      const rho = ring(x, y);
      if (rho > maxRhoKm) continue;
      res[j * w + i] = z - (plane[0] + plane[1] * x + plane[2] * y) - profileAt(fit, rho);
    }
  }
  const lagOne = (di: number, dj: number): number => {
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let j = 0; j + dj < h; j++) {
      for (let i = 0; i + di < w; i++) {
        const a = res[j * w + i];
        const b = res[(j + dj) * w + i + di];
        if (Number.isNaN(a) || Number.isNaN(b)) continue;
        sab += a * b;
        saa += a * a;
        sbb += b * b;
      }
    }
    return saa > 0 && sbb > 0 ? min(0.9, max(0, sab / sqrt(saa * sbb))) : 0;
  };
  const factor = (r: number) => (1 + r) / (1 - r);
  return min(MAX_INFLATION, factor(lagOne(1, 0)) * factor(lagOne(0, 1)));
}
