/**
 * Picking in bands of plan rows (bounded memory) gives exactly the catalogue of one pass over all windows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { columnBlocks, rowBands } from '../../src/pipeline/banded-picks.js';
import { writeFloat32GeoTiff } from '../../src/grid/index.js';
import { SyntheticGrid } from '../support/synthetic-grid.js';
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

describe('columnBlocks', () => {
  it('splits a band into blocks about blockKm wide, open-ended unless the rows go round the globe', () => {
    // 40° at the equator: ~4450 km, 1000 km blocks -> 4 of 10°
    const open = columnBlocks(100, 140, 0, 1000, false);
    expect(open.map((b) => [b.west, b.east])).toEqual([
      [-Infinity, 110],
      [110, 120],
      [120, 130],
      [130, Infinity],
    ]);
    // at 60°N a degree is half as long: 2 blocks of 20°
    expect(columnBlocks(100, 140, 60, 1000, false)).toHaveLength(2);
    const ring = columnBlocks(-10, 349.9, 0, 10000, true);
    expect(ring).toHaveLength(4);
    expect(ring[0].west).toBe(-10);
    expect(ring[3].east).toBe(350);
    expect(columnBlocks(0, 10, 0, 5000, false)).toEqual([{ west: -Infinity, east: Infinity }]);
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
  }, 300_000);
});

describe('blocks on a grid that goes round the globe', () => {
  it('equal one pass, with seamounts on the seam and across block edges', async () => {
    const out = tempDir('ring-');
    const gridPath = join(out, 'ring.tif');
    const d = 2 / 60;
    // 2′ cells, 360° by 4°, seamounts astride 0°/360° and along the equator
    const seamounts = [-0.05, 0.3, 45.2, 90, 133.3, 179.95, 225.5, 270.1].map((lon, i) => ({
      lon: lon < 0 ? lon + 360 : lon,
      lat: i % 2 ? 0.4 : -0.5,
      heightM: 1500 + 100 * i,
      radiusKm: 12 + (i % 3) * 4,
    }));
    const g = new SyntheticGrid({
      width: 10801,
      height: 121,
      lon0: 0,
      dLon: d,
      lat0: 2,
      dLat: -d,
      baseDepthM: -4500,
      fabric: { amplitudeM: 30, wavelengthKm: 14 },
      seamounts,
    });
    await writeFloat32GeoTiff(gridPath, await g.read({ x0: 0, y0: 0, w: g.width, h: g.height }), g, -99999);
    const base = { gridPath, modelDir: DEFAULT_MODEL, outDir: join(out, 'run'), logger: quietLogger() };
    const window = { strideKm: 8 };
    const whole = await runDetect({ ...base, config: testConfig({ window, picking: { bandKm: 100000 } }) });
    const geojson = readFileSync(join(base.outDir, 'seamounts.geojson'), 'utf8');
    // the planted seamount astride the seam is found once, whichever side its summit lies
    const nearSeam = whole.seamounts!.filter((s) => Math.abs(((s.lon + 540) % 360) - 180) > 179.5);
    expect(nearSeam.length).toBeGreaterThanOrEqual(1);
    expect(whole.seamounts!.length).toBeGreaterThanOrEqual(6);
    // 300 km blocks: about 130 around the ring, one of them across the seam
    const blocked = await runDetect({ ...base, config: testConfig({ window, picking: { bandKm: 300 } }) });
    expect(blocked.batches.resumed).toBe(blocked.batches.inShard);
    expect(readFileSync(join(base.outDir, 'seamounts.geojson'), 'utf8')).toBe(geojson);
  }, 400_000);
});
