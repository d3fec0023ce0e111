import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CSV_COLUMNS,
  readCatalogue,
  readCatalogueFile,
  seamountsToCsv,
  seamountsToGeoJson,
  writeSeamountsCsv,
  writeSeamountsGeoJson,
} from '../../src/catalogue/index.js';
import type { Seamount } from '../../src/types.js';
import { MORPHOMETRY } from '../support/morphometry-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'seamount-catalogue-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const smt = (k: number, over: Partial<Seamount> = {}): Seamount => ({
  id: `SMT-${String(k).padStart(6, '0')}`,
  lon: -155.123456789 + k,
  lat: 19.5000049 - k * 0.1,
  summitDepthM: -1234.5678,
  baseDepthM: -4321.04,
  heightM: 3086.4722,
  radiusKm: 12.34567,
  ellipse: { azimuthDeg: 45.26, majorKm: 15.4321, minorKm: 9.87654 },
  fitR2: 0.91234,
  reconstructionError: 0.0123456789,
  confidence: 0.987654,
  windows: 7,
  ...MORPHOMETRY,
  ...over,
});

/** The RFC 7946 rules a consumer relies on for our layers. */
function expectValidPointCollection(doc: unknown): void {
  const fc = doc as { type: string; features: Array<{ type: string; geometry: { type: string; coordinates: unknown }; properties: unknown }> };
  expect(fc.type).toBe('FeatureCollection');
  expect(Array.isArray(fc.features)).toBe(true);
  for (const f of fc.features) {
    expect(f.type).toBe('Feature');
    expect(f.geometry.type).toBe('Point');
    const c = f.geometry.coordinates as number[];
    expect(c).toHaveLength(2);
    expect(c.every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    expect(c[0]).toBeGreaterThanOrEqual(-180);
    expect(c[0]).toBeLessThanOrEqual(180);
    expect(c[1]).toBeGreaterThanOrEqual(-90);
    expect(c[1]).toBeLessThanOrEqual(90);
    expect(typeof f.properties).toBe('object');
  }
}

describe('seamountsToGeoJson', () => {
  it('writes [lon, lat] points with rounded, snake_case properties', () => {
    const fc = seamountsToGeoJson([smt(0)]);
    expectValidPointCollection(fc);
    const f = fc.features[0];
    expect(f.id).toBe('SMT-000000');
    expect(f.geometry.coordinates).toEqual([-155.12346, 19.5]);
    expect(f.properties).toEqual({
      id: 'SMT-000000',
      confidence: 0.9877,
      reconstruction_error: 0.0123457,
      depth_m: -1234.6,
      base_depth_m: -4321,
      height_m: 3086.5,
      radius_km: 12.35,
      azimuth_deg: 45.3,
      major_km: 15.43,
      minor_km: 9.88,
      fit_r2: 0.912,
      windows: 7,
      island: false,
      class: 'seamount',
      volume_km3: 318.5,
      flank_slope_deg: 9.88,
      plateau_area_km2: 0,
      plateau_share: 0,
      flat_topped: false,
      shape: 'gaussian',
      height_sd_m: 24.6,
      radius_sd_km: 0.46,
    });
    expect('seamount_detect' in fc).toBe(false);
  });

  it('wraps longitudes into -180..180 (one spelling for the antimeridian)', () => {
    const lons = seamountsToGeoJson([smt(0, { lon: 190 }), smt(1, { lon: 180 }), smt(2, { lon: -180 }), smt(3, { lon: 359.999999 })]).features.map(
      (f) => f.geometry.coordinates[0],
    );
    expect(lons).toEqual([-170, -180, -180, 0]);
  });

  it('writes null for measurements that are not numbers (JSON has no NaN)', () => {
    const f = seamountsToGeoJson([smt(0, { fitR2: NaN, heightM: Infinity })]).features[0];
    expect(f.properties.fit_r2).toBeNull();
    expect(f.properties.height_m).toBeNull();
    expect(JSON.parse(JSON.stringify(f)).properties.fit_r2).toBeNull();
  });

  it('refuses positions that are not lon/lat', () => {
    expect(() => seamountsToGeoJson([smt(0), smt(1, { lat: 91 })])).toThrow(/seamount 2 \(SMT-000001\)/);
    expect(() => seamountsToCsv([smt(0, { lon: NaN })])).toThrow(/seamount 1/);
  });

  it('carries run metadata as the foreign member seamount_detect', () => {
    const fc = seamountsToGeoJson([smt(0)], { version: '0.1.0', region: '-160/-150/15/25' });
    expect(fc.seamount_detect).toEqual({ version: '0.1.0', region: '-160/-150/15/25' });
  });
});

describe('writers and readers round trip', () => {
  const seamounts = [smt(0), smt(1, { lon: 185.5, confidence: 0.5 }), smt(2, { fitR2: NaN })];

  it('GeoJSON: what is written reads back, byte-identical on a second write', async () => {
    const path = join(tmp, 'seamounts.geojson');
    await writeSeamountsGeoJson(path, seamounts, { grid: 'g.nc', region: '-160/-150/15/25' });
    const text = readFileSync(path, 'utf8');
    expectValidPointCollection(JSON.parse(text));
    await writeSeamountsGeoJson(path, seamounts, { grid: 'g.nc', region: '-160/-150/15/25' });
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(readdirSync(tmp).filter((n) => n.includes('.tmp-'))).toEqual([]);

    const { entries, meta } = await readCatalogueFile(path);
    expect(meta).toEqual({ grid: 'g.nc', region: '-160/-150/15/25' });
    expect(entries.map((e) => e.id)).toEqual(['SMT-000000', 'SMT-000001', 'SMT-000002']);
    expect(entries[1]).toMatchObject({ lon: -174.5, lat: 19.4, heightM: 3086.5, radiusKm: 12.35, baseDepthM: -4321, confidence: 0.5, line: 2 });
  });

  it('CSV: the same values as the GeoJSON', async () => {
    const csvPath = join(tmp, 'seamounts.csv');
    await writeSeamountsCsv(csvPath, seamounts);
    const lines = readFileSync(csvPath, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(4);
    expect(lines[3].split(',')[CSV_COLUMNS.indexOf('fit_r2')]).toBe('');

    const geoPath = join(tmp, 'same.geojson');
    await writeSeamountsGeoJson(geoPath, seamounts);
    const fromCsv = await readCatalogue(csvPath);
    const fromGeo = await readCatalogue(geoPath);
    expect(fromCsv.map(({ source: _s, line: _l, ...rest }) => rest)).toEqual(fromGeo.map(({ source: _s, line: _l, ...rest }) => rest));
  });

  it("puts issue 28's columns after the older ones (readers by position keep working)", () => {
    const older = [
      'id',
      'lon',
      'lat',
      'confidence',
      'reconstruction_error',
      'depth_m',
      'base_depth_m',
      'height_m',
      'radius_km',
      'azimuth_deg',
      'major_km',
      'minor_km',
      'fit_r2',
      'windows',
      'island',
    ];
    expect(CSV_COLUMNS.slice(0, older.length)).toEqual(older);
    expect(CSV_COLUMNS.slice(older.length)).toEqual([
      'class',
      'volume_km3',
      'flank_slope_deg',
      'plateau_area_km2',
      'plateau_share',
      'flat_topped',
      'shape',
      'height_sd_m',
      'radius_sd_km',
    ]);
    const row = seamountsToCsv([smt(0, { seamountClass: 'guyot', flatTopped: true, plateauShare: 0.16, profileShape: 'cone', volumeKm3: NaN })])
      .trimEnd()
      .split('\n')[1]
      .split(',');
    const at = (c: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(c)];
    expect([at('class'), at('flat_topped'), at('plateau_share'), at('shape'), at('volume_km3')]).toEqual(['guyot', 'true', '0.16', 'cone', '']);
  });

  it('empty inputs give a valid empty collection and a header-only CSV', async () => {
    const g = join(tmp, 'empty.geojson');
    const c = join(tmp, 'empty.csv');
    await writeSeamountsGeoJson(g, []);
    await writeSeamountsCsv(c, []);
    expect(JSON.parse(readFileSync(g, 'utf8'))).toEqual({ type: 'FeatureCollection', features: [] });
    expect(await readCatalogue(g)).toEqual([]);
    expect(await readCatalogue(c)).toEqual([]);
  });
});
