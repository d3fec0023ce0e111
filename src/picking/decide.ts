/**
 * Candidates → the catalogue, decided by the learned ranker, in two steps:
 *
 * 1. `rankAndMerge` (per picking block): every candidate that passed the hard gates gets the ranker's
 *    score; candidates closer than `minSeparationKm` merge into the highest-scoring one unless a saddle
 *    separates them. The survivors are the possible picks.
 * 2. `cutAndMeasure` (once per job, ranking/prior.ts `decideCut` having set the confidence and the cut from
 *    all the job's scores): survivors at or above the cut are picked and, where crowded, measured again
 *    with their picked neighbours left out of the fit.
 *
 * Every candidate leaves with its fate (picked, merged into which, dropped by which rule): the ledger.
 */
import type { PickingConfig } from '../config/schema.js';
import type { GridSource } from '../types.js';
import { KM_PER_DEG } from '../base/geodesy.js';
import { CachedGrid } from './cached-grid.js';
import type { Candidate, RuleFailure } from './candidates.js';
import type { Measurement } from './measure.js';
import { mergeClosePicks, remeasureCrowded } from './merge.js';
import { toSeamount, type UnnumberedSeamount } from './records.js';

/** `kept`: survived merging, waiting for the job's cut (the ledger never ends with it). */
export type Fate = 'picked' | 'merged' | 'dropped' | 'kept';

/** A candidate's fate: the candidate ledger's entry. */
export interface CandidateDecision {
  candidate: Candidate;
  /** The ranker's raw score; NaN for a candidate a hard gate dropped (never ranked). */
  score: number;
  /** The reported confidence (the score adjusted to the searched area's prior); NaN until the cut is known. */
  confidence: number;
  fate: Fate;
  /** Id of the candidate it merged into (fate `merged`). */
  mergedInto: string | null;
  /** The rule that dropped it (fate `dropped`). */
  rule: RuleFailure | null;
}

/** A candidate that survived merging: a possible pick (only what the pick needs, so a job's survivors stay small). */
export interface Survivor {
  candidateId: string;
  m: Measurement;
  score: number;
  /** Hits of the candidate and of those merged into it: the pick's supporting windows. */
  windows: number;
  windowErrorMin: number;
  island: boolean;
}

/** A picked candidate: its seamount record and its candidate id. */
export interface PickedCandidate {
  candidateId: string;
  seamount: UnnumberedSeamount;
}

export type DecidePicking = Pick<PickingConfig, 'minSeparationKm' | 'splitDropFraction' | 'measureRadiusKm' | 'highpassKm'>;

interface Ranked {
  candidate: Candidate;
  m: Measurement;
  score: number;
  windows: number;
  mergedInto: string | null;
}

/**
 * Scores and merges a block's candidates. Returns the survivors (best first) and one decision per
 * candidate, in the candidates' order (`kept` for survivors). Deterministic.
 *
 * @example
 * const { survivors, decisions } = await rankAndMerge(candidates, grid, { score: (c) => rankerConfidence(ranker, c.evidence), picking });
 */
export async function rankAndMerge(
  candidates: readonly Candidate[],
  grid: GridSource,
  o: { score: (c: Candidate) => number; picking: DecidePicking },
): Promise<{ survivors: Survivor[]; decisions: CandidateDecision[] }> {
  const source = grid instanceof CachedGrid ? grid : new CachedGrid(grid);
  const ranked: Ranked[] = [];
  for (const c of candidates) if (!c.gate && c.m) ranked.push({ candidate: c, m: c.m, score: o.score(c), mergedInto: null, windows: c.evidence.hits });
  const kept = await mergeClosePicks(
    source,
    ranked,
    { minSeparationKm: o.picking.minSeparationKm, splitDropFraction: o.picking.splitDropFraction },
    (a, b) => b.score - a.score || b.m.prominenceM - a.m.prominenceM || a.m.lon - b.m.lon || a.m.lat - b.m.lat || (a.candidate.id < b.candidate.id ? -1 : 1),
    (host, merged) => {
      merged.mergedInto = host.candidate.id;
      host.windows += merged.windows;
    },
  );
  const byId = new Map(ranked.map((r) => [r.candidate.id, r]));
  const decisions: CandidateDecision[] = candidates.map((c) => {
    const r = byId.get(c.id);
    if (!r)
      return {
        candidate: c,
        score: NaN,
        confidence: NaN,
        fate: 'dropped',
        mergedInto: null,
        rule: c.gate ?? { rule: 'no_measurement', value: NaN, limit: NaN },
      };
    if (r.mergedInto) return { candidate: c, score: r.score, confidence: NaN, fate: 'merged', mergedInto: r.mergedInto, rule: null };
    return { candidate: c, score: r.score, confidence: NaN, fate: 'kept', mergedInto: null, rule: null };
  });
  const survivors = kept.map((r) => ({
    candidateId: r.candidate.id,
    m: r.m,
    score: r.score,
    windows: r.windows,
    windowErrorMin: r.candidate.evidence.windowErrorMin,
    island: r.candidate.island,
  }));
  return { survivors, decisions };
}

/** The confidence of a raw score and the cut on it (ranking/prior.ts decideCut). */
export interface CutRule {
  confidence: (score: number) => number;
  cut: number;
}

/**
 * A decision once the job's cut is known: confidence filled in, `kept` → picked or dropped (`below_cut`).
 *
 * @example finalDecision(d, { confidence: (s) => s, cut: 0.4 }).fate // 'picked' when d.score ≥ 0.4
 */
export function finalDecision(d: CandidateDecision, rule: CutRule): CandidateDecision {
  const confidence = Number.isFinite(d.score) ? rule.confidence(d.score) : NaN;
  if (d.fate !== 'kept') return { ...d, confidence };
  if (confidence >= rule.cut) return { ...d, confidence, fate: 'picked' };
  return { ...d, confidence, fate: 'dropped', rule: { rule: 'below_cut', value: confidence, limit: rule.cut } };
}

/**
 * The survivors at or above the cut, as seamount records (confidence = the rule's), measured again where
 * a picked neighbour reaches into their fit (`remeasureCrowded`: a chain's members keep their own size).
 *
 * @example const picks = await cutAndMeasure(survivors, grid, { confidence: (s) => s, cut: 0.4 }, config.picking);
 */
export async function cutAndMeasure(survivors: readonly Survivor[], grid: GridSource, rule: CutRule, picking: DecidePicking): Promise<PickedCandidate[]> {
  const source = grid instanceof CachedGrid ? grid : new CachedGrid(grid);
  const picked = survivors.filter((s) => rule.confidence(s.score) >= rule.cut).map((s) => ({ ...s }));
  const cellKm = Math.abs(source.dLat) * KM_PER_DEG;
  await remeasureCrowded(
    source,
    picked,
    { measureRadiusKm: picking.measureRadiusKm, highpassKm: picking.highpassKm, searchRadiusKm: 1.5 * cellKm },
    (m) => m.heightM > 0,
  );
  return picked.map((s) => ({
    candidateId: s.candidateId,
    seamount: {
      ...toSeamount(s.m, { reconstructionError: s.windowErrorMin, confidence: rule.confidence(s.score), windows: s.windows }),
      ...(s.island ? { island: true } : {}),
    },
  }));
}
