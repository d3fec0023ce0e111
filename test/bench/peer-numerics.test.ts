/**
 * The Python peer (bench/peer/) must do the same job as ours for the benchmark to mean anything: same plan
 * ids, same windows (WindowSpec: LAEA lattice, anti-alias, bilinear, land/no-data rules, normalisation,
 * taper), same reconstruction errors from the same bundle weights. Synthetic grids written as GeoTIFF,
 * read by ours (geotiff.js) and by the peer (GDAL).
 *
 * Needs /usr/bin/python3 with numpy, scipy, torch, yaml and GDAL (Debian packages); skipped without them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { misfitOf } from '../../src/engine/misfit.js';
import { openGrid, writeFloat32GeoTiff } from '../../src/grid/index.js';
import { concatFloat32 } from '../../src/base/float32.js';
import { SyntheticGrid, type SyntheticGridOptions } from '../support/synthetic-grid.js';
import { buildAutoencoder } from '../../src/model/autoencoder.js';
import { selectBackend } from '../../src/engine/backend.js';
import { BUNDLE_FORMAT_VERSION, runtimeVersions, saveBundle } from '../../src/model/bundle.js';
import { calibrate } from '../../src/model/calibration.js';
import { reconstructionErrors } from '../../src/engine/reconstruction-errors.js';
import { parseRegion } from '../../src/config/region.js';
import { planWindows, streamWindowBatches, windowSpecFromConfig } from '../../src/tiling/index.js';
import { describeWhen } from '../support/skip.js';

const PYTHON = '/usr/bin/python3';
const PEER = path.resolve(process.cwd(), 'bench/peer/peer_pipeline.py');
const hasPeer = spawnSync(PYTHON, ['-c', 'import numpy, scipy, torch, yaml; from osgeo import gdal'], { encoding: 'utf8' }).status === 0;

const config = loadConfig();
const spec = windowSpecFromConfig(config.window);
let work: string;
let bundleDir: string;

async function writeGrid(file: string, o: SyntheticGridOptions): Promise<void> {
  const g = new SyntheticGrid(o);
  const values = await g.read({ x0: 0, y0: 0, w: g.width, h: g.height });
  await writeFloat32GeoTiff(
    file,
    values,
    { width: g.width, height: g.height, lon0: g.lon0, dLon: g.dLon, lat0: g.lat0, dLat: g.dLat, registration: 'pixel', periodicLon: false },
    -99999,
  );
}

interface Windows {
  ids: Int32Array;
  skippedLand?: number;
  skippedNodata?: number;
  data: Float32Array;
  errors: Float32Array;
}

/** Our kept windows of a region, written where the peer's `--ours` option reads them. */
async function ourWindows(gridFile: string, region: string | null, dir: string): Promise<Windows> {
  const grid = await openGrid(gridFile);
  const ids: number[] = [];
  const parts: Float32Array[] = [];
  let skippedLand = 0;
  let skippedNodata = 0;
  try {
    const plan = planWindows(grid, region ? parseRegion(region) : null, config.window.strideKm, config.plan);
    for await (const b of streamWindowBatches(grid, plan, { batchSize: 256, workers: 0, spec, plan: config.plan })) {
      ids.push(...b.ids);
      parts.push(b.data);
      skippedLand += b.skippedLand;
      skippedNodata += b.skippedNodata;
    }
  } finally {
    await grid.close();
  }
  const data = concatFloat32(parts);
  const { loadBundle } = await import('../../src/model/bundle.js');
  const { model } = await loadBundle(bundleDir);
  const errors = reconstructionErrors(model, data, ids.length, spec.samples, 256, misfitOf(spec));
  model.dispose();
  writeFileSync(path.join(dir, 'windows.f32'), new Uint8Array(data.buffer));
  writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ count: ids.length, samples: spec.samples }));
  return { ids: Int32Array.from(ids), data, errors, skippedLand, skippedNodata };
}

function peerWindows(gridFile: string, region: string | null, oursDir: string, outDir: string): Windows & { errorsOfOurs: Float32Array } {
  const args = [
    PEER,
    '--stage',
    'windows',
    '--grid',
    gridFile,
    '--model',
    bundleDir,
    '--out',
    outDir,
    '--max-windows',
    '100000',
    '--threads',
    '1',
    '--ours',
    oursDir,
  ];
  if (region) args.push(`--region=${region}`);
  const run = spawnSync(PYTHON, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`peer failed: ${run.stderr}`);
  const f32 = (f: string) => new Float32Array(new Uint8Array(readFileSync(path.join(outDir, f))).buffer);
  return {
    ids: new Int32Array(new Uint8Array(readFileSync(path.join(outDir, 'ids.i32'))).buffer),
    data: f32('windows.f32'),
    errors: f32('errors.f32'),
    errorsOfOurs: f32('errors-of-ours.f32'),
  };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return m;
}

describeWhen(hasPeer)('Python peer vs ours on the same windows', () => {
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'peer-numerics-'));
    await selectBackend('wasm');
    bundleDir = path.join(work, 'bundle');
    const model = buildAutoencoder(config.model, spec.samples, 11);
    await saveBundle(bundleDir, model, {
      formatVersion: BUNDLE_FORMAT_VERSION,
      windowSpec: spec,
      architecture: config.model,
      calibration: calibrate([0.01, 0.02, 0.03], 0.5),
      training: {
        seed: 11,
        epochs: 0,
        bestEpoch: 0,
        history: [],
        count: { train: 0, validation: 3 },
        backend: { name: 'wasm', detail: 'test' },
        versions: runtimeVersions(),
        createdAt: new Date().toISOString(),
      },
    });
    model.dispose();
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('fine grid at high latitude: anti-alias, no-data and land rules, planted seamounts', async () => {
    // 0.5′ cells at 50–53° N: east-west cells ~0.6 km, so the anti-alias filter is strong
    const cell = 1 / 120;
    const file = path.join(work, 'fine.tif');
    await writeGrid(file, {
      width: 600,
      height: 360,
      lon0: -30 + cell / 2,
      dLon: cell,
      lat0: 53 - cell / 2,
      dLat: -cell,
      baseDepthM: -4200,
      slopeMPerKm: [1.5, -0.8],
      fabric: { amplitudeM: 80, wavelengthKm: 9 },
      seamounts: [
        { lon: -27.5, lat: 51.5, heightM: 2200, radiusKm: 18 },
        { lon: -28.6, lat: 51.9, heightM: 900, radiusKm: 9, aspect: 0.6, azimuthDeg: 40 },
        // an island: its windows fall to the land rule
        { lon: -26.4, lat: 51.6, heightM: 9000, radiusKm: 60 },
      ],
      nodata: (lon, lat) => lon > -25.6 && lat < 50.7,
    });
    const oursDir = path.join(work, 'fine-ours');
    const peerDir = path.join(work, 'fine-peer');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(oursDir);
    const ours = await ourWindows(file, null, oursDir);
    const peer = peerWindows(file, null, oursDir, peerDir);
    expect(ours.ids.length).toBeGreaterThan(1000);
    // the grid exercises both rules
    expect(ours.skippedLand).toBeGreaterThan(20);
    expect(ours.skippedNodata).toBeGreaterThan(20);
    // the same plan and the same land / no-data decisions: the same kept ids
    expect(Array.from(peer.ids)).toEqual(Array.from(ours.ids));
    // windows agree to float32 rounding (normalised units, -1..1)
    expect(maxAbsDiff(peer.data, ours.data)).toBeLessThan(1e-5);
    // the peer's PyTorch model with our bundle's weights gives our errors on our windows
    expect(maxRelDiff(peer.errorsOfOurs, ours.errors)).toBeLessThan(1e-4);
    // and the whole peer pipeline (its windows, its model) gives our errors
    expect(maxRelDiff(peer.errors, ours.errors)).toBeLessThan(1e-3);
  });

  test('global grid, region across the antimeridian: same plan, wrapped reads', async () => {
    const cell = 0.25;
    const file = path.join(work, 'global.tif');
    await writeGrid(file, {
      width: 1440,
      height: 720,
      lon0: -180 + cell / 2,
      dLon: cell,
      lat0: 90 - cell / 2,
      dLat: -cell,
      baseDepthM: -5000,
      fabric: { amplitudeM: 150, wavelengthKm: 60 },
      seamounts: [{ lon: 179.8, lat: -14.5, heightM: 2500, radiusKm: 40 }],
    });
    const oursDir = path.join(work, 'global-ours');
    const peerDir = path.join(work, 'global-peer');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(oursDir);
    const region = '178.5/-178.5/-15.5/-13.5';
    const ours = await ourWindows(file, region, oursDir);
    const peer = peerWindows(file, region, oursDir, peerDir);
    expect(ours.ids.length).toBeGreaterThan(2000);
    expect(Array.from(peer.ids)).toEqual(Array.from(ours.ids));
    expect(maxAbsDiff(peer.data, ours.data)).toBeLessThan(1e-5);
    expect(maxRelDiff(peer.errors, ours.errors)).toBeLessThan(1e-3);
  });
});
