import { SyntheticGrid, type PlantedSeamount } from '../support/synthetic-grid.js';
import { measureSeamount } from '../../src/picking/measure.js';
import type { GridSource, PixelWindow } from '../../src/types.js';
import { KM_PER_DEG } from '../../src/base/geodesy.js';
const DEG = Math.PI / 180;
const opts = { measureRadiusKm: 40, highpassKm: 100, searchRadiusKm: 6 };

/** A 1′ grid around 45° S (cells 1.31 km east-west, 1.85 km north-south) with the given seamounts. */
function gridWith(seamounts: PlantedSeamount[], extra: Partial<ConstructorParameters<typeof SyntheticGrid>[0]> = {}): SyntheticGrid {
  return new SyntheticGrid({
    width: 301,
    height: 241,
    lon0: -115,
    dLon: 1 / 60,
    lat0: -43,
    dLat: -1 / 60,
    baseDepthM: -4000,
    slopeMPerKm: [2, -1.5],
    seamounts,
    ...extra,
  });
}

/** The start position: 3 km north-east of the planted centre, as a window centre would be. */
const offset = (s: PlantedSeamount): [number, number] => [s.lon + 2 / (KM_PER_DEG * Math.cos(s.lat * DEG)), s.lat + 2 / KM_PER_DEG];

const cases: Array<[string, PlantedSeamount]> = [
  ['small Gaussian', { lon: -112.5, lat: -45, heightM: 500, radiusKm: 6 }],
  ['mid Gaussian', { lon: -112.47, lat: -44.98, heightM: 1500, radiusKm: 12 }],
  ['large Gaussian', { lon: -112.5, lat: -45.02, heightM: 3000, radiusKm: 25 }],
  ['elliptical 2:1 at 30°', { lon: -112.5, lat: -45, heightM: 1200, radiusKm: 14, aspect: 0.5, azimuthDeg: 30 }],
  ['elliptical 3:2 at 120°', { lon: -112.5, lat: -45, heightM: 800, radiusKm: 10, aspect: 2 / 3, azimuthDeg: 120 }],
  ['flat-topped at 60 %', { lon: -112.5, lat: -45, heightM: 2000, radiusKm: 18, flatTopFraction: 0.6 }],
  ['flat-topped at 80 %', { lon: -112.51, lat: -45.01, heightM: 1500, radiusKm: 12, flatTopFraction: 0.8 }],
];

describe('measureSeamount on planted seamounts', () => {
  it.each(cases)('%s: position within a cell, height within 10 %%, radius within 20 %%', async (_name, s) => {
    const grid = gridWith([s], { fabric: { amplitudeM: 20, wavelengthKm: 9 } });
    const m = await measureSeamount(grid, ...offset(s), opts);
    expect(m).not.toBeNull();
    if (!m) return;
    expect(Math.abs(m.lon - s.lon)).toBeLessThanOrEqual(grid.dLon);
    expect(Math.abs(m.lat - s.lat)).toBeLessThanOrEqual(Math.abs(grid.dLat));
    const trueHeight = s.heightM * (s.flatTopFraction ?? 1);
    expect(Math.abs(m.heightM - trueHeight) / trueHeight).toBeLessThan(0.1);
    const trueRadius = s.radiusKm * Math.sqrt(s.aspect ?? 1); // sqrt(major × minor) semi-axes
    expect(Math.abs(m.radiusKm - trueRadius) / trueRadius).toBeLessThan(0.2);
    expect(Math.abs(m.ellipse.majorKm - s.radiusKm) / s.radiusKm).toBeLessThan(0.2);
    expect(m.fitR2).toBeGreaterThan(0.9);
    // prominence: the summit above a Gaussian low-pass (σf = 100 km / 6) that also averages in some of
    // the seamount itself: H·σf²/(σs² + σf²) for a Gaussian bump (less for a guyot's broad top)
    const sf2 = (100 / 6) ** 2;
    const ss2 = (s.radiusKm / 3) ** 2 * (s.aspect ?? 1);
    const expected = trueHeight * (sf2 / (ss2 + sf2));
    expect(m.prominenceM).toBeGreaterThan(0.85 * expected);
    expect(m.prominenceM).toBeLessThanOrEqual(m.heightM + 20);
    // base depth: the regional surface under the centre (−4000 m + slope at the planted position)
    const eastKm = (s.lon - grid.lon0 - 150 / 60) * KM_PER_DEG * Math.cos(s.lat * DEG);
    const northKm = (s.lat - (grid.lat0 - 120 / 60)) * KM_PER_DEG;
    expect(Math.abs(m.baseDepthM - (-4000 + 2 * eastKm - 1.5 * northKm))).toBeLessThan(0.1 * trueHeight);
    if (s.aspect && s.aspect < 0.9) {
      const dAz = Math.abs(((((m.ellipse.azimuthDeg - (s.azimuthDeg ?? 0) + 90) % 180) + 180) % 180) - 90);
      expect(dAz).toBeLessThan(5);
      expect(m.ellipse.minorKm / m.ellipse.majorKm).toBeCloseTo(s.aspect, 1);
    }
  });

  it('measures the two members of a pair 1.5 radii apart when each is told of the other', async () => {
    const dLon = 15 / (KM_PER_DEG * Math.cos(45 * DEG));
    const a: PlantedSeamount = { lon: -112.6, lat: -45, heightM: 1000, radiusKm: 10 };
    const b: PlantedSeamount = { lon: -112.6 + dLon, lat: -45, heightM: 900, radiusKm: 10 };
    const grid = gridWith([a, b]);
    for (const [s, other] of [
      [a, b],
      [b, a],
    ]) {
      const m = await measureSeamount(grid, s.lon, s.lat, { ...opts, searchRadiusKm: 2, neighbours: [other] });
      expect(m).not.toBeNull();
      expect(Math.abs((m?.lon ?? 0) - s.lon)).toBeLessThanOrEqual(grid.dLon);
      expect(Math.abs((m?.heightM ?? 0) - s.heightM) / s.heightM).toBeLessThan(0.1);
      expect(Math.abs((m?.radiusKm ?? 0) - 10) / 10).toBeLessThan(0.2);
    }
  });

  it('returns null where the patch is all no-data', async () => {
    const grid = gridWith([], { nodata: (lon) => lon > -113.5 });
    expect(await measureSeamount(grid, -112.5, -45, opts)).toBeNull();
  });

  it('returns null off the grid', async () => {
    expect(await measureSeamount(gridWith([]), -100, -45, opts)).toBeNull();
  });

  it('reads only the cells around the position', async () => {
    const grid = gridWith([cases[1][1]]);
    let cells = 0;
    const counting: GridSource = Object.assign(Object.create(grid) as SyntheticGrid, {
      read: (w: PixelWindow) => {
        cells += w.w * w.h;
        return grid.read(w);
      },
    });
    await measureSeamount(counting, -112.47, -44.98, opts);
    // a 2 × 56 km square at 1.31 × 1.85 km cells, not the 301 × 241 grid
    expect(cells).toBeGreaterThan(0);
    expect(cells).toBeLessThan(((2 * 56) / 1.31 + 2) * ((2 * 56) / 1.85 + 2));
  });

  it('works on a south-up grid and across the antimeridian of a global periodic grid', async () => {
    const s: PlantedSeamount = { lon: 179.97, lat: -30, heightM: 1200, radiusKm: 15 };
    // 2′ cells, all longitudes, rows stored south to north
    const grid = new SyntheticGrid({ width: 10800, height: 301, lon0: 0, dLon: 1 / 30, lat0: -35, dLat: 1 / 30, baseDepthM: -4500, seamounts: [s] });
    expect(grid.periodicLon).toBe(true);
    const m = await measureSeamount(grid, -179.95, -29.97, opts);
    expect(m).not.toBeNull();
    if (!m) return;
    expect(m.lon).toBeGreaterThanOrEqual(-180);
    expect(m.lon).toBeLessThanOrEqual(180);
    expect(Math.abs(((m.lon - s.lon + 540) % 360) - 180)).toBeLessThanOrEqual(grid.dLon);
    expect(Math.abs(m.lat - s.lat)).toBeLessThanOrEqual(grid.dLat);
    expect(Math.abs(m.heightM - 1200) / 1200).toBeLessThan(0.1);
    expect(Math.abs(m.radiusKm - 15) / 15).toBeLessThan(0.2);
  });
});
