/**
 * The attribute columns of the GIS exports (GeoPackage layers, GeoJSON ellipses): one list, so every
 * export names, types, rounds and orders a seamount's fields alike, with the CSV's names and rounding
 * (`seamountProperties` of write.ts): the island flag, then issue 28's morphometry (class, volume, slope,
 * plateau, shape, uncertainties; docs/outputs.md).
 */
import type { Seamount } from '../types.js';
import { seamountProperties, type SeamountProperties } from './write.js';

/** A seamount's attributes as exported: the CSV's columns (rounded, null for NaN) and `island`. */
export interface ExportRecord extends SeamountProperties {
  /** True for a summit above sea level (`Seamount.island`); false when the pick does not say. */
  island: boolean;
}

/** SQL type of a column as GeoPackage names it: BOOLEAN is stored as 0/1, MEDIUMINT is a 32-bit integer (GDAL: Integer). */
export type GeoPackageColumnType = 'TEXT' | 'REAL' | 'MEDIUMINT' | 'BOOLEAN';

/** The exported columns in order, with their GeoPackage type; units are in the names. */
export const EXPORT_COLUMNS: ReadonlyArray<{ name: keyof ExportRecord; type: GeoPackageColumnType }> = [
  { name: 'id', type: 'TEXT' },
  { name: 'confidence', type: 'REAL' },
  { name: 'reconstruction_error', type: 'REAL' },
  { name: 'depth_m', type: 'REAL' },
  { name: 'base_depth_m', type: 'REAL' },
  { name: 'height_m', type: 'REAL' },
  { name: 'radius_km', type: 'REAL' },
  { name: 'azimuth_deg', type: 'REAL' },
  { name: 'major_km', type: 'REAL' },
  { name: 'minor_km', type: 'REAL' },
  { name: 'fit_r2', type: 'REAL' },
  { name: 'windows', type: 'MEDIUMINT' },
  { name: 'island', type: 'BOOLEAN' },
  { name: 'class', type: 'TEXT' },
  { name: 'volume_km3', type: 'REAL' },
  { name: 'flank_slope_deg', type: 'REAL' },
  { name: 'plateau_area_km2', type: 'REAL' },
  { name: 'plateau_share', type: 'REAL' },
  { name: 'flat_topped', type: 'BOOLEAN' },
  { name: 'shape', type: 'TEXT' },
  { name: 'height_sd_m', type: 'REAL' },
  { name: 'radius_sd_km', type: 'REAL' },
];

/**
 * A seamount's exported attributes (pure).
 *
 * @example exportRecord(smt).island // false unless smt.island === true
 */
export function exportRecord(s: Seamount): ExportRecord {
  return { ...seamountProperties(s), island: s.island === true };
}

/** Throws when a seamount's position cannot be written (NaN, latitude outside ±90). */
export function checkExportPosition(s: Seamount, k: number): void {
  if (!Number.isFinite(s.lon) || !Number.isFinite(s.lat) || s.lat < -90 || s.lat > 90) {
    throw new Error(`seamount ${k + 1} (${s.id}): position (${s.lon}, ${s.lat}) is not a valid lon/lat`);
  }
}

/** What a writer of ellipses did: features written, and the ids left out for want of a drawable ellipse. */
export interface EllipseExportSummary {
  /** Ellipses written. */
  ellipses: number;
  /** Ids of seamounts with no drawable basal ellipse (NaN or non-positive axes, or one reaching a pole). */
  withoutEllipse: string[];
}
