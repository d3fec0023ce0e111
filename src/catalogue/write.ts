/**
 * Writers of our picks: `seamounts.geojson` (an RFC 7946 FeatureCollection of Points, `[lon, lat]` with lon
 * in −180..180, in the input's order, run metadata in the foreign member `seamount_detect`) and
 * `seamounts.csv`. The properties, their meaning, units and rounding are described once, in
 * docs/outputs.md; `SeamountProperties` and `CSV_COLUMNS` below are their names. New columns go after the
 * old ones, so a reader by column position keeps working.
 */
import type { Seamount } from '../types.js';
import { writeFileAtomic } from '../base/atomic.js';
import type { GeoJsonFeatureCollection, GeoJsonPointFeature } from './geojson.js';
import { normaliseLon } from '../base/geodesy.js';

/** Properties of one feature of `seamounts.geojson`. */
export interface SeamountProperties {
  id: string;
  confidence: number | null;
  reconstruction_error: number | null;
  depth_m: number | null;
  base_depth_m: number | null;
  height_m: number | null;
  radius_km: number | null;
  azimuth_deg: number | null;
  major_km: number | null;
  minor_km: number | null;
  fit_r2: number | null;
  windows: number | null;
  /** True for a summit above sea level, kept only with `islands: keep`. */
  island: boolean;
  // issue 28's columns, after the older ones so readers by position still work (docs/outputs.md)
  /** `seamount` | `knoll` | `hill` | `guyot` | `island` (IHO 2008; Harris et al. 2014). */
  class: Seamount['seamountClass'] | null;
  volume_km3: number | null;
  flank_slope_deg: number | null;
  plateau_area_km2: number | null;
  plateau_share: number | null;
  flat_topped: boolean;
  /** Best-fitting radial shape: `gaussian` | `cone` | `parabolic` | `polynomial`. */
  shape: Seamount['profileShape'] | null;
  height_sd_m: number | null;
  radius_sd_km: number | null;
}

/** Rounds to `decimals`; null for NaN/±Infinity (JSON has no NaN); never −0. */
export function roundTo(value: number, decimals: number): number | null {
  if (!Number.isFinite(value)) return null;
  const f = 10 ** decimals;
  const r = Math.round(value * f) / f;
  return r === 0 ? 0 : r;
}

/** Rounds to `digits` significant digits; null for non-finite values. */
export function roundSignificant(value: number, digits: number): number | null {
  if (!Number.isFinite(value)) return null;
  if (value === 0) return 0;
  return Number(value.toPrecision(digits));
}

/** Longitude for output: wrapped into −180..180 and rounded to 5 decimals. */
export const outputLon = (lon: number): number => {
  const r = roundTo(normaliseLon(lon), 5) ?? NaN;
  return r === 180 ? -180 : r; // one spelling for the antimeridian, as wrapLon180: [-180, 180)
};

export function seamountProperties(s: Seamount): SeamountProperties {
  return {
    id: s.id,
    confidence: roundTo(s.confidence, 4),
    reconstruction_error: roundSignificant(s.reconstructionError, 6),
    depth_m: roundTo(s.summitDepthM, 1),
    base_depth_m: roundTo(s.baseDepthM, 1),
    height_m: roundTo(s.heightM, 1),
    radius_km: roundTo(s.radiusKm, 2),
    azimuth_deg: roundTo(s.ellipse.azimuthDeg, 1),
    major_km: roundTo(s.ellipse.majorKm, 2),
    minor_km: roundTo(s.ellipse.minorKm, 2),
    fit_r2: roundTo(s.fitR2, 3),
    windows: Number.isFinite(s.windows) ? Math.round(s.windows) : null,
    island: s.island === true,
    class: s.seamountClass ?? null,
    volume_km3: roundSignificant(s.volumeKm3, 4),
    flank_slope_deg: roundTo(s.flankSlopeDeg, 2),
    plateau_area_km2: roundTo(s.plateauAreaKm2, 2),
    plateau_share: roundTo(s.plateauShare, 3),
    flat_topped: s.flatTopped === true,
    shape: s.profileShape ?? null,
    height_sd_m: roundTo(s.heightSdM, 1),
    radius_sd_km: roundTo(s.radiusSdKm, 2),
  };
}

function checkPosition(s: Seamount, k: number): void {
  if (!Number.isFinite(s.lon) || !Number.isFinite(s.lat) || s.lat < -90 || s.lat > 90) {
    throw new Error(`seamount ${k + 1} (${s.id}): position (${s.lon}, ${s.lat}) is not a valid lon/lat`);
  }
}

/**
 * Our picks as an RFC 7946 FeatureCollection (pure; see the module comment for the properties).
 *
 * @example
 * seamountsToGeoJson([smt], { version: '0.1.0' }).features[0].geometry.coordinates // [-155.12346, 19.5]
 */
export function seamountsToGeoJson(seamounts: Seamount[], meta?: Record<string, unknown>): GeoJsonFeatureCollection<SeamountProperties> {
  const features: Array<GeoJsonPointFeature<SeamountProperties>> = seamounts.map((s, k) => {
    checkPosition(s, k);
    return {
      type: 'Feature',
      id: s.id,
      geometry: { type: 'Point', coordinates: [outputLon(s.lon), roundTo(s.lat, 5) ?? NaN] },
      properties: seamountProperties(s),
    };
  });
  return meta ? { type: 'FeatureCollection', seamount_detect: meta, features } : { type: 'FeatureCollection', features };
}

/** Writes `seamounts.geojson` atomically (one feature per line, so diffs and `grep` stay readable). */
export async function writeSeamountsGeoJson(path: string, seamounts: Seamount[], meta?: Record<string, unknown>): Promise<void> {
  await writeFileAtomic(path, featureCollectionText(seamountsToGeoJson(seamounts, meta)));
}

/** A FeatureCollection as JSON text with one feature per line. */
export function featureCollectionText(fc: GeoJsonFeatureCollection<object>): string {
  const head: string[] = ['{', '"type": "FeatureCollection",'];
  if (fc.seamount_detect) head.push(`"seamount_detect": ${JSON.stringify(fc.seamount_detect)},`);
  const body = fc.features.map((f) => JSON.stringify(f)).join(',\n');
  return `${head.join('\n')}\n"features": [\n${body}${body ? '\n' : ''}]\n}\n`;
}

export const CSV_COLUMNS = [
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
  'class',
  'volume_km3',
  'flank_slope_deg',
  'plateau_area_km2',
  'plateau_share',
  'flat_topped',
  'shape',
  'height_sd_m',
  'radius_sd_km',
] as const;

const csvField = (v: string | number | boolean | null): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Our picks as CSV text (header + one row per seamount, same names and rounding as the GeoJSON). */
export function seamountsToCsv(seamounts: Seamount[]): string {
  const rows = seamounts.map((s, k) => {
    checkPosition(s, k);
    const p = seamountProperties(s);
    const row: Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null> = { ...p, lon: outputLon(s.lon), lat: roundTo(s.lat, 5) };
    return CSV_COLUMNS.map((c) => csvField(row[c])).join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

/** Writes `seamounts.csv` atomically. */
export async function writeSeamountsCsv(path: string, seamounts: Seamount[]): Promise<void> {
  await writeFileAtomic(path, seamountsToCsv(seamounts));
}
