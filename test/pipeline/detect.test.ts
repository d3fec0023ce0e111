import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration, gridWarnings, runDetect } from '../../src/pipeline/detect.js';
import { DEFAULT_MODEL, quietLogger, sharedGrid, tempDir, testConfig, writeSyntheticGrid } from './fixtures.js';
import { greatCircleKm } from '../../src/base/geodesy.js';

describe('seamount detect, end to end', () => {
  it('finds a planted Gaussian seamount within one window stride of its true position', async () => {
    const dir = tempDir('detect-planted-');
    const gridPath = join(dir, 'planted.tif');
    const truth = { lon: -120.6, lat: -30.4, heightM: 1500, radiusKm: 14 };
    await writeSyntheticGrid(gridPath, { west: -122, north: -29, widthDeg: 3, heightDeg: 3 }, [truth]);
    const config = testConfig();
    const out = join(dir, 'out');
    const summary = await runDetect({ gridPath, modelDir: DEFAULT_MODEL, outDir: out, config, logger: quietLogger() });

    const fc = JSON.parse(readFileSync(join(out, 'seamounts.geojson'), 'utf8'));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBe(summary.seamounts!.length);
    const best = fc.features
      .map((f: { geometry: { coordinates: [number, number] }; properties: Record<string, number> }) => ({
        d: greatCircleKm(f.geometry.coordinates[0], f.geometry.coordinates[1], truth.lon, truth.lat),
        p: f.properties,
      }))
      .sort((a: { d: number }, b: { d: number }) => a.d - b.d)[0];
    expect(best.d).toBeLessThanOrEqual(config.window.strideKm);
    // the schema the README documents
    for (const key of ['id', 'confidence', 'reconstruction_error', 'depth_m', 'height_m', 'radius_km']) expect(best.p).toHaveProperty(key);
    expect(best.p.confidence).toBeGreaterThan(0);
    expect(best.p.confidence).toBeLessThanOrEqual(1);
    expect(best.p.depth_m).toBeGreaterThan(-4000 + 0.8 * truth.heightM);
    // the flat fabric around it is not a seamount
    expect(fc.features.length).toBeLessThanOrEqual(2);

    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.job.grid.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.counts.scored).toBeGreaterThan(1000);
    expect(run.counts.planned).toBeGreaterThanOrEqual(run.counts.scored);
    expect(run.counts.seamounts).toBe(summary.seamounts!.length);
    expect(run.timingsMs.score).toBeGreaterThan(0);
    expect(run.warnings).toEqual([]); // a 1′ grid is what the detector is for
    for (const f of ['seamounts.csv', 'quicklook.png', 'error.tif']) expect(existsSync(join(out, f))).toBe(true);
    // nothing half-written is left behind
    expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('on a grid much coarser than the window samples (10′), still runs but warns in run.json, naming the file', async () => {
    const dir = tempDir('detect-coarse-');
    const gridPath = join(dir, 'coarse-10m.tif');
    await writeSyntheticGrid(gridPath, { west: -124, north: -27, widthDeg: 6, heightDeg: 6, cellDeg: 10 / 60 }, [
      { lon: -121, lat: -30, heightM: 2500, radiusKm: 20 },
    ]);
    const out = join(dir, 'out');
    await runDetect({ gridPath, modelDir: DEFAULT_MODEL, outDir: out, config: testConfig(), logger: quietLogger() });
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toContain(gridPath);
    expect(run.warnings[0]).toMatch(/cells are 18\.5 km tall, 12\.4 window samples/);
    expect(run.warnings[0]).toContain('baseline --method peaks');
  });

  it('warns only past nine window samples per cell: not at 5′ or 7′, where block-averaged 1′ data still held', () => {
    const spec = JSON.parse(readFileSync(join(DEFAULT_MODEL, 'bundle.json'), 'utf8')).windowSpec; // 48 km, 32 samples: 1.5 km
    expect(gridWarnings({ path: 'a.nc', dLat: -1 / 60 }, spec)).toEqual([]); // 1.9 km
    expect(gridWarnings({ path: 'a.nc', dLat: 5 / 60 }, spec)).toEqual([]); // 9.3 km: 6.2 samples
    expect(gridWarnings({ path: 'a.nc', dLat: -7 / 60 }, spec)).toEqual([]); // 13.0 km: 8.6 samples
    expect(gridWarnings({ path: 'a.nc', dLat: -8 / 60 }, spec)).toHaveLength(1); // 14.8 km: 9.9 samples
  });

  describe('bad input: a clear error naming the file, and no output', () => {
    const expectNoOutput = (out: string) => {
      const files = existsSync(out) ? readdirSync(out) : [];
      expect(files.filter((f) => ['seamounts.geojson', 'seamounts.csv', 'run.json', 'job.json'].includes(f))).toEqual([]);
    };

    it('a file that is not a grid', async () => {
      const dir = tempDir('detect-bad-');
      const path = join(dir, 'notes.nc');
      writeFileSync(path, 'these are my cruise notes, not a grid\n');
      const out = join(dir, 'out');
      await expect(runDetect({ gridPath: path, modelDir: DEFAULT_MODEL, outDir: out, config: testConfig(), logger: quietLogger() })).rejects.toThrow(
        new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*(not|unknown|unsupported)`, 'i'),
      );
      expectNoOutput(out);
    });

    it('a truncated grid file', async () => {
      const dir = tempDir('detect-trunc-');
      const src = sharedGrid('spac_33.nc3.nc');
      const path = join(dir, 'spac_33_cut.nc');
      const size = statSync(src).size;
      const buf = Buffer.alloc(Math.floor(size / 2));
      const fd = openSync(src, 'r');
      readSync(fd, buf, 0, buf.length, 0);
      closeSync(fd);
      writeFileSync(path, buf);
      const out = join(dir, 'out');
      await expect(runDetect({ gridPath: path, modelDir: DEFAULT_MODEL, outDir: out, config: testConfig(), logger: quietLogger() })).rejects.toThrow(
        /spac_33_cut\.nc.*truncated/i,
      );
      expectNoOutput(out);
    });

    it('a grid smaller than one window', async () => {
      const dir = tempDir('detect-small-');
      const path = join(dir, 'tiny.tif');
      // 0.3° × 0.3° ≈ 33 km × 30 km: less than one 48 km window
      await writeSyntheticGrid(path, { west: 10, north: 10, widthDeg: 0.3, heightDeg: 0.3 }, []);
      const out = join(dir, 'out');
      await expect(runDetect({ gridPath: path, modelDir: DEFAULT_MODEL, outDir: out, config: testConfig(), logger: quietLogger() })).rejects.toThrow(
        /tiny\.tif: the grid covers only .* smaller than one 48 km window/,
      );
      expectNoOutput(out);
    });

    it('a model bundle that is not one', async () => {
      const dir = tempDir('detect-nomodel-');
      const grid = join(dir, 'g.nc');
      copyFileSync(sharedGrid('spac_33.nc3.nc'), grid);
      const out = join(dir, 'out');
      await expect(runDetect({ gridPath: grid, modelDir: join(dir, 'nope'), outDir: out, config: testConfig(), logger: quietLogger() })).rejects.toThrow(
        /nope/,
      );
      expectNoOutput(out);
    });

    it('a window spec that differs from the bundle', async () => {
      const dir = tempDir('detect-spec-');
      const out = join(dir, 'out');
      await expect(
        runDetect({
          gridPath: sharedGrid('spac_33.nc3.nc'),
          modelDir: DEFAULT_MODEL,
          outDir: out,
          config: testConfig(),
          userWindow: { sizeKm: 100 },
          logger: quietLogger(),
        }),
      ).rejects.toThrow(/sizeKm/);
      expectNoOutput(out);
    });
  });
});

describe('formatDuration', () => {
  it('reads like a person would say it', () => {
    expect(formatDuration(45.4)).toBe('45s');
    expect(formatDuration(190)).toBe('3m10s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(formatDuration(-3)).toBe('0s');
  });
});
