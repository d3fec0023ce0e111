/**
 * `seamounts.gpkg`: our picks as an OGC GeoPackage (1.2, see GPKG_USER_VERSION) that QGIS, ArcGIS, GDAL and geopandas open
 * directly, with two feature layers in EPSG:4326:
 * - `seamounts`: one POINT per summit;
 * - `basal_ellipses`: one POLYGON per basal ellipse (seamounts without a drawable ellipse are left out).
 * Both carry the columns of `EXPORT_COLUMNS` (the CSV's names, units and rounding, plus `island`).
 *
 * Why sql.js: SQLite compiled to WebAssembly, no native build and no install script, so it installs
 * offline here and in the node:20-bookworm-slim image alike (better-sqlite3 needs a prebuilt download or
 * a compiler). The database is built in memory and written atomically (temporary name, then rename).
 * Its SQLite has no R*Tree module, so the file has no spatial index; it is optional in GeoPackage and
 * `ogrinfo file.gpkg -sql "SELECT CreateSpatialIndex('seamounts', 'geom')"` adds one when a catalogue is
 * large enough to need it.
 *
 * Polygons near the antimeridian keep a continuous ring whose longitudes may pass ±180 (ellipse.ts).
 */
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import type { Seamount } from '../types.js';
import { writeFileAtomic } from '../base/atomic.js';
import { basalEllipseRing, DEFAULT_ELLIPSE_VERTICES, type LonLat } from './ellipse.js';
import { checkExportPosition, EXPORT_COLUMNS, exportRecord, type EllipseExportSummary, type ExportRecord } from './export-fields.js';
import { envelopeOf, gpkgPointBlob, gpkgPolygonBlob } from './gpkg-binary.js';
import { outputLon, roundTo } from './write.js';

/** 'GPKG' as the SQLite header's application_id. */
export const GPKG_APPLICATION_ID = 0x47504b47;
/**
 * GeoPackage 1.2.0 as the SQLite header's user_version. The file uses nothing newer than 1.2, and 1.2 is what
 * GDAL 3.6 (Debian bookworm, as here and in the Docker base) writes itself: it warns "may only be
 * partially supported" on 10400 (1.4), which GDAL ≥ 3.7 accepts. Raise it when GDAL 3.7 is the floor.
 */
export const GPKG_USER_VERSION = 10200;
export const SRS_ID_WGS84 = 4326;
/** Layer names of `seamounts.gpkg`. */
export const GPKG_LAYERS = { points: 'seamounts', ellipses: 'basal_ellipses' } as const;
/** Decimals of the ellipse vertices (1e-6° ≈ 0.1 m); points use the GeoJSON's 5. */
const VERTEX_DECIMALS = 6;

const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],' +
  'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],' +
  'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],' +
  'AUTHORITY["EPSG","4326"]]';

/** The tables every GeoPackage has (OGC 12-128, clauses 1.1.2, 1.1.3 and 2.1.5), and the three required SRS rows. */
const CORE_SQL = `
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', ${SRS_ID_WGS84}, 'EPSG', 4326, '${WGS84_WKT}',
   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
`;

export interface GeoPackageOptions {
  /** Vertices of each ellipse ring (default 64). */
  vertices?: number;
  /** `last_change` of both layers (default: now); pass the run's time for reproducible files. */
  lastChange?: Date;
  /** Appended to each layer's description in gpkg_contents, e.g. the grid and the program version. */
  description?: string;
}

/** What `seamountsToGeoPackage` wrote. */
export interface GeoPackageSummary extends EllipseExportSummary {
  /** Points written (every seamount). */
  seamounts: number;
}

let sqlJs: Promise<SqlJsStatic> | null = null;
/** sql.js, loaded once (the wasm file ships beside its JavaScript in the package). */
const loadSqlJs = (): Promise<SqlJsStatic> => (sqlJs ??= initSqlJs());

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

interface Feature {
  geometry: Uint8Array;
  envelope: [number, number, number, number];
  record: ExportRecord;
}

function createLayer(db: Database, table: string, geometryType: 'POINT' | 'POLYGON', description: string, lastChange: Date, features: Feature[]): void {
  const columns = EXPORT_COLUMNS.map((c) => `${quote(c.name)} ${c.type}${c.name === 'id' ? ' NOT NULL' : ''}`);
  db.run(`CREATE TABLE ${quote(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${geometryType}, ${columns.join(', ')})`);
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const f of features) {
    minX = Math.min(minX, f.envelope[0]);
    maxX = Math.max(maxX, f.envelope[1]);
    minY = Math.min(minY, f.envelope[2]);
    maxY = Math.max(maxY, f.envelope[3]);
  }
  const bounds: SqlValue[] = features.length > 0 ? [minX, minY, maxX, maxY] : [null, null, null, null];
  db.run(
    'INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [table, 'features', table, description, lastChange.toISOString(), ...bounds, SRS_ID_WGS84],
  );
  db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)', [table, 'geom', geometryType, SRS_ID_WGS84]);
  const names = ['geom', ...EXPORT_COLUMNS.map((c) => c.name)];
  const insert = db.prepare(`INSERT INTO ${quote(table)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
  try {
    for (const f of features) {
      const values = EXPORT_COLUMNS.map((c): SqlValue => {
        const v = f.record[c.name];
        return typeof v === 'boolean' ? (v ? 1 : 0) : v;
      });
      insert.run([f.geometry, ...values]);
    }
  } finally {
    insert.free();
  }
}

const roundVertex = ([lon, lat]: LonLat): LonLat => [roundTo(lon, VERTEX_DECIMALS) ?? NaN, roundTo(lat, VERTEX_DECIMALS) ?? NaN];

/**
 * Our picks as the bytes of a GeoPackage file (two layers; see the module comment). Pure apart from
 * loading sql.js. Throws on a seamount whose position is not a valid lon/lat.
 *
 * @example
 * const { bytes, summary } = await seamountsToGeoPackage(seamounts, { description: 'spac_33.nc4.nc, seamount-detect 0.1.0' });
 * summary.withoutEllipse; // ids left out of basal_ellipses
 */
export async function seamountsToGeoPackage(
  seamounts: readonly Seamount[],
  options: GeoPackageOptions = {},
): Promise<{ bytes: Uint8Array; summary: GeoPackageSummary }> {
  const vertices = options.vertices ?? DEFAULT_ELLIPSE_VERTICES;
  const lastChange = options.lastChange ?? new Date();
  const extra = options.description ? ` (${options.description})` : '';
  const points: Feature[] = [];
  const ellipses: Feature[] = [];
  const withoutEllipse: string[] = [];
  seamounts.forEach((s, k) => {
    checkExportPosition(s, k);
    const record = exportRecord(s);
    const lon = outputLon(s.lon);
    const lat = roundTo(s.lat, 5) ?? NaN;
    points.push({ geometry: gpkgPointBlob(lon, lat, SRS_ID_WGS84), envelope: [lon, lon, lat, lat], record });
    const ring = basalEllipseRing(s, vertices);
    if (ring === null) {
      withoutEllipse.push(s.id);
      return;
    }
    const rounded = ring.map(roundVertex);
    ellipses.push({ geometry: gpkgPolygonBlob([rounded], SRS_ID_WGS84), envelope: envelopeOf(rounded), record });
  });

  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.run(`PRAGMA application_id = ${GPKG_APPLICATION_ID}`);
    db.run(`PRAGMA user_version = ${GPKG_USER_VERSION}`);
    db.run('BEGIN');
    db.exec(CORE_SQL);
    createLayer(db, GPKG_LAYERS.points, 'POINT', `Seamount summits picked by seamount-detect${extra}`, lastChange, points);
    createLayer(db, GPKG_LAYERS.ellipses, 'POLYGON', `Basal ellipses of the seamounts (where the fitted shape meets the base)${extra}`, lastChange, ellipses);
    db.run('COMMIT');
    const bytes = db.export();
    return { bytes, summary: { seamounts: points.length, ellipses: ellipses.length, withoutEllipse } };
  } finally {
    db.close();
  }
}

/**
 * Writes `seamounts.gpkg` atomically (built in memory, written to a temporary name beside `path`, renamed).
 * An existing file at `path` is replaced whole.
 *
 * @example
 * const summary = await writeSeamountsGeoPackage(join(outDir, 'seamounts.gpkg'), seamounts, { lastChange: runStart });
 * if (summary.withoutEllipse.length) log.warn({ ids: summary.withoutEllipse }, 'seamounts without a basal ellipse');
 */
export async function writeSeamountsGeoPackage(path: string, seamounts: readonly Seamount[], options: GeoPackageOptions = {}): Promise<GeoPackageSummary> {
  const { bytes, summary } = await seamountsToGeoPackage(seamounts, options);
  await writeFileAtomic(path, bytes);
  return summary;
}
