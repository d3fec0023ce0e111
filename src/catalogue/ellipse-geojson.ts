/**
 * `ellipses.geojson`: the basal ellipses of our picks as an RFC 7946 FeatureCollection for web maps
 * (Leaflet, MapLibre, deck.gl) and geopandas. Kept apart from `seamounts.geojson` (points), which
 * catalogue readers take as a list of positions.
 *
 * Each feature is a Polygon (exterior ring counter-clockwise, RFC 7946 §3.1.6), or a MultiPolygon of two
 * when the ellipse crosses the antimeridian, cut there as RFC 7946 §3.1.9 asks, so every longitude lies in
 * −180..180. Properties are those of the GeoPackage layers (`EXPORT_COLUMNS`). Seamounts without a
 * drawable ellipse are left out (the writer returns their ids).
 */
import type { Seamount } from '../types.js';
import { writeFileAtomic } from '../base/atomic.js';
import { basalEllipseRing, DEFAULT_ELLIPSE_VERTICES, splitAtAntimeridian, type LonLat } from './ellipse.js';
import { checkExportPosition, exportRecord, type EllipseExportSummary, type ExportRecord } from './export-fields.js';
import { roundTo } from './write.js';

export type EllipseGeometry = { type: 'Polygon'; coordinates: LonLat[][] } | { type: 'MultiPolygon'; coordinates: LonLat[][][] };

export interface EllipseFeature {
  type: 'Feature';
  id: string;
  geometry: EllipseGeometry;
  properties: ExportRecord;
}

export interface EllipseFeatureCollection {
  type: 'FeatureCollection';
  /** Run metadata (RFC 7946 §6.1 foreign member), as in `seamounts.geojson`. */
  seamount_detect?: Record<string, unknown>;
  features: EllipseFeature[];
}

export interface EllipseGeoJsonOptions {
  /** Vertices of each ellipse (default 64). */
  vertices?: number;
  /** Run metadata for the `seamount_detect` member. */
  meta?: Record<string, unknown>;
}

/** Decimals of the vertices: 1e-6° ≈ 0.1 m (RFC 7946 §11.2 suggests about 6). */
const DECIMALS = 6;
const round = ([lon, lat]: LonLat): LonLat => [roundTo(lon, DECIMALS) ?? NaN, roundTo(lat, DECIMALS) ?? NaN];

/**
 * The basal ellipses as a FeatureCollection plus the ids of seamounts left out (pure).
 *
 * @example
 * const { collection, withoutEllipse } = seamountEllipsesToGeoJson(seamounts);
 * collection.features[0].geometry.type // 'Polygon' ('MultiPolygon' across the antimeridian)
 */
export function seamountEllipsesToGeoJson(
  seamounts: readonly Seamount[],
  options: EllipseGeoJsonOptions = {},
): EllipseExportSummary & { collection: EllipseFeatureCollection } {
  const features: EllipseFeature[] = [];
  const withoutEllipse: string[] = [];
  seamounts.forEach((s, k) => {
    checkExportPosition(s, k);
    const ring = basalEllipseRing(s, options.vertices ?? DEFAULT_ELLIPSE_VERTICES);
    if (ring === null) {
      withoutEllipse.push(s.id);
      return;
    }
    const parts = splitAtAntimeridian(ring).map((r) => r.map(round));
    const geometry: EllipseGeometry =
      parts.length === 1 ? { type: 'Polygon', coordinates: [parts[0]] } : { type: 'MultiPolygon', coordinates: parts.map((p) => [p]) };
    features.push({ type: 'Feature', id: s.id, geometry, properties: exportRecord(s) });
  });
  const collection: EllipseFeatureCollection = options.meta
    ? { type: 'FeatureCollection', seamount_detect: options.meta, features }
    : { type: 'FeatureCollection', features };
  return { collection, ellipses: features.length, withoutEllipse };
}

/** A FeatureCollection as JSON text, one feature per line (as `seamounts.geojson`). */
function collectionText(fc: EllipseFeatureCollection): string {
  const head = ['{', '"type": "FeatureCollection",'];
  if (fc.seamount_detect) head.push(`"seamount_detect": ${JSON.stringify(fc.seamount_detect)},`);
  const body = fc.features.map((f) => JSON.stringify(f)).join(',\n');
  return `${head.join('\n')}\n"features": [\n${body}${body ? '\n' : ''}]\n}\n`;
}

/**
 * Writes `ellipses.geojson` atomically; returns how many ellipses it holds and which seamounts it left out.
 *
 * @example const { withoutEllipse } = await writeEllipsesGeoJson(join(outDir, 'ellipses.geojson'), seamounts, { meta });
 */
export async function writeEllipsesGeoJson(path: string, seamounts: readonly Seamount[], options: EllipseGeoJsonOptions = {}): Promise<EllipseExportSummary> {
  const { collection, ellipses, withoutEllipse } = seamountEllipsesToGeoJson(seamounts, options);
  await writeFileAtomic(path, collectionText(collection));
  return { ellipses, withoutEllipse };
}
