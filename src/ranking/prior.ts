/**
 * Adapting the ranker's confidences to the searched sea floor, and the cut they imply.
 *
 * The ranker learns p(listed | evidence) on the training grids, where some share π of the candidates lie at
 * catalogue seamounts. A searched area has its own share (a seamount province, an abyssal plain), which
 * shifts every posterior. Saerens, Latinne & Decaestecker (2002, Neural Computation 14, "Adjusting the
 * outputs of a classifier to new a priori probabilities: a simple procedure") estimate the new share by EM
 * from the unlabelled candidates alone and adjust each posterior; the order of the candidates is unchanged.
 * With posteriors that are probabilities, the cut of the best expected F1 follows from them too: keeping
 * the k most confident candidates is expected to find Σ p of them, out of Σ p / coverage catalogue seamounts
 * (coverage: the share of catalogue seamounts that have a candidate at all, measured at train time).
 */
const { abs, max, min } = Math;

/** Fewer candidates than this: the training share is kept (EM on a handful of candidates is noise). */
export const MIN_CANDIDATES_FOR_PRIOR = 30;

export interface PriorEstimate {
  /** The estimated share of candidates at catalogue seamounts in the searched area. */
  prior: number;
  iterations: number;
  /** False when there were too few candidates and the training share was kept. */
  estimated: boolean;
}

/**
 * The posterior of a candidate under a new prior: p·(q/π) / (p·(q/π) + (1 − p)·(1 − q)/(1 − π)).
 *
 * @example adjustToPrior(0.5, 0.25, 0.5) // 0.75: twice the share of seamounts, the same evidence
 */
export function adjustToPrior(p: number, trainingPrior: number, prior: number): number {
  if (!(p > 0)) return 0;
  if (!(p < 1)) return 1;
  const a = (p * prior) / trainingPrior;
  const b = ((1 - p) * (1 - prior)) / (1 - trainingPrior);
  return a / (a + b);
}

/**
 * EM estimate of the share of seamounts among candidates whose training-prior posteriors are `scores`
 * (Saerens et al. 2002): q ← mean of the posteriors adjusted to q, until it settles.
 *
 * @example estimatePrior(Float64Array.from(confidences), 0.25).prior // 0.41 on a seamount-rich grid
 */
export function estimatePrior(scores: ArrayLike<number>, trainingPrior: number, maxIterations = 500, tolerance = 1e-9): PriorEstimate {
  const n = scores.length;
  if (n < MIN_CANDIDATES_FOR_PRIOR) return { prior: trainingPrior, iterations: 0, estimated: false };
  let q = trainingPrior;
  let it = 0;
  for (; it < maxIterations; it++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += adjustToPrior(scores[i], trainingPrior, q);
    // kept off 0 and 1, where EM would stop moving
    const next = min(0.995, max(0.005, sum / n));
    const done = abs(next - q) < tolerance;
    q = next;
    if (done) break;
  }
  return { prior: q, iterations: it + 1, estimated: true };
}

/**
 * The prior a job uses: the EM estimate for its area pulled towards the training share, in log-odds,
 * `weight` of the way from the training share (0) to the estimate (1). One grid's EM estimate rests on a
 * few hundred candidates whose probabilities were learned elsewhere; halfway in log-odds keeps a
 * seamount-poor or seamount-rich area's shift while damping the estimate's own error.
 *
 * @example shrinkPrior(0.6, 0.25, 0.5) // 0.40: halfway between logit(0.25) and logit(0.6)
 */
export function shrinkPrior(estimate: number, trainingPrior: number, weight: number): number {
  if (weight >= 1) return estimate;
  if (weight <= 0) return trainingPrior;
  const logit = (p: number) => Math.log(p / (1 - p));
  return 1 / (1 + Math.exp(-(weight * logit(estimate) + (1 - weight) * logit(trainingPrior))));
}

export interface ExpectedCut {
  /** Keep candidates at or above this posterior. */
  cut: number;
  /** The F1 expected at that cut, and the number kept. */
  expectedF1: number;
  picks: number;
}

/**
 * The cut of the highest expected F1 over candidates whose posteriors (probabilities) are given: keeping
 * the k highest is expected to find Σ_k p of Σ p / coverage catalogue seamounts, so
 * E[F1](k) ≈ 2 Σ_k p / (k + Σ p / coverage). The cut lies halfway between the last kept and the next
 * posterior; equal posteriors are kept or left out together.
 *
 * @example expectedF1Cut([0.9, 0.8, 0.3, 0.1], 1) // keeps the first two: { cut: 0.55, expectedF1: 0.81, picks: 2 }
 */
export function expectedF1Cut(posteriors: ArrayLike<number>, coverage: number): ExpectedCut {
  const s = Float64Array.from(posteriors)
    .filter((p) => Number.isFinite(p))
    .sort()
    .reverse();
  let total = 0;
  for (const p of s) total += p;
  total /= max(coverage, 1e-6);
  let best: ExpectedCut = { cut: s.length > 0 ? min(1, s[0] + 1e-9) : 1, expectedF1: 0, picks: 0 };
  let found = 0;
  for (let k = 0; k < s.length; k++) {
    found += s[k];
    if (k + 1 < s.length && s[k + 1] === s[k]) continue;
    const f1 = (2 * found) / (k + 1 + total);
    if (f1 > best.expectedF1) best = { cut: (s[k] + (k + 1 < s.length ? s[k + 1] : 0)) / 2, expectedF1: f1, picks: k + 1 };
  }
  return best;
}

/** How the catalogue's cut is set: the settings (picking.adaptPrior, picking.cut) and the bundle's ranker. */
export interface CutSettings {
  /** Re-estimate the share of seamounts among the searched area's candidates (EM) and adjust every confidence. */
  adaptPrior: boolean;
  /** How far the prior moves from the training share towards the EM estimate, in log-odds (shrinkPrior): 0..1. */
  priorWeight: number;
  /** `expected-f1`: the cut of the best F1 expected from the confidences; `bundle`: the ranker's fixed cut; a number: that cut. */
  cut: 'expected-f1' | 'bundle' | number;
  /** The ranker's training share π, the coverage and the fixed cut (bundle `ranker`). */
  trainingPrior: number;
  coverage: number;
  bundleCut: number;
}

/** What decides the catalogue after ranking: the posterior of a ranker score, and the cut on it. */
export interface CutDecision {
  /** The reported confidence of a raw ranker score (the score itself without prior adaptation). */
  confidence: (score: number) => number;
  cut: number;
  /** Where the cut came from, and the prior used. */
  source: 'expected-f1' | 'bundle' | 'picking.cut';
  /** searched: the prior used; em: the EM estimate before shrinkPrior pulled it towards the training share. */
  prior: { training: number; searched: number; em: number; estimated: boolean; iterations: number };
  /** The expected F1 at the cut (expected-f1 only). */
  expectedF1: number | null;
}

/**
 * The confidence function and the cut for a job, from the raw scores of all its ranked candidates (for
 * the prior) and of the candidates left after merging (the possible picks).
 *
 * @example
 * const d = decideCut(allScores, survivorScores, { adaptPrior: true, priorWeight: 0.5, cut: 'expected-f1', trainingPrior: 0.25, coverage: 0.85, bundleCut: 0.4 });
 * picks = survivors.filter((s) => d.confidence(s.score) >= d.cut);
 */
export function decideCut(allScores: ArrayLike<number>, survivorScores: ArrayLike<number>, s: CutSettings): CutDecision {
  const estimate = s.adaptPrior ? estimatePrior(allScores, s.trainingPrior) : { prior: s.trainingPrior, iterations: 0, estimated: false };
  const q = estimate.estimated ? shrinkPrior(estimate.prior, s.trainingPrior, s.priorWeight) : s.trainingPrior;
  const confidence = (score: number): number => (q === s.trainingPrior ? score : adjustToPrior(score, s.trainingPrior, q));
  const prior = { training: s.trainingPrior, searched: q, em: estimate.prior, estimated: estimate.estimated, iterations: estimate.iterations };
  if (typeof s.cut === 'number') return { confidence, cut: s.cut, source: 'picking.cut', prior, expectedF1: null };
  if (s.cut === 'bundle') return { confidence, cut: confidence(s.bundleCut), source: 'bundle', prior, expectedF1: null };
  const posteriors = Float64Array.from(survivorScores, confidence);
  const e = expectedF1Cut(posteriors, s.coverage);
  return { confidence, cut: e.cut, source: 'expected-f1', prior, expectedF1: e.expectedF1 };
}
