import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { CatalogueError, writeSeamountsCsv, writeSeamountsGeoJson } from '../../src/catalogue/index.js';
import { compareCatalogues } from '../../src/evaluation/index.js';
import { parseRegion } from '../../src/config/region.js';
import { MemoryGrid } from '../support/memory-grid.js';
import type { Seamount } from '../../src/types.js';
import { greatCircleKm } from '../../src/base/geodesy.js';
import { MORPHOMETRY } from '../support/morphometry-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'seamount-compare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * The hand case. Grid: 10–12°E, 0–2°N, 0.01° cells, sea floor at −4000 m except no-data (NE corner,
 * ≥11.8°E ≥1.8°N) and land (NW corner, ≤10.2°E ≥1.8°N).
 *
 * Catalogue (min height 200 m):
 *   KW-1 (10.15, 0.50) 1000 m  counts  ← SMT-2, 5.56 km          edge 16.7 km (west)
 *   KW-2 (11.00, 1.00) 2500 m  counts  ← SMT-3, 11.12 km         edge 111 km
 *   KW-3 (11.50, 0.50)  300 m  counts, missed                     edge 55.6 km
 *   KW-4 (11.90, 1.90) 1200 m  no-data cell ← SMT-5 (ignored)
 *   KW-5 (10.10, 1.90)  800 m  land cell
 *   KW-6 (13.00, 1.00)  900 m  off the grid
 *   KW-7 (10.50, 1.50)  150 m  too low     ← SMT-6 (ignored)
 * Picks (confidence): SMT-1 (11.5, 1.75) 0.95 new, edge 27.8 km; SMT-4 (11.0, 0.85) 0.7 new (KW-2 taken),
 *   edge 94.5 km; SMT-7 (14, 1) off the grid.
 * So TP 2, FP 2, FN 1, ignored 2; P 1/2, R 2/3, F1 4/7; ranking F T T F → AP (1/3)(1/2) + (1/3)(2/3) = 7/18.
 */
const refs: Array<[string, number, number, number]> = [
  ['KW-1', 10.15, 0.5, 1000],
  ['KW-2', 11.0, 1.0, 2500],
  ['KW-3', 11.5, 0.5, 300],
  ['KW-4', 11.9, 1.9, 1200],
  ['KW-5', 10.1, 1.9, 800],
  ['KW-6', 13.0, 1.0, 900],
  ['KW-7', 10.5, 1.5, 150],
];
const picks: Array<[number, number, number]> = [
  [11.5, 1.75, 0.95],
  [10.15, 0.55, 0.9],
  [11.0, 1.1, 0.8],
  [11.0, 0.85, 0.7],
  [11.9, 1.85, 0.6],
  [10.52, 1.5, 0.5],
  [14.0, 1.0, 0.4],
];

const seamounts: Seamount[] = picks.map(([lon, lat, confidence], k) => ({
  id: `SMT-${k + 1}`,
  lon,
  lat,
  summitDepthM: -3000,
  baseDepthM: -4000,
  heightM: 1000,
  radiusKm: 10,
  ellipse: { azimuthDeg: 0, majorKm: 10, minorKm: 10 },
  fitR2: 0.9,
  reconstructionError: 0.01,
  confidence,
  windows: 3,
  ...MORPHOMETRY,
}));

function handGrid(): MemoryGrid {
  const n = 201;
  const values = new Float32Array(n * n).fill(-4000);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const lon = 10 + x * 0.01;
      const lat = y * 0.01;
      if (lat >= 1.8 - 1e-9 && lon >= 11.8 - 1e-9) values[y * n + x] = NaN;
      if (lat >= 1.8 - 1e-9 && lon <= 10.2 + 1e-9) values[y * n + x] = 500;
    }
  }
  return new MemoryGrid({ width: n, height: n, lon0: 10, dLon: 0.01, lat0: 0, dLat: 0.01, values, path: 'hand-grid.nc' });
}

const cataloguePath = join(tmp, 'hand-kw.txt');
writeFileSync(
  cataloguePath,
  [
    'A hand-made excerpt in the Kim & Wessel format',
    '',
    'Longitude\tLatitude\tAzimuth\tMajor\tMinor\tHeight\tFAA\tVGG\tDepth\tCrustAge\tID',
    ...refs.map(([id, lon, lat, h]) => [lon, lat, 0, 10, 10, h, 50, 40, -4000, 80, id].join('\t')),
  ].join('\n'),
);

/** A feature of the layers compare writes, as the tests read them. */
type Feature = { geometry: { coordinates: [number, number] }; properties: Record<string, unknown> };
// biome-ignore lint/suspicious/noExplicitAny: the tests read the written files' JSON and check its fields one by one
const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));
const d1 = greatCircleKm(10.15, 0.55, 10.15, 0.5);
const d2 = greatCircleKm(11, 1.1, 11, 1);

describe('compareCatalogues', () => {
  it('computes the hand case with a grid and writes every file', async () => {
    const picksPath = join(tmp, 'seamounts.geojson');
    await writeSeamountsGeoJson(picksPath, seamounts, { grid: 'hand-grid.nc' });
    const outDir = join(tmp, 'out-grid');
    const { metrics: m, files } = await compareCatalogues({
      picksPath,
      cataloguePath,
      toleranceKm: 25,
      minHeightM: 200,
      region: null,
      grid: handGrid(),
      outDir,
    });

    expect([m.tp, m.fp, m.fn, m.ignored]).toEqual([2, 2, 1, 2]);
    expect(m.precision).toBeCloseTo(0.5, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(4 / 7, 12);
    expect(m.averagePrecision).toBeCloseTo(7 / 18, 12);
    expect(m.positionErrorKm.mean).toBeCloseTo((d1 + d2) / 2, 9);
    expect(m.positionErrorKm.p90).toBeCloseTo(d1 + 0.9 * (d2 - d1), 9);
    expect(m.positionErrorKm.max).toBeCloseTo(d2, 9);
    expect(m.byHeight.map((b) => [b.minM, b.tp, b.fn])).toEqual([
      [0, 0, 1],
      [500, 0, 0],
      [1000, 1, 0],
      [1500, 0, 0],
      [2000, 1, 0],
      [3000, 0, 0],
    ]);
    expect(m.byEdgeDistance.map((b) => [b.minKm, b.tp, b.fp, b.fn])).toEqual([
      [0, 1, 0, 0],
      [25, 0, 1, 0],
      [50, 0, 1, 1],
      [100, 1, 0, 0],
    ]);

    const names = ['matched.geojson', 'missed.geojson', 'new.geojson', 'pr_curve.png', 'compare_map.png', 'report.md', 'metrics.json'];
    expect(files.map((f) => f.slice(outDir.length + 1)).sort()).toEqual([...names].sort());
    expect(readdirSync(outDir).sort()).toEqual([...names].sort());

    const json = readJson(join(outDir, 'metrics.json'));
    expect([json.tp, json.fp, json.fn, json.ignored]).toEqual([2, 2, 1, 2]);
    expect(json.averagePrecision).toBeCloseTo(7 / 18, 6);
    expect(json.prCurve).toHaveLength(4);
    expect(json.selection).toMatchObject({
      picksRead: 7,
      picksOutsideArea: 1,
      refsRead: 7,
      refsCounted: 3,
      refsOutsideArea: 1,
      refsBelowMinHeight: 1,
      refsOnInvalidCells: 2,
      area: '10/12/0/2',
    });

    const matched = readJson(join(outDir, 'matched.geojson'));
    expect(matched.features.map((f: Feature) => [f.properties.pick_id, f.properties.ref_id, f.properties.counted])).toEqual([
      ['SMT-2', 'KW-1', true],
      ['SMT-3', 'KW-2', true],
      ['SMT-5', 'KW-4', false],
      ['SMT-6', 'KW-7', false],
    ]);
    expect(matched.features[0].geometry.coordinates).toEqual([10.15, 0.55]);
    expect(matched.features[0].properties.distance_km).toBeCloseTo(d1, 3);
    const missed = readJson(join(outDir, 'missed.geojson'));
    expect(missed.features.map((f: Feature) => f.properties.ref_id)).toEqual(['KW-3']);
    expect(missed.features[0].geometry.coordinates).toEqual([11.5, 0.5]);
    const fresh = readJson(join(outDir, 'new.geojson'));
    expect(fresh.features.map((f: Feature) => f.properties.pick_id)).toEqual(['SMT-1', 'SMT-4']);
    expect(fresh.features[1].properties.nearest_ref_id).toBe('KW-2');
    expect(fresh.features[1].properties.nearest_ref_km).toBeCloseTo(greatCircleKm(11, 0.85, 11, 1), 3);

    const report = readFileSync(join(outDir, 'report.md'), 'utf8');
    expect(report).toContain('| 2 | 2 | 1 | 2 | 0.500 | 0.667 | 0.571 | 0.389 |');
    expect(report).toContain('![Precision–recall curve](pr_curve.png)');
    expect(report).toContain('--grid hand-grid.nc');
    expect(report).toMatch(/candidate new seamounts or false alarms/);

    // measurements of the two matched pairs: SMT-2 1000 m vs KW-1 1000 m, SMT-3 1000 m vs KW-2 2500 m; radii 10 vs sqrt(10 × 10)
    expect(m.agreement?.heightM).toMatchObject({ n: 2, bias: -750, meanDifference: -750, medianAbsDifference: 750, correlation: null, medianRatio: 0.7 });
    expect(m.agreement?.radiusKm).toMatchObject({ n: 2, bias: 0, medianAbsDifference: 0, medianRatio: 1 });
    expect(m.agreement?.baseDepthM).toMatchObject({ n: 2, bias: 0, medianRatio: null });
    expect(json.agreement.heightM.n).toBe(2);
    expect(report).toContain('## Measurements of matched seamounts');
    expect(report).toContain('| height (m) | 2 | 1000 | 1750 | -750 | -750 | 750 | n/a | 0.700 |');

    const png = decode(readFileSync(join(outDir, 'pr_curve.png')));
    expect([png.width, png.height]).toEqual([640, 480]);
  });

  it('takes the region from the picks metadata, and CSV picks with --region give the same answer', async () => {
    // area 10–11.2°E: KW-3, KW-4, KW-6 outside; no grid, so KW-5 (land) counts and is missed
    const picksPath = join(tmp, 'with-region.geojson');
    await writeSeamountsGeoJson(picksPath, seamounts, { region: '10/11.2/0/2' });
    const a = await compareCatalogues({ picksPath, cataloguePath, toleranceKm: 25, minHeightM: 200, region: null, outDir: join(tmp, 'out-meta') });
    expect([a.metrics.tp, a.metrics.fp, a.metrics.fn, a.metrics.ignored]).toEqual([2, 1, 1, 1]);
    expect(readJson(join(tmp, 'out-meta', 'missed.geojson')).features[0].properties.ref_id).toBe('KW-5');
    expect(readFileSync(join(tmp, 'out-meta', 'report.md'), 'utf8')).toContain("region recorded in the picks' metadata");

    const csvPath = join(tmp, 'seamounts.csv');
    await writeSeamountsCsv(csvPath, seamounts);
    const b = await compareCatalogues({
      picksPath: csvPath,
      cataloguePath,
      toleranceKm: 25,
      minHeightM: 200,
      region: parseRegion('10/11.2/0/2'),
      outDir: join(tmp, 'out-csv'),
    });
    expect(b.metrics).toEqual(a.metrics);
  });

  it('without a minimum height, the low seamount counts and its pick is a hit', async () => {
    const picksPath = join(tmp, 'seamounts.geojson');
    const { metrics: m } = await compareCatalogues({
      picksPath,
      cataloguePath,
      toleranceKm: 25,
      minHeightM: 0,
      region: null,
      grid: handGrid(),
      outDir: join(tmp, 'out-0'),
    });
    expect([m.tp, m.fp, m.fn, m.ignored]).toEqual([3, 2, 1, 1]);
  });

  it('judges against several catalogues as their union, a seamount both list under one id counted once', async () => {
    // a second catalogue re-lists KW-3 (missed) under its id and adds G-1 under SMT-1 (a `new` pick so far)
    const second = join(tmp, 'hand-second.csv');
    writeFileSync(second, 'id,lon,lat,height_m\nKW-3,11.5,0.5,300\nG-1,11.5,1.7,600\n');
    const outDir = join(tmp, 'out-union');
    const { metrics: m } = await compareCatalogues({
      picksPath: join(tmp, 'seamounts.geojson'),
      cataloguePath: [cataloguePath, second],
      toleranceKm: 25,
      minHeightM: 200,
      region: null,
      grid: handGrid(),
      outDir,
    });
    // the hand case (TP 2, FP 2, FN 1) with SMT-1 now matching G-1; KW-3 still missed once, not twice
    expect([m.tp, m.fp, m.fn, m.ignored]).toEqual([3, 1, 1, 2]);
    const report = readFileSync(join(outDir, 'report.md'), 'utf8');
    expect(report).toContain(`compared with the union of the catalogues \`${cataloguePath}\` and \`${second}\``);
    expect(report).toContain(`--catalogue ${cataloguePath} --catalogue ${second} `);
    // one catalogue given as a list of one: the same as given alone
    const one = await compareCatalogues({
      picksPath: join(tmp, 'seamounts.geojson'),
      cataloguePath: [cataloguePath],
      toleranceKm: 25,
      minHeightM: 200,
      region: null,
      grid: handGrid(),
      outDir: join(tmp, 'out-one'),
    });
    expect([one.metrics.tp, one.metrics.fp, one.metrics.fn, one.metrics.ignored]).toEqual([2, 2, 1, 2]);
    await expect(
      compareCatalogues({
        picksPath: join(tmp, 'seamounts.geojson'),
        cataloguePath: [],
        toleranceKm: 25,
        minHeightM: 0,
        region: null,
        outDir: join(tmp, 'out-none'),
      }),
    ).rejects.toThrow(/no reference catalogue/);
  });

  it('writes nothing when an input is bad', async () => {
    const bad = join(tmp, 'bad.txt');
    writeFileSync(bad, 'Longitude Latitude Height\n10 1 500\n10 x 500\n');
    const outDir = join(tmp, 'out-bad');
    await expect(
      compareCatalogues({ picksPath: join(tmp, 'seamounts.geojson'), cataloguePath: bad, toleranceKm: 25, minHeightM: 0, region: null, outDir }),
    ).rejects.toThrow(CatalogueError);
    expect(existsSync(outDir)).toBe(false);
    await expect(compareCatalogues({ picksPath: bad, cataloguePath, toleranceKm: 0, minHeightM: 0, region: null, outDir })).rejects.toThrow(/tolerance/);
  });
});

describe('compareCatalogues on the shared catalogues', () => {
  it('finds every KW seamount of the South Pacific box in Gevorgian et al., mostly under the same id', async () => {
    // counts by awk over -118/-107/-49/-42: 105 KW rows; 218 Gevorgian rows, 105 of them KW ids
    const data = (name: string) => join(process.cwd(), '../shared/data/catalogues', name);
    const outDir = join(tmp, 'out-real');
    const { metrics: m } = await compareCatalogues({
      picksPath: data('KWSMTSv01.txt'),
      cataloguePath: data('kw_gevorgian2023.xyhrdnc'),
      toleranceKm: 25,
      minHeightM: 0,
      region: parseRegion('-118/-107/-49/-42'),
      outDir,
    });
    expect([m.tp, m.fp, m.fn, m.ignored]).toEqual([105, 0, 113, 0]);
    expect(m.averagePrecision).toBeNull(); // the census has no confidence
    expect(m.positionErrorKm.median!).toBeLessThan(3);
    const pairs = readJson(join(outDir, 'matched.geojson')).features.map((f: Feature) => f.properties);
    const same = pairs.filter((p: Feature['properties']) => p.pick_id === p.ref_id).length;
    expect(same / pairs.length).toBeGreaterThan(0.95);
  });
});
