/**
 * Catalogues: readers (KW census, xyhrdnc, GeoJSON, CSV), writers of our picks, one-to-one matching,
 * metrics and the comparison report.
 */
export { CatalogueError, type CatalogueEntry } from './entry.js';
export { readCatalogue, readCatalogueFile, parseCatalogue, type CatalogueFile } from './read.js';
export type { GeoJsonFeatureCollection, GeoJsonPointFeature, GeoJsonPoint } from './geojson.js';
export {
  seamountsToGeoJson,
  writeSeamountsGeoJson,
  seamountsToCsv,
  writeSeamountsCsv,
  CSV_COLUMNS,
  type SeamountProperties,
} from './write.js';
export { matchOneToOne, pairsWithin, nearestWithin, type Match, type LonLat } from './match.js';
export { computeMetrics, precisionRecall, type CompareMetrics, type HeightBin, type EdgeDistanceBin, type PrPoint, type MetricsInput } from './metrics.js';
export { SearchArea, type LonArc } from './area.js';
export { onValidSeaFloor, cellValuesAt } from './validity.js';
export { compareCatalogues, DEFAULT_HEIGHT_BINS_M, DEFAULT_EDGE_BINS_KM, type CompareOptions, type CompareResult } from './compare.js';
