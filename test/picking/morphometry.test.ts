import { equalAreaRadius, morphometry, residualInflation, seamountClass, type EllipseFrame, type Plane } from '../../src/picking/morphometry.js';
import { shapeAt, type ProfileFit, type ProfileShape } from '../../src/picking/profile.js';
import type { Patch } from '../../src/picking/patch.js';

/** A square patch of `cellKm` cells, `n` each side of the centre, with values from f(x, y). */
function patch(n: number, cellKm: number, f: (x: number, y: number) => number): Patch {
  const w = 2 * n + 1;
  const xKm = Float64Array.from({ length: w }, (_, i) => (i - n) * cellKm);
  const yKm = Float64Array.from({ length: w }, (_, j) => (n - j) * cellKm); // row 0 northernmost
  const values = new Float32Array(w * w);
  for (let j = 0; j < w; j++) for (let i = 0; i < w; i++) values[j * w + i] = f(xKm[i], yKm[j]);
  return {
    values,
    w,
    h: w,
    window: { x0: 0, y0: 0, w, h: w },
    centreLon: 0,
    centreLat: 0,
    xKm,
    yKm,
    col0: 0,
    rowFromNorth0: 0,
    cellXKm: cellKm,
    cellYKm: cellKm,
  };
}

const fitOf = (shape: ProfileShape, heightM: number, radiusKm: number, flatness: number, offsetM = 0): ProfileFit => ({
  shape,
  radiusKm,
  flatness,
  heightM,
  offsetM,
  residualSdM: 0,
  radiusSdKm: 0,
  offsetSdM: 0,
  cells: 0,
  sse: 0,
  alternatives: [],
  r2: 1,
});

const circle: EllipseFrame = { x0Km: 0, y0Km: 0, azimuthRad: 0, axisRatio: 1 };
const plane: Plane = [-4000, 2, -1]; // a regional slope under the seamount, m and m/km

describe('seamountClass', () => {
  it('follows IHO / Harris et al. (2014): island, guyot, seamount, knoll, hill', () => {
    expect(seamountClass(1500, 20, false)).toBe('island');
    expect(seamountClass(1500, 20, true)).toBe('island');
    expect(seamountClass(1000, -900, true)).toBe('guyot');
    expect(seamountClass(1000, -900, false)).toBe('seamount');
    expect(seamountClass(999, -900, true)).toBe('knoll'); // flat-topped but under 1000 m: not a guyot
    expect(seamountClass(500, -900, false)).toBe('knoll');
    expect(seamountClass(499, -900, false)).toBe('hill');
    expect(seamountClass(NaN, -900, false)).toBe('hill');
  });
});

describe('equalAreaRadius', () => {
  it('is the distance for a circle and the equal-area ring radius for an ellipse', () => {
    expect(equalAreaRadius(circle, 3, 4)).toBeCloseTo(5, 12);
    // major axis north–south (azimuth 0), minor / major = 0.25: the ring through (0, 4) has semi-axes 4 and 1, area-radius 2
    const e: EllipseFrame = { x0Km: 0, y0Km: 0, azimuthRad: 0, axisRatio: 0.25 };
    expect(equalAreaRadius(e, 0, 4)).toBeCloseTo(2, 12);
    expect(equalAreaRadius(e, 1, 0)).toBeCloseTo(2, 12);
    // the same ellipse turned to azimuth 90°: its major axis runs east–west
    expect(equalAreaRadius({ ...e, azimuthRad: Math.PI / 2 }, 4, 0)).toBeCloseTo(2, 12);
  });
});

describe('morphometry', () => {
  const cell = 0.25;
  const on = (shape: ProfileShape, h: number, r: number, f: number) => (x: number, y: number) =>
    plane[0] + plane[1] * x + plane[2] * y + h * shapeAt(shape, Math.hypot(x, y) / r, f);

  it('gives a cone its volume π R² H / 3 and its flank slope atan(H / R)', () => {
    const m = morphometry(patch(60, cell, on('cone', 1500, 10, 0)), circle, plane, fitOf('cone', 1500, 10, 0), cell);
    expect(m.volumeKm3 / ((Math.PI * 100 * 1.5) / 3)).toBeCloseTo(1, 2);
    expect(m.flankSlopeDeg).toBeCloseTo((Math.atan(0.15) * 180) / Math.PI, 0);
    expect(m.plateauAreaKm2).toBe(0);
    expect(m.flatTopped).toBe(false);
  });

  it('measures a flat-topped cone (a guyot): plateau F², its area, the frustum volume', () => {
    const f = 0.4;
    const m = morphometry(patch(60, cell, on('cone', 2000, 12, f)), circle, plane, fitOf('cone', 2000, 12, f), cell);
    expect(m.plateauShare).toBeCloseTo(f * f, 12);
    expect(m.plateauAreaKm2).toBeCloseTo(Math.PI * (f * 12) ** 2, 9);
    expect(m.flatTopped).toBe(true);
    // frustum: π R² H (1 + F + F²) / 3
    expect(m.volumeKm3 / ((Math.PI * 144 * 2 * (1 + f + f * f)) / 3)).toBeCloseTo(1, 2);
    // the flank only: atan(H / (R (1 − F)))
    expect(m.flankSlopeDeg).toBeCloseTo((Math.atan(2 / (12 * 0.6)) * 180) / Math.PI, 0);
  });

  it('calls a top flat only from a quarter of the basal radius and 1.5 cells of plateau radius (not a pixelated top)', () => {
    const flat = (f: number, cellKm: number) =>
      morphometry(patch(Math.ceil(30 / cellKm), cellKm, on('cone', 2000, 12, f)), circle, plane, fitOf('cone', 2000, 12, f), cellKm).flatTopped;
    expect(flat(0.2, cell)).toBe(false); // F under 0.25
    expect(flat(0.3, 3)).toBe(false); // plateau radius 3.6 km < 1.5 cells of 3 km
    expect(flat(0.3, 2)).toBe(true); // 3.6 km ≥ 1.5 cells of 2 km
  });

  it('counts no-data inside the ellipse at the fitted shape, so the volume does not depend on the grid reaching there', () => {
    const full = patch(60, cell, on('parabolic', 1000, 8, 0));
    const holed = patch(60, cell, (x, y) => (x > 3 ? NaN : on('parabolic', 1000, 8, 0)(x, y)));
    const fit = fitOf('parabolic', 1000, 8, 0);
    const a = morphometry(full, circle, plane, fit, cell);
    const b = morphometry(holed, circle, plane, fit, cell);
    expect(b.volumeKm3).toBeCloseTo(a.volumeKm3, 6);
    expect(a.volumeKm3 / ((Math.PI * 64 * 1) / 2)).toBeCloseTo(1, 2);
  });

  it('adds the data where they differ from the shape (the volume is the data where there are data)', () => {
    const bump = patch(60, cell, (x, y) => on('cone', 1000, 10, 0)(x, y) + (Math.hypot(x - 3, y) < 1 ? 100 : 0));
    const a = morphometry(bump, circle, plane, fitOf('cone', 1000, 10, 0), cell);
    const extraKm3 =
      (100 / 1000) *
      [...Array(121 * 121).keys()].filter((k) => Math.hypot(((k % 121) - 60) * cell - 3, (60 - Math.floor(k / 121)) * cell) < 1).length *
      cell *
      cell;
    expect(a.volumeKm3 - (Math.PI * 100) / 3).toBeCloseTo(extraKm3, 1);
  });
});

describe('residualInflation', () => {
  const fit = fitOf('cone', 1000, 10, 0);
  const cell = 0.5;
  it('is about 1 for white residuals and large for residuals correlated over many cells', () => {
    let s = 12345;
    const white = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s / 2 ** 32 - 0.5) * 100;
    };
    const base = (x: number, y: number) => plane[0] + plane[1] * x + plane[2] * y + 1000 * shapeAt('cone', Math.hypot(x, y) / 10, 0);
    const noisy = residualInflation(
      patch(40, cell, (x, y) => base(x, y) + white()),
      circle,
      plane,
      fit,
      20,
    );
    expect(noisy).toBeGreaterThanOrEqual(1);
    expect(noisy).toBeLessThan(1.3);
    const hills = residualInflation(
      patch(40, cell, (x, y) => base(x, y) + 80 * Math.sin(x / 3) * Math.cos(y / 4)),
      circle,
      plane,
      fit,
      20,
    );
    expect(hills).toBeGreaterThan(20);
    expect(hills).toBeLessThanOrEqual(100);
  });
});
