/** `ellipses.geojson`: RFC 7946 polygons (counter-clockwise, cut at the antimeridian), read back by GDAL where it is installed. */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { basalEllipseRing, type LonLat } from '../../src/catalogue/ellipse.js';
import { seamountEllipsesToGeoJson, writeEllipsesGeoJson } from '../../src/catalogue/ellipse-geojson.js';
import { exportRecord } from '../../src/catalogue/export-fields.js';
import { roundTo } from '../../src/catalogue/write.js';
import { testWhen, runs } from '../support/skip.js';
import { tempDir } from '../support/temp-dir.js';
import { FIXTURES, sphericalRingAreaKm2 } from './export-fixtures.js';

const haveOgrinfo = runs('ogrinfo', ['--version']);
if (!haveOgrinfo) console.warn('ogrinfo (GDAL, Debian gdal-bin) not found: GDAL reading ellipses.geojson is skipped');
const dir = tempDir('seamount-ellipses-');

/** Every ring of a feature's geometry. */
const ringsOf = (g: { type: 'Polygon'; coordinates: LonLat[][] } | { type: 'MultiPolygon'; coordinates: LonLat[][][] }): LonLat[][] =>
  g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();

describe('seamountEllipsesToGeoJson', () => {
  const { collection, ellipses, withoutEllipse } = seamountEllipsesToGeoJson(FIXTURES, { meta: { version: '0.1.0' } });

  it('one feature per drawable ellipse, the properties of the GeoPackage layers, the rest named', () => {
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.seamount_detect).toEqual({ version: '0.1.0' });
    expect(ellipses).toBe(4);
    expect(withoutEllipse).toEqual(['SMT-000005']);
    expect(collection.features.map((f) => f.id)).toEqual(['SMT-000001', 'SMT-000002', 'SMT-000003', 'SMT-000004']);
    collection.features.forEach((f, k) => expect(f.properties).toEqual(exportRecord(FIXTURES[k])));
    expect(collection.features[3].properties.island).toBe(true);
    expect(collection.features[0].properties.island).toBe(false);
  });

  it('RFC 7946: rings closed, counter-clockwise, longitudes within [-180, 180], latitudes within [-90, 90]', () => {
    for (const f of collection.features) {
      for (const ring of ringsOf(f.geometry)) {
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(ring[ring.length - 1]).toEqual(ring[0]);
        expect(sphericalRingAreaKm2(ring)).toBeGreaterThan(0);
        for (const [lon, lat] of ring) {
          expect(Math.abs(lon)).toBeLessThanOrEqual(180);
          expect(Math.abs(lat)).toBeLessThanOrEqual(90);
        }
      }
    }
  });

  it('a Polygon with the ring of the GeoPackage away from the seam; a MultiPolygon of two parts across it', () => {
    const [hawaii, east, west, arctic] = collection.features;
    expect(hawaii.geometry.type).toBe('Polygon');
    expect(arctic.geometry.type).toBe('Polygon');
    const want = basalEllipseRing(FIXTURES[0])!.map(([x, y]) => [roundTo(x, 6), roundTo(y, 6)]);
    expect(hawaii.geometry.coordinates).toEqual([want]);
    for (const [f, s] of [
      [east, FIXTURES[1]],
      [west, FIXTURES[2]],
    ] as const) {
      expect(f.geometry.type).toBe('MultiPolygon');
      const parts = ringsOf(f.geometry);
      expect(parts).toHaveLength(2);
      const lons = parts.flat().map((p) => p[0]);
      expect(lons).toContain(180);
      expect(lons).toContain(-180);
      const area = parts.reduce((a, r) => a + sphericalRingAreaKm2(r), 0);
      expect(Math.abs(area / (Math.PI * s.ellipse.majorKm * s.ellipse.minorKm) - 1)).toBeLessThan(0.005);
    }
  });
});

describe('writeEllipsesGeoJson', () => {
  it('writes the collection atomically, one feature per line', async () => {
    const path = join(dir, 'ellipses.geojson');
    expect(await writeEllipsesGeoJson(path, FIXTURES, { meta: { grid: 'g.nc' } })).toEqual({ ellipses: 4, withoutEllipse: ['SMT-000005'] });
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    const text = readFileSync(path, 'utf8');
    expect(JSON.parse(text)).toEqual(seamountEllipsesToGeoJson(FIXTURES, { meta: { grid: 'g.nc' } }).collection);
    expect(text.split('\n').filter((l) => l.startsWith('{"type":"Feature"'))).toHaveLength(4);
  });

  testWhen(haveOgrinfo)('GDAL reads it as 4 polygons in EPSG:4326 with no warning', async () => {
    const path = join(dir, 'gdal.geojson');
    await writeEllipsesGeoJson(path, FIXTURES);
    const r = spawnSync('ogrinfo', ['-al', '-q', path], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.match(/^ {2}POLYGON \(\(/gm)).toHaveLength(2);
    expect(r.stdout.match(/^ {2}MULTIPOLYGON \(\(\(/gm)).toHaveLength(2);
    expect(r.stdout.match(/island \(Integer\(Boolean\)\) = 1/g)).toHaveLength(1);
    const so = spawnSync('ogrinfo', ['-so', '-al', path], { encoding: 'utf8' });
    expect(so.stdout).toMatch(/Feature Count: 4/);
    expect(so.stdout).toMatch(/ID\["EPSG",4326\]/);
  });
});
