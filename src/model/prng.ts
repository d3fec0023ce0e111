/**
 * A small seeded PRNG (mulberry32) for everything random in training: the split, the shuffling, the
 * augmentation. Same seed, same sequence, on every platform (32-bit integer arithmetic only).
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T;
}

/**
 * @example
 * const rng = createPrng(42);
 * rng.int(8); // the same value for seed 42, every run
 */
export function createPrng(seed: number): Prng {
  // spread the seed over 32 bits so that nearby seeds give unrelated streams
  let state = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    shuffle(a) {
      for (let i = a.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
      }
      return a;
    },
  };
}
