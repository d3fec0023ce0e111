/**
 * The reconstruction-error field over scored windows (a point cloud on a km-regular plan, not a raster):
 * optional Gaussian low-pass over neighbouring windows, then the hits under the threshold.
 */
import type { ScoredWindow } from '../types.js';
import { GeoIndex } from './geo-index.js';
import { KM_PER_DEG } from '../base/geodesy.js';
const { cos, exp, hypot, round, sqrt } = Math;

/** σ of a Gaussian whose full width at half maximum is `fwhm`. */
export const sigmaOfFwhm = (fwhm: number): number => fwhm / (2 * sqrt(2 * Math.LN2));

export interface Hit {
  /** Index into the windows array given. */
  index: number;
  /** The (smoothed) error that put it under the threshold. */
  smoothedError: number;
}

/**
 * Windows whose error, low-passed with a Gaussian of full width at half maximum `smoothingKm` (0: raw
 * errors), lies under `threshold`, in input order. Only windows near a raw hit are smoothed: a weighted
 * mean can fall under the threshold only if one of its terms does, so the result is exact while the work
 * scales with the hits, not the whole plan.
 *
 * @example findHits(windows, 0.02, 8) // [{ index: 1041, smoothedError: 0.0183 }, ...]
 */
export function findHits(windows: readonly ScoredWindow[], threshold: number, smoothingKm: number, index?: GeoIndex): Hit[] {
  const n = windows.length;
  const raw = new Float64Array(n);
  for (let i = 0; i < n; i++) raw[i] = Number.isFinite(windows[i].error) ? windows[i].error : Infinity;
  if (smoothingKm <= 0) {
    const out: Hit[] = [];
    for (let i = 0; i < n; i++) if (raw[i] < threshold) out.push({ index: i, smoothedError: raw[i] });
    return out;
  }
  const geo =
    index ??
    new GeoIndex(
      windows.map((w) => w.lon),
      windows.map((w) => w.lat),
    );
  const sigma = sigmaOfFwhm(smoothingKm);
  const reach = 3 * sigma;
  // windows that can be hits: those within the kernel's reach of a raw hit
  const near = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (raw[i] >= threshold) continue;
    for (const j of geo.within(windows[i].lon, windows[i].lat, reach)) near[j] = 1;
  }
  const out: Hit[] = [];
  for (let i = 0; i < n; i++) {
    if (!near[i]) continue;
    let sw = 0;
    let swe = 0;
    for (const j of geo.within(windows[i].lon, windows[i].lat, reach)) {
      if (!Number.isFinite(raw[j])) continue;
      const d = planarKm(windows[i], windows[j]);
      const wgt = exp((-0.5 * d * d) / (sigma * sigma));
      sw += wgt;
      swe += wgt * raw[j];
    }
    const smoothed = sw > 0 ? swe / sw : Infinity;
    if (smoothed < threshold) out.push({ index: i, smoothedError: smoothed });
  }
  return out;
}

/** Equirectangular distance, km: plenty at smoothing scales and cheaper than the haversine. */
function planarKm(a: ScoredWindow, b: ScoredWindow): number {
  let dLon = b.lon - a.lon;
  dLon -= 360 * round(dLon / 360);
  const kmPerDeg = KM_PER_DEG;
  const x = dLon * kmPerDeg * cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
  const y = (b.lat - a.lat) * kmPerDeg;
  return hypot(x, y);
}
