import { fitFactor, saturating, steepnessFactor } from '../../src/picking/records.js';

describe('steepnessFactor', () => {
  it('is steepness / (steepness + scale), steepness = height / radius in m per km', () => {
    expect(steepnessFactor(1000, 10, 50)).toBeCloseTo(100 / 150, 12);
    expect(steepnessFactor(300, 15, 50)).toBeCloseTo(20 / 70, 12);
    expect(steepnessFactor(1000, 10, 50)).toBe(saturating(100, 50));
  });

  it('rises with height and falls with radius', () => {
    expect(steepnessFactor(2000, 10, 50)).toBeGreaterThan(steepnessFactor(1000, 10, 50));
    expect(steepnessFactor(1000, 20, 50)).toBeLessThan(steepnessFactor(1000, 10, 50));
  });

  it('is 1 when switched off (scale 0), 0 for no height or no radius', () => {
    expect(steepnessFactor(1000, 10, 0)).toBe(1);
    expect(steepnessFactor(0, 10, 50)).toBe(0);
    expect(steepnessFactor(1000, 0, 50)).toBe(0);
  });
});

describe('fitFactor', () => {
  it('clamps R² to 0..1 and counts no fit (NaN) as 0', () => {
    expect(fitFactor(0.7)).toBe(0.7);
    expect(fitFactor(-0.3)).toBe(0);
    expect(fitFactor(1.2)).toBe(1);
    expect(fitFactor(Number.NaN)).toBe(0);
  });
});
