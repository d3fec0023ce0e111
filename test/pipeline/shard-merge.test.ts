/**
 * N shards merged equal one run, on a real grid (spac_33), and the pipeline runner's sharded mode: shard
 * runs write their own folders, the unsharded run merges them and goes on with the later stages.
 */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDetect } from '../../src/pipeline/detect.js';
import { runMerge } from '../../src/pipeline/merge.js';
import { parsePipeline } from '../../src/pipeline/pipeline-file.js';
import { runPipeline } from '../../src/pipeline/run-pipeline.js';
import { createLogger } from '../../src/base/logger.js';
import { DEFAULT_MODEL, quietLogger, sharedCatalogue, sharedGrid, tempDir, testConfig } from './fixtures.js';

const GRID = sharedGrid('spac_33.nc4.nc');
const REGION = '-118/-115/-47/-44';
const outputs = (dir: string) => ({
  geojson: readFileSync(join(dir, 'seamounts.geojson'), 'utf8'),
  csv: readFileSync(join(dir, 'seamounts.csv'), 'utf8'),
});

describe('shards and merge', () => {
  const dir = tempDir('shards-');
  const config = testConfig({ region: REGION, tiling: { batchSize: 64, workers: 1 } });
  const base = { gridPath: GRID, modelDir: DEFAULT_MODEL, config, logger: quietLogger() };

  it('three shards merged give exactly the single-process catalogue', async () => {
    const single = await runDetect({ ...base, outDir: join(dir, 'single') });
    expect(single.seamounts!.length).toBeGreaterThan(3);
    const shardDirs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `shard-${i}`);
      const s = await runDetect({ ...base, outDir: out, shard: { index: i, count: 3 } });
      expect(s.seamounts).toBeNull();
      expect(existsSync(join(out, 'seamounts.geojson'))).toBe(false);
      shardDirs.push(out);
    }
    const merged = await runMerge({ shardDirs, outDir: join(dir, 'merged'), config, logger: quietLogger() });
    expect(merged.windows.scored).toBe(single.windows.scored);
    expect(outputs(join(dir, 'merged'))).toEqual(outputs(join(dir, 'single')));
  }, 180_000);

  it('refuses an incomplete or mixed set of shards', async () => {
    await expect(runMerge({ shardDirs: [join(dir, 'shard-0'), join(dir, 'shard-1')], outDir: join(dir, 'm2'), config, logger: quietLogger() })).rejects.toThrow(
      /shards 2\/3 .*missing/,
    );
    await expect(
      runMerge({ shardDirs: [join(dir, 'shard-0'), join(dir, 'shard-0'), join(dir, 'shard-1')], outDir: join(dir, 'm3'), config, logger: quietLogger() }),
    ).rejects.toThrow(/same shard/);
    // a shard that was killed before it finished has no run.json
    cpSync(join(dir, 'shard-2'), join(dir, 'shard-2-unfinished'), { recursive: true });
    rmSync(join(dir, 'shard-2-unfinished', 'run.json'));
    await expect(
      runMerge({
        shardDirs: [join(dir, 'shard-0'), join(dir, 'shard-1'), join(dir, 'shard-2-unfinished')],
        outDir: join(dir, 'm4'),
        config,
        logger: quietLogger(),
      }),
    ).rejects.toThrow(/shard-2-unfinished: shard 2\/3 has not finished/);
    for (const m of ['m2', 'm3', 'm4']) expect(existsSync(join(dir, m, 'seamounts.geojson'))).toBe(false);
  }, 60_000);

  it('runs a pipeline as shards, then merges and compares in the unsharded run; finished stages are skipped', async () => {
    const work = tempDir('pipeline-shards-');
    const text = `name: basin
workdir: ${work}/state
config:
  tiling: { batchSize: 64, workers: 1 }
stages:
  - name: detect
    detect: { grid: ${GRID}, model: ${DEFAULT_MODEL}, out: ${work}/detect, region: "${REGION}" }
  - name: compare-kw
    compare: { picks: ${work}/detect/seamounts.geojson, catalogue: ${sharedCatalogue('KWSMTSv01.txt')}, out: ${work}/compare }
`;
    const file = join(work, 'basin.yaml');
    writeFileSync(file, text);
    const pipeline = parsePipeline(text, file, {});
    const logFile = join(work, 'log.jsonl');
    const logger = createLogger({ level: 'info', file: logFile });
    const opts = { pipeline, source: file, overrides: { logging: { progress: 'off' } }, env: {}, logger };

    for (let i = 0; i < 2; i++) {
      const r = await runPipeline({ ...opts, shard: { index: i, count: 2 } });
      expect(r.ran).toEqual(['detect']);
      expect(r.skipped).toEqual(['compare-kw']);
    }
    expect(readdirSync(join(work, 'detect')).sort()).toEqual(['shard-0-of-2', 'shard-1-of-2']);

    const merged = await runPipeline(opts);
    expect(merged.ran).toEqual(['detect', 'compare-kw']);
    expect(outputs(join(work, 'detect'))).toEqual(outputs(join(dir, 'single')));
    const metrics = JSON.parse(readFileSync(join(work, 'compare', 'metrics.json'), 'utf8'));
    expect(metrics.tp + metrics.fn).toBeGreaterThan(0);

    const again = await runPipeline(opts);
    expect(again.ran).toEqual([]);
    expect(again.skipped).toEqual(['detect', 'compare-kw']);

    // logs carry job, shard and stage
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const shardLines = lines.filter((l) => l.shard === '1/2' && l.job === 'basin' && l.stage === 'detect');
    expect(shardLines.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.job === 'basin' && l.shard === '0/1' && l.stage === 'compare-kw')).toBe(true);
  }, 240_000);
});
