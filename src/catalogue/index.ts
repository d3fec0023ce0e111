/**
 * Catalogues: readers (KW census, xyhrdnc, GeoJSON, CSV), writers of our picks, and the searched area
 * of a catalogue (region ∩ grid). Judging one catalogue against another is in evaluation/.
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
export { SearchArea, type LonArc } from './area.js';
