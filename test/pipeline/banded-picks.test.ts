/**
 * Picking in bands of plan rows (bounded memory) gives exactly the catalogue of one pass over all windows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rowBands } from '../../src/pipeline/banded-picks.js';
import { runDetect } from '../../src/pipeline/detect.js';
import { DEFAULT_MODEL, quietLogger, sharedGrid, tempDir, testConfig } from './fixtures.js';

describe('rowBands', () => {
  it('covers every row once with its core, and reads a margin around it', () => {
    const bands = rowBands({ rows: 103, strideKm: 4 }, 100, 30);
    expect(bands[0]).toEqual({ core: [0, 25], read: [0, 33] });
    expect(bands[1]).toEqual({ core: [25, 50], read: [17, 58] });
    expect(bands[bands.length - 1].core[1]).toBe(103);
    expect(bands[bands.length - 1].read[1]).toBe(103);
    for (let i = 1; i < bands.length; i++) expect(bands[i].core[0]).toBe(bands[i - 1].core[1]);
  });
});

describe('banded picking', () => {
  it('equals one pass over the whole job, byte for byte', async () => {
    const out = tempDir('bands-');
    const base = { gridPath: sharedGrid('spac_33.nc4.nc'), modelDir: DEFAULT_MODEL, outDir: out, logger: quietLogger() };
    const region = '-118/-114/-49/-43.5';
    const whole = await runDetect({ ...base, config: testConfig({ region, picking: { bandKm: 100000 } }) });
    const geojson = readFileSync(join(out, 'seamounts.geojson'), 'utf8');
    expect(whole.seamounts!.length).toBeGreaterThan(10);
    // the same job, scores resumed, picked in 5 bands of ~120 km (+ ~120 km margins)
    const banded = await runDetect({ ...base, config: testConfig({ region, picking: { bandKm: 120 } }) });
    expect(banded.batches.resumed).toBe(banded.batches.inShard);
    expect(readFileSync(join(out, 'seamounts.geojson'), 'utf8')).toBe(geojson);
  }, 120_000);
});
