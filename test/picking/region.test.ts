/**
 * pointsRegion: the box around a set of points that picking searches for seed peaks, across the
 * antimeridian and round the globe.
 */
import { pointsRegion } from '../../src/picking/region.js';
import { KM_PER_DEG } from '../../src/base/geodesy.js';

describe('pointsRegion', () => {
  it('bounds the points, padded by a distance', () => {
    const r = pointsRegion([10, 12, 11], [-5, 5, 0], KM_PER_DEG)!;
    expect(r.south).toBeCloseTo(-6, 9);
    expect(r.north).toBeCloseTo(6, 9);
    // 1° of latitude at 6° is a little more than 1° of longitude
    expect(r.west).toBeCloseTo(10 - 1 / Math.cos((6 * Math.PI) / 180), 9);
    expect(r.east).toBeCloseTo(12 + 1 / Math.cos((6 * Math.PI) / 180), 9);
  });

  it('takes the short way across the antimeridian (west > east)', () => {
    expect(pointsRegion([179.5, -179.5, 180.2], [10, 11, 10.5], 0)).toEqual({ west: 179.5, east: -179.5, south: 10, north: 11 });
    // the same points in 0..360 longitudes
    expect(pointsRegion([179.5, 180.5, 180.2], [10, 11, 10.5], 0)).toEqual({ west: 179.5, east: -179.5, south: 10, north: 11 });
  });

  it('gives every longitude to points round the globe, and null to no points', () => {
    const lons = Array.from({ length: 36 }, (_, i) => -180 + 10 * i);
    expect(
      pointsRegion(
        lons,
        lons.map(() => 70),
        300,
      ),
    ).toEqual({ west: -180, east: 180, south: 70 - 300 / KM_PER_DEG, north: 70 + 300 / KM_PER_DEG });
    expect(pointsRegion([], [], 10)).toBeNull();
  });
});
