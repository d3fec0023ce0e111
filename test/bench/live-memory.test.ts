/**
 * The benchmark's live-memory figure counts what the job holds, not garbage waiting for collection: the
 * figure `npm run bench` judges "memory flat in area" by (bench/stages.ts).
 */
import { liveMemorySampler } from '../../bench/stages.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('liveMemorySampler', () => {
  it('sees memory that is held, and not memory that is garbage', async () => {
    const base = liveMemorySampler(20);
    await sleep(100);
    const baseline = base.stop().liveMB;

    // garbage: 40 heaps of small objects (~20 MB each) made and dropped, never more than one alive;
    // V8 leaves such garbage in the old generation until it chooses to collect
    const churn = liveMemorySampler(20);
    let sum = 0;
    for (let i = 0; i < 40; i++) {
      const a = Array.from({ length: 1 << 18 }, (_, k) => ({ k, v: [k] }));
      sum += a[i].k;
      await sleep(5);
    }
    const churned = churn.stop();
    expect(sum).toBe(780);
    expect(churned.samples).toBeGreaterThan(3);
    expect(churned.liveMB).toBeLessThan(baseline + 40);

    // held: 96 MB alive across samples, then let go (the figure is a peak: compare with what follows)
    const hold = liveMemorySampler(20);
    let held: Float64Array[] | null = Array.from({ length: 12 }, () => new Float64Array(1 << 20).fill(1));
    await sleep(100);
    const holding = hold.stop();
    expect(held.reduce((s, a) => s + a[0], 0)).toBe(12);
    held = null;
    // ArrayBuffers are freed a little after the collection that finds them dead: one sample, a while later
    liveMemorySampler(10_000).stop();
    await sleep(200);
    const released = liveMemorySampler(10_000).stop().liveMB;
    expect(holding.liveMB).toBeGreaterThan(released + 90);
  });

  it('sets apart what a bounded cache holds', async () => {
    // what the test before dropped is freed a little after a collection: settle before the baseline
    liveMemorySampler(10_000).stop();
    await sleep(200);
    const base = liveMemorySampler(10_000).stop();
    let cache: Float64Array[] | null = Array.from({ length: 6 }, () => new Float64Array(1 << 20).fill(1)); // 48 MB
    let other: Float64Array[] | null = Array.from({ length: 4 }, () => new Float64Array(1 << 20).fill(2)); // 32 MB
    const sampler = liveMemorySampler(20, () => (cache ? cache.length * 8 * 2 ** 20 : 0));
    await sleep(100);
    const r = sampler.stop();
    expect(cache.length + other.length).toBe(10);
    cache = null;
    other = null;
    expect(r.cacheMB).toBeCloseTo(48, 5);
    expect(r.liveMB - base.liveMB).toBeGreaterThan(75);
    expect(r.uncachedMB - base.uncachedMB).toBeGreaterThan(24);
    expect(r.uncachedMB - base.uncachedMB).toBeLessThan(40);
  });

  it('blocks a cache has just let go of are not counted as growth in the same sample', async () => {
    // what earlier tests dropped is freed a little after a collection
    liveMemorySampler(10_000).stop();
    await sleep(200);
    const base = liveMemorySampler(10_000).stop();
    let cache: Float64Array[] | null = Array.from({ length: 8 }, () => new Float64Array(1 << 20).fill(1)); // 64 MB
    let counted = true;
    const sampler = liveMemorySampler(20, () => (counted ? 64 * 2 ** 20 : 0));
    await sleep(100);
    // the cache is closed: its gauge drops at once while the memory is still there for the last sample
    counted = false;
    const r = sampler.stop();
    expect(cache.length).toBe(8);
    cache = null;
    expect(r.samples).toBeGreaterThan(2);
    expect(r.cacheMB).toBe(64);
    expect(r.uncachedMB - base.uncachedMB).toBeLessThan(20);
  });
});
