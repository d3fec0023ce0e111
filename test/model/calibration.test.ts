import { calibrate, confidenceOf, thresholdAtRecall } from '../../src/model/calibration.js';

describe('calibration on held-out seamount errors', () => {
  test('threshold is the error below which the recall share falls (interpolated between ranks)', () => {
    const c = calibrate([0.4, 0.1, 0.2, 0.3, 0.5], 0.75);
    expect(c.errors).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(c.threshold).toBeCloseTo(0.4, 12);
    expect(thresholdAtRecall(c, 0.5)).toBeCloseTo(0.3, 12);
    expect(thresholdAtRecall(c, 0.625)).toBeCloseTo(0.35, 12);
    expect(thresholdAtRecall(c, 1)).toBeCloseTo(0.5, 12);
  });

  test('confidence: share of held-out seamounts reconstructing no better, monotone, inverse of the threshold', () => {
    const errors = Array.from({ length: 101 }, (_, i) => ((i * 7919) % 101) / 1000); // 0..0.1 shuffled
    const c = calibrate(errors, 0.9);
    expect(confidenceOf(c, -1)).toBe(1);
    expect(confidenceOf(c, 0)).toBe(1);
    expect(confidenceOf(c, 0.1)).toBe(0);
    expect(confidenceOf(c, 5)).toBe(0);
    expect(confidenceOf(c, Number.NaN)).toBe(0);
    for (const r of [0.05, 0.3, 0.5, 0.77, 0.9]) expect(confidenceOf(c, thresholdAtRecall(c, r))).toBeCloseTo(1 - r, 9);
    let previous = 2;
    for (let e = 0; e <= 0.1; e += 0.0037) {
      const conf = confidenceOf(c, e);
      expect(conf).toBeLessThanOrEqual(previous);
      previous = conf;
    }
  });

  test('ties and a single held-out seamount', () => {
    const c = calibrate([0.2, 0.2, 0.2, 0.4], 0.5);
    expect(c.threshold).toBeCloseTo(0.2, 12);
    expect(confidenceOf(c, 0.3)).toBeCloseTo(1 - (2 + 0.5) / 3, 12);
    const one = calibrate(Float32Array.of(0.25), 0.9);
    expect(one.threshold).toBeCloseTo(0.25, 7);
    expect(confidenceOf(one, 0.2)).toBe(1);
    expect(confidenceOf(one, 0.3)).toBe(0);
  });

  test('non-finite errors are ignored; nothing finite or a bad recall is an error', () => {
    expect(calibrate([Number.NaN, 0.3, Number.POSITIVE_INFINITY, 0.1], 0.5).errors).toEqual([0.1, 0.3]);
    expect(() => calibrate([Number.NaN], 0.9)).toThrow(/no finite held-out/);
    expect(() => calibrate([], 0.9)).toThrow(/no finite held-out/);
    expect(() => calibrate([0.1], 1)).toThrow(/recall must lie in \(0, 1\)/);
    expect(() => calibrate([0.1], 0)).toThrow(/recall/);
  });
});
