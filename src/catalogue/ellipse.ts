/**
 * The basal ellipse of a seamount as a lon/lat polygon, for the GIS exports (GeoPackage, GeoJSON).
 * Why a module of its own: every polygon export draws the same ring, so they agree vertex for vertex.
 *
 * The ring is drawn with proper spherical offsets: each vertex lies at its great-circle distance and
 * bearing from the summit (an azimuthal-equidistant placement on the sphere of `KM_PER_DEG`), so the
 * ellipse keeps its shape and area in km at any latitude (80° N included), not only at the equator.
 *
 * Antimeridian: the centre's longitude is wrapped into [−180, 180) and the ring stays *continuous*
 * around it, so a ring near the seam may run past ±180 (e.g. 179.9 … 180.2). GIS programs (GDAL, QGIS)
 * draw such a ring where it belongs; RFC 7946 (GeoJSON) asks instead that it be cut in two at the
 * antimeridian, which `splitAtAntimeridian` does.
 */
import type { BasalEllipse } from '../types.js';
import { KM_PER_DEG, wrapLon180 } from '../base/geodesy.js';

/** A position, `[lon, lat]` in degrees (RFC 7946 order). */
export type LonLat = [number, number];

/** Vertices of a ring unless told otherwise. */
export const DEFAULT_ELLIPSE_VERTICES = 64;

const DEG = Math.PI / 180;

/**
 * True when the ellipse can be drawn: finite position, finite azimuth, finite positive semi-axes, and
 * not reaching a pole (a ring round a pole has no sensible lon/lat polygon).
 *
 * @example drawableEllipse({ lon: 0, lat: 0, ellipse: { azimuthDeg: 0, majorKm: NaN, minorKm: 1 } }) // false
 */
export function drawableEllipse(s: { lon: number; lat: number; ellipse: BasalEllipse }): boolean {
  const { azimuthDeg, majorKm, minorKm } = s.ellipse;
  if (![s.lon, s.lat, azimuthDeg, majorKm, minorKm].every(Number.isFinite)) return false;
  if (majorKm <= 0 || minorKm <= 0 || Math.abs(s.lat) > 90) return false;
  const poleDistanceKm = (90 - Math.abs(s.lat)) * KM_PER_DEG;
  return Math.max(majorKm, minorKm) < poleDistanceKm;
}

/**
 * The basal ellipse as a closed ring: `vertices + 1` positions (the last repeats the first), counter-
 * clockwise seen from above (RFC 7946 exterior), the first vertex at the end of the major axis along
 * `azimuthDeg` (clockwise from north). Longitudes are continuous around the centre, which is wrapped into
 * [−180, 180): they may pass ±180 near the antimeridian (see the module comment). `majorKm` and
 * `minorKm` are semi-axes. Null when `drawableEllipse` says no.
 *
 * @example
 * const ring = basalEllipseRing({ lon: 0, lat: 0, ellipse: { azimuthDeg: 90, majorKm: 10, minorKm: 5 } });
 * ring![0]; // ≈ [0.08993, 0]: 10 km east of the summit
 */
export function basalEllipseRing(s: { lon: number; lat: number; ellipse: BasalEllipse }, vertices: number = DEFAULT_ELLIPSE_VERTICES): LonLat[] | null {
  if (!Number.isInteger(vertices) || vertices < 3) throw new RangeError(`an ellipse ring needs an integer ≥ 3 vertices, not ${vertices}`);
  if (!drawableEllipse(s)) return null;
  const { azimuthDeg, majorKm, minorKm } = s.ellipse;
  const lon0 = wrapLon180(s.lon);
  const lat0 = s.lat * DEG;
  const sinLat0 = Math.sin(lat0);
  const cosLat0 = Math.cos(lat0);
  const sinAz = Math.sin(azimuthDeg * DEG);
  const cosAz = Math.cos(azimuthDeg * DEG);
  const ring: LonLat[] = [];
  for (let k = 0; k < vertices; k++) {
    const t = (2 * Math.PI * k) / vertices;
    const a = majorKm * Math.cos(t);
    const b = minorKm * Math.sin(t);
    // major axis unit vector (east, north) = (sin az, cos az); minor = it turned 90° counter-clockwise
    const eastKm = a * sinAz - b * cosAz;
    const northKm = a * cosAz + b * sinAz;
    const distance = (Math.hypot(eastKm, northKm) / KM_PER_DEG) * DEG; // angular distance, radians
    const bearing = Math.atan2(eastKm, northKm);
    const sinLat = sinLat0 * Math.cos(distance) + cosLat0 * Math.sin(distance) * Math.cos(bearing);
    const lat = Math.asin(Math.max(-1, Math.min(1, sinLat)));
    const dLon = Math.atan2(Math.sin(bearing) * Math.sin(distance) * cosLat0, Math.cos(distance) - sinLat0 * sinLat);
    ring.push([lon0 + dLon / DEG, lat / DEG]);
  }
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

/** Sutherland–Hodgman clip of a closed ring to one side of the meridian `lon = lineLon`. */
function clipRing(ring: readonly LonLat[], lineLon: number, keepWest: boolean): LonLat[] {
  const inside = (p: LonLat): boolean => (keepWest ? p[0] <= lineLon : p[0] >= lineLon);
  const out: LonLat[] = [];
  const push = (p: LonLat): void => {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  };
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i];
    const b = ring[i + 1];
    if (inside(a)) push(a);
    if (inside(a) !== inside(b)) {
      const f = (lineLon - a[0]) / (b[0] - a[0]);
      push([lineLon, a[1] + f * (b[1] - a[1])]);
    }
  }
  if (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  if (out.length < 3) return [];
  out.push([out[0][0], out[0][1]]);
  return out;
}

/**
 * Cuts a continuous ring (as from `basalEllipseRing`) at the antimeridian, as RFC 7946 §3.1.9 asks: one
 * ring when it stays within [−180, 180], else two, the part past the seam shifted by 360° so every
 * longitude lies in [−180, 180] (the cut edge at +180 on the west part and −180 on the east part).
 * Winding is kept. Edge crossings are interpolated linearly in lon/lat (exact enough for ellipses of
 * tens of km drawn with dozens of vertices).
 *
 * @example splitAtAntimeridian([[179.9, 0], [180.1, 0], [180.1, 0.1], [179.9, 0]]).length // 2
 */
export function splitAtAntimeridian(ring: readonly LonLat[]): LonLat[][] {
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (const [lon] of ring) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
  }
  const copy = (r: readonly LonLat[]): LonLat[] => r.map(([x, y]) => [x, y]);
  if (minLon >= -180 && maxLon <= 180) return [copy(ring)];
  if (maxLon - minLon >= 360) throw new RangeError('a ring spanning 360° of longitude cannot be cut at the antimeridian');
  const line = maxLon > 180 ? 180 : -180;
  const shift = line === 180 ? -360 : 360;
  const west = clipRing(ring, line, true);
  const east = clipRing(ring, line, false);
  // the part on the far side of the seam (east of +180 or west of −180) is the one shifted
  const moved = (r: LonLat[]): LonLat[] => r.map(([x, y]) => [x + shift, y]);
  const parts = line === 180 ? [west, moved(east)] : [moved(west), east];
  return parts.filter((r) => r.length >= 4);
}
