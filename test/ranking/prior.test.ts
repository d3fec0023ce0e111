import { adjustToPrior, decideCut, estimatePrior, expectedF1Cut, MIN_CANDIDATES_FOR_PRIOR } from '../../src/ranking/prior.js';
import { createPrng } from '../../src/model/prng.js';

/**
 * Posteriors of a calibrated classifier trained at prior π, on candidates drawn at another prior q: for two
 * Gaussian classes of known means, p_π(x) = σ(logit of the likelihood ratio + log(π / (1 − π))).
 */
function scoresAt(q: number, trainingPrior: number, n: number, seed: number): { scores: number[]; labels: number[] } {
  const rng = createPrng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(rng.next(), 1e-12))) * Math.cos(2 * Math.PI * rng.next());
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = rng.next() < q ? 1 : 0;
    const x = gauss() + (y ? 1.5 : -1.5);
    // log-likelihood ratio of N(1.5, 1) over N(−1.5, 1) is 3x
    const z = 3 * x + Math.log(trainingPrior / (1 - trainingPrior));
    scores.push(1 / (1 + Math.exp(-z)));
    labels.push(y);
  }
  return { scores, labels };
}

describe('estimatePrior (Saerens et al. 2002)', () => {
  it('recovers the share of positives of a new population from posteriors made at another prior', () => {
    for (const q of [0.08, 0.3, 0.6]) {
      const { scores } = scoresAt(q, 0.25, 4000, Math.round(q * 100));
      expect(estimatePrior(scores, 0.25).prior).toBeCloseTo(q, 1);
    }
  });

  it('keeps the training prior when there are too few candidates', () => {
    const few = scoresAt(0.6, 0.25, MIN_CANDIDATES_FOR_PRIOR - 1, 1).scores;
    expect(estimatePrior(few, 0.25)).toEqual({ prior: 0.25, iterations: 0, estimated: false });
  });
});

describe('adjustToPrior', () => {
  it('moves a posterior with the prior and keeps the order of candidates', () => {
    expect(adjustToPrior(0.5, 0.25, 0.25)).toBeCloseTo(0.5, 15);
    expect(adjustToPrior(0.5, 0.25, 0.5)).toBeCloseTo(0.75, 12);
    expect(adjustToPrior(0.5, 0.5, 0.25)).toBeCloseTo(0.25, 12);
    expect(adjustToPrior(0.2, 0.25, 0.6)).toBeLessThan(adjustToPrior(0.3, 0.25, 0.6));
    expect([adjustToPrior(0, 0.3, 0.7), adjustToPrior(1, 0.3, 0.1)]).toEqual([0, 1]);
  });
});

describe('expectedF1Cut', () => {
  it('keeps the prefix of the best expected F1, 2 Σ_k p / (k + Σ p / coverage)', () => {
    // Σ p = 2.1: k = 1 → 1.8 / 3.1, k = 2 → 3.4 / 4.1, k = 3 → 4.0 / 5.1, k = 4 → 4.2 / 6.1
    const c = expectedF1Cut([0.9, 0.8, 0.3, 0.1], 1);
    expect(c.picks).toBe(2);
    expect(c.expectedF1).toBeCloseTo(3.4 / 4.1, 12);
    expect(c.cut).toBeCloseTo(0.55, 12);
    // fewer of the catalogue's seamounts have candidates: more of them are worth keeping
    expect(expectedF1Cut([0.9, 0.8, 0.3, 0.1], 0.3).picks).toBeGreaterThan(2);
  });

  it('near the F1 it promises on calibrated posteriors', () => {
    const { scores, labels } = scoresAt(0.3, 0.3, 3000, 9);
    const c = expectedF1Cut(scores, 1);
    let tp = 0;
    let picks = 0;
    scores.forEach((p, i) => {
      if (p < c.cut) return;
      picks++;
      tp += labels[i];
    });
    const positives = labels.reduce((a, b) => a + b, 0);
    expect((2 * tp) / (picks + positives)).toBeCloseTo(c.expectedF1, 1);
  });
});

describe('decideCut', () => {
  const base = { trainingPrior: 0.25, coverage: 1, bundleCut: 0.5, priorWeight: 1 };
  const rich = scoresAt(0.6, 0.25, 2000, 3).scores;
  it('adapts confidences to a seamount-rich area and keeps more of it than the training prior would', () => {
    const adaptive = decideCut(rich, rich, { ...base, adaptPrior: true, cut: 'expected-f1' });
    const fixedPrior = decideCut(rich, rich, { ...base, adaptPrior: false, cut: 'expected-f1' });
    expect(adaptive.prior.searched).toBeGreaterThan(0.5);
    expect(fixedPrior.prior.searched).toBe(0.25);
    const kept = (d: typeof adaptive) => rich.filter((s) => d.confidence(s) >= d.cut).length;
    expect(kept(adaptive)).toBeGreaterThan(kept(fixedPrior));
    expect(adaptive.source).toBe('expected-f1');
  });

  it('pulls the EM estimate towards the training share by priorWeight, in log-odds', () => {
    const full = decideCut(rich, rich, { ...base, adaptPrior: true, cut: 'expected-f1' });
    const half = decideCut(rich, rich, { ...base, adaptPrior: true, priorWeight: 0.5, cut: 'expected-f1' });
    const none = decideCut(rich, rich, { ...base, adaptPrior: true, priorWeight: 0, cut: 'expected-f1' });
    expect(half.prior.em).toBeCloseTo(full.prior.searched, 12);
    const logit = (p: number) => Math.log(p / (1 - p));
    expect(logit(half.prior.searched)).toBeCloseTo((logit(full.prior.searched) + logit(0.25)) / 2, 9);
    expect(none.prior.searched).toBe(0.25);
    // a smaller shift towards the rich area: fewer kept than with the full estimate, more than with none
    const kept = (d: typeof full) => rich.filter((s) => d.confidence(s) >= d.cut).length;
    expect(kept(half)).toBeLessThan(kept(full));
    expect(kept(half)).toBeGreaterThan(kept(none));
  });

  it('takes a fixed cut from the bundle (on the raw scale) or from the settings', () => {
    const bundle = decideCut(rich, rich, { ...base, adaptPrior: true, cut: 'bundle' });
    // the same raw scores pass as without adaptation: the cut moves with the confidences
    expect(rich.filter((s) => bundle.confidence(s) >= bundle.cut).length).toBe(rich.filter((s) => s >= 0.5).length);
    const number = decideCut(rich, rich, { ...base, adaptPrior: false, cut: 0.7 });
    expect([number.cut, number.source, number.confidence(0.3)]).toEqual([0.7, 'picking.cut', 0.3]);
  });
});
