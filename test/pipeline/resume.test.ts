/**
 * A detect job killed with SIGKILL part-way resumes to exactly the result of an uninterrupted run, and
 * never leaves a partial file under a final name: on a quiet machine, and with another detect running
 * alongside the killed and the resumed run (a busy node, issue 16).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchStore } from '../../src/pipeline/batch-store.js';
import { backgroundDetect, cliArgs, runCli, sharedGrid, tempDir, writeSyntheticGrid } from './fixtures.js';

function listBatchFiles(scores: string): string[] {
  if (!existsSync(scores)) return [];
  return readdirSync(scores, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.bin'))
    .sort();
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('resume after kill -9', () => {
  it.each([
    ['quiet', false],
    ['busy', true],
  ])(
    'gives the same catalogue and scores as an uninterrupted run (%s)',
    async (_name, busy) => {
      const dir = tempDir('resume-');
      const grid = join(dir, 'grid.tif');
      await writeSyntheticGrid(grid, { west: 150, north: 12, widthDeg: 4, heightDeg: 4 }, [
        { lon: 151.2, lat: 10.9, heightM: 1800, radiusKm: 15 },
        { lon: 152.9, lat: 9.3, heightM: 1200, radiusKm: 11 },
        { lon: 153.1, lat: 10.4, heightM: 2200, radiusKm: 18, flatTopFraction: 0.8 },
      ]);
      // small batches, one worker each: many batch files, so the kill lands between batches
      const common = [grid, '--no-progress', '--log-level', 'warn', '--set', 'tiling.batchSize=48', '--set', 'tiling.workers=1', '--set', 'scoring.threads=1'];

      const whole = join(dir, 'whole');
      const ref = spawnSync(process.execPath, cliArgs(['detect', ...common, '--out', whole]), { encoding: 'utf8' });
      expect(ref.stderr).toMatch(/found \d+ seamounts in/);
      expect(ref.status).toBe(0);

      const load = busy ? backgroundDetect(sharedGrid('regions_1m/japan_trench_etopo1.tif'), join(dir, 'load')) : null;
      const resumed = join(dir, 'resumed');
      const child = spawn(process.execPath, cliArgs(['detect', ...common, '--out', resumed]), { stdio: 'ignore' });
      const scores = join(resumed, 'scores');
      const total = listBatchFiles(join(whole, 'scores')).length;
      expect(total).toBeGreaterThan(20);
      const started = await waitFor(() => listBatchFiles(scores).length >= 5, 120_000);
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      expect(started).toBe(true);

      // killed part-way: some batches, no final outputs, and every file under a final name is whole
      const partial = listBatchFiles(scores);
      expect(partial.length).toBeLessThan(total);
      expect(existsSync(join(resumed, 'seamounts.geojson'))).toBe(false);
      const store = new BatchStore(scores);
      for (const k of store.doneBatches()) await expect(store.read(k)).resolves.toBeDefined();

      const again = await runCli(['detect', ...common, '--out', resumed]);
      await load?.stop(); // throws if a background run failed
      expect(again.status).toBe(0);
      const runJson = JSON.parse(readFileSync(join(resumed, 'run.json'), 'utf8'));
      expect(runJson.counts.batches.resumed).toBe(partial.length);

      // identical results: catalogue, table and every batch of scores
      for (const f of ['seamounts.geojson', 'seamounts.csv']) {
        expect(readFileSync(join(resumed, f), 'utf8')).toBe(readFileSync(join(whole, f), 'utf8').replaceAll(whole, resumed));
      }
      expect(listBatchFiles(scores)).toEqual(listBatchFiles(join(whole, 'scores')));
      for (const f of listBatchFiles(scores)) expect(readFileSync(join(scores, f))).toEqual(readFileSync(join(whole, 'scores', f)));
      expect(readdirSync(resumed, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('.tmp-'))).toEqual([]);
    },
    300_000,
  );
});
