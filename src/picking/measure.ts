/**
 * Measurement of one seamount on the source grid: summit, regional depth, height, basal ellipse,
 * morphometry (volume, flank slope, plateau, class) and uncertainties, fit quality and prominence.
 *
 * How (docs/measurement.md has the why and the benchmark behind it):
 * 1. a robust regional plane of the disc and the summit (highest detrended cell near the start, then
 *    uphill);
 * 2. an elliptical Gaussian on a plane, fitted by Levenberg–Marquardt in a disc twice its 3 σ: its centre,
 *    azimuth and axis ratio, its plane and its R² (`fitR2`, evidence for the ranker);
 * 3. the relief above that plane averaged in rings of the Gaussian's elliptical shape (a radial profile)
 *    and fitted with a Gaussian, a cone and a paraboloid, each optionally flat-topped (profile.ts): the
 *    best fit's basal radius R and plateau, and the base's offset c from the plane;
 * 4. morphometry on the grid within the basal ellipse (morphometry.ts).
 *
 * Conventions:
 * - the basal ellipse is where the fitted shape meets the base: a cone's or paraboloid's foot, a
 *   Gaussian's 3 σ (1.1 % of its height left) — `gmt grdseamount`'s r0 for each shape; `radiusKm` = R
 *   = sqrt(majorKm × minorKm), the equal-area radius; `ellipse.majorKm` / `minorKm` are *semi*-axes,
 *   R·sqrt(σa/σb) and R·sqrt(σb/σa), at the Gaussian's azimuth (clockwise from north);
 *   `gaussianRadiusKm` is the Gaussian's own 3 sqrt(σa σb) (what radiusKm was before issue 28: on cones
 *   and paraboloids it is 1.3–1.5 × the base);
 * - `lon`, `lat` are the fitted Gaussian's centre (robust on flat tops and slopes) when the fit explains
 *   at least half the relief (R² ≥ 0.5), else the summit cell;
 * - `baseDepthM` is the regional plane under the centre lifted by the profile's base offset c;
 * - `summitDepthM` is the higher of the highest cell near the centre and the fitted shape's top (a cone's
 *   apex falls between the nodes of a coarse grid); `heightM` = summit − base, so a guyot's height is
 *   its plateau's;
 * - `prominenceM` = highest cell − the regional level, the Gaussian-weighted mean (σ = highpassKm / 6,
 *   the GMT `grdfilter -Fg` width convention) of the surroundings: the high-passed height of the summit;
 * - `heightSdM`, `radiusSdKm`: one standard deviation from the profile fit — formal errors scaled by how
 *   much the residuals' correlation between neighbouring cells reduces the independent data
 *   (`residualInflation`), the residuals' spread added to the height's (the summit is one cell).
 */
import type { GridSource, Seamount } from '../types.js';
import { fitEllipticalGaussian, type GaussianParams } from './gaussian-fit.js';
import { patchToLonLat, readPatchAround, type Patch } from './patch.js';
import { binProfile, clearlyBest, fitProfile, shapeAt, type ProfileFit } from './profile.js';
import { equalAreaRadius, morphometry, residualInflation, ringRadius, seamountClass, type EllipseFrame, type Plane } from './morphometry.js';
import { KM_PER_DEG, wrapLon180 } from '../base/geodesy.js';
const { abs, ceil, cos, exp, floor, hypot, log, max, min, round, sqrt } = Math;

export interface MeasureOptions {
  /** Radius around the pick used to find the summit's surroundings and fit the model, km. */
  measureRadiusKm: number;
  /** Wavelength of the regional trend removed for the prominence, km (0: prominence = height). */
  highpassKm: number;
  /** The summit is looked for within this distance of the given position, km (default 2 cells). */
  searchRadiusKm?: number;
  /**
   * Summits of neighbouring seamounts: cells nearer to one of them than to the given position are left
   * out of the fit, so a seamount's neighbour in a chain does not lift its plane or widen its Gaussian.
   */
  neighbours?: ReadonlyArray<{ lon: number; lat: number }>;
  /**
   * Skip the Gaussian fit (`measureOutcome` gives `lowReliefM`, `measureSeamount` null) when even the highest cell within an eighth of the disc (at least 3
   * cells) of the summit stands
   * less than this above the regional level at the summit: such a summit cannot pass a prominence guard a
   * comfortable margin above this value, and the fit is most of the cost of picking. Off when undefined.
   */
  prescreenProminenceM?: number;
}

/** The Seamount fields measurement fills in (documented in types.ts). */
export type MeasuredFields =
  | 'lon'
  | 'lat'
  | 'summitDepthM'
  | 'baseDepthM'
  | 'heightM'
  | 'radiusKm'
  | 'ellipse'
  | 'fitR2'
  | 'volumeKm3'
  | 'flankSlopeDeg'
  | 'plateauAreaKm2'
  | 'plateauShare'
  | 'flatTopped'
  | 'heightSdM'
  | 'radiusSdKm'
  | 'profileShape'
  | 'seamountClass';

/** A seamount's shape as measured on the grid (the Seamount fields documented in types.ts), plus its prominence. */
export type Measurement = Pick<Seamount, MeasuredFields> & {
  /** Highest cell − the Gaussian-weighted regional level (σ = highpassKm / 6), m; summit − base without a high-pass. */
  prominenceM: number;
  /** 3 sqrt(σa σb) of the fitted elliptical Gaussian, km: the basal radius before issue 28 (ranker evidence of older bundles). */
  gaussianRadiusKm: number;
};

/** The basal radius is this many σ of the fitted Gaussian (as in SyntheticGrid's RADIUS_IN_SIGMAS). */
export const BASAL_RADIUS_SIGMAS = 3;
/** Below this fit R² the position reported is the summit cell rather than the fitted centre. */
const CENTRE_MIN_R2 = 0.5;
/** The fitted shape's top is added above the highest cell only when the shape agrees with that cell within this share of the height. */
const APEX_AGREEMENT = 0.03;
/** ... and only when the shape fits clearly best: its residual sum of squares at most this share of any other shape's. */
const APEX_CLEAR_RATIO = 0.85;
/** The radial profile has rings half a cell wide, or wider so that there are at most this many. */
const MAX_RINGS = 60;
/** Points beyond this count are thinned (every k-th row and column) before fitting. */
const MAX_FIT_POINTS = 1500;

/**
 * Reads a patch around (lon, lat) (bounded: only the cells within max(measureRadiusKm, highpassKm/2)),
 * finds the summit near the given position, fits an elliptical 2-D Gaussian on a regional plane by
 * Levenberg–Marquardt and returns summit, base, height, ellipse, fit quality and prominence.
 * Returns null where the patch is all no-data (or off the grid).
 *
 * @example
 * const m = await measureSeamount(grid, -112.3, -45.1, { measureRadiusKm: 40, highpassKm: 100 });
 * m?.heightM; // summit − regional plane, m
 */
export async function measureSeamount(grid: GridSource, lon: number, lat: number, o: MeasureOptions): Promise<Measurement | null> {
  return measured(await measureOutcome(grid, lon, lat, o));
}

/**
 * What measuring found: a measurement, a summit the prescreen left unfitted (its crude prominence, m), or
 * null where the patch is all no-data.
 */
export type MeasureOutcome = { m: Measurement } | { lowReliefM: number } | null;

const measured = (r: MeasureOutcome): Measurement | null => (r && 'm' in r ? r.m : null);

/**
 * As `measureSeamount`, but says why there is no measurement: no data, or too little relief to be fitted
 * (`prescreenProminenceM`).
 *
 * @example
 * const r = await measureOutcome(grid, -112.3, -45.1, { measureRadiusKm: 30, highpassKm: 100, prescreenProminenceM: 150 });
 * if (r && 'lowReliefM' in r) console.log(`only ${r.lowReliefM} m of relief`);
 */
export async function measureOutcome(grid: GridSource, lon: number, lat: number, o: MeasureOptions): Promise<MeasureOutcome> {
  const cellKm = abs(grid.dLat) * KM_PER_DEG;
  const searchKm = o.searchRadiusKm ?? 2 * cellKm;
  const patch = await readPatchAround(grid, lon, lat, max(o.measureRadiusKm + searchKm, o.highpassKm / 2 + searchKm));
  if (!patch) return null;
  return measurePatchOutcome(patch, { ...o, searchRadiusKm: searchKm }, neighbourPoints(patch, o.neighbours));
}

/** Neighbours as local km points of the patch. */
function neighbourPoints(p: Patch, list: MeasureOptions['neighbours']): Array<[number, number]> {
  if (!list) return [];
  const cosLat = cos((p.centreLat * Math.PI) / 180);
  return list.map((n) => {
    let dLon = n.lon - p.centreLon;
    dLon -= 360 * round(dLon / 360);
    return [dLon * KM_PER_DEG * cosLat, (n.lat - p.centreLat) * KM_PER_DEG] as [number, number];
  });
}

/**
 * The numerics of `measureSeamount` on a patch already read (the patch centre is the start position);
 * `neighbours` are local km points whose Voronoi cells are left out.
 */
export function measurePatch(patch: Patch, o: MeasureOptions, neighbours: Array<[number, number]> = []): Measurement | null {
  return measured(measurePatchOutcome(patch, o, neighbours));
}

/** `measurePatch`, saying why there is no measurement (see MeasureOutcome). */
export function measurePatchOutcome(patch: Patch, o: MeasureOptions, neighbours: Array<[number, number]> = []): MeasureOutcome {
  const p = neighbours.length > 0 ? withoutNeighbours(patch, neighbours) : patch;
  const cellKm = max(min(p.cellXKm, p.cellYKm), 1e-6);
  const searchKm = o.searchRadiusKm ?? 2 * cellKm;
  const discKm = o.measureRadiusKm;

  // 1. regional plane of the disc, fitted to its lower three quarters so the seamount does not lift it
  const disc = cellsWithin(p, 0, 0, discKm + searchKm);
  if (disc.length === 0) return null;
  let plane = robustPlane(p, disc);

  // 2. summit: highest detrended cell near the start, then uphill on the detrended surface
  const detrended = (k: number) => p.values[k] - (plane[0] + plane[1] * p.xKm[k % p.w] + plane[2] * p.yKm[floor(k / p.w)]);
  let summit = -1;
  for (const k of cellsWithin(p, 0, 0, max(searchKm, cellKm))) if (summit < 0 || detrended(k) > detrended(summit)) summit = k;
  if (summit < 0) summit = disc.reduce((a, b) => (distance2(p, b, 0, 0) < distance2(p, a, 0, 0) ? b : a));
  summit = climb(p, summit, detrended, discKm / 2);
  const sx = p.xKm[summit % p.w];
  const sy = p.yKm[floor(summit / p.w)];
  const h0 = detrended(summit);
  if (o.prescreenProminenceM !== undefined && o.highpassKm > 0) {
    let top = p.values[summit];
    for (const k of cellsWithin(p, sx, sy, max(3 * cellKm, discKm / 8))) if (p.values[k] > top) top = p.values[k];
    const crude = top - regionalLevel(patch, sx, sy, o.highpassKm / 6);
    if (!(crude >= o.prescreenProminenceM)) return { lowReliefM: crude };
  }

  // 3. starting size from the area above half the summit's height (connected to the summit)
  const halfArea = floodArea(p, summit, (k) => detrended(k) > h0 / 2, discKm) * p.cellXKm * p.cellYKm;
  const sigma0 = max(sqrt(halfArea / (2 * Math.PI * Math.LN2)), cellKm / 2);

  // 4. fit in a disc twice the basal radius, re-centred and re-sized until it settles
  let params: GaussianParams = {
    amplitudeM: max(h0, 1),
    x0Km: sx,
    y0Km: sy,
    sigmaAKm: sigma0,
    sigmaBKm: sigma0,
    azimuthRad: 0,
    c0: plane[0],
    cx: plane[1],
    cy: plane[2],
  };
  let fitR2 = NaN;
  let fitRadius = 0;
  const minFitKm = max(6 * cellKm, searchKm);
  let ok = false;
  for (let pass = 0; pass < 4; pass++) {
    const radius = min(discKm, max(minFitKm, 2 * BASAL_RADIUS_SIGMAS * params.sigmaAKm));
    if (pass > 0 && abs(radius - fitRadius) < 0.1 * fitRadius) break;
    fitRadius = radius;
    const pts = fitPoints(p, params.x0Km, params.y0Km, radius);
    if (pts.x.length < 10) break;
    const weights = plateauWeights(p, pts, params, summit);
    const fit = fitEllipticalGaussian(pts.x, pts.y, pts.z, params, { weights, minSigmaKm: cellKm / 3, maxSigmaKm: discKm });
    const moved = hypot(fit.params.x0Km - sx, fit.params.y0Km - sy);
    // a pass that loses the bump (or wanders off) ends the refinement; an earlier good pass stands
    if (!(fit.params.amplitudeM > 0 && Number.isFinite(fit.r2) && moved <= radius)) break;
    ok = true;
    params = fit.params;
    fitR2 = fit.r2;
    plane = [params.c0, params.cx, params.cy];
  }
  if (!ok) {
    // no usable Gaussian: report the summit cell, the robust plane and the half-height size
    params = { ...params, x0Km: sx, y0Km: sy, sigmaAKm: sigma0, sigmaBKm: sigma0, azimuthRad: 0, c0: plane[0], cx: plane[1], cy: plane[2] };
    fitR2 = NaN;
  } else if (fitR2 < CENTRE_MIN_R2) {
    // a poor fit's centre wanders with the surrounding relief: the summit cell is the better position
    params = { ...params, x0Km: sx, y0Km: sy };
  }

  // 5. the highest cell within σb (at least 1.5 cells) of the centre
  const nearKm = max(1.5 * cellKm, min(params.sigmaBKm, discKm / 4));
  let highest = summit;
  for (const k of cellsWithin(p, params.x0Km, params.y0Km, nearKm)) if (p.values[k] > p.values[highest]) highest = k;
  const highestM = p.values[highest];

  // 6. the radial profile in rings of the Gaussian's shape, fitted with each seamount shape
  const fitPlane: Plane = [params.c0, params.cx, params.cy];
  const frame: EllipseFrame = { x0Km: params.x0Km, y0Km: params.y0Km, azimuthRad: params.azimuthRad, axisRatio: min(1, params.sigmaBKm / params.sigmaAKm) };
  const gaussianRadiusKm = BASAL_RADIUS_SIGMAS * sqrt(params.sigmaAKm * params.sigmaBKm);
  const extentKm = min(discKm, max(minFitKm, 2 * gaussianRadiusKm));
  const fit = profileFit(p, frame, fitPlane, extentKm, discKm + searchKm, cellKm, gaussianRadiusKm);
  const radiusKm = fit ? fit.radiusKm : gaussianRadiusKm;
  const offsetM = fit ? fit.offsetM : 0;
  const planeAtCentre = params.c0 + params.cx * params.x0Km + params.cy * params.y0Km;
  const baseDepthM = planeAtCentre + offsetM;
  const summitDepthM = highestM + (fit ? apexAboveCell(p, highest, frame, fitPlane, fit, cellKm) : 0);
  const heightM = summitDepthM - baseDepthM;

  // 7. morphometry and uncertainties
  const stretch = sqrt(1 / frame.axisRatio);
  const majorKm = radiusKm * stretch;
  const minorKm = radiusKm / stretch;
  const shape = fit
    ? morphometry(p, frame, fitPlane, fit, cellKm)
    : { volumeKm3: NaN, flankSlopeDeg: NaN, plateauAreaKm2: NaN, plateauShare: NaN, flatTopped: false };
  const inflation = fit ? residualInflation(p, frame, fitPlane, fit, extentKm) : NaN;
  const [lonC, latC] = patchToLonLat(p, params.x0Km, params.y0Km);
  const m: Measurement = {
    lon: wrapLon180(lonC),
    lat: latC,
    summitDepthM,
    baseDepthM,
    heightM,
    radiusKm,
    ellipse: { azimuthDeg: (params.azimuthRad * 180) / Math.PI, majorKm, minorKm },
    fitR2,
    ...shape,
    heightSdM: fit ? sqrt(inflation * fit.offsetSdM ** 2 + fit.residualSdM ** 2) : NaN,
    radiusSdKm: fit ? fit.radiusSdKm * sqrt(inflation) : NaN,
    profileShape: fit ? fit.shape : 'gaussian',
    seamountClass: seamountClass(heightM, summitDepthM, shape.flatTopped),
    // the regional level uses every cell, neighbours included: they are part of the surroundings
    prominenceM: o.highpassKm > 0 ? highestM - regionalLevel(patch, params.x0Km, params.y0Km, o.highpassKm / 6) : highestM - baseDepthM,
    gaussianRadiusKm,
  };
  return { m };
}

/**
 * How far the fitted shape's top stands above the highest cell, m: the shape's drop from its top to the
 * cell's ring, when the cell lies within a cell of the centre (a sharp top between the nodes: a cone's
 * apex on a coarse grid), the shape fits clearly better than the others, and it agrees with the cell
 * there (within 3 % of the height or the residuals' spread); else 0. A flat or rounded top drops little
 * there; a summit off the centre, or a top the shape does not follow, is the grid's own.
 */
function apexAboveCell(p: Patch, k: number, frame: EllipseFrame, plane: Plane, fit: ProfileFit, cellKm: number): number {
  const x = p.xKm[k % p.w];
  const y = p.yKm[floor(k / p.w)];
  if (hypot(x - frame.x0Km, y - frame.y0Km) > cellKm || !clearlyBest(fit, APEX_CLEAR_RATIO)) return 0;
  const g = shapeAt(fit.shape, equalAreaRadius(frame, x, y) / fit.radiusKm, fit.flatness);
  const observed = p.values[k] - (plane[0] + plane[1] * x + plane[2] * y) - fit.offsetM;
  if (!(Math.abs(observed - fit.heightM * g) <= max(APEX_AGREEMENT * fit.heightM, fit.residualSdM))) return 0;
  return fit.heightM * (1 - g);
}

/**
 * The radial profile of the relief above `plane` about the frame's centre, out to `extentKm` (equal-area
 * radius) and `discKm` (distance), in rings half a cell wide (at most MAX_RINGS), fitted with each shape
 * (profile.ts) for a basal radius between a quarter and twice the Gaussian's.
 */
function profileFit(
  p: Patch,
  frame: EllipseFrame,
  plane: Plane,
  extentKm: number,
  discKm: number,
  cellKm: number,
  gaussianRadiusKm: number,
): ProfileFit | null {
  const ring = ringRadius(frame);
  const cells = cellsWithin(p, frame.x0Km, frame.y0Km, discKm);
  const radius = new Float64Array(cells.length);
  const relief = new Float64Array(cells.length);
  let n = 0;
  for (const k of cells) {
    const x = p.xKm[k % p.w];
    const y = p.yKm[floor(k / p.w)];
    const rho = ring(x, y);
    if (rho > extentKm) continue;
    radius[n] = rho;
    relief[n] = p.values[k] - (plane[0] + plane[1] * x + plane[2] * y);
    n++;
  }
  const bins = binProfile(radius.subarray(0, n), relief.subarray(0, n), max(cellKm / 2, extentKm / MAX_RINGS), extentKm);
  const minRadiusKm = max(cellKm / 2, gaussianRadiusKm / 4);
  const maxRadiusKm = max(1.5 * minRadiusKm, min(0.95 * extentKm, 2 * gaussianRadiusKm));
  return fitProfile(bins, { minRadiusKm, maxRadiusKm });
}

/** A copy of the patch with NaN in the cells nearer to a neighbour than to the centre. */
function withoutNeighbours(p: Patch, neighbours: Array<[number, number]>): Patch {
  const values = p.values.slice();
  for (let j = 0; j < p.h; j++) {
    for (let i = 0; i < p.w; i++) {
      const d2 = p.xKm[i] ** 2 + p.yKm[j] ** 2;
      for (const [nx, ny] of neighbours) {
        if ((p.xKm[i] - nx) ** 2 + (p.yKm[j] - ny) ** 2 < d2) {
          values[j * p.w + i] = NaN;
          break;
        }
      }
    }
  }
  return { ...p, values };
}

/** Indices of valid cells within `radiusKm` of (xKm, yKm). */
function cellsWithin(p: Patch, xKm: number, yKm: number, radiusKm: number): number[] {
  const out: number[] = [];
  const r2 = radiusKm * radiusKm;
  for (let j = 0; j < p.h; j++) {
    const dy = p.yKm[j] - yKm;
    if (dy * dy > r2) continue;
    for (let i = 0; i < p.w; i++) {
      const dx = p.xKm[i] - xKm;
      const k = j * p.w + i;
      if (dx * dx + dy * dy <= r2 && !Number.isNaN(p.values[k])) out.push(k);
    }
  }
  return out;
}

const distance2 = (p: Patch, k: number, x: number, y: number): number => (p.xKm[k % p.w] - x) ** 2 + (p.yKm[floor(k / p.w)] - y) ** 2;

/** Least-squares plane [c0, cx, cy], refitted twice to the cells below its 75th residual percentile. */
function robustPlane(p: Patch, cells: number[]): [number, number, number] {
  let use = cells;
  let plane: [number, number, number] = [0, 0, 0];
  for (let it = 0; it < 3; it++) {
    plane = leastSquaresPlane(p, use);
    if (it === 2) break;
    const res = cells.map((k) => p.values[k] - (plane[0] + plane[1] * p.xKm[k % p.w] + plane[2] * p.yKm[floor(k / p.w)]));
    const cut = quantile(res, 0.75);
    use = cells.filter((_, i) => res[i] <= cut);
    if (use.length < 3) break;
  }
  return plane;
}

function leastSquaresPlane(p: Patch, cells: number[]): [number, number, number] {
  // normal equations for z = c0 + cx x + cy y, centred for conditioning
  let sx = 0;
  let sy = 0;
  let sz = 0;
  for (const k of cells) {
    sx += p.xKm[k % p.w];
    sy += p.yKm[floor(k / p.w)];
    sz += p.values[k];
  }
  const n = cells.length;
  const mx = sx / n;
  const my = sy / n;
  const mz = sz / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  let sxz = 0;
  let syz = 0;
  for (const k of cells) {
    const dx = p.xKm[k % p.w] - mx;
    const dy = p.yKm[floor(k / p.w)] - my;
    const dz = p.values[k] - mz;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
    sxz += dx * dz;
    syz += dy * dz;
  }
  const det = sxx * syy - sxy * sxy;
  if (!(abs(det) > 1e-12)) return [mz, 0, 0];
  const cx = (sxz * syy - syz * sxy) / det;
  const cy = (syz * sxx - sxz * sxy) / det;
  return [mz - cx * mx - cy * my, cx, cy];
}

function quantile(values: number[], q: number): number {
  const s = Float64Array.from(values).sort();
  return s[min(s.length - 1, floor(q * (s.length - 1)))];
}

/** Steepest ascent over the 8 neighbours, staying within `limitKm` of the patch centre. */
function climb(p: Patch, start: number, value: (k: number) => number, limitKm: number): number {
  let k = start;
  for (let guard = 0; guard < p.w * p.h; guard++) {
    const i = k % p.w;
    const j = floor(k / p.w);
    let best = k;
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const ii = i + di;
        const jj = j + dj;
        if (ii < 0 || jj < 0 || ii >= p.w || jj >= p.h) continue;
        const n = jj * p.w + ii;
        if (Number.isNaN(p.values[n]) || p.xKm[ii] ** 2 + p.yKm[jj] ** 2 > limitKm * limitKm) continue;
        if (value(n) > value(best)) best = n;
      }
    }
    if (best === k) return k;
    k = best;
  }
  return k;
}

/** Number of cells connected (4-neighbours) to `start` where `inside` holds, within `limitKm` of it. */
function floodArea(p: Patch, start: number, inside: (k: number) => boolean, limitKm: number): number {
  const seen = new Uint8Array(p.w * p.h);
  const stack = [start];
  seen[start] = 1;
  const sx = p.xKm[start % p.w];
  const sy = p.yKm[floor(start / p.w)];
  let count = 0;
  while (stack.length > 0) {
    const k = stack.pop() as number;
    count++;
    const i = k % p.w;
    const j = floor(k / p.w);
    const next = [i > 0 ? k - 1 : -1, i < p.w - 1 ? k + 1 : -1, j > 0 ? k - p.w : -1, j < p.h - 1 ? k + p.w : -1];
    for (const n of next) {
      if (n < 0 || seen[n]) continue;
      seen[n] = 1;
      if (Number.isNaN(p.values[n]) || !inside(n) || distance2(p, n, sx, sy) > limitKm * limitKm) continue;
      stack.push(n);
    }
  }
  return count;
}

interface FitPoints {
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  /** Every `step`-th row and column was kept. */
  step: number;
}

/** Valid cells within `radiusKm` of (x, y), thinned to at most MAX_FIT_POINTS. */
function fitPoints(p: Patch, x: number, y: number, radiusKm: number): FitPoints {
  let cells = cellsWithin(p, x, y, radiusKm);
  const step = cells.length > MAX_FIT_POINTS ? ceil(sqrt(cells.length / MAX_FIT_POINTS)) : 1;
  // thin on the grid's own cell positions, not the patch's: the same points whatever the patch's extent
  if (step > 1) cells = cells.filter((k) => (p.col0 + (k % p.w)) % step === 0 && (p.rowFromNorth0 + floor(k / p.w)) % step === 0);
  const out = { x: new Float64Array(cells.length), y: new Float64Array(cells.length), z: new Float64Array(cells.length), step };
  cells.forEach((k, n) => {
    out.x[n] = p.xKm[k % p.w];
    out.y[n] = p.yKm[floor(k / p.w)];
    out.z[n] = p.values[k];
  });
  return out;
}

/**
 * Weights that leave out a flat top: when many more cells stand within 3 % of the summit's height than a
 * Gaussian of the current size would have, the model cannot follow the plateau, so the fit uses the
 * flanks (cells below 90 % of the height) only. Undefined (all weights 1) when there is no plateau.
 */
function plateauWeights(p: Patch, pts: FitPoints, g: GaussianParams, summit: number): Float64Array | undefined {
  const planeAt = (x: number, y: number) => g.c0 + g.cx * x + g.cy * y;
  const hObs = p.values[summit] - planeAt(p.xKm[summit % p.w], p.yKm[floor(summit / p.w)]);
  if (!(hObs > 0)) return undefined;
  let nearTop = 0;
  for (let i = 0; i < pts.x.length; i++) if (pts.z[i] - planeAt(pts.x[i], pts.y[i]) >= 0.97 * hObs) nearTop++;
  const cellArea = p.cellXKm * p.cellYKm * pts.step * pts.step;
  // area where exp(−q/2) ≥ 0.97: q ≤ 2 ln(1/0.97)
  const expected = (Math.PI * g.sigmaAKm * g.sigmaBKm * 2 * log(1 / 0.97)) / cellArea;
  if (nearTop <= 3 * expected + 3) return undefined;
  const w = new Float64Array(pts.x.length);
  for (let i = 0; i < pts.x.length; i++) w[i] = pts.z[i] - planeAt(pts.x[i], pts.y[i]) < 0.9 * hObs ? 1 : 0;
  return w;
}

/** Gaussian-weighted mean of the valid cells around (x, y) (σ = sigmaKm, out to 3 σ): the regional level. */
function regionalLevel(p: Patch, x: number, y: number, sigmaKm: number): number {
  let sw = 0;
  let swz = 0;
  const r2max = 9 * sigmaKm * sigmaKm;
  for (let j = 0; j < p.h; j++) {
    const dy = p.yKm[j] - y;
    if (dy * dy > r2max) continue;
    for (let i = 0; i < p.w; i++) {
      const dx = p.xKm[i] - x;
      const d2 = dx * dx + dy * dy;
      const v = p.values[j * p.w + i];
      if (d2 > r2max || Number.isNaN(v)) continue;
      const wgt = exp((-0.5 * d2) / (sigmaKm * sigmaKm));
      sw += wgt;
      swz += wgt * v;
    }
  }
  return sw > 0 ? swz / sw : NaN;
}
