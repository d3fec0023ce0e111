import { loadConfig } from '../../src/config/index.js';
import { SyntheticGrid, type PlantedSeamount, TEST_FLOOR_1M } from '../support/synthetic-grid.js';
import { fixedCut, pickSeamounts, type PickOptions, type PickResult } from '../../src/picking/pick.js';
import type { Candidate } from '../../src/picking/candidates.js';
import type { GridSource, ScoredWindow, Seamount } from '../../src/types.js';
import { distanceErrors, planCentres, shuffled } from './fixtures.js';
import { materialise, type MemoryGrid } from '../support/memory-grid.js';
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
  ...TEST_FLOOR_1M,
  slopeMPerKm: [1.5, -1],
  fabric: { amplitudeM: 60, wavelengthKm: 14 },
  seamounts: [...planted, ...knolls],
});
let grid: MemoryGrid;
const region = { west: -114.3, east: -109.7, south: -47.3, north: -43.7 };
const centres = planCentres(region, 4);
const windows = distanceErrors(centres, planted, { minError: 0.01, maxError: 0.06, rangeKm: 30 });
/** A stand-in ranker: confidence falls with the lowest window error near the candidate, as the old formula did. */
const byError = (c: Candidate): number => Math.max(0, Math.min(1, (0.06 - c.evidence.windowErrorMin) / 0.05));
const options = (over: Partial<PickOptions> = {}): PickOptions => ({
  threshold: 0.025,
  score: byError,
  cut: fixedCut(0),
  strideKm: 4,
  picking: loadConfig().picking,
  islands: 'drop',
  ...over,
});
const pick = async (w: ScoredWindow[], g: GridSource, o: PickOptions): Promise<Seamount[]> => (await pickSeamounts(w, g, o)).seamounts;

/** The pick nearest to a planted seamount, and its distance, km. */
function nearest(picks: Seamount[], s: PlantedSeamount): [Seamount, number] {
  let best = picks[0];
  for (const p of picks) if (greatCircleKm(p.lon, p.lat, s.lon, s.lat) < greatCircleKm(best.lon, best.lat, s.lon, s.lat)) best = p;
  return [best, greatCircleKm(best.lon, best.lat, s.lon, s.lat)];
}

describe('pickSeamounts', () => {
  let picks: Seamount[];
  let result: PickResult;
  beforeAll(async () => {
    grid = await materialise(synthetic);
    result = await pickSeamounts(windows, grid, options());
    picks = result.seamounts;
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
      expect(p.windows).toBeGreaterThanOrEqual(0);
      expect(p.reconstructionError).toBeGreaterThanOrEqual(0.01);
      expect(p.reconstructionError).toBeLessThan(0.025);
      expect(p.fitR2).toBeGreaterThan(0.2);
      expect(p.ellipse.minorKm).toBeLessThanOrEqual(p.ellipse.majorKm);
      expect(p.radiusKm).toBeCloseTo(Math.sqrt(p.ellipse.majorKm * p.ellipse.minorKm), 9);
    });
  });

  it('gives the same output for the same windows in any order', async () => {
    const again = await pickSeamounts(shuffled(windows, 7), grid, options());
    expect(again.seamounts).toEqual(picks);
    expect(again.decisions).toEqual(result.decisions);
  });

  it('gives every candidate one fate: picked ones are the picks, merged ones name a candidate, dropped ones a rule', () => {
    const ids = new Set(result.decisions.map((d) => d.candidate.id));
    expect(ids.size).toBe(result.decisions.length);
    const picked = result.decisions.filter((d) => d.fate === 'picked');
    expect(picked).toHaveLength(picks.length);
    expect(new Set(picked.map((d) => result.pickIds.get(d.candidate.id)))).toEqual(new Set(picks.map((p) => p.id)));
    for (const d of result.decisions) {
      if (d.fate === 'merged') expect(ids.has(d.mergedInto as string)).toBe(true);
      if (d.fate === 'dropped') expect(d.rule?.rule).toMatch(/^(no_measurement|min_prominence|no_relief|island|below_cut)$/);
      if (d.fate === 'dropped' && d.rule?.rule === 'min_prominence') expect(d.rule.value).toBeLessThan(d.rule.limit);
      expect(d.candidate.id).toMatch(/^C\d+_\d+$/);
    }
  });

  it('splits one low-error blob over two seamounts at the saddle between them', async () => {
    // errors grow with the distance to the pair's midpoint: one minimum, between the two summits
    const pair = planted.slice(4);
    const mid: PlantedSeamount = { ...pair[0], lon: (pair[0].lon + pair[1].lon) / 2 };
    const blob = distanceErrors(centres, [mid], { minError: 0.01, maxError: 0.06, rangeKm: 30 });
    const found = await pick(blob, grid, options());
    expect(found).toHaveLength(2);
    for (const s of pair) expect(nearest(found, s)[1]).toBeLessThan(2);
  });

  it('gates summits of too little relief out, saying so in the ledger (min_prominence)', async () => {
    // low errors far from every seamount, over knolls (110–130 m), fabric (60 m) and the regional slope
    const fooled = distanceErrors(centres, knolls, { minError: 0.01, maxError: 0.06, rangeKm: 30 });
    const r = await pickSeamounts(fooled, grid, options());
    expect(r.seamounts).toEqual([]);
    expect(r.decisions.length).toBeGreaterThan(0);
    for (const d of r.decisions) expect(d.rule?.rule).toBe('min_prominence');
    // without the gate the knolls are ranked like any candidate (and the cut of 0 keeps them)
    const ungated = await pick(fooled, grid, options({ picking: { ...loadConfig().picking, minProminenceM: 0 } }));
    expect(ungated.length).toBeGreaterThan(0);
  });

  it('returns nothing when no window is under the threshold, or no window at all', async () => {
    expect((await pickSeamounts(windows, grid, options({ threshold: 0.005 }))).decisions).toEqual([]);
    expect(await pick([], grid, options())).toEqual([]);
  });

  it("takes each pick's confidence from the ranker, ranks by it and cuts at the cut", async () => {
    // a ranker that prefers tall seamounts, whatever the windows say
    const byHeight = (c: Candidate) => c.evidence.heightM / (c.evidence.heightM + 1000);
    const all = await pickSeamounts(windows, grid, options({ score: byHeight }));
    const heights = all.seamounts.map((p) => p.heightM);
    for (let i = 1; i < heights.length; i++) expect(heights[i]).toBeLessThanOrEqual(heights[i - 1] + 150);
    for (const p of all.seamounts) expect(p.confidence).toBeGreaterThan(0.3);
    // a cut between the two least confident picks leaves out the weakest alone, as below_cut
    const confidences = all.seamounts.map((p) => p.confidence).sort((a, b) => a - b);
    const cut = (confidences[0] + confidences[1]) / 2;
    const kept = await pickSeamounts(windows, grid, options({ score: byHeight, cut: fixedCut(cut) }));
    expect(kept.seamounts).toHaveLength(all.seamounts.length - 1);
    expect(kept.seamounts.every((p) => p.confidence >= cut)).toBe(true);
    const below = kept.decisions.filter((d) => d.rule?.rule === 'below_cut');
    expect(below.map((d) => d.confidence)).toContain(confidences[0]);
    for (const d of below) expect(d.rule).toEqual({ rule: 'below_cut', value: d.confidence, limit: cut });
    expect(await pick(windows, grid, options({ score: byHeight, cut: fixedCut(1) }))).toEqual([]);
  });

  it('leaves out summits above sea level (islands), or keeps them marked with islands: keep', async () => {
    const island: PlantedSeamount = { lon: -112, lat: -45.5, heightM: 4300, radiusKm: 14 };
    const knoll: PlantedSeamount = { lon: -113.3, lat: -44.6, heightM: 1200, radiusKm: 10 };
    const sea = new SyntheticGrid({
      ...TEST_FLOOR_1M,
      seamounts: [island, knoll],
    });
    const w = distanceErrors(centres, [island, knoll], { minError: 0.01, maxError: 0.06, rangeKm: 30 });
    const dropped = await pickSeamounts(w, sea, options());
    expect(dropped.seamounts).toHaveLength(1);
    expect(nearest(dropped.seamounts, knoll)[1]).toBeLessThan(2);
    const gated = dropped.decisions.filter((d) => d.rule?.rule === 'island');
    expect(gated).toHaveLength(1);
    expect(gated[0].rule?.value).toBeGreaterThan(0);
    expect(gated[0].candidate.island).toBe(true);
    const kept = await pickSeamounts(w, sea, options({ islands: 'keep' }));
    expect(kept.seamounts).toHaveLength(2);
    const top = nearest(kept.seamounts, island)[0];
    expect(top.island).toBe(true);
    expect(top.summitDepthM).toBeGreaterThan(0);
    expect(nearest(kept.seamounts, knoll)[0].island).toBeUndefined();
  });

  it('measures a small seamount whose only low-error window climbs to a taller neighbour (peak seeds)', async () => {
    // a 2′ grid: each step of the walk looks 2 cells (7.4 km) around, past the small cone's summit
    const tall: PlantedSeamount = { lon: -112, lat: -45.5, heightM: 2000, radiusKm: 8 };
    const small: PlantedSeamount = { lon: -112 + eastDeg(14), lat: -45.5, heightM: 700, radiusKm: 5 };
    const pair = new SyntheticGrid({
      width: 181,
      height: 121,
      lon0: -115,
      dLon: 1 / 30,
      lat0: -43.5,
      dLat: -1 / 30,
      baseDepthM: -4500,
      seamounts: [tall, small],
    });
    // one window under the threshold, 3.5 km from the small cone's summit towards the tall one; all else above
    const hit = { id: 0, lon: small.lon - eastDeg(3.5), lat: small.lat, error: 0.015 };
    const rest = planCentres({ west: -114, east: -110, south: -47, north: -44 }, 4).map((c, i) => ({ ...c, id: i + 1, error: 0.06 }));
    const near = (picks: Seamount[], s: PlantedSeamount) => picks.filter((p) => greatCircleKm(p.lon, p.lat, s.lon, s.lat) < 3);
    const smooth = { ...loadConfig().picking, smoothingKm: 0 };
    const seeded = await pick([hit, ...rest], pair, options({ picking: smooth }));
    const unseeded = await pick([hit, ...rest], pair, options({ picking: { ...smooth, peakSeedKm: 0 } }));
    expect(near(unseeded, tall)).toHaveLength(1);
    expect(near(unseeded, small)).toHaveLength(0);
    expect(near(seeded, tall)).toHaveLength(1);
    expect(near(seeded, small)).toHaveLength(1);
    // a seed needs a window under the threshold within peakSeedKm (the summit cell lies 3.5 ± 1.9 km from it)
    expect(near(await pick([hit, ...rest], pair, options({ picking: { ...smooth, peakSeedKm: 1 } })), small)).toHaveLength(0);
  });

  it('merges picks closer than minSeparationKm that no saddle separates (a guyot climbed from both sides)', async () => {
    // a level plateau: walks from the west and from the east stop at different cells of the flat top
    const guyot: PlantedSeamount = { lon: -112, lat: -45.5, heightM: 2000, radiusKm: 18, flatTopFraction: 0.5 };
    const flat = new SyntheticGrid({ ...TEST_FLOOR_1M, seamounts: [guyot] });
    const sides: PlantedSeamount[] = [
      { ...guyot, lon: guyot.lon - eastDeg(8) },
      { ...guyot, lon: guyot.lon + eastDeg(8) },
    ];
    const split = distanceErrors(centres, sides, { minError: 0.01, maxError: 0.06, rangeKm: 14 });
    const merged = await pickSeamounts(split, flat, options({ picking: { ...loadConfig().picking, smoothingKm: 0 } }));
    const found = merged.seamounts;
    const unmerged = await pick(split, flat, options({ picking: { ...loadConfig().picking, smoothingKm: 0, minSeparationKm: 0 } }));
    expect(unmerged.length).toBeGreaterThan(1); // the walks did stop at different cells
    expect(found).toHaveLength(1);
    expect(nearest(found, guyot)[1]).toBeLessThan(2);
    // both sides' windows support the one pick
    const westHits = split.filter((w) => w.error < 0.025 && w.lon < guyot.lon).length;
    expect(westHits).toBeGreaterThan(0);
    expect(found[0].windows).toBeGreaterThan(westHits);
    // the ledger says which candidate each merged one went into: the pick's
    const host = [...merged.pickIds.keys()][0];
    const into = merged.decisions.filter((d) => d.fate === 'merged');
    expect(into.length).toBeGreaterThan(0);
    for (const d of into) expect(d.mergedInto).toBe(host);
  });
});
