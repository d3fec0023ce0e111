/**
 * Every grid in ../shared/data/grids: opens, agrees with GDAL cell by cell, agrees across the formats
 * of one grid, puts known cells at known coordinates, and finds Balanus Seamount's summit.
 */
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { columnLon, rowLat } from '../../src/grid/geometry.js';
import { openGrid, detectFormat, describeGrid, formatGridInfo, type FileGrid } from '../../src/grid/index.js';
import type { BlockGrid } from '../../src/grid/block-grid.js';
import { gdalRead } from './gdal-truth.js';
import { DATA, grids, hasTool, tempDir } from './fixtures.js';
import { testWhen } from '../support/skip.js';

const files = readdirSync(`${DATA}/grids`)
  .filter((f) => /\.(nc|tif)$/.test(f))
  .sort();
const haveGdal = hasTool('gdalinfo');
if (!haveGdal) console.warn('gdalinfo not found: GDAL comparisons skipped (apt-get install gdal-bin)');

const readAll = (g: FileGrid) => g.read({ x0: 0, y0: 0, w: g.width, h: g.height });

/** Row of `b` holding the latitude of row `y` of `a` (grids of one region may store rows in opposite orders). */
const rowIn = (a: FileGrid, b: FileGrid, y: number) => Math.round((rowLat(a, y) - b.lat0) / b.dLat);

test('the shared data has the grids this suite expects', () => {
  expect(files.length).toBeGreaterThanOrEqual(12);
});

describe.each(files)('%s', (file) => {
  const path = grids(file);

  test('format is detected from content and matches the name', async () => {
    const expected = file.endsWith('.tif') ? 'geotiff' : file.includes('.nc4.') ? 'netcdf4' : 'netcdf3';
    expect(await detectFormat(path)).toBe(expected);
  });

  testWhen(haveGdal)('every cell equals what GDAL reads, at the same coordinates', async () => {
    const { dir, cleanup } = tempDir();
    const g = await openGrid(path);
    try {
      const truth = gdalRead(path, dir);
      expect([g.width, g.height]).toEqual([truth.width, truth.height]);
      const [gx0, gdx, , gy0, , gdy] = truth.geoTransform;
      // cell centres agree within 5 % of a cell (ETOPO5's stored longitudes are rounded; we snap them to 360/n)
      for (const x of [0, Math.floor(g.width / 2), g.width - 1]) {
        expect(Math.abs(columnLon(g, x) - (gx0 + (x + 0.5) * gdx))).toBeLessThan(0.05 * g.dLon);
      }
      const mine = await readAll(g);
      // GDAL reads km for HI_topo (units km): we return metres
      const toM = g.info.metresPerStoredUnit;
      const W = g.width;
      const tv = truth.values;
      let compared = 0;
      let worstRowOffset = 0;
      for (let y = 0; y < g.height; y++) {
        const lat = rowLat(g, y);
        const r = Math.round((lat - gy0) / gdy - 0.5);
        worstRowOffset = Math.max(worstRowOffset, Math.abs(gy0 + (r + 0.5) * gdy - lat));
        for (let x = 0; x < W; x++) {
          const m = mine[y * W + x];
          const t = tv[r * W + x] * toM;
          if (t !== t) {
            if (m === m) throw new Error(`cell (${x}, ${y}): GDAL no-data, we read ${m}`);
          } else if (!((m > t ? m - t : t - m) <= 1e-6 * (t < 0 ? -t : t) + 1e-3)) {
            // (no Math.abs here: builtins called from a hot loop are very slow under jest's VM modules)
            throw new Error(`cell (${x}, ${y}): GDAL ${t}, we read ${m}`);
          }
          compared++;
        }
      }
      expect(worstRowOffset).toBeLessThan(0.05 * Math.abs(g.dLat));
      expect(compared).toBe(g.width * g.height);
    } finally {
      await g.close();
      cleanup();
    }
  });

  test('windows equal the same cells of a whole read, and touch only their blocks', async () => {
    const g = (await openGrid(path, { cacheMB: 0 })) as BlockGrid;
    try {
      const all = await readAll(g);
      let seed = 7;
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      for (let k = 0; k < 20; k++) {
        const w = 1 + rand(Math.min(300, g.width));
        const h = 1 + rand(Math.min(300, g.height));
        const x0 = rand(g.width - w + 1);
        const y0 = rand(g.height - h + 1);
        const before = g.stats.blocksRead;
        const win = await g.read({ x0, y0, w, h });
        const [bw, bh] = g.info.blockShape;
        const touched = (Math.floor((x0 + w - 1) / bw) - Math.floor(x0 / bw) + 1) * (Math.floor((y0 + h - 1) / bh) - Math.floor(y0 / bh) + 1);
        expect(g.stats.blocksRead - before).toBe(touched);
        for (let j = 0; j < h; j++) {
          for (let i = 0; i < w; i++) {
            const a = win[j * w + i];
            const b = all[(y0 + j) * g.width + x0 + i];
            if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) throw new Error(`window (${x0}, ${y0}, ${w}, ${h}) cell (${i}, ${j}): ${a} vs ${b}`);
          }
        }
      }
    } finally {
      await g.close();
    }
  });

  test('describe() reports what was opened', async () => {
    const g = await openGrid(path);
    try {
      const info = describeGrid(g);
      expect(info.path).toBe(path);
      expect(info.width * info.height).toBeGreaterThan(0);
      expect(info.centres.west).toBeCloseTo(g.lon0, 9);
      expect(formatGridInfo(info)).toContain(basename(path));
    } finally {
      await g.close();
    }
  });
});

describe('one grid, several formats: identical values', () => {
  test.each([
    ['spac_33', ['spac_33.nc3.nc', 'spac_33.nc4.nc', 'spac_33.cog.tif']],
    ['HI_topo_02', ['HI_topo_02.nc3.nc', 'HI_topo_02.nc4.nc', 'HI_topo_02.tiled-lzw.tif']],
    ['gebco2024_philippine_sea', ['gebco2024_philippine_sea.nc3.nc', 'gebco2024_philippine_sea.strip-deflate.tif']],
  ])('%s', async (_name, names) => {
    const opened = await Promise.all(names.map((n) => openGrid(grids(n))));
    try {
      const [ref, ...others] = opened;
      const refAll = await readAll(ref);
      for (const g of others) {
        expect([g.width, g.height]).toEqual([ref.width, ref.height]);
        expect(g.lon0).toBeCloseTo(ref.lon0, 9);
        expect(g.dLon).toBeCloseTo(ref.dLon, 12);
        expect(Math.abs(g.dLat)).toBeCloseTo(Math.abs(ref.dLat), 12);
        const all = await readAll(g);
        let same = 0;
        for (let y = 0; y < ref.height; y++) {
          const yb = rowIn(ref, g, y);
          for (let x = 0; x < ref.width; x++) if (Object.is(refAll[y * ref.width + x], all[yb * g.width + x])) same++;
        }
        expect(same).toBe(ref.width * ref.height);
      }
    } finally {
      await Promise.all(opened.map((g) => g.close()));
    }
  });
});

describe('known cells at known coordinates (values from scipy.io.netcdf_file)', () => {
  test.each([
    // file, lon, lat of the first stored cells, their values (m)
    ['spac_33.nc3.nc', -118, -49, [-3794, -3771, -3740]],
    ['HI_topo_02.nc4.nc', 159 + 5 / 6, 3 + 1 / 6, [-3420, -3484, -3549]],
    ['balanus_gebco2024.nc3.nc', -65.8 + 1 / 480, 39 + 1 / 480, [-4689, -4691, -4691]],
    ['gebco2024_philippine_sea.nc3.nc', 128 + 1 / 480, 28 + 1 / 480, [-791, -786, -778]],
    ['etopo5.nc3.nc', 0, -90, [2810, 2810, 2810]],
  ])('%s', async (file, lon, lat, values) => {
    const g = await openGrid(grids(file));
    try {
      expect(columnLon(g, 0)).toBeCloseTo(lon as number, 9);
      expect(rowLat(g, 0)).toBeCloseTo(lat as number, 9);
      expect(Array.from(await g.read({ x0: 0, y0: 0, w: 3, h: 1 }))).toEqual(values);
    } finally {
      await g.close();
    }
  });

  test('tif and nc of HI_topo hold the same cell at 200°E, 20°N', async () => {
    const [a, b] = await Promise.all(['HI_topo_02.tiled-lzw.tif', 'HI_topo_02.nc3.nc'].map((f) => openGrid(grids(f))));
    try {
      const at = async (g: FileGrid) => (await g.read({ x0: Math.round((200 - g.lon0) / g.dLon), y0: Math.round((20 - g.lat0) / g.dLat), w: 1, h: 1 }))[0];
      const va = await at(a);
      expect(va).toBe(await at(b));
      expect(va).toBeLessThan(-3000); // deep Pacific north-east of Hawaii
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('Balanus Seamount (KW-13171 at 65.394°W, 39.385°N)', () => {
  const kw = { lon: -65.39435, lat: 39.38544 };
  const summit = async (file: string) => {
    const g = await openGrid(grids(file));
    try {
      const all = await readAll(g);
      let best = -Infinity;
      let at = 0;
      all.forEach((v, i) => {
        if (v > best) {
          best = v;
          at = i;
        }
      });
      const lon = columnLon(g, at % g.width);
      const lat = rowLat(g, Math.floor(at / g.width));
      const km = Math.hypot((lon - kw.lon) * 111.195 * Math.cos((kw.lat * Math.PI) / 180), (lat - kw.lat) * 111.195);
      return { depth: best, km };
    } finally {
      await g.close();
    }
  };

  test("GMRT multibeam: summit −1424.94 m (the file's actual_range) within 5 km of the catalogue position", async () => {
    const s = await summit('balanus_gmrt.nc4.nc');
    expect(s.depth).toBeCloseTo(-1424.9405517578125, 6);
    expect(s.km).toBeLessThan(5);
  });

  test('GEBCO 15″: the same summit within 100 m of depth and 5 km', async () => {
    const s = await summit('balanus_gebco2024.nc3.nc');
    expect(Math.abs(s.depth - -1424.94)).toBeLessThan(100);
    expect(s.km).toBeLessThan(5);
  });
});

describe('ETOPO5, global 0..360', () => {
  test('is periodic and a window across the seam wraps', async () => {
    const g = await openGrid(grids('etopo5.nc3.nc'));
    try {
      expect(g.periodicLon).toBe(true);
      expect(g.dLon).toBe(1 / 12);
      const y0 = 1000;
      const across = await g.read({ x0: -10, y0, w: 20, h: 3 });
      const west = await g.read({ x0: g.width - 10, y0, w: 10, h: 3 });
      const east = await g.read({ x0: 0, y0, w: 10, h: 3 });
      for (let j = 0; j < 3; j++) {
        expect(Array.from(across.subarray(j * 20, j * 20 + 10))).toEqual(Array.from(west.subarray(j * 10, j * 10 + 10)));
        expect(Array.from(across.subarray(j * 20 + 10, j * 20 + 20))).toEqual(Array.from(east.subarray(j * 10, j * 10 + 10)));
      }
      const farEast = await g.read({ x0: g.width + 5, y0, w: 1, h: 1 });
      expect(farEast[0]).toBe((await g.read({ x0: 5, y0, w: 1, h: 1 }))[0]);
    } finally {
      await g.close();
    }
  });
});
