import { medianOf, normaliseWindow } from '../../src/tiling/normalise.js';
import { baseSpec } from './helpers.js';

/** Reference median by sorting. */
function sortedMedian(values: number[]): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

describe('medianOf', () => {
  test('matches a sort on random, constant, sorted, duplicated and NaN-holed inputs', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const cases: number[][] = [[], [NaN, NaN], [5], [3, 1], [1, 2, 3, 4], Array(1024).fill(-4000)];
    for (let t = 0; t < 200; t++) {
      const n = 1 + Math.floor(rand() * 1100);
      const kind = t % 4;
      const a = Array.from({ length: n }, (_, i) =>
        kind === 0 ? Math.fround(rand() * 8000 - 6000) : kind === 1 ? i : kind === 2 ? Math.floor(rand() * 5) : rand() < 0.3 ? NaN : Math.fround(rand() * 100),
      );
      cases.push(a);
    }
    for (const c of cases) {
      const got = medianOf(Float32Array.from(c));
      const want = sortedMedian(Array.from(Float32Array.from(c)));
      if (Number.isNaN(want)) expect(got).toBeNaN();
      else expect(got).toBeCloseTo(want, 3);
    }
  });

  test('does not modify its input', () => {
    const v = Float32Array.from([5, 3, 9, 1, 7]);
    expect(medianOf(v)).toBe(5);
    expect(Array.from(v)).toEqual([5, 3, 9, 1, 7]);
  });
});

describe('normaliseWindow', () => {
  test('a flat window becomes zeros; an all-no-data window zeros with a NaN median', () => {
    const spec = { ...baseSpec, samples: 4, taper: 'none' as const };
    const ones = new Float32Array(16).fill(1);
    const flat = new Float32Array(16).fill(-3000);
    expect(normaliseWindow(flat, spec, ones)).toBe(-3000);
    expect(Array.from(flat).every((v) => v === 0)).toBe(true);
    const empty = new Float32Array(16).fill(NaN);
    expect(normaliseWindow(empty, spec, ones)).toBeNaN();
    expect(Array.from(empty).every((v) => v === 0)).toBe(true);
  });
});
