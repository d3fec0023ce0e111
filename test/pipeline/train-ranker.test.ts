/**
 * The ranker's half of train, end to end on a synthetic sea floor whose truth is known: seamounts of which
 * the catalogue lists only some, among low elongated ridges nobody lists. The ranker learns listed against
 * unlabelled (positive-unlabelled) and must still find the unlisted seamounts; detect uses it, writes the
 * candidate ledger and counts fates; a bundle without a ranker can only score.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTrain } from '../../src/pipeline/train.js';
import { runDetect } from '../../src/pipeline/detect.js';
import type { PlantedSeamount } from '../support/synthetic-grid.js';
import { greatCircleKm } from '../../src/base/geodesy.js';
import { quietLogger, tempDir, testConfig, writeSyntheticGrid } from './fixtures.js';

const WEST = -40;
const NORTH = 20;

/** A 5 × 5 lattice of seamounts 0.7° apart; every other one is in the catalogue. */
function seamounts(): Array<PlantedSeamount & { listed: boolean }> {
  const out: Array<PlantedSeamount & { listed: boolean }> = [];
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 5; j++) {
      out.push({
        lon: WEST + 0.45 + i * 0.7,
        lat: NORTH - 0.45 - j * 0.7,
        heightM: 1000 + 150 * ((i + 2 * j) % 4),
        radiusKm: 9 + ((2 * i + j) % 3) * 2,
        listed: (i + j) % 2 === 0,
      });
    }
  }
  return out;
}

/** Low ridges, long and narrow, between the seamounts: relief enough to be candidates, shaped like no seamount. */
function ridges(): PlantedSeamount[] {
  const out: PlantedSeamount[] = [];
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++)
      out.push({ lon: WEST + 0.8 + i * 0.7, lat: NORTH - 0.8 - j * 0.7, heightM: 500, radiusKm: 30, aspect: 0.15, azimuthDeg: 20 + 40 * ((i + j) % 3) });
  return out;
}

describe('train fits a candidate ranker; detect decides with it', () => {
  const dir = tempDir('train-ranker-');
  const planted = seamounts();
  const config = testConfig({ training: { epochs: 6, threads: 1, patience: 3 } });
  const grid = join(dir, 'grid.tif');
  const catalogue = join(dir, 'listed.csv');

  beforeAll(async () => {
    await writeSyntheticGrid(grid, { west: WEST, north: NORTH, widthDeg: 3.8, heightDeg: 3.8 }, [...planted, ...ridges()]);
    writeFileSync(
      catalogue,
      `lon,lat\n${planted
        .filter((s) => s.listed)
        .map((s) => `${s.lon},${s.lat}`)
        .join('\n')}\n`,
    );
    await runTrain({ cataloguePaths: [catalogue], gridPaths: [grid], outDir: join(dir, 'model'), excludeRegions: [], config, logger: quietLogger() });
  }, 240_000);

  it('stores the ranker, its cut and how they were learned in the bundle', () => {
    const meta = JSON.parse(readFileSync(join(dir, 'model', 'bundle.json'), 'utf8'));
    expect(meta.formatVersion).toBe(2);
    const r = meta.ranker;
    expect(r.features).toContain('log_error_min');
    expect(r.weights).toHaveLength(r.features.length);
    expect(r.errorThreshold).toBeCloseTo(meta.calibration.threshold, 12);
    expect(r.training.labelled).toBeGreaterThanOrEqual(10);
    expect(r.training.unlabelled).toBeGreaterThanOrEqual(10);
    expect(r.cut.confidence).toBeGreaterThan(0);
    expect(r.cut.confidence).toBeLessThan(1);
    expect(r.cut.aim).toMatch(/F1/);
    expect(r.cut.references).toBe(planted.filter((s) => s.listed).length);
  });

  it('detect finds the unlisted seamounts too, leaves most ridges out, and says why in the ledger', async () => {
    const out = join(dir, 'detect');
    const summary = await runDetect({ gridPath: grid, modelDir: join(dir, 'model'), outDir: out, config: testConfig(), logger: quietLogger() });
    const picks = summary.seamounts ?? [];
    const found = (s: PlantedSeamount) => picks.some((p) => greatCircleKm(p.lon, p.lat, s.lon, s.lat) < 6);
    const unlisted = planted.filter((s) => !s.listed);
    expect(unlisted.filter(found).length).toBeGreaterThanOrEqual(0.8 * unlisted.length);
    expect(planted.filter(found).length).toBeGreaterThanOrEqual(0.8 * planted.length);
    expect(ridges().filter(found).length).toBeLessThanOrEqual(4);

    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    const c = run.counts.candidates;
    expect(c.picked).toBe(picks.length);
    const dropped = Object.values(c.dropped as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(c.picked + c.merged + dropped).toBe(c.candidates);
    // the default: the prior re-estimated from this grid's candidates, the cut of the best expected F1
    expect(run.cut).toMatchObject({ source: 'expected-f1', prior: { estimated: false } });
    expect(run.cut.expectedF1).toBeGreaterThan(0.5);
    const ledger = JSON.parse(readFileSync(join(out, 'candidates.geojson'), 'utf8'));
    expect(ledger.features).toHaveLength(c.candidates);
    const pickIds = ledger.features
      .filter((f: { properties: { fate: string } }) => f.properties.fate === 'picked')
      .map((f: { properties: { pick_id: string } }) => f.properties.pick_id);
    expect(new Set(pickIds)).toEqual(new Set(picks.map((p) => p.id)));

    // a rerun writes the same bytes
    const again = join(dir, 'detect-again');
    await runDetect({ gridPath: grid, modelDir: join(dir, 'model'), outDir: again, config: testConfig(), logger: quietLogger() });
    const files = ['candidates.geojson', 'seamounts.geojson', 'seamounts.csv', 'seamounts.gpkg', 'seamounts_kw.txt', 'seamounts_gmt.txt', 'ellipses.geojson'];
    for (const f of files) expect(readFileSync(join(again, f))).toEqual(readFileSync(join(out, f)));
  }, 120_000);

  it("picking.cut sets the cut: a number, or the bundle's fixed cut", async () => {
    const out = join(dir, 'detect-cut');
    const s = await runDetect({
      gridPath: grid,
      modelDir: join(dir, 'model'),
      outDir: out,
      config: testConfig({ picking: { cut: 0.999 } }),
      logger: quietLogger(),
    });
    expect(s.seamounts?.every((p) => p.confidence >= 0.999)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).cut).toMatchObject({ confidence: 0.999, source: 'picking.cut' });
    const fixed = join(dir, 'detect-bundle-cut');
    const f = await runDetect({
      gridPath: grid,
      modelDir: join(dir, 'model'),
      outDir: fixed,
      config: testConfig({ picking: { cut: 'bundle', adaptPrior: false } }),
      logger: quietLogger(),
    });
    const bundleCut = JSON.parse(readFileSync(join(dir, 'model', 'bundle.json'), 'utf8')).ranker.cut.confidence;
    expect(JSON.parse(readFileSync(join(fixed, 'run.json'), 'utf8')).cut).toMatchObject({ confidence: bundleCut, source: 'bundle' });
    expect(f.seamounts?.every((p) => p.confidence >= bundleCut)).toBe(true);
  }, 120_000);

  it('refits the ranker alone with --init --ranker-only (the autoencoder kept bit for bit)', async () => {
    await runTrain({
      cataloguePaths: [catalogue],
      gridPaths: [grid],
      outDir: join(dir, 'refit'),
      initDir: join(dir, 'model'),
      rankerOnly: true,
      excludeRegions: [],
      config,
      logger: quietLogger(),
    });
    expect(readFileSync(join(dir, 'refit', 'weights.bin'))).toEqual(readFileSync(join(dir, 'model', 'weights.bin')));
    const meta = JSON.parse(readFileSync(join(dir, 'refit', 'bundle.json'), 'utf8'));
    expect(meta.ranker.training.refit.l2).toBe(config.training.ranker.refitL2);
    expect(meta.training.init.sha256).toMatch(/^[0-9a-f]{64}$/);
    await expect(
      runTrain({
        cataloguePaths: [catalogue],
        gridPaths: [grid],
        outDir: join(dir, 'nope'),
        rankerOnly: true,
        excludeRegions: [],
        config,
        logger: quietLogger(),
      }),
    ).rejects.toThrow(/--ranker-only .*--init/);
  }, 120_000);

  it('refuses a ranker feature this version does not compute before training anything', async () => {
    const bad = testConfig({ training: { epochs: 6, threads: 1, patience: 3, ranker: { features: ['log_height', 'slope'] } } });
    const outDir = join(dir, 'bad-feature');
    await expect(runTrain({ cataloguePaths: [catalogue], gridPaths: [grid], outDir, excludeRegions: [], config: bad, logger: quietLogger() })).rejects.toThrow(
      /training\.ranker\.features: ranker feature "slope" is not one this version computes/,
    );
    expect(existsSync(outDir)).toBe(false);
  });

  it('weighs the features training.ranker.features names; a refit towards a ranker weighs what it weighs', async () => {
    const geometry = ['log_prominence', 'log_height', 'log_radius', 'fit_r2'] as const;
    const fresh = testConfig({ training: { epochs: 6, threads: 1, patience: 3, ranker: { refitL2: 0, features: [...geometry] } } });
    const refit = (outDir: string, initDir: string, c: typeof config) =>
      runTrain({ cataloguePaths: [catalogue], gridPaths: [grid], outDir, initDir, rankerOnly: true, excludeRegions: [], config: c, logger: quietLogger() });
    await refit(join(dir, 'geometry'), join(dir, 'model'), fresh);
    const ranker = JSON.parse(readFileSync(join(dir, 'geometry', 'bundle.json'), 'utf8')).ranker;
    expect(ranker.features).toEqual(geometry);
    expect(ranker.weights).toHaveLength(geometry.length);
    // the shipped setting names every feature, but the pull is towards this ranker's four weights
    await refit(join(dir, 'geometry-refit'), join(dir, 'geometry'), config);
    expect(JSON.parse(readFileSync(join(dir, 'geometry-refit', 'bundle.json'), 'utf8')).ranker.features).toEqual(geometry);
    // detect reads the ranker's own columns: it still finds the listed seamounts
    const summary = await runDetect({
      gridPath: grid,
      modelDir: join(dir, 'geometry'),
      outDir: join(dir, 'detect-geometry'),
      config: testConfig(),
      logger: quietLogger(),
    });
    const found = planted.filter((p) => summary.seamounts?.some((q) => greatCircleKm(p.lon, p.lat, q.lon, q.lat) < 10));
    expect(found.length).toBeGreaterThanOrEqual(planted.length / 2);
  }, 240_000);

  it('a bundle without a ranker cannot pick, but can score (--scores-only)', async () => {
    const noRanker = testConfig({ training: { epochs: 2, threads: 1, patience: 3, ranker: { enabled: false } } });
    await runTrain({ cataloguePaths: [catalogue], gridPaths: [grid], outDir: join(dir, 'bare'), excludeRegions: [], config: noRanker, logger: quietLogger() });
    const out = join(dir, 'detect-bare');
    await expect(runDetect({ gridPath: grid, modelDir: join(dir, 'bare'), outDir: out, config: testConfig(), logger: quietLogger() })).rejects.toThrow(
      /has no candidate ranker.*--ranker-only.*--scores-only/,
    );
    expect(existsSync(join(out, 'job.json'))).toBe(false);
    const s = await runDetect({ gridPath: grid, modelDir: join(dir, 'bare'), outDir: out, config: testConfig(), logger: quietLogger(), scoresOnly: true });
    expect(s.seamounts).toBeNull();
    expect(existsSync(join(out, 'error.tif'))).toBe(true);
    expect(existsSync(join(out, 'seamounts.geojson'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).kind).toBe('detect-scores');
  }, 120_000);
});
