/**
 * Catalogues: readers (KW census, xyhrdnc, GeoJSON, CSV), writers of our picks, and the searched area
 * of a catalogue (region ∩ grid). Judging one catalogue against another is in evaluation/.
 */
export { CatalogueError, type CatalogueEntry } from './entry.js';
export { readCatalogue, readCatalogueFile, parseCatalogue, type CatalogueFile } from './read.js';
export { unionById } from './union.js';
export type { GeoJsonFeatureCollection, GeoJsonPointFeature, GeoJsonPoint } from './geojson.js';
export {
  seamountsToGeoJson,
  writeSeamountsGeoJson,
  seamountsToCsv,
  writeSeamountsCsv,
  CSV_COLUMNS,
  type SeamountProperties,
} from './write.js';
export { SearchArea, type LonArc } from './area.js';
export { candidateFeature, type CandidateProperties } from './candidates.js';
export { basalEllipseRing, splitAtAntimeridian, drawableEllipse, DEFAULT_ELLIPSE_VERTICES, type LonLat } from './ellipse.js';
export { EXPORT_COLUMNS, exportRecord, type ExportRecord, type EllipseExportSummary } from './export-fields.js';
export { seamountsToGeoPackage, writeSeamountsGeoPackage, GPKG_LAYERS, type GeoPackageOptions, type GeoPackageSummary } from './geopackage.js';
export {
  seamountsToKwTable,
  writeSeamountsKwTable,
  seamountsToGmtTable,
  writeSeamountsGmtTable,
  KW_COLUMNS,
  type KwTableOptions,
  type GmtTable,
} from './tables.js';
export {
  seamountEllipsesToGeoJson,
  writeEllipsesGeoJson,
  type EllipseFeatureCollection,
  type EllipseFeature,
  type EllipseGeoJsonOptions,
} from './ellipse-geojson.js';
