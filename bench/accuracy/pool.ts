/**
 * Object-level figures of one region or of several pooled (the GEBCO tiles as one group), and means over
 * regions. Pooling sums TP/FP/FN and ranks all regions' picks together for the average precision, with
 * the project's own AP (src/catalogue precisionRecall: equal confidences enter together). Pure.
 */
import type { CompareSummary } from '../../src/pipeline/compare.js';
import { precisionRecall } from '../../src/evaluation/metrics.js';

/** One counted pick of a comparison: its confidence and whether it matched a counted catalogue seamount. */
export interface RankedPick {
  confidence: number | null;
  tp: boolean;
}

/** What a comparison of one picker with one catalogue on one grid gives the harness. */
export interface Comparison {
  tp: number;
  fp: number;
  fn: number;
  /** Counted picks (ignored ones, matched to an uncounted seamount, left out). */
  picks: RankedPick[];
}

/** `seamount compare`'s summary, AP under a shorter name (results.json's key). */
export type ObjectScores = Omit<CompareSummary, 'averagePrecision'> & { ap: number | null };

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** Precision, recall, F1 and AP of one or several comparisons taken as one. */
export function pooledScores(parts: readonly Comparison[]): ObjectScores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const picks: RankedPick[] = [];
  for (const p of parts) {
    if (p.picks.length !== p.tp + p.fp || p.picks.filter((k) => k.tp).length !== p.tp) {
      throw new Error(`pooledScores: ${p.picks.length} ranked picks (${p.picks.filter((k) => k.tp).length} TP) for TP ${p.tp}, FP ${p.fp}`);
    }
    tp += p.tp;
    fp += p.fp;
    fn += p.fn;
    picks.push(...p.picks);
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision === null || recall === null ? null : precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const ap = precisionRecall(picks, (k) => picks[k].tp, tp + fn).averagePrecision;
  return { tp, fp, fn, precision, recall, f1, ap };
}

/** Mean of the non-null values; null when there are none. */
export function meanOf(values: ReadonlyArray<number | null | undefined>): number | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return v.length ? v.reduce((s, x) => s + x, 0) / v.length : null;
}

/** Share of catalogue seamounts whose window scores at or below the threshold (null scores: no window, left out). */
export function recallAtThreshold(scores: ReadonlyArray<number | null>, threshold: number): RecallCount {
  const known = scores.filter((s): s is number => s !== null && Number.isFinite(s));
  return recallOf(known.filter((s) => s <= threshold).length, known.length);
}

/** Seamounts passing a threshold out of those counted, and their share (null when none counted). */
export interface RecallCount {
  recall: number | null;
  passed: number;
  counted: number;
}

const recallOf = (passed: number, counted: number): RecallCount => ({ recall: ratio(passed, counted), passed, counted });

/**
 * Pools recalls at thresholds that differ between grids (a region of several grids): the passing seamounts
 * of all over all counted.
 *
 * @example pooledRecall([recallAtThreshold([0.1, 0.5], 0.3), recallAtThreshold([0.2], 0.1)]) // 1 of 3
 */
export function pooledRecall(parts: readonly RecallCount[]): RecallCount {
  return recallOf(
    parts.reduce((n, p) => n + p.passed, 0),
    parts.reduce((n, p) => n + p.counted, 0),
  );
}
