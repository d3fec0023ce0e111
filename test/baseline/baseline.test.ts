import { loadConfig } from '../../src/config/index.js';
import { findHighpassPeaks, gaussianBaseline, highpassBand, peakProminenceBaseline } from '../../src/baseline/index.js';
import { SyntheticGrid, type PlantedSeamount, TEST_FLOOR_1M } from '../support/synthetic-grid.js';
import type { Seamount } from '../../src/types.js';
import { materialise, type MemoryGrid } from '../support/memory-grid.js';
import { KM_PER_DEG, greatCircleKm } from '../../src/base/geodesy.js';
const east = (km: number, lat: number) => km / (KM_PER_DEG * Math.cos((lat * Math.PI) / 180));

const planted: PlantedSeamount[] = [
  { lon: -113.3, lat: -44.4, heightM: 1500, radiusKm: 12 },
  { lon: -111.8, lat: -44.5, heightM: 900, radiusKm: 9, aspect: 0.5, azimuthDeg: 140 },
  { lon: -110.6, lat: -45.2, heightM: 2000, radiusKm: 20 },
  { lon: -113.0, lat: -46.3, heightM: 600, radiusKm: 6 },
  { lon: -112.0, lat: -46.0, heightM: 1000, radiusKm: 10 },
  { lon: -112.0 + east(15, -46), lat: -46.0, heightM: 900, radiusKm: 10 },
];
// knolls below the prominence threshold
const knolls: PlantedSeamount[] = [
  { lon: -110.8, lat: -46.6, heightM: 120, radiusKm: 5 },
  { lon: -111.3, lat: -43.9, heightM: 150, radiusKm: 4 },
  { lon: -113.9, lat: -45.3, heightM: 100, radiusKm: 5 },
];
const synthetic = new SyntheticGrid({
  ...TEST_FLOOR_1M,
  slopeMPerKm: [2, -1],
  fabric: { amplitudeM: 50, wavelengthKm: 13 },
  seamounts: [...planted, ...knolls],
});
let grid: MemoryGrid;
beforeAll(async () => {
  grid = await materialise(synthetic);
});
const config = loadConfig().baseline;

function expectRecovered(picks: Seamount[], measure: boolean): void {
  expect(picks).toHaveLength(planted.length);
  for (const s of planted) {
    const p = picks.reduce((a, b) => (greatCircleKm(a.lon, a.lat, s.lon, s.lat) < greatCircleKm(b.lon, b.lat, s.lon, s.lat) ? a : b));
    expect(Math.abs(p.lon - s.lon)).toBeLessThanOrEqual(grid.dLon);
    expect(Math.abs(p.lat - s.lat)).toBeLessThanOrEqual(Math.abs(grid.dLat));
    if (!measure) continue;
    expect(Math.abs(p.heightM - s.heightM) / s.heightM).toBeLessThan(0.1);
    const r = s.radiusKm * Math.sqrt(s.aspect ?? 1);
    expect(Math.abs(p.radiusKm - r) / r).toBeLessThan(0.2);
  }
  picks.forEach((p, i) => {
    expect(p.id).toBe(`SMT-${String(i + 1).padStart(6, '0')}`);
    if (i > 0) expect(p.confidence).toBeLessThanOrEqual(picks[i - 1].confidence);
    expect(p.confidence).toBeGreaterThan(0);
    expect(p.confidence).toBeLessThanOrEqual(1);
  });
}

describe('gaussianBaseline', () => {
  it('recovers planted Gaussians (position, height, radius) and skips knolls and fabric', async () => {
    const picks = (await gaussianBaseline(grid, null, config)).seamounts;
    expectRecovered(picks, true);
    const elongated = picks.find((p) => greatCircleKm(p.lon, p.lat, planted[1].lon, planted[1].lat) < 3);
    expect(elongated?.ellipse.azimuthDeg).toBeGreaterThan(135);
    expect(elongated?.ellipse.azimuthDeg).toBeLessThan(145);
    for (const p of picks) expect(p.fitR2).toBeGreaterThan(0.5);
  });

  it('keeps to the region asked for', async () => {
    const picks = (await gaussianBaseline(grid, { west: -114.5, east: -112.5, south: -47, north: -43.5 }, config)).seamounts;
    expect(picks.map((p) => Math.round(p.lon * 10) / 10).sort((a, b) => a - b)).toEqual([-113.3, -113.0]);
  });

  it('rejects what the Gaussian cannot explain when the fit test is strict', async () => {
    const strict = (await gaussianBaseline(grid, null, { ...config, minFitR2: 0.999 })).seamounts;
    expect(strict.length).toBeLessThan(planted.length);
  });
});

describe('peakProminenceBaseline', () => {
  it('finds the planted seamounts as the prominent peaks', async () => {
    const picks = (await peakProminenceBaseline(grid, null, config)).seamounts;
    expectRecovered(picks, false);
  });

  it('finds the knolls too once the prominence threshold is below them', async () => {
    const picks = (await peakProminenceBaseline(grid, null, { ...config, minProminenceM: 80 })).seamounts;
    for (const k of knolls) expect(picks.some((p) => greatCircleKm(p.lon, p.lat, k.lon, k.lat) < 3)).toBe(true);
  });
});

describe('islands', () => {
  // an edifice whose summit stands 300 m above sea level, among the planted seamounts
  const island: PlantedSeamount = { lon: -111.2, lat: -44.2, heightM: 4300, radiusKm: 14 };
  const withIsland = new SyntheticGrid({
    ...TEST_FLOOR_1M,
    seamounts: [...planted, island],
  });
  const at = (picks: Seamount[]) => picks.filter((p) => greatCircleKm(p.lon, p.lat, island.lon, island.lat) < 5);

  it('both baselines leave summits above sea level out and count them, as detect does', async () => {
    for (const run of [gaussianBaseline, peakProminenceBaseline]) {
      const r = await run(withIsland, null, config);
      expect(at(r.seamounts)).toHaveLength(0);
      expect(r.islands).toBe(1);
      expect(r.seamounts.length).toBeGreaterThanOrEqual(planted.length - 1);
    }
  });

  it('keep them, marked, with islands: keep', async () => {
    for (const run of [gaussianBaseline, peakProminenceBaseline]) {
      const r = await run(withIsland, null, { ...config, islands: 'keep' });
      const kept = at(r.seamounts);
      expect(kept).toHaveLength(1);
      expect(kept[0].island).toBe(true);
      expect(kept[0].summitDepthM).toBeGreaterThan(0);
      expect(r.seamounts.filter((p) => p.island)).toHaveLength(1);
    }
  });
});

describe('high-pass filter', () => {
  it('does not depend on the band size', async () => {
    const o = { highpassKm: 60, peakRadiusKm: 6, minReliefM: 50 };
    const region = { west: -114, east: -112, south: -46.5, north: -44 };
    const small = await findHighpassPeaks(grid, region, { ...o, bandRows: 23 });
    const large = await findHighpassPeaks(grid, region, { ...o, bandRows: 10000 });
    expect(small.length).toBeGreaterThan(3);
    expect(small).toEqual(large);
  });

  it('removes a plane and keeps a small Gaussian at about H·σf²/(σs² + σf²)', async () => {
    const s: PlantedSeamount = { lon: -112.5, lat: -45.5, heightM: 1000, radiusKm: 9 };
    const g = new SyntheticGrid({
      ...TEST_FLOOR_1M,
      slopeMPerKm: [3, 2],
      seamounts: [s],
    });
    const band = await highpassBand(g, { x0: 0, x1: 300, y0: 0, y1: 240 }, 0, 240, { highpassKm: 100, peakRadiusKm: 1 });
    const at = (x: number, y: number) => band.highpass[(y - band.win.y0) * band.win.w + (x - band.win.x0)];
    // the plane, away from the seamount and the edges (a symmetric kernel passes a plane through)
    expect(Math.abs(at(60, 60))).toBeLessThan(15);
    expect(Math.abs(at(250, 200))).toBeLessThan(15);
    const sf2 = (100 / 6) ** 2;
    const ss2 = (9 / 3) ** 2;
    const top = at(120, 120); // the planted centre: (−112.5 + 114.5)·60, (−43.5 + 45.5)·60
    expect(Math.abs(top - (1000 * sf2) / (ss2 + sf2)) / 1000).toBeLessThan(0.03);
  });
});
