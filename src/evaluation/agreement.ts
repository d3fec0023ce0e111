/**
 * How well our measurements agree with a reference catalogue's on the seamounts both have (matched
 * pairs): height, basal radius and base depth — bias, median absolute difference, correlation and the
 * median ratio (the last tells a convention, e.g. full against semi axes or another σ multiple, from a
 * scatter). Pure. Why: detection metrics say whether we find the catalogue's seamounts, not whether we
 * measure them as it does (issue 28).
 */
import type { Match } from './match.js';

/** Agreement of one quantity over matched pairs where both have a finite value. */
export interface AgreementStats {
  /** Pairs where both catalogues give the quantity. */
  n: number;
  /** Median of ours and of the reference's. */
  oursMedian: number;
  refMedian: number;
  /** Median of (ours − reference): the bias. */
  bias: number;
  /** Mean of (ours − reference). */
  meanDifference: number;
  /** Median of |ours − reference|. */
  medianAbsDifference: number;
  /** Pearson correlation (null for fewer than 3 pairs or no spread). */
  correlation: number | null;
  /** Median of ours / reference (null unless every reference value is positive: heights and radii, not depths). */
  medianRatio: number | null;
}

export interface Agreement {
  /** Null when no matched pair has the quantity on both sides (e.g. a reference without heights). */
  heightM: AgreementStats | null;
  radiusKm: AgreementStats | null;
  baseDepthM: AgreementStats | null;
}

function median(sorted: number[]): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * Agreement of paired values (pairs with a missing or non-finite side are left out); null when none is left.
 *
 * @example
 * agreementStats([{ ours: 1100, ref: 1000 }, { ours: 900, ref: 800 }, { ours: 1550, ref: 1500 }])
 * // { n: 3, bias: 100, medianAbsDifference: 100, correlation: 0.99…, medianRatio: 1.1, … }
 */
export function agreementStats(pairs: ReadonlyArray<{ ours: number | null; ref: number | null }>): AgreementStats | null {
  const ok = pairs.filter((p): p is { ours: number; ref: number } => p.ours !== null && p.ref !== null && Number.isFinite(p.ours) && Number.isFinite(p.ref));
  const n = ok.length;
  if (n === 0) return null;
  const diff = ok.map((p) => p.ours - p.ref).sort((a, b) => a - b);
  // a ratio means something for a positive quantity only (heights, radii; not depths)
  const ratios = ok.every((p) => p.ref > 0) ? ok.map((p) => p.ours / p.ref).sort((a, b) => a - b) : [];
  const mx = ok.reduce((s, p) => s + p.ours, 0) / n;
  const my = ok.reduce((s, p) => s + p.ref, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const p of ok) {
    sxy += (p.ours - mx) * (p.ref - my);
    sxx += (p.ours - mx) ** 2;
    syy += (p.ref - my) ** 2;
  }
  return {
    n,
    oursMedian: median(ok.map((p) => p.ours).sort((a, b) => a - b)),
    refMedian: median(ok.map((p) => p.ref).sort((a, b) => a - b)),
    bias: median(diff),
    meanDifference: diff.reduce((s, d) => s + d, 0) / n,
    medianAbsDifference: median(diff.map(Math.abs).sort((a, b) => a - b)),
    correlation: n >= 3 && sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null,
    medianRatio: ratios.length ? median(ratios) : null,
  };
}

/** The measured quantities agreement is judged on, as a catalogue entry holds them. */
export interface Measured {
  heightM: number | null;
  radiusKm: number | null;
  baseDepthM: number | null;
}

/**
 * Height, radius and base-depth agreement of the matched pairs (`pick` indexes `picks`, `ref` indexes `refs`).
 *
 * @example const a = matchedAgreement(picks, refs, matches); a.heightM?.bias // ours − reference, m
 */
export function matchedAgreement(picks: readonly Measured[], refs: readonly Measured[], matches: readonly Match[]): Agreement {
  const pairs = (key: keyof Measured) => matches.map((m) => ({ ours: picks[m.pick][key], ref: refs[m.ref][key] }));
  return { heightM: agreementStats(pairs('heightM')), radiusKm: agreementStats(pairs('radiusKm')), baseDepthM: agreementStats(pairs('baseDepthM')) };
}
