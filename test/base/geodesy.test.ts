import { EARTH_RADIUS_KM, KM_PER_DEG, greatCircleKm, normaliseLon, wrapLon180 } from '../../src/base/geodesy.js';

describe('the sphere', () => {
  it('has one radius, IUGG R1, and its km per degree', () => {
    expect(EARTH_RADIUS_KM).toBe(6371.0088);
    expect(KM_PER_DEG).toBeCloseTo(111.19508, 5);
  });
});

describe('greatCircleKm', () => {
  it('gives known distances on the sphere', () => {
    expect(greatCircleKm(0, 0, 0, 90)).toBeCloseTo((Math.PI / 2) * EARTH_RADIUS_KM, 6);
    expect(greatCircleKm(0, 0, 180, 0)).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
    expect(greatCircleKm(10, 20, 10, 20)).toBe(0);
    // one degree of latitude
    expect(greatCircleKm(-40, 10, -40, 11)).toBeCloseTo(KM_PER_DEG, 9);
  });

  it('does not care about the longitude convention or the antimeridian', () => {
    const d = greatCircleKm(179.9, 0, -179.9, 0);
    expect(d).toBeCloseTo(0.2 * KM_PER_DEG, 6);
    expect(greatCircleKm(179.9, 0, 180.1, 0)).toBeCloseTo(d, 9);
    expect(greatCircleKm(-170, 5, 190, 5)).toBeCloseTo(0, 9);
  });
});

describe('longitude wrapping', () => {
  it('wrapLon180 maps every longitude into [-180, 180)', () => {
    expect(wrapLon180(190)).toBeCloseTo(-170, 12);
    expect(wrapLon180(180)).toBe(-180);
    expect(wrapLon180(-180)).toBe(-180);
    expect(wrapLon180(-540)).toBe(-180);
    expect(wrapLon180(359.5)).toBeCloseTo(-0.5, 12);
  });

  it('normaliseLon leaves [-180, 180] untouched, bit for bit, and wraps the rest', () => {
    for (const lon of [-180, -112.01238, 0, 0.1, 179.99999, 180]) expect(normaliseLon(lon)).toBe(lon);
    expect(normaliseLon(190)).toBeCloseTo(-170, 12);
    expect(normaliseLon(-190)).toBeCloseTo(170, 12);
    expect(normaliseLon(NaN)).toBeNaN();
  });
});
