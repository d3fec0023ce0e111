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
