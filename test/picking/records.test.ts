import { fitFactor, saturating, toSeamount } from '../../src/picking/records.js';
import type { Measurement } from '../../src/picking/measure.js';
import { MORPHOMETRY } from '../support/morphometry-fixture.js';

describe('saturating', () => {
  it('is x / (x + scale) for x > 0 and 0 otherwise', () => {
    expect(saturating(100, 50)).toBeCloseTo(100 / 150, 12);
    expect(saturating(0, 50)).toBe(0);
    expect(saturating(-5, 50)).toBe(0);
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

describe('toSeamount', () => {
  it('carries the measurement, morphometry included, and what the picker knows', () => {
    const m: Measurement = {
      lon: 10,
      lat: -5,
      summitDepthM: -1500,
      baseDepthM: -4500,
      heightM: 3000,
      radiusKm: 12,
      ellipse: { azimuthDeg: 30, majorKm: 16, minorKm: 9 },
      fitR2: 0.9,
      ...MORPHOMETRY,
      prominenceM: 2500,
      gaussianRadiusKm: 15,
    };
    const s = toSeamount(m, { reconstructionError: 0.02, confidence: 1.3, windows: 4 });
    expect(s).toEqual({
      lon: 10,
      lat: -5,
      summitDepthM: -1500,
      baseDepthM: -4500,
      heightM: 3000,
      radiusKm: 12,
      ellipse: { azimuthDeg: 30, majorKm: 16, minorKm: 9 },
      fitR2: 0.9,
      reconstructionError: 0.02,
      confidence: 1,
      windows: 4,
      ...MORPHOMETRY,
    });
    expect(s.ellipse).not.toBe(m.ellipse);
  });
});
