/**
 * Judging picks against a reference catalogue: one-to-one matching by great-circle distance, which
 * reference seamounts count (valid sea floor, searched area), metrics (P/R/F1/AP, by height and edge
 * distance) and the comparison report (JSON, Markdown, PR curve, matched/missed/new layers).
 */
export { matchOneToOne, pairsWithin, nearestWithin, type Match, type LonLat } from './match.js';
export { computeMetrics, precisionRecall, type CompareMetrics, type HeightBin, type EdgeDistanceBin, type PrPoint, type MetricsInput } from './metrics.js';
export { onValidSeaFloor, cellValuesAt } from './validity.js';
export { cataloguePaths, compareCatalogues, DEFAULT_HEIGHT_BINS_M, DEFAULT_EDGE_BINS_KM, type CompareOptions, type CompareResult } from './compare.js';
export {
  explainMisses,
  readLedger,
  lowestErrorNear,
  detectRecordsBeside,
  MISS_REASONS,
  MISS_REASON_TEXT,
  type MissReason,
  type MissExplanation,
  type LedgerCandidate,
} from './why-missed.js';
export { whyMissedTable, type WhyMissed } from './why-missed-table.js';
export { compareMapPng, COMPARE_COLOURS } from './compare-map.js';
export { agreementStats, matchedAgreement, type Agreement, type AgreementStats } from './agreement.js';
