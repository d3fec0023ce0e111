/**
 * Detection metrics of a one-to-one matching: counts, precision/recall/F1, non-interpolated average
 * precision from the picks' confidence, position errors, and the same by reference height and by
 * distance to the edge of the searched area. Pure.
 */
import type { Match } from './match.js';
import type { WhyMissed } from './why-missed-table.js';
import type { Agreement } from './agreement.js';

/** A bin of reference height; minM = maxM = null is the bin of references with no height. maxM null: no upper bound. */
export interface HeightBin {
  minM: number | null;
  maxM: number | null;
  tp: number;
  fn: number;
  recall: number | null;
}

/** A bin of distance to the searched area's edge (TP, FN by the reference's distance; FP by the pick's). */
export interface EdgeDistanceBin {
  minKm: number;
  /** null: no upper bound. */
  maxKm: number | null;
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
}

export interface PrPoint {
  /** Picks with confidence >= threshold are kept. */
  threshold: number;
  precision: number;
  recall: number;
}

export interface CompareMetrics {
  /** Picks matched to a counted reference seamount. */
  tp: number;
  /** Picks matched to nothing (the `new` layer). */
  fp: number;
  /** Counted reference seamounts no pick matched (the `missed` layer). */
  fn: number;
  /** Picks matched to a reference seamount that does not count (below the minimum height, off the grid's valid cells, outside the area): neither TP nor FP. */
  ignored: number;
  /** tp / (tp + fp); null when there are no picks. */
  precision: number | null;
  /** tp / (tp + fn); null when no reference seamount counts. */
  recall: number | null;
  f1: number | null;
  /**
   * Σ (R_k − R_{k−1}) P_k over the distinct confidence values, highest first (non-interpolated;
   * picks with equal confidence enter together); the matching is fixed, not redone per threshold.
   * null when a pick lacks confidence or no reference counts.
   */
  averagePrecision: number | null;
  /** Great-circle distance pick–reference over the TP pairs, km (p90: linear interpolation). */
  positionErrorKm: { mean: number | null; median: number | null; p90: number | null; max: number | null };
  byHeight: HeightBin[];
  byEdgeDistance: EdgeDistanceBin[];
  /** One point per distinct confidence value (thinned to at most 1000 points); empty when AP is null. */
  prCurve: PrPoint[];
  /** Why the missed seamounts were missed (compare.ts fills it in from detect's ledger and error raster). */
  whyMissed?: WhyMissed;
  /** Height, radius and base depth of the matched pairs, ours against the reference's (compare.ts, agreement.ts). */
  agreement?: Agreement;
}

export interface MetricsInput {
  /** Counted picks (ignored ones included: `ignoredPicks` says which). */
  picks: ReadonlyArray<{ confidence: number | null; edgeKm: number }>;
  /** Counted reference seamounts. */
  refs: ReadonlyArray<{ heightM: number | null; edgeKm: number }>;
  /** One-to-one matches between them. */
  matches: readonly Match[];
  /** Indices of picks matched to references that do not count. */
  ignoredPicks: ReadonlySet<number>;
  /** Ascending bin edges, m; the last bin is open-ended. */
  heightBinsM: readonly number[];
  /** Ascending bin edges, km, starting at 0; the last bin is open-ended. */
  edgeBinsKm: readonly number[];
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** Linear-interpolation percentile (q in 0..1) of sorted values. */
export function percentileSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Index of the bin [edges[i], edges[i+1]) holding v; below the first edge goes to bin 0, the last bin is open. */
export function binIndex(edges: readonly number[], v: number): number {
  for (let i = edges.length - 1; i > 0; i--) if (v >= edges[i]) return i;
  return 0;
}

function checkEdges(edges: readonly number[], what: string): void {
  if (edges.length === 0 || edges.some((e, i) => !Number.isFinite(e) || (i > 0 && e <= edges[i - 1]))) {
    throw new Error(`${what} bin edges must be finite and ascending, got [${edges.join(', ')}]`);
  }
}

/**
 * Precision–recall points and average precision. Picks are taken by confidence, highest first; all
 * picks of one confidence value at once.
 */
export function precisionRecall(
  picks: ReadonlyArray<{ confidence: number | null }>,
  isTp: (k: number) => boolean,
  refCount: number,
): { averagePrecision: number | null; curve: PrPoint[] } {
  if (refCount === 0 || picks.some((p) => p.confidence === null || !Number.isFinite(p.confidence))) {
    return { averagePrecision: null, curve: [] };
  }
  const order = picks.map((_, k) => k).sort((a, b) => picks[b].confidence! - picks[a].confidence! || a - b);
  const curve: PrPoint[] = [];
  let tp = 0;
  let n = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < order.length; ) {
    const c = picks[order[i]].confidence!;
    while (i < order.length && picks[order[i]].confidence === c) {
      if (isTp(order[i])) tp++;
      n++;
      i++;
    }
    const precision = tp / n;
    const recall = tp / refCount;
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
    curve.push({ threshold: c, precision, recall });
  }
  return { averagePrecision: picks.length ? ap : 0, curve: thin(curve, 1000) };
}

/** At most `max` points, evenly spaced by index, first and last kept. */
function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (points.length - 1)) / (max - 1))]);
  return out;
}

export function computeMetrics(input: MetricsInput): CompareMetrics {
  const { picks, refs, matches, ignoredPicks } = input;
  checkEdges(input.heightBinsM, 'height');
  checkEdges(input.edgeBinsKm, 'edge distance');
  const refMatched = new Uint8Array(refs.length);
  const pickMatched = new Uint8Array(picks.length);
  for (const m of matches) {
    if (ignoredPicks.has(m.pick)) throw new Error(`pick ${m.pick} is both matched and ignored`);
    refMatched[m.ref] = 1;
    pickMatched[m.pick] = 1;
  }
  const tp = matches.length;
  const ignored = ignoredPicks.size;
  const fp = picks.length - tp - ignored;
  const fn = refs.length - tp;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 =
    precision !== null && recall !== null && precision + recall > 0
      ? (2 * precision * recall) / (precision + recall)
      : precision === null || recall === null
        ? null
        : 0;

  const errors = matches.map((m) => m.distanceKm).sort((a, b) => a - b);
  const positionErrorKm = {
    mean: errors.length ? errors.reduce((s, e) => s + e, 0) / errors.length : null,
    median: percentileSorted(errors, 0.5),
    p90: percentileSorted(errors, 0.9),
    max: errors.length ? errors[errors.length - 1] : null,
  };

  const hb = input.heightBinsM;
  const byHeight: HeightBin[] = hb.map((minM, i) => ({ minM, maxM: i + 1 < hb.length ? hb[i + 1] : null, tp: 0, fn: 0, recall: null }));
  const unknown: HeightBin = { minM: null, maxM: null, tp: 0, fn: 0, recall: null };
  refs.forEach((r, k) => {
    const bin = r.heightM === null || !Number.isFinite(r.heightM) ? unknown : byHeight[binIndex(hb, r.heightM)];
    if (refMatched[k]) bin.tp++;
    else bin.fn++;
  });
  if (unknown.tp + unknown.fn > 0) byHeight.push(unknown);
  for (const b of byHeight) b.recall = ratio(b.tp, b.tp + b.fn);

  const eb = input.edgeBinsKm;
  const byEdgeDistance: EdgeDistanceBin[] = eb.map((minKm, i) => ({
    minKm,
    maxKm: i + 1 < eb.length ? eb[i + 1] : null,
    tp: 0,
    fp: 0,
    fn: 0,
    precision: null,
    recall: null,
  }));
  refs.forEach((r, k) => {
    const bin = byEdgeDistance[binIndex(eb, r.edgeKm)];
    if (refMatched[k]) bin.tp++;
    else bin.fn++;
  });
  picks.forEach((p, k) => {
    if (!pickMatched[k] && !ignoredPicks.has(k)) byEdgeDistance[binIndex(eb, p.edgeKm)].fp++;
  });
  for (const b of byEdgeDistance) {
    b.precision = ratio(b.tp, b.tp + b.fp);
    b.recall = ratio(b.tp, b.tp + b.fn);
  }

  // ignored picks are left out of the ranking: they are neither hits nor false alarms
  const ranked = picks.map((p, k) => ({ confidence: p.confidence, k })).filter((p) => !ignoredPicks.has(p.k));
  const pr = precisionRecall(ranked, (i) => pickMatched[ranked[i].k] === 1, refs.length);

  return { tp, fp, fn, ignored, precision, recall, f1, averagePrecision: pr.averagePrecision, positionErrorKm, byHeight, byEdgeDistance, prCurve: pr.curve };
}
