import { allowedTransforms, dihedral, transformWindow } from '../../src/model/augment.js';
import { createPrng } from '../../src/model/prng.js';

const n = 5;
const base = Float32Array.from({ length: n * n }, (_, i) => i); // all values distinct: no symmetry
const apply = (code: number, src = base) => {
  const out = new Float32Array(n * n);
  transformWindow(src, n, dihedral(code), out);
  return out;
};

describe('dihedral augmentation', () => {
  test('the 8 transforms give 8 different windows holding the same values', () => {
    const seen = new Set<string>();
    for (let code = 0; code < 8; code++) {
      const out = apply(code);
      expect(Array.from(out).sort((a, b) => a - b)).toEqual(Array.from(base));
      seen.add(out.join(','));
    }
    expect(seen.size).toBe(8);
    expect(Array.from(apply(0))).toEqual(Array.from(base));
  });

  test('a quarter turn is counter-clockwise (east edge to north) and four make the identity', () => {
    const out = new Float32Array(4);
    transformWindow(Float32Array.of(1, 2, 3, 4), 2, { quarterTurns: 1, mirror: false }, out);
    expect(Array.from(out)).toEqual([2, 4, 1, 3]);
    let w = base;
    for (let k = 0; k < 4; k++) w = apply(1, w);
    expect(Array.from(w)).toEqual(Array.from(base));
    expect(Array.from(apply(4, apply(4)))).toEqual(Array.from(base)); // mirror twice
  });

  test('config switches limit the transforms drawn', () => {
    expect(allowedTransforms(true, true)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(allowedTransforms(true, false)).toEqual([0, 1, 2, 3]);
    expect(allowedTransforms(false, true)).toEqual([0, 4]);
    expect(allowedTransforms(false, false)).toEqual([0]);
  });

  test('in-place transforms and short arrays are refused', () => {
    const w = Float32Array.from(base);
    expect(() => transformWindow(w, n, dihedral(1), w)).toThrow(/must differ/);
    expect(() => transformWindow(new Float32Array(3), n, dihedral(1), new Float32Array(n * n))).toThrow(/shorter/);
  });
});

describe('seeded PRNG', () => {
  test('same seed, same stream; other seed, other stream; uniform enough', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const xa = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 1000 }, () => c.next())).not.toEqual(xa);
    expect(Math.min(...xa)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xa)).toBeLessThan(1);
    const meanValue = xa.reduce((s, v) => s + v, 0) / xa.length;
    expect(Math.abs(meanValue - 0.5)).toBeLessThan(0.05);
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[a.int(8)]++;
    for (const k of counts) expect(Math.abs(k - 1000)).toBeLessThan(150);
  });

  test('shuffle is a seeded permutation', () => {
    const s1 = createPrng(7).shuffle(Array.from({ length: 50 }, (_, i) => i));
    const s2 = createPrng(7).shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect(s1).toEqual(s2);
    expect([...s1].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(s1).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
