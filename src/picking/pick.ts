/**
 * Scored windows → one measured Seamount per seamount, and the fate of every candidate considered:
 * gatherCandidates (candidates.ts: uphill walks and peak seeds, measured, with their evidence and hard
 * gates), rankAndMerge (decide.ts: the ranker's score, merging), the cut (from all the scores: ranking/
 * prior.ts decideCut) and cutAndMeasure. Detect runs the same steps block by block (pipeline/banded-picks).
 */
import type { PickingConfig } from '../config/schema.js';
import type { Logger } from '../base/logger.js';
import type { GridSource, ScoredWindow, Seamount } from '../types.js';
import { gatherCandidates, type Candidate } from './candidates.js';
import { cutAndMeasure, finalDecision, rankAndMerge, type CandidateDecision, type CutRule } from './decide.js';
import { numberSeamounts } from './records.js';

export interface PickOptions {
  /** Windows with (smoothed) error under this are hits. */
  threshold: number;
  /** The ranker's raw score of a candidate (the model bundle's: `rankerConfidence(ranker, c.evidence)`). */
  score: (c: Candidate) => number;
  /**
   * The confidence and cut from the scores of all ranked candidates and of the survivors of merging
   * (detect: ranking/prior.ts `decideCut`).
   */
  cut: (allScores: Float64Array, survivorScores: Float64Array) => CutRule;
  /** Distance between window centres of the plan, km. */
  strideKm: number;
  picking: PickingConfig;
  /** Summits above sea level: dropped (rule `island`) or kept and marked. */
  islands: 'drop' | 'keep';
  logger?: Logger;
}

export interface PickResult {
  /** Picks numbered SMT-000001... by confidence (ties by lon, lat). */
  seamounts: Seamount[];
  /** Every candidate's final fate, in candidate order; `pickIds` maps a picked candidate's id to its seamount id. */
  decisions: CandidateDecision[];
  pickIds: Map<string, string>;
  rule: CutRule;
}

/**
 * A cut at a fixed score, confidences as scored (tests, and `picking.cut` without prior adaptation).
 *
 * @example pickSeamounts(windows, grid, { ...o, cut: fixedCut(0.4) })
 */
export const fixedCut = (cut: number) => (): CutRule => ({ confidence: (s: number) => s, cut });

/**
 * Windows (all scored windows of a run, in any order) → seamounts and the candidate ledger. Deterministic:
 * the same windows in any order give the same output.
 *
 * @example
 * const { seamounts } = await pickSeamounts(windows, grid, { threshold: 0.6, score: (c) => rankerConfidence(ranker, c.evidence),
 *   cut: fixedCut(0.4), strideKm: 4, picking: config.picking, islands: 'drop' });
 */
export async function pickSeamounts(windows: ScoredWindow[], grid: GridSource, o: PickOptions): Promise<PickResult> {
  const candidates = await gatherCandidates(windows, grid, o);
  const { survivors, decisions } = await rankAndMerge(candidates, grid, { score: o.score, picking: o.picking });
  const all = Float64Array.from(
    decisions.filter((d) => Number.isFinite(d.score)),
    (d) => d.score,
  );
  const rule = o.cut(
    all,
    Float64Array.from(survivors, (s) => s.score),
  );
  const numbered = numberPicks(await cutAndMeasure(survivors, grid, rule, o.picking));
  o.logger?.info(
    { grid: grid.path, windows: windows.length, candidates: candidates.length, seamounts: numbered.seamounts.length },
    `picked ${numbered.seamounts.length} seamounts of ${candidates.length} candidates`,
  );
  return { ...numbered, decisions: decisions.map((d) => finalDecision(d, rule)), rule };
}

/**
 * Numbers picks as `numberSeamounts` does and maps each pick's candidate id to its seamount id.
 *
 * @example numberPicks([{ candidateId: 'C10_20', seamount: s }]).pickIds.get('C10_20') // 'SMT-000001'
 */
export function numberPicks(picks: ReadonlyArray<{ candidateId: string; seamount: Omit<Seamount, 'id'> }>): {
  seamounts: Seamount[];
  pickIds: Map<string, string>;
} {
  const tagged = picks.map((p) => ({ ...p.seamount, candidateId: p.candidateId }));
  const numbered = numberSeamounts(tagged);
  const pickIds = new Map<string, string>();
  const seamounts = numbered.map(({ candidateId, ...s }) => {
    pickIds.set(candidateId, s.id);
    return s;
  });
  return { seamounts, pickIds };
}
