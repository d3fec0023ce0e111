import { fitEllipticalGaussian, gaussianModel, type GaussianParams } from '../../src/picking/gaussian-fit.js';

/** Points on a regular km grid with the model's values plus deterministic pseudo-noise. */
function sample(truth: GaussianParams, halfKm: number, stepKm: number, noiseM = 0) {
  const xs: number[] = [];
  const ys: number[] = [];
  const zs: number[] = [];
  let s = 12345;
  for (let y = -halfKm; y <= halfKm; y += stepKm) {
    for (let x = -halfKm; x <= halfKm; x += stepKm) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      xs.push(x);
      ys.push(y);
      zs.push(gaussianModel(truth, x, y) + noiseM * (s / 2 ** 32 - 0.5) * 2);
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), z: Float64Array.from(zs) };
}

const truth: GaussianParams = {
  amplitudeM: 900,
  x0Km: 1.3,
  y0Km: -0.7,
  sigmaAKm: 4,
  sigmaBKm: 2,
  azimuthRad: (50 * Math.PI) / 180,
  c0: -4200,
  cx: 3,
  cy: -1.5,
};
const start: GaussianParams = { amplitudeM: 500, x0Km: 0, y0Km: 0, sigmaAKm: 3, sigmaBKm: 3, azimuthRad: 0, c0: -4000, cx: 0, cy: 0 };

describe('fitEllipticalGaussian', () => {
  it('recovers every parameter of an exact elliptical Gaussian on a tilted plane', () => {
    const p = sample(truth, 20, 0.5);
    const fit = fitEllipticalGaussian(p.x, p.y, p.z, start);
    expect(fit.converged).toBe(true);
    expect(fit.params.amplitudeM).toBeCloseTo(900, 3);
    expect(fit.params.x0Km).toBeCloseTo(1.3, 4);
    expect(fit.params.y0Km).toBeCloseTo(-0.7, 4);
    expect(fit.params.sigmaAKm).toBeCloseTo(4, 4);
    expect(fit.params.sigmaBKm).toBeCloseTo(2, 4);
    expect((fit.params.azimuthRad * 180) / Math.PI).toBeCloseTo(50, 3);
    expect(fit.params.cx).toBeCloseTo(3, 4);
    expect(fit.r2).toBeGreaterThan(0.999999);
  });

  it('returns σa ≥ σb and the azimuth in [0, π) whatever the start orientation', () => {
    const p = sample(truth, 20, 0.5);
    const fit = fitEllipticalGaussian(p.x, p.y, p.z, { ...start, azimuthRad: 2.5, sigmaAKm: 1, sigmaBKm: 5 });
    expect(fit.params.sigmaAKm).toBeGreaterThanOrEqual(fit.params.sigmaBKm);
    expect(fit.params.azimuthRad).toBeGreaterThanOrEqual(0);
    expect(fit.params.azimuthRad).toBeLessThan(Math.PI);
    expect((fit.params.azimuthRad * 180) / Math.PI).toBeCloseTo(50, 2);
  });

  it('stays close under noise, and R² drops with it', () => {
    const p = sample(truth, 20, 0.5, 150);
    const fit = fitEllipticalGaussian(p.x, p.y, p.z, start);
    expect(Math.abs(fit.params.amplitudeM - 900)).toBeLessThan(45);
    expect(Math.abs(fit.params.sigmaAKm - 4)).toBeLessThan(0.2);
    expect(fit.r2).toBeLessThan(0.99);
    expect(fit.r2).toBeGreaterThan(0.5);
  });

  it('ignores points of weight 0 (a guyot fitted on its flanks)', () => {
    const circular = { ...truth, sigmaBKm: 4 };
    const p = sample(circular, 20, 0.5);
    const cap = 0.6 * circular.amplitudeM;
    const weights = new Float64Array(p.z.length);
    for (let i = 0; i < p.z.length; i++) {
      const bump = p.z[i] - (circular.c0 + circular.cx * p.x[i] + circular.cy * p.y[i]);
      if (bump > cap) p.z[i] -= bump - cap; // flatten the top
      weights[i] = bump < 0.9 * cap ? 1 : 0;
    }
    const flanks = fitEllipticalGaussian(p.x, p.y, p.z, start, { weights });
    expect(flanks.params.sigmaAKm).toBeCloseTo(4, 2);
    expect(flanks.params.amplitudeM).toBeCloseTo(900, 0);
    const all = fitEllipticalGaussian(p.x, p.y, p.z, start);
    expect(Math.abs(all.params.sigmaAKm - 4)).toBeGreaterThan(0.2); // the plateau biases an unweighted fit
  });
});
