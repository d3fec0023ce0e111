import { EARTH_RADIUS_KM } from '../base/geodesy.js';
/**
 * Spherical Lambert azimuthal equal-area projection (Snyder 1987, eqs. 24-2..24-4 and 20-14..20-18),
 * centred on (lon0, lat0). Each window is cut on the plane of its own centre, so a seamount keeps its
 * shape and area whatever its latitude.
 */

const DEG = Math.PI / 180;

/**
 * Geographic → plane, km east (x) and north (y) of the centre.
 *
 * @example laeaForward(0, 0, 1, 0) // [111.19..., 0]
 */
export function laeaForward(lon0: number, lat0: number, lon: number, lat: number): [xKm: number, yKm: number] {
  const phi0 = lat0 * DEG;
  const phi = lat * DEG;
  const dLambda = (lon - lon0) * DEG;
  const sinPhi0 = Math.sin(phi0);
  const cosPhi0 = Math.cos(phi0);
  const sinPhi = Math.sin(phi);
  const cosPhi = Math.cos(phi);
  const cosDl = Math.cos(dLambda);
  const denom = 1 + sinPhi0 * sinPhi + cosPhi0 * cosPhi * cosDl;
  // denom = 0 only at the antipode, which has no finite image
  if (denom <= 0) return [NaN, NaN];
  const k = Math.sqrt(2 / denom);
  return [EARTH_RADIUS_KM * k * cosPhi * Math.sin(dLambda), EARTH_RADIUS_KM * k * (cosPhi0 * sinPhi - sinPhi0 * cosPhi * cosDl)];
}

/**
 * Plane → geographic. The longitude returned is lon0 + Δλ with Δλ in (−180, 180], so longitudes stay
 * continuous around the centre (they may leave −180..180 near the antimeridian; wrap them if needed).
 *
 * @example laeaInverse(179.5, 10, 200, 0) // [~181.3, ~9.97]: continuous across the antimeridian
 */
export function laeaInverse(lon0: number, lat0: number, xKm: number, yKm: number): [lon: number, lat: number] {
  const rho = Math.hypot(xKm, yKm);
  if (rho === 0) return [lon0, lat0];
  if (rho > 2 * EARTH_RADIUS_KM) return [NaN, NaN];
  const phi0 = lat0 * DEG;
  const c = 2 * Math.asin(rho / (2 * EARTH_RADIUS_KM));
  const sinC = Math.sin(c);
  const cosC = Math.cos(c);
  const sinPhi0 = Math.sin(phi0);
  const cosPhi0 = Math.cos(phi0);
  const sinPhi = Math.min(1, Math.max(-1, cosC * sinPhi0 + (yKm * sinC * cosPhi0) / rho));
  const dLambda = Math.atan2(xKm * sinC, rho * cosPhi0 * cosC - yKm * sinPhi0 * sinC);
  return [lon0 + dLambda / DEG, Math.asin(sinPhi) / DEG];
}
