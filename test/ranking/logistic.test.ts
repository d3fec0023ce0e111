import { fitLogistic, logit, sigmoid } from '../../src/ranking/logistic.js';
import { createPrng } from '../../src/model/prng.js';

/** Rows drawn from a known logistic model: p(y = 1 | x) = σ(w·x + b). */
function sample(n: number, w: number[], b: number, seed: number): { x: number[][]; y: number[] } {
  const rng = createPrng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = w.map(() => rng.next() * 4 - 2);
    x.push(row);
    y.push(rng.next() < sigmoid(row.reduce((z, v, j) => z + v * w[j], b)) ? 1 : 0);
  }
  return { x, y };
}

describe('fitLogistic', () => {
  it('recovers the weights of a known model (Newton, light penalty)', () => {
    const { x, y } = sample(6000, [1.5, -0.8, 0], 0.3, 11);
    const m = fitLogistic(x, y, { l2: 0.01 });
    expect(m.weights[0]).toBeCloseTo(1.5, 0);
    expect(m.weights[1]).toBeCloseTo(-0.8, 0);
    expect(Math.abs(m.weights[2])).toBeLessThan(0.15);
    expect(m.intercept).toBeCloseTo(0.3, 0);
  });

  it('is deterministic to the bit for the same input', () => {
    const { x, y } = sample(500, [1, 1], 0, 3);
    expect(fitLogistic(x, y, { l2: 1 })).toEqual(fitLogistic(x, y, { l2: 1 }));
  });

  it('pulls the weights towards the prior as the penalty grows', () => {
    const { x, y } = sample(300, [2, 0], 0, 5);
    const prior = [0, 1];
    const free = fitLogistic(x, y, { l2: 0.01 });
    const held = fitLogistic(x, y, { l2: 1e6, prior });
    expect(free.weights[0]).toBeGreaterThan(1);
    expect(held.weights[0]).toBeCloseTo(0, 2);
    expect(held.weights[1]).toBeCloseTo(1, 2);
  });

  it('stays finite on separable data (the penalty bounds the weights)', () => {
    const x = [[-2], [-1], [1], [2]];
    const m = fitLogistic(x, [0, 0, 1, 1], { l2: 0.1 });
    expect(Number.isFinite(m.weights[0])).toBe(true);
    expect(sigmoid(logit(m, [2]))).toBeGreaterThan(0.9);
    expect(sigmoid(logit(m, [-2]))).toBeLessThan(0.1);
  });

  it('refuses an empty set and a prior of the wrong length', () => {
    expect(() => fitLogistic([], [], { l2: 1 })).toThrow(/no examples/);
    expect(() => fitLogistic([[1, 2]], [1], { l2: 1, prior: [0] })).toThrow(/prior has 1 weights for 2 features/);
  });
});

describe('sigmoid', () => {
  it('is 1/(1+e^-z) without overflow at either end', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(2)).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
  });
});

describe('fitLogistic far from its optimum', () => {
  it('does not diverge where a full Newton step overshoots (11 positives, a few far outliers)', () => {
    // the draw that made full Newton steps run the intercept to −3e11 (seed 27 of a search over such sets)
    const prng = createPrng(27);
    const n = 200 + Math.floor(prng.next() * 400);
    const positives = 5 + Math.floor(prng.next() * 30);
    const d = 1 + Math.floor(prng.next() * 4);
    const outlier = 1 + prng.next() * 50;
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const row = Array.from({ length: d }, () => prng.next() * 2 - 1);
      if (i < positives) row[0] += 2 + prng.next() * 3;
      if (prng.next() < 0.03) row[d - 1] *= outlier;
      x.push(row);
      y.push(i < positives ? 1 : 0);
    }
    const m = fitLogistic(x, y, { l2: 1 });
    expect(Math.abs(m.intercept)).toBeLessThan(20);
    expect(m.weights.every((w) => Math.abs(w) < 20)).toBe(true);
    // and it separates: every positive scores above the median negative
    const negatives = x
      .filter((_, i) => !y[i])
      .map((r) => logit(m, r))
      .sort((a, b) => a - b);
    const median = negatives[Math.floor(negatives.length / 2)];
    expect(x.filter((_, i) => y[i]).every((r) => logit(m, r) > median)).toBe(true);
  });
});
