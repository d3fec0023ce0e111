/** Regional trend removal before normalising (WindowSpec `detrend: plane`, issue 15). */
import { detrendPlane, normaliseWindow } from '../../src/tiling/normalise.js';
import type { WindowSpec } from '../../src/types.js';
import { baseSpec } from './helpers.js';

/** An n × n window: a plane a + b·i + c·j plus a Gaussian bump of height h at the centre. */
function planeWithBump(n: number, a: number, b: number, c: number, h: number): Float32Array {
  const out = new Float32Array(n * n);
  const m = (n - 1) / 2;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) out[j * n + i] = a + b * i + c * j + h * Math.exp(-((i - m) ** 2 + (j - m) ** 2) / (2 * 2.5 ** 2));
  return out;
}

describe('detrendPlane', () => {
  it('removes a plane exactly and returns its value at the centre', () => {
    const v = planeWithBump(9, -4000, 30, -12, 0);
    expect(detrendPlane(v, 9)).toBeCloseTo(-4000 + 30 * 4 - 12 * 4, 3);
    for (const x of v) expect(Math.abs(x)).toBeLessThan(1e-2);
  });
  it('leaves a centred bump on a slope as the same bump on flat ground (to a constant)', () => {
    const onSlope = planeWithBump(16, -4000, 40, 25, 800);
    const onFlat = planeWithBump(16, -4000, 0, 0, 800);
    detrendPlane(onSlope, 16);
    detrendPlane(onFlat, 16);
    for (let k = 0; k < onSlope.length; k++) expect(onSlope[k]).toBeCloseTo(onFlat[k], 2);
  });
  it('ignores NaN samples and keeps them NaN', () => {
    const v = planeWithBump(6, 100, 2, 3, 0);
    v[0] = NaN;
    v[7] = NaN;
    detrendPlane(v, 6);
    expect(v[0]).toBeNaN();
    for (let k = 1; k < v.length; k++) if (k !== 7) expect(Math.abs(v[k])).toBeLessThan(1e-3);
  });
});

describe('normaliseWindow with detrend', () => {
  const n = 16;
  const spec: WindowSpec = { ...baseSpec, samples: n, taper: 'none', detrend: 'plane' };
  const taper = new Float32Array(n * n).fill(1);
  it('gives the same window for the same seamount on flat and sloping sea floor', () => {
    const a = planeWithBump(n, -4000, 60, -35, 900);
    const b = planeWithBump(n, -3000, 0, 0, 900);
    normaliseWindow(a, spec, taper);
    normaliseWindow(b, spec, taper);
    for (let k = 0; k < a.length; k++) expect(a[k]).toBeCloseTo(b[k], 4);
  });
  it('without detrend the slope dominates the window', () => {
    const a = planeWithBump(n, -4000, 60, -35, 900);
    const b = planeWithBump(n, -3000, 0, 0, 900);
    normaliseWindow(a, { ...spec, detrend: 'none' }, taper);
    normaliseWindow(b, { ...spec, detrend: 'none' }, taper);
    let worst = 0;
    for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
    expect(worst).toBeGreaterThan(0.3);
  });
});
