/**
 * The global job's input: GEBCO 2024 and SRTM15+ ship as one netCDF-4 file of 86,400 × 43,200 int16,
 * contiguous and uncompressed, 7.46 GB, so its last rows lie past byte 2^32. A reader that kept a 32-bit
 * offset anywhere (our wasm HDF5, its file driver, our block arithmetic) would read the wrong rows there
 * or fail. The file is made here, sparse (only a few row bands written; the rest a hole, a few MB of
 * disk), with the writer in a child process (test/support/gebco-shaped.ts says why), and read back with
 * the project's reader at both ends and across the 2 GiB and 4 GiB marks; `info` plans a detect on it.
 */
import { spawnSync } from 'node:child_process';
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openGrid, type FileGrid } from '../../src/grid/index.js';
import { columnLon, rowLat } from '../../src/grid/geometry.js';
import { gridInfo } from '../../src/pipeline/info.js';
import { formatInfo } from '../../src/cli/info.js';
import { defaultModelDir, loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/base/logger.js';
import { tempDir } from '../support/temp-dir.js';
import { GEBCO_HEIGHT, GEBCO_VALUE_BYTES, GEBCO_WIDTH, markerElevation, type RowBand } from '../support/gebco-shaped.js';

const ROW_BYTES = GEBCO_WIDTH * 2;
/** Written bands: both ends, and wide bands round the 2 GiB and 4 GiB marks (their rows are checked below). */
const BANDS: RowBand[] = [
  { row0: 0, rows: 8 },
  { row0: 12_400, rows: 40 },
  { row0: 24_830, rows: 40 },
  { row0: GEBCO_HEIGHT - 8, rows: 8 },
];

const dir = tempDir('seamount-gebco-');
const path = join(dir, 'GEBCO_2024_sparse.nc');

/** Byte offset of the first value in the file: where row 0's first 16 values sit. */
function valuesOffset(file: string): number {
  const probe = Buffer.alloc(16 << 20);
  const fd = openSync(file, 'r');
  try {
    const n = readSync(fd, probe, 0, probe.length, 0);
    const row0 = Buffer.alloc(32);
    for (let i = 0; i < 16; i++) row0.writeInt16LE(markerElevation(0, i), 2 * i);
    const at = probe.subarray(0, n).indexOf(row0);
    if (at < 0) throw new Error('row 0 not found in the first 16 MiB');
    return at;
  } finally {
    closeSync(fd);
  }
}

/** Compares rows [row0, row0 + rows) read through the grid with the values written; returns the first mismatch. */
async function firstMismatch(g: FileGrid, row0: number, rows: number): Promise<string | null> {
  const values = await g.read({ x0: 0, y0: row0, w: GEBCO_WIDTH, h: rows });
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < GEBCO_WIDTH; i++) {
      const want = markerElevation(row0 + j, i);
      const got = values[j * GEBCO_WIDTH + i];
      if (got !== want) return `row ${row0 + j}, column ${i}: want ${want}, got ${got}`;
    }
  }
  return null;
}

describe('a GEBCO 2024-shaped netCDF-4 (86,400 × 43,200 int16, contiguous, 7.46 GB)', () => {
  let grid: FileGrid;
  let offset: number;

  beforeAll(async () => {
    const loader = resolve(process.cwd(), 'node_modules/tsx/dist/loader.mjs');
    const script = resolve(process.cwd(), 'test/support/write-gebco-shaped.ts');
    const r = spawnSync(process.execPath, ['--import', loader, script, path, ...BANDS.map((b) => `${b.row0}:${b.rows}`)], { encoding: 'utf8' });
    // HDF5 prints its refusal of the null write (expected); anything else on stderr is a failure
    const unexpected = r.stderr.split('\n').filter((l) => l.trim() && !/HDF5-DIAG|^\s+(#\d+:|major:|minor:)/.test(l));
    if (r.status !== 0 || unexpected.length) throw new Error(`writing the sparse file failed (${r.status}):\n${r.stderr}`);
    grid = await openGrid(path);
    offset = valuesOffset(path);
  });
  afterAll(async () => {
    await grid?.close();
  });

  test('is sparse: more than 4 GiB long, a few MB on disk', () => {
    const st = statSync(path);
    expect(st.size).toBeGreaterThanOrEqual(offset + GEBCO_VALUE_BYTES); // 7.46 GB = 6.95 GiB
    expect(st.size).toBeGreaterThan(1.7 * 2 ** 32);
    expect(st.blocks * 512).toBeLessThan(100 * 2 ** 20);
  });

  test('opens as GEBCO does: elevation in m, 15″ pixel-registered cells, south row first, the whole globe', () => {
    expect(grid.format).toBe('netcdf4');
    expect(grid.variable).toBe('elevation');
    expect([grid.width, grid.height]).toEqual([GEBCO_WIDTH, GEBCO_HEIGHT]);
    expect(grid.info.layout).toBe('netCDF-4 contiguous, uncompressed');
    expect(grid.info.units).toBe('m');
    expect(grid.registration).toBe('pixel');
    expect(grid.periodicLon).toBe(true);
    expect(grid.dLat).toBeGreaterThan(0);
    expect(rowLat(grid, 0)).toBeCloseTo(-90 + 1 / 480, 9);
    expect(rowLat(grid, GEBCO_HEIGHT - 1)).toBeCloseTo(90 - 1 / 480, 9);
    expect(columnLon(grid, 0)).toBeCloseTo(-180 + 1 / 480, 9);
    expect(columnLon(grid, GEBCO_WIDTH - 1)).toBeCloseTo(180 - 1 / 480, 9);
  });

  test('reads the first and the last rows back exactly', async () => {
    expect(await firstMismatch(grid, 0, 8)).toBeNull();
    expect(await firstMismatch(grid, GEBCO_HEIGHT - 8, 8)).toBeNull();
    // the last row starts 2.9 GiB past the 4 GiB mark
    expect(offset + (GEBCO_HEIGHT - 1) * ROW_BYTES).toBeGreaterThan(2 ** 32 + 2.9 * 2 ** 30);
  });

  test.each([
    ['2 GiB', 2 ** 31],
    ['4 GiB', 2 ** 32],
  ])('reads the rows round the %s mark exactly, the row that straddles it included', async (_name, mark) => {
    const straddling = Math.floor((mark - offset) / ROW_BYTES);
    const band = BANDS.find((b) => b.row0 + 4 <= straddling && straddling + 4 < b.row0 + b.rows);
    expect(band).toBeDefined();
    // a fresh grid (empty cache) per band, so these rows come from the file
    const g = await openGrid(path);
    try {
      expect(await firstMismatch(g, straddling - 4, 8)).toBeNull();
    } finally {
      await g.close();
    }
  });

  test('a window across the seam at the north end wraps to the first columns', async () => {
    const w = await grid.read({ x0: GEBCO_WIDTH - 3, y0: GEBCO_HEIGHT - 2, w: 6, h: 2 });
    const want = [GEBCO_HEIGHT - 2, GEBCO_HEIGHT - 1].flatMap((row) =>
      [GEBCO_WIDTH - 3, GEBCO_WIDTH - 2, GEBCO_WIDTH - 1, 0, 1, 2].map((col) => markerElevation(row, col)),
    );
    expect(Array.from(w)).toEqual(want);
  });

  test('info plans a global detect on it', async () => {
    const config = loadConfig({});
    const report = await gridInfo({ gridPath: path, modelDir: defaultModelDir(), config, probe: false, shards: 16, logger: silentLogger() });
    expect(report.grid.info).toMatchObject({
      format: 'netcdf4',
      width: GEBCO_WIDTH,
      height: GEBCO_HEIGHT,
      variable: 'elevation',
      layout: 'netCDF-4 contiguous, uncompressed',
    });
    if ('error' in report.detect) throw new Error(report.detect.error);
    const d = report.detect;
    // every 4 km over the sphere between 85°S and 85°N: 4πR² sin 85° / 16 km²
    const expected = (4 * Math.PI * 6371.0088 ** 2 * Math.sin((85 * Math.PI) / 180)) / 16;
    expect(d.windows / expected).toBeGreaterThan(0.98);
    expect(d.windows / expected).toBeLessThan(1.02);
    expect(d.wholeGrid).toBe(true);
    expect(d.batches).toBe(Math.ceil(d.windows / config.tiling.batchSize));
    expect(d.shards).toMatchObject({ count: 16, batchesPerShard: Math.ceil(d.batches / 16) });
    expect(d.warnings).toEqual([]);
    const text = formatInfo(report);
    expect(text).toContain('size          86400 × 43200 cells (3,732,480,000)');
    expect(text).toContain('layout        netCDF-4 contiguous, uncompressed');
    expect(text).toMatch(/shards {8}16 \(--shard auto\/16\) of at most [\d,]+ windows in [\d,]+ batches; then merge/);
  });
});
