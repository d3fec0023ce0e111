/**
 * Synthetic picks whose truth the export tests know, and the sphere arithmetic they check rings with
 * (written here from the formulas, not taken from the code under test).
 */
import type { Seamount } from '../../src/types.js';
import { EARTH_RADIUS_KM, greatCircleKm } from '../../src/base/geodesy.js';
import { MORPHOMETRY } from '../support/morphometry-fixture.js';

export const pick = (id: string, lon: number, lat: number, over: Partial<Seamount> = {}): Seamount => ({
  id,
  lon,
  lat,
  summitDepthM: -1234.56,
  baseDepthM: -4321.04,
  heightM: 3086.48,
  radiusKm: Math.sqrt(15 * 9),
  ellipse: { azimuthDeg: 45, majorKm: 15, minorKm: 9 },
  fitR2: 0.91234,
  reconstructionError: 0.0123456789,
  confidence: 0.987654,
  windows: 7,
  ...MORPHOMETRY,
  ...over,
});

/** Five picks: Hawaii-like, across the antimeridian both ways, an island near 80° N, and a failed fit. */
export const FIXTURES: Seamount[] = [
  pick('SMT-000001', -155.123456, 19.5, { ellipse: { azimuthDeg: 30, majorKm: 15, minorKm: 9 } }),
  pick('SMT-000002', 179.95, -20, { ellipse: { azimuthDeg: 90, majorKm: 30, minorKm: 12 }, radiusKm: Math.sqrt(360), confidence: 0.5 }),
  pick('SMT-000003', -179.97, 10, { ellipse: { azimuthDeg: 80, majorKm: 20, minorKm: 10 }, radiusKm: Math.sqrt(200) }),
  pick('SMT-000004', 10, 80, {
    island: true,
    summitDepthM: 120.4,
    heightM: 3200.2,
    baseDepthM: -3079.8,
    ellipse: { azimuthDeg: 135, majorKm: 25, minorKm: 10 },
    radiusKm: Math.sqrt(250),
  }),
  pick('SMT-000005', 0.5, -0.25, { ellipse: { azimuthDeg: NaN, majorKm: NaN, minorKm: NaN }, radiusKm: NaN, fitR2: NaN }),
];

const DEG = Math.PI / 180;

/** Initial great-circle bearing from a to b, degrees clockwise from north, 0..360. */
export function bearingDeg(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const [p1, p2, dl] = [lat1 * DEG, lat2 * DEG, (lon2 - lon1) * DEG];
  const y = Math.sin(dl) * Math.cos(p2);
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
  return (((Math.atan2(y, x) / DEG) % 360) + 360) % 360;
}

/** Smallest difference of two axis directions (defined modulo 180°), degrees. */
export const axisDifferenceDeg = (a: number, b: number): number => {
  const d = Math.abs((((a - b) % 180) + 180) % 180);
  return Math.min(d, 180 - d);
};

/**
 * Area of a closed lon/lat ring on the sphere, km², signed: positive counter-clockwise (the ring's edges
 * taken straight on the cylindrical equal-area map, exact enough for rings of short edges).
 */
export function sphericalRingAreaKm2(ring: ReadonlyArray<readonly [number, number]>): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [l1, p1] = ring[i];
    const [l2, p2] = ring[i + 1];
    sum += (l2 - l1) * DEG * (Math.sin(p1 * DEG) + Math.sin(p2 * DEG));
  }
  return (-sum / 2) * EARTH_RADIUS_KM ** 2; // ∮ y dx = −area for a counter-clockwise ring
}

export { greatCircleKm };
