/**
 * One-to-one matching of picks to reference seamounts by great-circle distance (base/geodesy.ts).
 */
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { EARTH_RADIUS_KM, greatCircleKm, normaliseLon } from '../base/geodesy.js';

/** geokdbush measures on a sphere of 6371 km: a radius in our km, scaled onto its sphere for around(). */
const toGeokdbushKm = (km: number): number => km * (6371 / EARTH_RADIUS_KM);

export interface Match {
  /** Index into the picks array. */
  pick: number;
  /** Index into the reference array. */
  ref: number;
  distanceKm: number;
}

export interface LonLat {
  lon: number;
  lat: number;
}

/** A geokdbush-ready index of points (lon wrapped into −180..180). */
export function pointIndex(points: readonly LonLat[]): KDBush {
  const index = new KDBush(Math.max(1, points.length));
  for (const p of points) index.add(normaliseLon(p.lon), p.lat);
  if (points.length === 0) index.add(0, 0); // kdbush cannot hold zero items; callers filter by count
  return index.finish();
}

/**
 * All pick–reference pairs within `toleranceKm` (inclusive), each as a Match. The spatial index
 * finds candidates with a little slack; `greatCircleKm` decides, so the tolerance edge is exact.
 */
export function pairsWithin(picks: readonly LonLat[], refs: readonly LonLat[], toleranceKm: number): Match[] {
  if (!(toleranceKm >= 0)) throw new Error(`matching tolerance must be >= 0 km, got ${toleranceKm}`);
  const pairs: Match[] = [];
  if (picks.length === 0 || refs.length === 0) return pairs;
  const index = pointIndex(refs);
  const searchKm = toleranceKm * (1 + 1e-9) + 1e-9;
  picks.forEach((p, pick) => {
    for (const ref of around(index, normaliseLon(p.lon), p.lat, Infinity, toGeokdbushKm(searchKm))) {
      const r = refs[ref];
      const distanceKm = greatCircleKm(p.lon, p.lat, r.lon, r.lat);
      if (distanceKm <= toleranceKm) pairs.push({ pick, ref, distanceKm });
    }
  });
  return pairs;
}

/**
 * One-to-one matching: all pairs within `toleranceKm` (inclusive) sorted by distance, ties by pick
 * index then reference index, accepted greedily while neither end is taken. Deterministic for a
 * given input order. Returns the matches in acceptance order (nearest first).
 *
 * @example
 * matchOneToOne([{ lon: 0, lat: 0 }, { lon: 0.1, lat: 0 }], [{ lon: 0.09, lat: 0 }], 25)
 * // [{ pick: 1, ref: 0, distanceKm: 1.11 }]: the nearer pick wins, pick 0 stays unmatched
 */
export function matchOneToOne(picks: readonly LonLat[], refs: readonly LonLat[], toleranceKm: number): Match[] {
  const pairs = pairsWithin(picks, refs, toleranceKm);
  pairs.sort((a, b) => a.distanceKm - b.distanceKm || a.pick - b.pick || a.ref - b.ref);
  const pickTaken = new Uint8Array(picks.length);
  const refTaken = new Uint8Array(refs.length);
  const out: Match[] = [];
  for (const m of pairs) {
    if (pickTaken[m.pick] || refTaken[m.ref]) continue;
    pickTaken[m.pick] = 1;
    refTaken[m.ref] = 1;
    out.push(m);
  }
  return out;
}

/**
 * Nearest reference to each point within `maxKm` (Infinity for none in range): index and distance.
 */
export function nearestWithin(points: readonly LonLat[], refs: readonly LonLat[], maxKm: number): Array<{ ref: number; distanceKm: number } | null> {
  if (refs.length === 0) return points.map(() => null);
  const index = pointIndex(refs);
  return points.map((p) => {
    const found = around(index, normaliseLon(p.lon), p.lat, 1, toGeokdbushKm(maxKm));
    if (found.length === 0) return null;
    const r = refs[found[0]];
    return { ref: found[0], distanceKm: greatCircleKm(p.lon, p.lat, r.lon, r.lat) };
  });
}
