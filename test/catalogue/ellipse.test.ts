/** The basal ellipse as a lon/lat ring: its size, area and direction on the sphere, and the antimeridian cut. */
import { describe, expect, it } from '@jest/globals';
import { KM_PER_DEG } from '../../src/base/geodesy.js';
import { basalEllipseRing, drawableEllipse, splitAtAntimeridian, type LonLat } from '../../src/catalogue/ellipse.js';
import { axisDifferenceDeg, bearingDeg, greatCircleKm, sphericalRingAreaKm2 } from './export-fixtures.js';

const at = (lon: number, lat: number, azimuthDeg: number, majorKm: number, minorKm: number) => ({ lon, lat, ellipse: { azimuthDeg, majorKm, minorKm } });

/** Area of the N-gon inscribed in an ellipse at equal parameter steps: (N/2)·a·b·sin(2π/N). */
const inscribedAreaKm2 = (n: number, a: number, b: number): number => (n / 2) * a * b * Math.sin((2 * Math.PI) / n);

describe('basalEllipseRing', () => {
  it('a 10 km circle at the equator: 64 vertices 10 km out, area π·100 km², closed and counter-clockwise', () => {
    const ring = basalEllipseRing(at(0, 0, 0, 10, 10))!;
    expect(ring).toHaveLength(65);
    expect(ring[64]).toEqual(ring[0]);
    for (const [lon, lat] of ring) expect(greatCircleKm(0, 0, lon, lat)).toBeCloseTo(10, 6);
    const area = sphericalRingAreaKm2(ring);
    expect(area).toBeGreaterThan(0); // counter-clockwise
    expect(Math.abs(area / inscribedAreaKm2(64, 10, 10) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(area / (Math.PI * 100) - 1)).toBeLessThan(0.002); // a 64-gon holds 99.84 % of the circle
  });

  it('keeps its area in km² at 80° N (degrees of longitude are 5.8 times shorter there)', () => {
    const ring = basalEllipseRing(at(10, 80, 135, 25, 10))!;
    const area = sphericalRingAreaKm2(ring);
    expect(Math.abs(area / inscribedAreaKm2(64, 25, 10) - 1)).toBeLessThan(1e-3);
    const lons = ring.map((p) => p[0]);
    // east–west extent of the ellipse: 2·sqrt(a² sin² az + b² cos² az) = 38.1 km, which at 80° N is 1.97° of
    // longitude (0.34° at the equator)
    const widthKm = 2 * Math.hypot(25 * Math.sin((135 * Math.PI) / 180), 10 * Math.cos((135 * Math.PI) / 180));
    const widthDeg = widthKm / (KM_PER_DEG * Math.cos((80 * Math.PI) / 180));
    expect(Math.abs((Math.max(...lons) - Math.min(...lons)) / widthDeg - 1)).toBeLessThan(0.01);
  });

  it.each([
    [0, 0],
    [30, 0],
    [90, 0],
    [135, -45],
    [179, 20],
    [30, 80],
    [90, -80],
  ])('the major axis points along azimuth %p° (clockwise from north) at latitude %p°', (azimuth, lat) => {
    const c = at(-30, lat, azimuth, 20, 8);
    const ring = basalEllipseRing(c, 360)!;
    const dist = ring.map(([lon, la]) => greatCircleKm(c.lon, c.lat, lon, la));
    const far = dist.indexOf(Math.max(...dist));
    const near = dist.indexOf(Math.min(...dist));
    expect(dist[far]).toBeCloseTo(20, 6);
    expect(dist[near]).toBeCloseTo(8, 6);
    expect(axisDifferenceDeg(bearingDeg(c.lon, c.lat, ring[far][0], ring[far][1]), azimuth)).toBeLessThan(0.01);
    expect(axisDifferenceDeg(bearingDeg(c.lon, c.lat, ring[near][0], ring[near][1]), azimuth + 90)).toBeLessThan(0.01);
    // the first vertex is the major axis's end along the azimuth itself (not the opposite end)
    const off = bearingDeg(c.lon, c.lat, ring[0][0], ring[0][1]) - azimuth;
    expect(Math.abs((((off % 360) + 540) % 360) - 180)).toBeLessThan(0.01);
  });

  it('stays continuous across the antimeridian: longitudes pass 180 rather than jump', () => {
    const ring = basalEllipseRing(at(179.95, -20, 90, 30, 12))!;
    const lons = ring.map((p) => p[0]);
    expect(Math.max(...lons)).toBeGreaterThan(180);
    expect(Math.min(...lons)).toBeLessThan(180);
    expect(Math.max(...lons) - Math.min(...lons)).toBeLessThan(1);
    expect(sphericalRingAreaKm2(ring)).toBeCloseTo(inscribedAreaKm2(64, 30, 12), 0);
  });

  it('wraps the centre into [-180, 180): 180 and 540 draw the ring of -180', () => {
    const ring = basalEllipseRing(at(-180, 5, 10, 5, 3))!;
    expect(basalEllipseRing(at(180, 5, 10, 5, 3))).toEqual(ring);
    const far = basalEllipseRing(at(540, 5, 10, 5, 3))!;
    far.forEach((p, k) => {
      expect(p[0]).toBeCloseTo(ring[k][0], 9);
      expect(p[1]).toBeCloseTo(ring[k][1], 9);
    });
  });

  it('draws nothing for an ellipse it cannot draw', () => {
    expect(basalEllipseRing(at(0, 0, NaN, NaN, NaN))).toBeNull();
    expect(basalEllipseRing(at(0, 0, 0, 10, 0))).toBeNull();
    expect(basalEllipseRing(at(0, 0, 0, -1, 1))).toBeNull();
    expect(basalEllipseRing(at(0, 89.9, 0, 20, 10))).toBeNull(); // 11 km from the pole: would wrap round it
    expect(drawableEllipse(at(0, 89.5, 0, 20, 10))).toBe(true); // 56 km from it
    expect(() => basalEllipseRing(at(0, 0, 0, 1, 1), 2)).toThrow(/≥ 3/);
  });
});

describe('splitAtAntimeridian', () => {
  const inRange = (parts: LonLat[][]): boolean => parts.every((r) => r.every(([lon]) => lon >= -180 && lon <= 180));
  const closed = (r: LonLat[]): boolean => r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1];

  it('leaves a ring inside [-180, 180] whole (a copy)', () => {
    const ring = basalEllipseRing(at(-155, 19.5, 30, 15, 9))!;
    const parts = splitAtAntimeridian(ring);
    expect(parts).toEqual([ring]);
    expect(parts[0]).not.toBe(ring);
  });

  it.each([
    ['east past +180', 179.95, -20],
    ['west past -180', -179.97, 10],
  ])('cuts a ring running %s in two, each closed, counter-clockwise and in range, with the area kept', (_what, lon, lat) => {
    const ring = basalEllipseRing(at(lon, lat, 80, 30, 12))!;
    const parts = splitAtAntimeridian(ring);
    expect(parts).toHaveLength(2);
    expect(inRange(parts)).toBe(true);
    for (const r of parts) {
      expect(closed(r)).toBe(true);
      expect(sphericalRingAreaKm2(r)).toBeGreaterThan(0);
    }
    const [west, east] = parts;
    expect(Math.max(...west.map((p) => p[0]))).toBe(180); // the west part ends at +180 …
    expect(Math.min(...east.map((p) => p[0]))).toBe(-180); // … the east part starts at -180
    const total = sphericalRingAreaKm2(west) + sphericalRingAreaKm2(east);
    expect(Math.abs(total / sphericalRingAreaKm2(ring) - 1)).toBeLessThan(1e-3);
  });
});
