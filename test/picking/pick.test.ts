import { loadConfig } from '../../src/config/index.js';
import { SyntheticGrid, type PlantedSeamount } from '../support/synthetic-grid.js';
import { pickSeamounts, type PickOptions } from '../../src/picking/pick.js';
import type { ScoredWindow, Seamount } from '../../src/types.js';
import type { MemoryGrid } from '../support/memory-grid.js';
import { distanceErrors, materialise, planCentres, shuffled } from './fixtures.js';
import { KM_PER_DEG, greatCircleKm } from '../../src/base/geodesy.js';
const cosLat = Math.cos((45 * Math.PI) / 180);
const eastDeg = (km: number) => km / (KM_PER_DEG * cosLat);

const planted: PlantedSeamount[] = [
  { lon: -113.2, lat: -44.7, heightM: 1500, radiusKm: 12 },
  { lon: -112.0, lat: -44.6, heightM: 900, radiusKm: 9, aspect: 0.5, azimuthDeg: 35 },
  { lon: -111.1, lat: -45.3, heightM: 1600, radiusKm: 15, flatTopFraction: 0.6 },
  { lon: -113.0, lat: -46.0, heightM: 600, radiusKm: 6 },
  // a chain pair 1.5 radii apart
  { lon: -112.2, lat: -45.9, heightM: 1000, radiusKm: 10 },
  { lon: -112.2 + eastDeg(15), lat: -45.9, heightM: 900, radiusKm: 10 },
];

// abyssal-hill-like knolls, too low to count (120 m < minProminenceM)
const knolls: PlantedSeamount[] = [
  { lon: -110.5, lat: -46.6, heightM: 120, radiusKm: 5 },
  { lon: -110.3, lat: -46.75, heightM: 110, radiusKm: 4 },
  { lon: -110.7, lat: -46.8, heightM: 130, radiusKm: 6 },
];

const synthetic = new SyntheticGrid({
  width: 301,
  height: 241,
  lon0: -114.5,
  dLon: 1 / 60,
  lat0: -43.5,
  dLat: -1 / 60,
  baseDepthM: -4000,
  slopeMPerKm: [1.5, -1],
  fabric: { amplitudeM: 60, wavelengthKm: 14 },
  seamounts: [...planted, ...knolls],
});
let grid: MemoryGrid;
const region = { west: -114.3, east: -109.7, south: -47.3, north: -43.7 };
const centres = planCentres(region, 4);
const windows = distanceErrors(centres, planted, { minError: 0.01, maxError: 0.06, rangeKm: 30 });
const options = (over: Partial<PickOptions> = {}): PickOptions => ({
  threshold: 0.025,
  confidence: (e) => Math.max(0, Math.min(1, (0.06 - e) / 0.05)),
  strideKm: 4,
  picking: loadConfig().picking,
  ...over,
});

/** The pick nearest to a planted seamount, and its distance, km. */
function nearest(picks: Seamount[], s: PlantedSeamount): [Seamount, number] {
  let best = picks[0];
  for (const p of picks) if (greatCircleKm(p.lon, p.lat, s.lon, s.lat) < greatCircleKm(best.lon, best.lat, s.lon, s.lat)) best = p;
  return [best, greatCircleKm(best.lon, best.lat, s.lon, s.lat)];
}

describe('pickSeamounts', () => {
  let picks: Seamount[];
  beforeAll(async () => {
    grid = await materialise(synthetic);
    picks = await pickSeamounts(windows, grid, options());
  });

  it('finds each planted seamount once, the chain pair as two', () => {
    expect(picks).toHaveLength(planted.length);
    const used = new Set<string>();
    for (const s of planted) {
      const [p] = nearest(picks, s);
      used.add(p.id);
    }
    expect(used.size).toBe(planted.length);
  });

  it('places, sizes and measures each pick (within a cell, 10 % height, 20 % radius)', () => {
    for (const s of planted) {
      const [p] = nearest(picks, s);
      expect(Math.abs(p.lon - s.lon)).toBeLessThanOrEqual(grid.dLon);
      expect(Math.abs(p.lat - s.lat)).toBeLessThanOrEqual(Math.abs(grid.dLat));
      const h = s.heightM * (s.flatTopFraction ?? 1);
      expect(Math.abs(p.heightM - h) / h).toBeLessThan(0.1);
      const r = s.radiusKm * Math.sqrt(s.aspect ?? 1);
      expect(Math.abs(p.radiusKm - r) / r).toBeLessThan(0.2);
      expect(p.summitDepthM - p.baseDepthM).toBeCloseTo(p.heightM, 6);
    }
  });

  it('numbers picks by confidence (descending) and fills every field', () => {
    picks.forEach((p, i) => {
      expect(p.id).toBe(`SMT-${String(i + 1).padStart(6, '0')}`);
      if (i > 0) expect(p.confidence).toBeLessThanOrEqual(picks[i - 1].confidence);
      expect(p.confidence).toBeGreaterThan(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
      expect(p.windows).toBeGreaterThanOrEqual(1);
      expect(p.reconstructionError).toBeGreaterThanOrEqual(0.01);
      expect(p.reconstructionError).toBeLessThan(0.025);
      expect(p.fitR2).toBeGreaterThan(0.2);
      expect(p.ellipse.minorKm).toBeLessThanOrEqual(p.ellipse.majorKm);
      expect(p.radiusKm).toBeCloseTo(Math.sqrt(p.ellipse.majorKm * p.ellipse.minorKm), 9);
    });
  });

  it('gives the same output for the same windows in any order', async () => {
    const again = await pickSeamounts(shuffled(windows, 7), grid, options());
    expect(again).toEqual(picks);
  });

  it('splits one low-error blob over two seamounts at the saddle between them', async () => {
    // errors grow with the distance to the pair's midpoint: one minimum, between the two summits
    const pair = planted.slice(4);
    const mid: PlantedSeamount = { ...pair[0], lon: (pair[0].lon + pair[1].lon) / 2 };
    const blob = distanceErrors(centres, [mid], { minError: 0.01, maxError: 0.06, rangeKm: 30 });
    const found = await pickSeamounts(blob, grid, options());
    expect(found).toHaveLength(2);
    for (const s of pair) expect(nearest(found, s)[1]).toBeLessThan(2);
  });

  it('rejects low-error windows over plain sea floor and abyssal-hill fabric (prominence and fit guards)', async () => {
    // low errors far from every seamount, over knolls, fabric (60 m) and the regional slope
    const fooled = distanceErrors(centres, knolls, { minError: 0.01, maxError: 0.06, rangeKm: 30 });
    // the guards alone, without the confidence floor (which would drop such low knolls too)
    const guarded = { ...loadConfig().picking, minConfidence: 0 };
    expect(await pickSeamounts(fooled, grid, options({ picking: guarded }))).toEqual([]);
    expect(await pickSeamounts(fooled, grid, options())).toEqual([]);
    // without the guards the knolls would come through
    const unguarded = { ...guarded, minProminenceM: 0, minFitR2: -1 };
    expect((await pickSeamounts(fooled, grid, options({ picking: unguarded }))).length).toBeGreaterThan(0);
  });

  it('returns nothing when no window is under the threshold, or no window at all', async () => {
    expect(await pickSeamounts(windows, grid, options({ threshold: 0.005 }))).toEqual([]);
    expect(await pickSeamounts([], grid, options())).toEqual([]);
  });

  it('ranks a tall steep seamount above a low broad one that the model scores alike (steepness factor)', async () => {
    const steep: PlantedSeamount = { lon: -113, lat: -45, heightM: 1500, radiusKm: 8 }; // about 190 m/km
    const broad: PlantedSeamount = { lon: -111, lat: -45.6, heightM: 700, radiusKm: 20 }; // about 35 m/km
    const pair = new SyntheticGrid({ width: 301, height: 241, lon0: -114.5, dLon: 1 / 60, lat0: -43.5, dLat: -1 / 60, baseDepthM: -4000, seamounts: [steep, broad] });
    const alike = [
      { id: 0, lon: steep.lon, lat: steep.lat, error: 0.015 },
      { id: 1, lon: broad.lon, lat: broad.lat, error: 0.015 },
    ];
    const at = (picks: Seamount[], s: PlantedSeamount) => nearest(picks, s)[0].confidence;
    const ranked = await pickSeamounts(alike, pair, options());
    expect(ranked).toHaveLength(2);
    expect(nearest(ranked, steep)[0].id).toBe('SMT-000001');
    expect(at(ranked, steep)).toBeGreaterThan(1.6 * at(ranked, broad));
    // switched off (steepness and height), the two rank alike: same error, both fitted well
    const off = await pickSeamounts(alike, pair, options({ picking: { ...loadConfig().picking, steepnessScaleMPerKm: 0, heightScaleM: 0 } }));
    expect(Math.abs(at(off, steep) - at(off, broad))).toBeLessThan(0.02);
    expect(at(off, broad)).toBeGreaterThan(at(ranked, broad));
    // the height factor alone: 1500 m over 700 m, h / (h + 1000 m) gives 0.6 against 0.41
    const heightOnly = await pickSeamounts(alike, pair, options({ picking: { ...loadConfig().picking, steepnessScaleMPerKm: 0, heightScaleM: 1000 } }));
    expect(at(heightOnly, steep) / at(heightOnly, broad)).toBeGreaterThan(1.3);
  });

  it('leaves out picks under picking.minConfidence, and only those', async () => {
    const all = await pickSeamounts(windows, grid, options({ picking: { ...loadConfig().picking, minConfidence: 0 } }));
    expect(all.length).toBeGreaterThan(2);
    const confidences = all.map((p) => p.confidence).sort((a, b) => a - b);
    // a floor between the two weakest picks drops the weakest alone
    const floor = (confidences[0] + confidences[1]) / 2;
    const kept = await pickSeamounts(windows, grid, options({ picking: { ...loadConfig().picking, minConfidence: floor } }));
    expect(kept).toHaveLength(all.length - 1);
    expect(kept.every((p) => p.confidence >= floor)).toBe(true);
    // the survivors are measured and ranked as before, numbered afresh from SMT-000001
    expect(kept.map(({ id: _id, ...rest }) => rest)).toEqual(all.slice(0, -1).map(({ id: _id, ...rest }) => rest));
    expect(kept.map((p) => p.id)).toEqual(all.slice(0, -1).map((p) => p.id));
    expect(await pickSeamounts(windows, grid, options({ picking: { ...loadConfig().picking, minConfidence: 1 } }))).toEqual([]);
  });

  it('measures a small seamount whose only low-error window climbs to a taller neighbour (peak seeds)', async () => {
    // a 2′ grid: each step of the walk looks 2 cells (7.4 km) around, past the small cone's summit
    const tall: PlantedSeamount = { lon: -112, lat: -45.5, heightM: 2000, radiusKm: 8 };
    const small: PlantedSeamount = { lon: -112 + eastDeg(14), lat: -45.5, heightM: 700, radiusKm: 5 };
    const pair = new SyntheticGrid({ width: 181, height: 121, lon0: -115, dLon: 1 / 30, lat0: -43.5, dLat: -1 / 30, baseDepthM: -4500, seamounts: [tall, small] });
    // one window under the threshold, 3.5 km from the small cone's summit towards the tall one; all else above
    const hit = { id: 0, lon: small.lon - eastDeg(3.5), lat: small.lat, error: 0.015 };
    const rest = planCentres({ west: -114, east: -110, south: -47, north: -44 }, 4).map((c, i) => ({ ...c, id: i + 1, error: 0.06 }));
    const near = (picks: Seamount[], s: PlantedSeamount) => picks.filter((p) => greatCircleKm(p.lon, p.lat, s.lon, s.lat) < 3);
    const smooth = { ...loadConfig().picking, smoothingKm: 0 };
    const seeded = await pickSeamounts([hit, ...rest], pair, options({ picking: smooth }));
    const unseeded = await pickSeamounts([hit, ...rest], pair, options({ picking: { ...smooth, peakSeedKm: 0 } }));
    expect(near(unseeded, tall)).toHaveLength(1);
    expect(near(unseeded, small)).toHaveLength(0);
    expect(near(seeded, tall)).toHaveLength(1);
    expect(near(seeded, small)).toHaveLength(1);
    // a seed needs a window under the threshold within peakSeedKm (the summit cell lies 3.5 ± 1.9 km from it)
    expect(near(await pickSeamounts([hit, ...rest], pair, options({ picking: { ...smooth, peakSeedKm: 1 } })), small)).toHaveLength(0);
  });

  it('merges picks closer than minSeparationKm that no saddle separates (a guyot climbed from both sides)', async () => {
    // a level plateau: walks from the west and from the east stop at different cells of the flat top
    const guyot: PlantedSeamount = { lon: -112, lat: -45.5, heightM: 2000, radiusKm: 18, flatTopFraction: 0.5 };
    const flat = new SyntheticGrid({ width: 301, height: 241, lon0: -114.5, dLon: 1 / 60, lat0: -43.5, dLat: -1 / 60, baseDepthM: -4000, seamounts: [guyot] });
    const sides: PlantedSeamount[] = [
      { ...guyot, lon: guyot.lon - eastDeg(8) },
      { ...guyot, lon: guyot.lon + eastDeg(8) },
    ];
    const split = distanceErrors(centres, sides, { minError: 0.01, maxError: 0.06, rangeKm: 14 });
    const found = await pickSeamounts(split, flat, options({ picking: { ...loadConfig().picking, smoothingKm: 0 } }));
    const unmerged = await pickSeamounts(split, flat, options({ picking: { ...loadConfig().picking, smoothingKm: 0, minSeparationKm: 0 } }));
    expect(unmerged.length).toBeGreaterThan(1); // the walks did stop at different cells
    expect(found).toHaveLength(1);
    expect(nearest(found, guyot)[1]).toBeLessThan(2);
    // both sides' windows support the one pick
    const westHits = split.filter((w) => w.error < 0.025 && w.lon < guyot.lon).length;
    expect(westHits).toBeGreaterThan(0);
    expect(found[0].windows).toBeGreaterThan(westHits);
  });
});
