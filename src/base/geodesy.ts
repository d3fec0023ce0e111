/**
 * The sphere every stage measures on: one Earth radius, kilometres per degree, longitude wrapping and
 * great-circle distance. Pure functions.
 */

/** Mean Earth radius (IUGG R1), km: the sphere of every projection, distance and cell size. */
export const EARTH_RADIUS_KM = 6371.0088;
/** Kilometres per degree of latitude (of longitude at the equator) on that sphere. */
export const KM_PER_DEG = (EARTH_RADIUS_KM * Math.PI) / 180;

const { asin, cos, min, sin, sqrt } = Math;
const DEG = Math.PI / 180;

/**
 * Degrees of longitude spanning `km` at latitude `latDeg` (kept finite near the poles).
 *
 * @example lonDegreesOfKm(KM_PER_DEG, 60) // → 2
 */
export const lonDegreesOfKm = (km: number, latDeg: number): number => km / (KM_PER_DEG * Math.max(Math.cos((latDeg * Math.PI) / 180), 1e-3));

/**
 * Wraps a longitude into [−180, 180) by arithmetic, whatever its value (180 becomes −180). For positions
 * computed on grids.
 *
 * @example wrapLon180(190) // → -170
 */
export function wrapLon180(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

/**
 * Wraps a longitude into [−180, 180], leaving one already there untouched, bit for bit (180 stays 180):
 * for longitudes read from or written to catalogues.
 *
 * @example normaliseLon(190) // → -170
 */
export function normaliseLon(lon: number): number {
  if (lon >= -180 && lon <= 180) return lon;
  return wrapLon180(lon);
}

/**
 * Great-circle (haversine) distance, km, on the sphere of EARTH_RADIUS_KM. Any longitude convention;
 * the antimeridian is no edge.
 *
 * @example greatCircleKm(179.9, 0, -179.9, 0) // 22.24 (0.2° of the equator)
 */
export function greatCircleKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * DEG;
  const dLon = (lon2 - lon1) * DEG;
  const a = sin(dLat / 2) ** 2 + cos(lat1 * DEG) * cos(lat2 * DEG) * sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * asin(min(1, sqrt(a)));
}
