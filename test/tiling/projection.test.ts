import { laeaForward, laeaInverse } from '../../src/tiling/projection.js';
import { EARTH_RADIUS_KM } from '../../src/base/geodesy.js';

const DEG = Math.PI / 180;

/** Great-circle distance, km (haversine). */
function distanceKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const a = Math.sin(((lat2 - lat1) * DEG) / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(((lon2 - lon1) * DEG) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(a));
}

describe('Lambert azimuthal equal-area', () => {
  const centres: [number, number][] = [
    [0, 0],
    [-110, -45],
    [179.9, 60],
    [-179.9, -72],
    [200, 30],
    [0, 84.9],
  ];

  test.each(centres)('inverse undoes forward around (%p, %p)', (lon0, lat0) => {
    for (const [x, y] of [
      [0, 0],
      [40, -25],
      [-150, 150],
      [500, 300],
      [-1000, -800],
    ]) {
      const [lon, lat] = laeaInverse(lon0, lat0, x, y);
      const [x2, y2] = laeaForward(lon0, lat0, lon, lat);
      expect(x2).toBeCloseTo(x, 6);
      expect(y2).toBeCloseTo(y, 6);
    }
  });

  test('distances from the centre are true to within 0.1 % at 200 km (azimuthal)', () => {
    for (const [lon0, lat0] of centres) {
      for (const az of [0, 45, 90, 200, 300]) {
        const x = 200 * Math.sin(az * DEG);
        const y = 200 * Math.cos(az * DEG);
        const [lon, lat] = laeaInverse(lon0, lat0, x, y);
        expect(Math.abs(distanceKm(lon0, lat0, lon, lat) - 200)).toBeLessThan(0.2);
      }
    }
  });

  test('preserves area: a 1 km square on the plane covers 1 km² on the sphere, at any latitude', () => {
    for (const [lon0, lat0] of centres) {
      // a small square 300 km from the centre (where a conformal or equidistant plane would distort)
      const x = 180;
      const y = -240;
      const h = 1e-3;
      const [l00, p00] = laeaInverse(lon0, lat0, x, y);
      const [l10, p10] = laeaInverse(lon0, lat0, x + h, y);
      const [l01, p01] = laeaInverse(lon0, lat0, x, y + h);
      // sphere metric: dA = R² cos(lat) dλ dφ
      const jac = (l10 - l00) * (p01 - p00) - (l01 - l00) * (p10 - p00);
      const areaKm2 = Math.abs(jac) * DEG * DEG * EARTH_RADIUS_KM ** 2 * Math.cos(p00 * DEG);
      expect(areaKm2 / (h * h)).toBeCloseTo(1, 4);
    }
  });

  test('north is up and east is right at the centre', () => {
    const [xE, yE] = laeaForward(30, 60, 30.01, 60);
    expect(xE).toBeGreaterThan(0);
    expect(Math.abs(yE)).toBeLessThan(1e-3);
    const [xN, yN] = laeaForward(30, 60, 30, 60.01);
    expect(Math.abs(xN)).toBeLessThan(1e-9);
    expect(yN).toBeCloseTo(0.01 * DEG * EARTH_RADIUS_KM, 4);
  });

  test('longitudes stay continuous across the antimeridian', () => {
    const [lonE, latE] = laeaInverse(179.5, -20, 200, 0);
    const [lonW] = laeaInverse(-179.5, -20, -200, 0);
    expect(lonE).toBeGreaterThan(180);
    expect(lonW).toBeLessThan(-180);
    // the same point named in the other convention projects to the same place
    const [x, y] = laeaForward(179.5, -20, lonE - 360, latE);
    expect(x).toBeCloseTo(200, 6);
    expect(y).toBeCloseTo(0, 6);
  });
});
