/**
 * What `info` tells an operator before a large job (docs/operations.md): the core-hours of its estimate,
 * the memory to give a machine, the plan per shard, and a probe that takes more batches on plans that span
 * many latitudes, with an untimed warm-up batch ahead of them.
 */
import { silentLogger } from '../../src/base/logger.js';
import { formatInfo } from '../../src/cli/info.js';
import { gridInfo, probeBatchCount, type DetectPlanInfo } from '../../src/pipeline/info.js';
import { DEFAULT_MODEL, sharedGrid, testConfig } from './fixtures.js';

const GRID = sharedGrid('spac_33.nc4.nc');

async function plan(o: { threads?: number; shards?: number; probeBatches?: number; probe?: boolean }): Promise<DetectPlanInfo> {
  const config = testConfig({ scoring: { threads: o.threads ?? 0 }, region: '-118/-114/-49/-45' });
  const r = await gridInfo({
    gridPath: GRID,
    modelDir: DEFAULT_MODEL,
    config,
    probe: o.probe,
    shards: o.shards,
    probeBatches: o.probeBatches,
    logger: silentLogger(),
  });
  if ('error' in r.detect) throw new Error(r.detect.error);
  return r.detect;
}

describe('info for operators', () => {
  it('probes 3 batches of a region, more of a plan over many latitudes, at most 24', () => {
    expect(probeBatchCount(1)).toBe(3);
    expect(probeBatchCount(164)).toBe(3);
    expect(probeBatchCount(20_000)).toBe(10);
    expect(probeBatchCount(124_064)).toBe(24); // a global grid at the default 4 km stride
    expect(probeBatchCount(10_000_000)).toBe(24);
  });

  it('gives core-hours, memory and the plan per shard from one probe', async () => {
    const d = await plan({ threads: 2, shards: 4, probeBatches: 3 });
    const p = d.probe;
    if (!p || d.estimatedSeconds === null || !d.shards) throw new Error('no probe');
    // the timed batches only: the warm-up batch before the first is neither timed nor counted
    expect(p.batches).toHaveLength(3);
    expect(p.windows).toBeLessThanOrEqual(3 * d.batchSize);
    expect(p.windows).toBeGreaterThan(2 * d.batchSize);
    expect(p.msPerWindow).toBeGreaterThan(0);
    // core-hours: the estimate on the cores scoring uses (scoring.threads when set)
    expect(d.cores).toBe(2);
    expect(d.coreHours).toBeCloseTo((d.estimatedSeconds * 2) / 3600, 12);
    // memory: what the probe held, plus the block cache it had no time to fill
    expect(p.peakRssMB).toBeGreaterThan(50);
    expect(d.estimatedPeakMB).toBeCloseTo(p.peakRssMB + 128, 9);
    // shards: round-robin batches, the largest shard's share, its own start-up
    expect(d.shards.count).toBe(4);
    expect(d.shards.batchesPerShard).toBe(Math.ceil(d.batches / 4));
    expect(d.shards.windowsPerShard).toBe(Math.min(d.windows, d.shards.batchesPerShard * d.batchSize));
    const perShard = (p.startupMs + d.shards.windowsPerShard * p.msPerWindow) / 1000;
    expect(d.shards.estimatedSecondsPerShard).toBeCloseTo(perShard, 9);
    expect(d.shards.coreHours).toBeCloseTo((4 * perShard * 2) / 3600, 12);
    // four start-ups instead of one, no more
    expect(d.shards.coreHours).toBeGreaterThanOrEqual(d.coreHours ?? 0);
    expect(d.shards.coreHours).toBeLessThan((d.coreHours ?? 0) + (4 * (p.startupMs / 1000) * 2) / 3600 + 1e-3);

    const text = await textOf(d);
    expect(text).toMatch(/core-hours {4}[\d.]+ \(2 cores × \S+\)/);
    expect(text).toMatch(/memory {8}about \d+ MB peak \(probe \d+ MB \+ grid\.cacheMB 128\)/);
    expect(text).toMatch(
      /shards {8}4 \(--shard auto\/4\) of at most [\d,]+ windows in [\d,]+ batches: about \S+ each on 2 cores, [\d.]+ core-hours in all; then merge/,
    );
  });

  it('with scoring.threads 0 counts every core this process may use; without the probe, no time, memory or core-hours', async () => {
    const d = await plan({ probe: false, shards: 3 });
    const { availableParallelism } = await import('node:os');
    expect(d.cores).toBe(availableParallelism());
    expect([d.probe, d.estimatedSeconds, d.coreHours, d.estimatedPeakMB]).toEqual([null, null, null, null]);
    expect(d.shards).toMatchObject({ count: 3, batchesPerShard: Math.ceil(d.batches / 3), estimatedSecondsPerShard: null, coreHours: null });
  });
});

/** The report's text as `seamount info` prints it, for this plan. */
async function textOf(d: DetectPlanInfo): Promise<string> {
  const r = await gridInfo({
    gridPath: GRID,
    modelDir: DEFAULT_MODEL,
    config: testConfig({ region: '-118/-114/-49/-45' }),
    probe: false,
    logger: silentLogger(),
  });
  return formatInfo({ ...r, detect: d });
}
