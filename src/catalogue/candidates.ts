/**
 * The candidate ledger's features: every candidate summit picking considered, with its evidence and its
 * fate, as GeoJSON Points (`candidates.geojson`). The properties are documented in docs/outputs.md.
 */
import type { CandidateDecision } from '../picking/index.js';
import type { GeoJsonPointFeature } from './geojson.js';
import { outputLon, roundSignificant, roundTo } from './write.js';

/** Properties of one feature of `candidates.geojson`. */
export interface CandidateProperties {
  candidate_id: string;
  /** walk | peak | walk+peak */
  source: string;
  /** picked | merged | dropped (`kept` only in the scratch file, before the job's cut) */
  fate: string;
  /** The seamount id of a picked candidate (filled in once the whole job is numbered). */
  pick_id: string | null;
  /** The candidate it merged into, and that candidate's seamount id when it was picked. */
  merged_into: string | null;
  merged_into_pick: string | null;
  /** The rule that dropped it, its value there and the limit. */
  rule: string | null;
  rule_value: number | null;
  rule_limit: number | null;
  /** The reported confidence (the ranker's score adjusted to the searched area's prior); null: not ranked. */
  confidence: number | null;
  /** The ranker's raw score, p(listed | evidence) at the training grids' prior. */
  ranker_score: number | null;
  window_error_min: number | null;
  window_error_summit: number | null;
  ring_error: number | null;
  windows_near: number;
  hits: number;
  prominence_m: number | null;
  height_m: number | null;
  /** The fitted Gaussian's basal radius (3 σ, equal-area), the ranker's size evidence. */
  gaussian_radius_km: number | null;
  fit_r2: number | null;
  axis_ratio: number | null;
  depth_m: number | null;
  island: boolean;
}

/**
 * A decision as a ledger feature (pick ids not yet known: null; a survivor's confidence and fate are set
 * once the job's cut is known).
 *
 * @example candidateFeature(decision).properties.fate // 'merged'
 */
export function candidateFeature(d: CandidateDecision): GeoJsonPointFeature<CandidateProperties> {
  const c = d.candidate;
  const e = c.evidence;
  const rule = d.rule;
  return {
    type: 'Feature',
    id: c.id,
    geometry: { type: 'Point', coordinates: [outputLon(c.lon), roundTo(c.lat, 5) ?? NaN] },
    properties: {
      candidate_id: c.id,
      source: c.source,
      fate: d.fate,
      pick_id: null,
      merged_into: d.mergedInto,
      merged_into_pick: null,
      rule: rule ? rule.rule : null,
      rule_value: rule ? roundSignificant(rule.value, 6) : null,
      rule_limit: rule ? roundSignificant(rule.limit, 6) : null,
      confidence: roundTo(d.confidence, 4),
      ranker_score: roundTo(d.score, 4),
      window_error_min: roundSignificant(e.windowErrorMin, 6),
      window_error_summit: roundSignificant(e.windowErrorSummit, 6),
      ring_error: roundSignificant(e.ringError, 6),
      windows_near: e.windowsNear,
      hits: e.hits,
      prominence_m: roundTo(e.prominenceM, 1),
      height_m: roundTo(e.heightM, 1),
      gaussian_radius_km: roundTo(e.radiusKm, 2),
      fit_r2: roundTo(e.fitR2, 3),
      axis_ratio: roundTo(e.axisRatio, 3),
      depth_m: roundTo(e.summitDepthM, 1),
      island: c.island,
    },
  };
}
