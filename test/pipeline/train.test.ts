/**
 * The train job end to end on a synthetic grid whose seamounts are known: catalogue → windows → bundle with
 * provenance; retraining with --init moves the new seamounts' errors down; bad catalogues fail clearly.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundle } from '../../src/model/index.js';
import { reconstructionErrors } from '../../src/engine/index.js';
import { extractWindow } from '../../src/tiling/index.js';
import { openGrid } from '../../src/grid/index.js';
import { runTrain } from '../../src/pipeline/train.js';
import type { PlantedSeamount } from '../support/synthetic-grid.js';
import { quietLogger, tempDir, testConfig, writeSyntheticGrid } from './fixtures.js';

/** Seamounts on a regular lattice with varied sizes (deterministic). */
function lattice(west: number, north: number, n: number, flatTop: number | undefined): PlantedSeamount[] {
  const out: PlantedSeamount[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out.push({
        lon: west + 0.45 + i * 0.7,
        lat: north - 0.45 - j * 0.7,
        heightM: 900 + 150 * ((i + 2 * j) % 5),
        radiusKm: 9 + ((2 * i + j) % 4) * 2,
        flatTopFraction: flatTop,
      });
    }
  }
  return out;
}

const csv = (path: string, s: PlantedSeamount[]) => writeFileSync(path, `lon,lat\n${s.map((x) => `${x.lon},${x.lat}`).join('\n')}\n`);

describe('seamount train', () => {
  const dir = tempDir('train-job-');
  // the autoencoder's half of train (the ranker's is test/pipeline/train-ranker.test.ts)
  const config = testConfig({ training: { epochs: 6, threads: 1, patience: 3, ranker: { enabled: false } } });
  const gaussians = lattice(-40, 20, 5, undefined);
  const guyots = lattice(-30, 20, 5, 0.55);

  it('trains a bundle from a catalogue and a grid, with provenance', async () => {
    await writeSyntheticGrid(join(dir, 'a.tif'), { west: -40, north: 20, widthDeg: 3.6, heightDeg: 3.6 }, gaussians);
    csv(join(dir, 'a.csv'), gaussians);
    const r = await runTrain({
      cataloguePaths: [join(dir, 'a.csv')],
      gridPaths: [join(dir, 'a.tif')],
      outDir: join(dir, 'model-a'),
      excludeRegions: [],
      config,
      logger: quietLogger(),
      command: 'seamount train (test)',
    });
    expect(r.trainSeamounts + r.valCount).toBe(gaussians.length);
    expect(r.trainCount).toBeGreaterThan(r.trainSeamounts * 4);
    const meta = JSON.parse(readFileSync(join(dir, 'model-a', 'bundle.json'), 'utf8'));
    expect(meta.training.catalogues[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(meta.training.grids[0].path).toBe('a.tif');
    expect(meta.training.command).toBe('seamount train (test)');
    expect(meta.windowSpec.sizeKm).toBe(config.window.sizeKm);
    expect(meta.calibration.threshold).toBeGreaterThan(0);
  }, 120_000);

  it('retrains with --init: the new seamounts reconstruct better, the spec is kept', async () => {
    await writeSyntheticGrid(join(dir, 'b.tif'), { west: -30, north: 20, widthDeg: 3.6, heightDeg: 3.6 }, guyots);
    csv(join(dir, 'b.csv'), guyots);
    const grid = await openGrid(join(dir, 'b.tif'));
    const before = await loadBundle(join(dir, 'model-a'));
    const spec = before.meta.windowSpec;
    const windows = new Float32Array(guyots.length * spec.samples * spec.samples);
    for (let i = 0; i < guyots.length; i++) {
      windows.set((await extractWindow(grid, guyots[i], spec, 0)).data, i * spec.samples * spec.samples);
    }
    await grid.close();
    const median = (a: Float32Array) => [...a].sort((x, y) => x - y)[a.length >> 1];
    const errorsBefore = reconstructionErrors(before.model, windows, guyots.length, spec.samples, 64);

    await runTrain({
      cataloguePaths: [join(dir, 'b.csv')],
      gridPaths: [join(dir, 'b.tif')],
      outDir: join(dir, 'model-b'),
      initDir: join(dir, 'model-a'),
      excludeRegions: [],
      // a different window size asked for: --init keeps the bundle's
      config: testConfig({ training: { epochs: 6, threads: 1, patience: 3, ranker: { enabled: false } }, window: { sizeKm: 64 } }),
      logger: quietLogger(),
    });
    const after = await loadBundle(join(dir, 'model-b'));
    expect(after.meta.windowSpec).toEqual(spec);
    expect(after.meta.training.init?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const errorsAfter = reconstructionErrors(after.model, windows, guyots.length, spec.samples, 64);
    expect(median(errorsAfter)).toBeLessThan(0.8 * median(errorsBefore));
    before.model.dispose();
    after.model.dispose();
  }, 120_000);

  it('refuses a catalogue with no seamount inside the grids, and excluded regions count', async () => {
    const far = join(dir, 'far.csv');
    writeFileSync(far, 'lon,lat\n100,-60\n101,-61\n');
    await expect(
      runTrain({ cataloguePaths: [far], gridPaths: [join(dir, 'a.tif')], outDir: join(dir, 'model-far'), excludeRegions: [], config, logger: quietLogger() }),
    ).rejects.toThrow(/no catalogue seamount in .*far\.csv has a usable window in .*a\.tif \(2 outside the grids/);
    await expect(
      runTrain({
        cataloguePaths: [join(dir, 'a.csv')],
        gridPaths: [join(dir, 'a.tif')],
        outDir: join(dir, 'model-excluded'),
        excludeRegions: ['-41/-36/16/21'],
        config,
        logger: quietLogger(),
      }),
    ).rejects.toThrow(/no catalogue seamount/);
    expect(existsSync(join(dir, 'model-far'))).toBe(false);
    expect(existsSync(join(dir, 'model-excluded'))).toBe(false);
  });

  it('reports unreadable catalogue rows by line number', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'lon,lat\n-39.5,19.5\nabc,19\n-39,\n');
    await expect(
      runTrain({ cataloguePaths: [bad], gridPaths: [join(dir, 'a.tif')], outDir: join(dir, 'model-bad'), excludeRegions: [], config, logger: quietLogger() }),
    ).rejects.toThrow(/bad\.csv.*line 3/);
  });
});
