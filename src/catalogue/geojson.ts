/**
 * GeoJSON (RFC 7946) types for our layers, and the reader of Point FeatureCollections (our own
 * `seamounts.geojson`, or anyone's catalogue of points).
 */
import { CatalogueError, RowProblems, type CatalogueEntry } from './entry.js';
import { COLUMN_NAMES, type Role } from './read-table.js';
import { normaliseLon } from '../base/geodesy.js';

export interface GeoJsonPoint {
  type: 'Point';
  /** [lon, lat] (RFC 7946 order), lon in −180..180. */
  coordinates: [number, number];
}

export interface GeoJsonPointFeature<P = Record<string, unknown>> {
  type: 'Feature';
  id?: string | number;
  geometry: GeoJsonPoint;
  properties: P;
}

/** A FeatureCollection of points; `seamount_detect` is a foreign member (RFC 7946 §6.1) with run metadata. */
export interface GeoJsonFeatureCollection<P = Record<string, unknown>> {
  type: 'FeatureCollection';
  seamount_detect?: Record<string, unknown>;
  features: Array<GeoJsonPointFeature<P>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Value of the first property named for `role` (case-insensitive). */
function property(props: Record<string, unknown>, lowerKeys: Map<string, string>, role: Role): unknown {
  for (const name of COLUMN_NAMES[role]) {
    const key = lowerKeys.get(name);
    if (key !== undefined) return props[key];
  }
  return undefined;
}

/**
 * Parses GeoJSON text into catalogue entries (one per Point feature; `line` is the 1-based feature
 * number) and returns the collection's `seamount_detect` member, if any.
 */
export function parseGeoJsonCatalogue(path: string, text: string): { entries: CatalogueEntry[]; meta: Record<string, unknown> | null } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CatalogueError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  let features: unknown[];
  if (isObject(doc) && doc.type === 'FeatureCollection' && Array.isArray(doc.features)) features = doc.features;
  else if (isObject(doc) && doc.type === 'Feature') features = [doc];
  else throw new CatalogueError(`${path}: JSON but not a GeoJSON FeatureCollection or Feature`);
  const meta = isObject(doc) && isObject(doc.seamount_detect) ? doc.seamount_detect : null;

  const problems = new RowProblems();
  const entries: CatalogueEntry[] = [];
  features.forEach((f, k) => {
    const n = k + 1;
    if (!isObject(f) || !isObject(f.geometry) || f.geometry.type !== 'Point') {
      const type = isObject(f) && isObject(f.geometry) ? String(f.geometry.type) : 'missing';
      problems.add(n, `geometry is ${type}, expected Point`);
      return;
    }
    const c = f.geometry.coordinates;
    if (!Array.isArray(c) || c.length < 2 || typeof c[0] !== 'number' || typeof c[1] !== 'number' || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) {
      problems.add(n, 'coordinates are not [lon, lat] numbers');
      return;
    }
    const [lon, lat] = c as number[];
    if (lat < -90 || lat > 90 || lon < -360 || lon > 360) {
      problems.add(n, `coordinates [${lon}, ${lat}] out of range (is the order [lon, lat]?)`);
      return;
    }
    const props = isObject(f.properties) ? f.properties : {};
    const lowerKeys = new Map(Object.keys(props).map((key) => [key.toLowerCase(), key]));
    const before = problems.count;
    const num = (role: Role, what: string): number | null => {
      const v = property(props, lowerKeys, role);
      if (v === undefined || v === null) return null;
      const x = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        problems.add(n, `${what} ${JSON.stringify(v)} is not a number`);
        return null;
      }
      return x;
    };
    const heightM = num('heightM', 'height');
    let radiusKm = num('radiusKm', 'radius');
    const majorKm = num('majorKm', 'major axis');
    const minorKm = num('minorKm', 'minor axis');
    if (radiusKm === null && majorKm !== null && minorKm !== null) radiusKm = Math.sqrt(majorKm * minorKm);
    const baseDepthM = num('baseDepthM', 'base depth');
    const confidence = num('confidence', 'confidence');
    if (problems.count > before) return;
    const idValue = property(props, lowerKeys, 'id') ?? f.id;
    entries.push({
      id: typeof idValue === 'string' || typeof idValue === 'number' ? String(idValue) : `feature ${n}`,
      lon: normaliseLon(lon),
      lat,
      heightM,
      radiusKm,
      baseDepthM,
      confidence,
      source: path,
      line: n,
    });
  });
  problems.throwIfAny(path, 'feature');
  return { entries, meta };
}
