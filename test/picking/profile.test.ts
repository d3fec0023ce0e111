import { binProfile, clearlyBest, fitProfile, profileAt, shapeAt, type ProfileShape } from '../../src/picking/profile.js';

/** A deterministic pseudo-random sequence in [−1, 1) (a linear congruential generator). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/**
 * The cells of a 0.5 km grid out to `extentKm` around a circular seamount of the given shape (relief above
 * a plane offset by `offsetM`), plus uniform noise of ± noiseM: radius and relief per cell.
 */
function cells(shape: ProfileShape, heightM: number, radiusKm: number, flatness: number, offsetM = 0, noiseM = 0, extentKm = 2.2 * radiusKm) {
  const rnd = noise(7);
  const r: number[] = [];
  const d: number[] = [];
  const n = Math.ceil(extentKm / 0.5);
  for (let j = -n; j <= n; j++) {
    for (let i = -n; i <= n; i++) {
      const rho = Math.hypot(i * 0.5, j * 0.5);
      if (rho > extentKm) continue;
      r.push(rho);
      d.push(offsetM + heightM * shapeAt(shape, rho / radiusKm, flatness) + noiseM * rnd());
    }
  }
  return { radius: Float64Array.from(r), relief: Float64Array.from(d), extentKm };
}

const fitOf = (c: ReturnType<typeof cells>, radiusKm: number) =>
  fitProfile(binProfile(c.radius, c.relief, 0.25, c.extentKm), { minRadiusKm: radiusKm / 4, maxRadiusKm: 2 * radiusKm });

describe('shapeAt', () => {
  it('is 1 on the plateau and falls to the base at R (3 σ, 1.1 %, for the Gaussian)', () => {
    for (const shape of ['gaussian', 'cone', 'parabolic', 'polynomial'] as ProfileShape[]) {
      expect(shapeAt(shape, 0, 0)).toBe(1);
      expect(shapeAt(shape, 0.2, 0.3)).toBe(1);
      expect(shapeAt(shape, 0.3, 0.3)).toBe(1);
    }
    expect(shapeAt('cone', 0.5, 0)).toBe(0.5);
    expect(shapeAt('cone', 0.65, 0.3)).toBeCloseTo(0.5, 12);
    expect(shapeAt('parabolic', 0.5, 0)).toBe(0.75);
    expect(shapeAt('gaussian', 1, 0)).toBeCloseTo(Math.exp(-4.5), 12);
    expect(shapeAt('polynomial', 0.5, 0)).toBeCloseTo(0.75 ** 3 / 1.125, 12);
    for (const shape of ['cone', 'parabolic', 'polynomial'] as ProfileShape[]) expect(shapeAt(shape, 1.2, 0)).toBe(0);
  });
});

describe('binProfile', () => {
  it('keeps, per ring, the mean radius, the sums of relief and of its squares, and the count; empty rings dropped', () => {
    const b = binProfile(Float64Array.of(0.2, 0.4, 2.5, 9), Float64Array.of(900, 700, 100, 5), 1, 3);
    expect(Array.from(b.count)).toEqual([2, 1]);
    expect(b.rKm[0]).toBeCloseTo(0.3, 12);
    expect(Array.from(b.sum)).toEqual([1600, 100]);
    expect(Array.from(b.sumSq)).toEqual([900 ** 2 + 700 ** 2, 100 ** 2]);
  });
});

describe('fitProfile', () => {
  it.each([
    ['gaussian', 1500, 12, 0],
    ['cone', 1500, 12, 0],
    ['parabolic', 800, 8, 0],
    ['polynomial', 1200, 10, 0],
    ['cone', 2000, 15, 0.4],
    ['gaussian', 2000, 15, 0.3],
    ['parabolic', 2000, 15, 0.5],
  ] as Array<[ProfileShape, number, number, number]>)('recovers a %s of %d m, R %d km, flatness %f', (shape, h, r, f) => {
    const fit = fitOf(cells(shape, h, r, f, -25), r);
    expect(fit).not.toBeNull();
    expect(fit!.shape).toBe(shape);
    expect(Math.abs(fit!.radiusKm - r) / r).toBeLessThan(0.01);
    expect(Math.abs(fit!.heightM - h) / h).toBeLessThan(0.01);
    expect(fit!.offsetM).toBeCloseTo(-25, 0);
    expect(Math.abs(fit!.flatness - f)).toBeLessThan(0.02);
    expect(fit!.r2).toBeGreaterThan(0.999);
    expect(profileAt(fit!, 0)).toBeCloseTo(fit!.offsetM + fit!.heightM, 9);
    expect(clearlyBest(fit!, 0.85)).toBe(true);
  });

  it('keeps the top pointed when a plateau narrower than the innermost ring would fit as well (it only rescales H)', () => {
    // cone of R 10 km, sampled from 1.2 km out: any F < 0.12 fits exactly, with H·(1 − F) fixed
    const c = cells('cone', 1000, 10, 0);
    const keep = c.radius.map((rho) => (rho >= 1.2 ? 1 : 0));
    const radius = c.radius.filter((_, i) => keep[i]);
    const relief = c.relief.filter((_, i) => keep[i]);
    const fit = fitProfile(binProfile(radius, relief, 0.25, c.extentKm), { minRadiusKm: 2.5, maxRadiusKm: 20 });
    expect(fit!.flatness).toBe(0);
    expect(Math.abs(fit!.heightM - 1000)).toBeLessThan(5);
  });

  it('finds the base of a cone on noise, where a Gaussian puts it a third further out', () => {
    const c = cells('cone', 1000, 10, 0, 0, 80);
    const fit = fitOf(c, 10);
    expect(fit!.shape).toBe('cone');
    expect(Math.abs(fit!.radiusKm - 10)).toBeLessThan(0.5);
    const gaussian = fit!.alternatives.find((a) => a.shape === 'gaussian')!;
    expect(gaussian.radiusKm).toBeGreaterThan(12);
    // a formal standard error that covers the error
    expect(fit!.radiusSdKm).toBeGreaterThan(0);
    expect(Math.abs(fit!.radiusKm - 10)).toBeLessThan(4 * fit!.radiusSdKm + 0.05);
    expect(fit!.residualSdM).toBeGreaterThan(40); // uniform ±80 m: σ = 46 m
    expect(fit!.residualSdM).toBeLessThan(55);
  });

  it('keeps the Gaussian as the bell of record unless the polynomial fits clearly better', () => {
    // a Gaussian with noise: the polynomial fits nearly as well (its R ~15 % further out) but is not chosen
    const fit = fitOf(cells('gaussian', 1000, 10, 0, 0, 60), 10);
    expect(fit!.shape).toBe('gaussian');
    expect(Math.abs(fit!.radiusKm - 10) / 10).toBeLessThan(0.05);
    expect(clearlyBest(fit!, 0.85)).toBe(false); // the bells are close: an apex is not extrapolated from this
  });

  it('is null with too few rings or no relief', () => {
    expect(fitProfile(binProfile(Float64Array.of(1, 2), Float64Array.of(5, 1), 1, 3), { minRadiusKm: 1, maxRadiusKm: 3 })).toBeNull();
    const flat = cells('cone', 0, 10, 0);
    expect(fitOf(flat, 10)).toBeNull();
  });

  it('gives the same bits for the same input (deterministic)', () => {
    const c = cells('parabolic', 900, 7, 0.2, 10, 30);
    expect(fitOf(c, 7)).toEqual(fitOf(c, 7));
  });
});
