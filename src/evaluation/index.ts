/**
 * Judging picks against a reference catalogue: one-to-one matching by great-circle distance, which
 * reference seamounts count (valid sea floor, searched area), metrics (P/R/F1/AP, by height and edge
 * distance) and the comparison report (JSON, Markdown, PR curve, matched/missed/new layers).
 */
export { matchOneToOne, pairsWithin, nearestWithin, type Match, type LonLat } from './match.js';
export { computeMetrics, precisionRecall, type CompareMetrics, type HeightBin, type EdgeDistanceBin, type PrPoint, type MetricsInput } from './metrics.js';
export { onValidSeaFloor, cellValuesAt } from './validity.js';
export { compareCatalogues, DEFAULT_HEIGHT_BINS_M, DEFAULT_EDGE_BINS_KM, type CompareOptions, type CompareResult } from './compare.js';
