/**
 * Synthetic inputs whose truth is known: a km-regular window plan like the tiler's (rows of constant
 * latitude strideKm apart, centres strideKm apart along each row) and error fields made from the
 * planted seamounts.
 */
import type { PlantedSeamount } from '../support/synthetic-grid.js';
import type { Region, ScoredWindow } from '../../src/types.js';
import { KM_PER_DEG, greatCircleKm } from '../../src/base/geodesy.js';

/** Window centres over a region on the km-regular plan (columns do not line up between rows). */
export function planCentres(r: Region, strideKm: number): Array<{ id: number; lon: number; lat: number }> {
  const out: Array<{ id: number; lon: number; lat: number }> = [];
  const dLat = strideKm / KM_PER_DEG;
  for (let lat = r.south; lat <= r.north + 1e-9; lat += dLat) {
    const dLon = strideKm / (KM_PER_DEG * Math.cos((lat * Math.PI) / 180));
    const n = Math.floor((r.east - r.west) / dLon);
    const offset = (r.east - r.west - n * dLon) / 2;
    for (let i = 0; i <= n; i++) out.push({ id: out.length, lon: r.west + offset + i * dLon, lat });
  }
  return out;
}

/** Error = low on planted seamounts, rising linearly with the distance to the nearest one (saturates). */
export function distanceErrors(
  centres: Array<{ id: number; lon: number; lat: number }>,
  seamounts: PlantedSeamount[],
  o: { minError: number; maxError: number; rangeKm: number },
): ScoredWindow[] {
  return centres.map((c) => {
    let d = Infinity;
    for (const s of seamounts) d = Math.min(d, greatCircleKm(c.lon, c.lat, s.lon, s.lat));
    const f = Math.min(1, d / o.rangeKm);
    return { ...c, error: o.minError + f * (o.maxError - o.minError) };
  });
}

/** Deterministic shuffle (Fisher–Yates with a linear congruential generator). */
export function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
