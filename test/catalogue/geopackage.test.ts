/**
 * `seamounts.gpkg`: the GeoPackage structure read back with SQLite itself (always), then with GDAL's
 * `ogrinfo` and GDAL's own validator `validate_gpkg.py` (skipped, with a message, where they are missing).
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import type { Database, SqlValue } from 'sql.js';
import { basalEllipseRing } from '../../src/catalogue/ellipse.js';
import { EXPORT_COLUMNS, exportRecord } from '../../src/catalogue/export-fields.js';
import { GPKG_APPLICATION_ID, GPKG_USER_VERSION, seamountsToGeoPackage, writeSeamountsGeoPackage } from '../../src/catalogue/geopackage.js';
import { gpkgPointBlob, gpkgPolygonBlob } from '../../src/catalogue/gpkg-binary.js';
import { outputLon, roundTo } from '../../src/catalogue/write.js';
import { describeWhen, testWhen, runs } from '../support/skip.js';
import { tempDir } from '../support/temp-dir.js';
import { FIXTURES, pick } from './export-fixtures.js';

const haveOgrinfo = runs('ogrinfo', ['--version']);
/** GDAL's GeoPackage validator ships with python3-gdal; /usr/bin/python3 is the interpreter that has it. */
const validatorPython = ['/usr/bin/python3', 'python3'].find((py) => runs(py, ['-c', 'import osgeo_utils.samples.validate_gpkg']));
if (!haveOgrinfo) console.warn('ogrinfo (GDAL, Debian gdal-bin) not found: the GDAL checks of seamounts.gpkg are skipped');
if (!validatorPython) console.warn('python3 with osgeo_utils (Debian python3-gdal) not found: validate_gpkg.py checks are skipped');

const dir = tempDir('seamount-gpkg-');
const LAST_CHANGE = new Date('2024-05-01T12:00:00.000Z');

async function open(bytes: Uint8Array): Promise<Database> {
  const SQL = await initSqlJs();
  return new SQL.Database(bytes);
}
const rows = (db: Database, sql: string): SqlValue[][] => db.exec(sql)[0]?.values ?? [];

/** Decodes a GeoPackage geometry blob: header fields, envelope, WKB type and coordinates. */
function decode(blob: Uint8Array) {
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const magic = String.fromCharCode(blob[0], blob[1]);
  const flags = blob[3];
  const envelope = [0, 1, 2, 3].map((i) => v.getFloat64(8 + 8 * i, true));
  let o = 40;
  const byteOrder = v.getUint8(o);
  const type = v.getUint32(o + 1, true);
  o += 5;
  const rings: Array<Array<[number, number]>> = [];
  if (type === 1) {
    rings.push([[v.getFloat64(o, true), v.getFloat64(o + 8, true)]]);
    o += 16;
  } else {
    const nRings = v.getUint32(o, true);
    o += 4;
    for (let r = 0; r < nRings; r++) {
      const n = v.getUint32(o, true);
      o += 4;
      const ring: Array<[number, number]> = [];
      for (let k = 0; k < n; k++, o += 16) ring.push([v.getFloat64(o, true), v.getFloat64(o + 8, true)]);
      rings.push(ring);
    }
  }
  return { magic, version: blob[2], flags, srsId: v.getInt32(4, true), envelope, byteOrder, type, rings, end: o };
}

describe('GeoPackage geometry blobs', () => {
  it('a point: GP, version 0, little-endian with an [minx maxx miny maxy] envelope, SRS 4326, WKB Point', () => {
    const blob = gpkgPointBlob(-155.5, 19.25, 4326);
    expect(blob).toHaveLength(61);
    expect(decode(blob)).toEqual({
      magic: 'GP',
      version: 0,
      flags: 0b11,
      srsId: 4326,
      envelope: [-155.5, -155.5, 19.25, 19.25],
      byteOrder: 1,
      type: 1,
      rings: [[[-155.5, 19.25]]],
      end: 61,
    });
  });

  it('a polygon: WKB Polygon with its rings, the envelope of the exterior ring', () => {
    const ring: Array<[number, number]> = [
      [0, 0],
      [2, 0],
      [2, 1],
      [0, 0],
    ];
    const d = decode(gpkgPolygonBlob([ring], 4326));
    expect(d).toMatchObject({ magic: 'GP', flags: 0b11, srsId: 4326, type: 3, envelope: [0, 2, 0, 1], rings: [ring], end: 117 });
    expect(() =>
      gpkgPolygonBlob(
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
          ],
        ],
        4326,
      ),
    ).toThrow(/ring/);
    expect(() => gpkgPointBlob(NaN, 0, 4326)).toThrow(/finite/);
  });
});

describe('seamountsToGeoPackage (read back with SQLite)', () => {
  it('is a GeoPackage by its header and core tables, and a sound SQLite database', async () => {
    const { bytes, summary } = await seamountsToGeoPackage(FIXTURES, { lastChange: LAST_CHANGE, description: 'test grid' });
    expect(summary).toEqual({ seamounts: 5, ellipses: 4, withoutEllipse: ['SMT-000005'] });
    expect(Buffer.from(bytes.subarray(0, 16)).toString('latin1')).toBe('SQLite format 3\0');
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(68)).toBe(0x47504b47); // 'GPKG' in the header
    const db = await open(bytes);
    try {
      expect(rows(db, 'PRAGMA application_id')).toEqual([[GPKG_APPLICATION_ID]]);
      expect(rows(db, 'PRAGMA user_version')).toEqual([[GPKG_USER_VERSION]]);
      expect(rows(db, 'PRAGMA integrity_check')).toEqual([['ok']]);
      expect(rows(db, 'PRAGMA foreign_key_check')).toEqual([]);
      expect(rows(db, 'SELECT srs_id, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys ORDER BY srs_id')).toEqual([
        [-1, 'NONE', -1],
        [0, 'NONE', 0],
        [4326, 'EPSG', 4326],
      ]);
      expect(rows(db, 'SELECT table_name, data_type, srs_id, last_change FROM gpkg_contents ORDER BY table_name')).toEqual([
        ['basal_ellipses', 'features', 4326, '2024-05-01T12:00:00.000Z'],
        ['seamounts', 'features', 4326, '2024-05-01T12:00:00.000Z'],
      ]);
      expect(rows(db, 'SELECT table_name, column_name, geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns ORDER BY table_name')).toEqual([
        ['basal_ellipses', 'geom', 'POLYGON', 4326, 0, 0],
        ['seamounts', 'geom', 'POINT', 4326, 0, 0],
      ]);
      const [[desc]] = rows(db, "SELECT description FROM gpkg_contents WHERE table_name = 'seamounts'");
      expect(desc).toMatch(/test grid/);
      // no spatial index: sql.js has no R*Tree module, so none is declared
      expect(rows(db, "SELECT name FROM sqlite_master WHERE name LIKE 'rtree%' OR name = 'gpkg_extensions'")).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('writes every seamount as a point and every drawable ellipse as a polygon, with the exported columns', async () => {
    const { bytes } = await seamountsToGeoPackage(FIXTURES, { lastChange: LAST_CHANGE });
    const db = await open(bytes);
    try {
      const names = EXPORT_COLUMNS.map((c) => c.name);
      const columns = rows(db, "SELECT name, type FROM pragma_table_info('seamounts') ORDER BY cid");
      expect(columns).toEqual([['fid', 'INTEGER'], ['geom', 'POINT'], ...EXPORT_COLUMNS.map((c) => [c.name, c.type])]);
      const points = rows(db, `SELECT geom, ${names.map((n) => `"${n}"`).join(', ')} FROM seamounts ORDER BY fid`);
      expect(points).toHaveLength(5);
      points.forEach((row, k) => {
        const s = FIXTURES[k];
        const g = decode(row[0] as Uint8Array);
        expect(g).toMatchObject({ magic: 'GP', srsId: 4326, type: 1, rings: [[[outputLon(s.lon), roundTo(s.lat, 5)]]] });
        const want = exportRecord(s);
        // SQLite keeps BOOLEAN columns as 0 / 1
        const stored = Object.fromEntries(Object.entries(want).map(([n, v]) => [n, typeof v === 'boolean' ? (v ? 1 : 0) : v]));
        expect(Object.fromEntries(names.map((n, i) => [n, row[i + 1]]))).toEqual(stored);
      });
      expect(points[3][names.indexOf('island') + 1]).toBe(1); // the island near 80° N
      expect(points[4][names.indexOf('major_km') + 1]).toBeNull(); // NaN is NULL, not a number

      const polys = rows(db, 'SELECT geom, id FROM basal_ellipses ORDER BY fid');
      expect(polys.map((r) => r[1])).toEqual(['SMT-000001', 'SMT-000002', 'SMT-000003', 'SMT-000004']);
      polys.forEach(([blob], k) => {
        const g = decode(blob as Uint8Array);
        const want = basalEllipseRing(FIXTURES[k])!.map(([x, y]) => [roundTo(x, 6), roundTo(y, 6)]);
        expect(g.type).toBe(3);
        expect(g.rings).toEqual([want]);
        const xs = want.map((p) => p[0]!);
        const ys = want.map((p) => p[1]!);
        expect(g.envelope).toEqual([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]);
      });
      // the antimeridian ring stays continuous (documented): it runs past +180
      expect(decode(polys[1][0] as Uint8Array).envelope[1]).toBeGreaterThan(180);
      const [[minX, maxX]] = rows(db, "SELECT min_x, max_x FROM gpkg_contents WHERE table_name = 'seamounts'");
      expect([minX, maxX]).toEqual([-179.97, 179.95]);
    } finally {
      db.close();
    }
  });

  it('refuses a position that is not a lon/lat', async () => {
    await expect(seamountsToGeoPackage([pick('bad', 0, 95)])).rejects.toThrow(/seamount 1 \(bad\)/);
  });
});

describe('writeSeamountsGeoPackage', () => {
  it('writes atomically: replaces an old file whole and leaves no temporary file', async () => {
    const path = join(dir, 'atomic.gpkg');
    writeFileSync(path, 'an old, unrelated file');
    const summary = await writeSeamountsGeoPackage(path, FIXTURES, { lastChange: LAST_CHANGE });
    expect(summary.seamounts).toBe(5);
    expect(readdirSync(dir).filter((n) => n.includes('atomic'))).toEqual(['atomic.gpkg']);
    const again = await seamountsToGeoPackage(FIXTURES, { lastChange: LAST_CHANGE });
    expect(Buffer.compare(readFileSync(path), Buffer.from(again.bytes))).toBe(0); // same input, same bytes
  });
});

/** `ogrinfo` output and exit, with stderr kept apart (GDAL prints its warnings there). */
function ogrinfo(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('ogrinfo', args, { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Features of `ogrinfo -al` output: layer → list of { fields, geometry WKT }. */
function ogrFeatures(text: string): Map<string, Array<{ fields: Record<string, string>; wkt: string }>> {
  const out = new Map<string, Array<{ fields: Record<string, string>; wkt: string }>>();
  let current: { fields: Record<string, string>; wkt: string } | null = null;
  for (const line of text.split('\n')) {
    const head = /^OGRFeature\((\w+)\):\d+$/.exec(line);
    if (head) {
      current = { fields: {}, wkt: '' };
      out.set(head[1], [...(out.get(head[1]) ?? []), current]);
      continue;
    }
    if (!current) continue;
    const field = /^ {2}(\w+) \([^)]*\)+ = (.*)$/.exec(line);
    if (field) current.fields[field[1]] = field[2];
    else if (/^ {2}(POINT|POLYGON) /.test(line)) current.wkt = line.trim();
  }
  return out;
}

const wktNumbers = (wkt: string): number[] => (wkt.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);

describeWhen(haveOgrinfo)('GDAL reads seamounts.gpkg (ogrinfo)', () => {
  let path = '';
  beforeAll(async () => {
    path = join(dir, 'seamounts.gpkg');
    await writeSeamountsGeoPackage(path, FIXTURES, { lastChange: LAST_CHANGE });
  });

  it('lists both layers with their geometry type, feature count and EPSG:4326, and warns of nothing', () => {
    const r = ogrinfo(['-so', '-al', path]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/^(Warning|ERROR) \d/m); // GDAL's message prefix
    const layers = r.stdout.split(/\n(?=Layer name: )/).slice(1);
    expect(layers).toHaveLength(2);
    const info = layers.map((l) => ({
      name: /Layer name: (\w+)/.exec(l)?.[1],
      geometry: /Geometry: (.+)/.exec(l)?.[1],
      count: Number(/Feature Count: (\d+)/.exec(l)?.[1]),
      epsg4326: /ID\["EPSG",4326\]\]\s*$/m.test(l.split('Data axis')[0]),
    }));
    expect(info).toEqual([
      { name: 'seamounts', geometry: 'Point', count: 5, epsg4326: true },
      { name: 'basal_ellipses', geometry: 'Polygon', count: 4, epsg4326: true },
    ]);
    expect(r.stdout).toMatch(/island: Integer\(Boolean\)/);
    expect(r.stdout).toMatch(/height_m: Real/);
    expect(r.stdout).toMatch(/windows: Integer \(/); // 32-bit, so shapefile / KML conversions keep it an integer
  });

  it('round-trips every value and every vertex through ogrinfo -al', () => {
    const r = ogrinfo(['-al', '-q', path]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const features = ogrFeatures(r.stdout);
    const points = features.get('seamounts')!;
    expect(points).toHaveLength(5);
    points.forEach((f, k) => {
      const s = FIXTURES[k];
      const want = exportRecord(s);
      for (const c of EXPORT_COLUMNS) {
        const v = want[c.name];
        const expected = v === null ? '(null)' : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
        expect([c.name, f.fields[c.name]]).toEqual([c.name, expected]);
      }
      expect(wktNumbers(f.wkt)).toEqual([outputLon(s.lon), roundTo(s.lat, 5)]);
    });
    const polys = features.get('basal_ellipses')!;
    expect(polys.map((f) => f.fields.id)).toEqual(['SMT-000001', 'SMT-000002', 'SMT-000003', 'SMT-000004']);
    polys.forEach((f, k) => {
      const want = basalEllipseRing(FIXTURES[k])!.flatMap(([x, y]) => [roundTo(x, 6), roundTo(y, 6)]);
      expect(f.wkt.startsWith('POLYGON ((')).toBe(true);
      expect(wktNumbers(f.wkt)).toEqual(want);
    });
    expect(polys[3].fields.island).toBe('1');
  });

  it('an empty catalogue is a valid GeoPackage with two empty layers', async () => {
    const empty = join(dir, 'empty.gpkg');
    expect(await writeSeamountsGeoPackage(empty, [])).toEqual({ seamounts: 0, ellipses: 0, withoutEllipse: [] });
    const r = ogrinfo(['-so', '-al', empty]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.match(/Feature Count: 0/g)).toHaveLength(2);
  });

  testWhen(validatorPython !== undefined)('passes GDAL validate_gpkg.py (the OGC requirements, Req by Req)', async () => {
    const empty = join(dir, 'empty-validated.gpkg');
    await writeSeamountsGeoPackage(empty, []);
    for (const file of [path, empty]) {
      const v = spawnSync(validatorPython!, ['-m', 'osgeo_utils.samples.validate_gpkg', file], { encoding: 'utf8' });
      expect({ file, status: v.status, out: `${v.stdout}${v.stderr}`.trim() }).toEqual({ file, status: 0, out: '' });
    }
  });
});
