import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../../src/config/schema.js';
import { buildAutoencoder } from '../../src/model/autoencoder.js';
import { selectBackend } from '../../src/engine/backend.js';
import { BUNDLE_FORMAT_VERSION, type BundleMeta, bundleWeightsSha256, loadBundle, runtimeVersions, saveBundle } from '../../src/model/bundle.js';
import { calibrate } from '../../src/model/calibration.js';
import { reconstructionErrors } from '../../src/engine/reconstruction-errors.js';
import type { WindowSpec } from '../../src/types.js';
import { syntheticWindows } from '../support/model-fixtures.js';
import { baseSpec } from '../tiling/helpers.js';

const S = 16;
const arch: ModelConfig = { filters: [8, 16], kernelSize: 3, bottleneck: 8 };
const windowSpec: WindowSpec = { ...baseSpec, samples: S };
const meta = (): BundleMeta => ({
  formatVersion: BUNDLE_FORMAT_VERSION,
  windowSpec,
  architecture: arch,
  calibration: calibrate([0.01, 0.02, 0.03], 0.9),
  training: {
    seed: 5,
    epochs: 3,
    bestEpoch: 2,
    history: [
      { epoch: 1, loss: 0.1, valLoss: 0.09 },
      { epoch: 2, loss: 0.05, valLoss: 0.04 },
      { epoch: 3, loss: 0.04, valLoss: 0.05 },
    ],
    catalogue: { path: 'catalogue.txt', sha256: 'ab' },
    catalogues: [{ path: 'catalogue.txt', sha256: 'ab' }, { path: 'new-labels.geojson' }],
    grids: [{ path: 'grid.nc' }],
    excludedRegions: ['-34/-22/34.5/44'],
    count: { train: 100, validation: 20, seamounts: 40 },
    backend: { name: 'wasm', detail: 'wasm simd, 1 thread' },
    versions: runtimeVersions(),
    createdAt: '2025-01-01T00:00:00.000Z',
    command: 'seamount train --catalogue catalogue.txt --grid grid.nc --out m',
    config: {
      epochs: 3,
      batchSize: 32,
      learningRate: 0.001,
      validationFraction: 0.2,
      patience: 6,
      minReliefM: 300,
      calibrationRecall: 0.9,
      shards: 2,
      engine: 'tfjs',
      threads: 0,
      augment: { rotations: true, flips: true, shiftKm: 4, copies: 8 },
    },
  },
});

let root: string;
let model: tf.LayersModel;
const windows = syntheticWindows({ kind: 'gaussian', count: 40, samples: S, seed: 1 });

beforeAll(async () => {
  await selectBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'seamount-bundle-'));
  model = buildAutoencoder(arch, S, 3);
});
afterAll(async () => {
  model.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('save → load', () => {
  test('gives identical scores and metadata', async () => {
    const dir = join(root, 'a');
    await saveBundle(dir, model, meta());
    expect((await readdir(dir)).sort()).toEqual(['bundle.json', 'model.json', 'weights.bin']);
    const loaded = await loadBundle(dir);
    try {
      expect(loaded.meta).toEqual(meta());
      const a = reconstructionErrors(model, windows, 40, S, 16);
      const b = reconstructionErrors(loaded.model, windows, 40, S, 16);
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(a.some((e) => e > 0)).toBe(true);
    } finally {
      loaded.model.dispose();
    }
  });

  test('model.json is a standard tfjs layers model with its weights manifest', async () => {
    const dir = join(root, 'std');
    await saveBundle(dir, model, meta());
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const bytes = (await readFile(join(dir, 'weights.bin'))).byteLength;
    const params = model.getWeights().reduce((s, w) => s + w.size, 0);
    expect(bytes).toBe(4 * params);
    expect(bundleWeightsSha256(dir)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('replaces an existing bundle whole, leaving no temporary folders', async () => {
    const dir = join(root, 'replace');
    await saveBundle(dir, model, meta());
    const other = buildAutoencoder(arch, S, 99);
    await saveBundle(dir, other, { ...meta(), training: { ...meta().training, seed: 99 } });
    const loaded = await loadBundle(dir);
    expect(loaded.meta.training.seed).toBe(99);
    expect(Array.from(reconstructionErrors(loaded.model, windows, 40, S, 40))).toEqual(Array.from(reconstructionErrors(other, windows, 40, S, 40)));
    loaded.model.dispose();
    other.dispose();
    expect((await readdir(root)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  test('loads a bundle whose recorded ranker settings predate training.ranker.features', async () => {
    const dir = join(root, 'before-features');
    await saveBundle(dir, model, meta());
    const file = join(dir, 'bundle.json');
    const stored = JSON.parse(await readFile(file, 'utf8'));
    // as the version before the setting wrote it
    const older = { enabled: true, labelToleranceKm: 10, unlabelledBeyondKm: 25, l2: 1, folds: 5, refitL2: 20 };
    stored.training.config.ranker = older;
    await writeFile(file, JSON.stringify(stored));
    const loaded = await loadBundle(dir);
    expect(loaded.meta.training.config?.ranker).toEqual(older);
    expect(loaded.meta.training.config?.ranker?.refitL2).toBe(20);
    loaded.model.dispose();
  });

  test('refuses to save metadata that does not fit the model', async () => {
    await expect(saveBundle(join(root, 'bad'), model, { ...meta(), windowSpec: { ...windowSpec, samples: 32 } })).rejects.toThrow(
      /takes \[16, 16, 1\] inputs but the WindowSpec has 32 x 32/,
    );
    await expect(saveBundle(join(root, 'bad2'), model, { ...meta(), calibration: { errors: [], recall: 0.9, threshold: 0 } })).rejects.toThrow(
      /invalid metadata: calibration.errors/,
    );
    expect((await readdir(root)).filter((n) => n.startsWith('bad') || n.includes('.tmp-'))).toEqual([]);
  });
});

describe('loadBundle errors name the folder and the problem', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(root, 'err-'));
    await saveBundle(dir, model, meta());
  });
  const edit = async (name: string, f: (text: string) => string) => writeFile(join(dir, name), f(await readFile(join(dir, name), 'utf8')));

  test('missing folder, missing files, not a folder', async () => {
    await expect(loadBundle(join(root, 'nope'))).rejects.toThrow(/model bundle .*nope: not found/);
    await writeFile(join(root, 'file'), 'x');
    await expect(loadBundle(join(root, 'file'))).rejects.toThrow(/not a folder/);
    await rm(join(dir, 'weights.bin'));
    await expect(loadBundle(dir)).rejects.toThrow(/weights.bin is missing/);
    await rm(join(dir, 'bundle.json'));
    await expect(loadBundle(dir)).rejects.toThrow(/bundle.json is missing \(not a model bundle\?\)/);
  });

  test('corrupt JSON, edited or truncated files', async () => {
    await edit('model.json', (t) => t.replace('"relu"', '"tanh"'));
    await expect(loadBundle(dir)).rejects.toThrow(/model.json does not match its checksum/);
    await saveBundle(dir, model, meta());
    const w = await readFile(join(dir, 'weights.bin'));
    await writeFile(join(dir, 'weights.bin'), w.subarray(0, w.byteLength - 8));
    await expect(loadBundle(dir)).rejects.toThrow(/weights.bin does not match its checksum \(corrupt or truncated\)/);
    await edit('bundle.json', (t) => t.slice(0, t.length / 2));
    await expect(loadBundle(dir)).rejects.toThrow(/bundle.json is not valid JSON/);
  });

  test('a newer format version asks for an upgrade; a broken schema names the field', async () => {
    await edit('bundle.json', (t) => t.replace(/"formatVersion": \d+/, `"formatVersion": ${BUNDLE_FORMAT_VERSION + 1}`));
    await expect(loadBundle(dir)).rejects.toThrow(new RegExp(`format version ${BUNDLE_FORMAT_VERSION + 1} is newer .* upgrade seamount-detect`));
    await edit('bundle.json', (t) => t.replace(/"formatVersion": \d+/, '"formatVersion": "one"'));
    await expect(loadBundle(dir)).rejects.toThrow(/no valid formatVersion/);
    await edit('bundle.json', (t) => t.replace('"formatVersion": "one"', '"formatVersion": 1').replace('"sizeKm": 64', '"sizeKm": -1'));
    await expect(loadBundle(dir)).rejects.toThrow(/bundle.json is invalid: windowSpec.sizeKm/);
  });
});
