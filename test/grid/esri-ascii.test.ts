/**
 * ESRI ASCII grids: the real gorda_etopo1.asc against its GeoTIFF (same values cell by cell), GDAL's
 * reading of the header (xllcorner is a cell corner), recognition by content, and bad files as clear
 * errors naming the line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFormat, openGrid, GridError, inspectGrid } from '../../src/grid/index.js';
import { columnLon, rowLat } from '../../src/grid/geometry.js';
import { gdalRead } from './gdal-truth.js';
import { grids, hasTool, tempDir } from './fixtures.js';
import { testWhen } from '../support/skip.js';

const ASC = grids('regions_1m/gorda_etopo1.asc');
const TIF = grids('regions_1m/gorda_etopo1.tif');

test('gorda_etopo1.asc is recognised by content and gives the same values as its .tif, half a cell apart', async () => {
  expect(await detectFormat(ASC)).toBe('esri-ascii');
  const asc = await openGrid(ASC);
  const tif = await openGrid(TIF);
  try {
    expect([asc.width, asc.height]).toEqual([391, 421]);
    expect([tif.width, tif.height]).toEqual([391, 421]);
    const a = await asc.read({ x0: 0, y0: 0, w: asc.width, h: asc.height });
    const t = await tif.read({ x0: 0, y0: 0, w: tif.width, h: tif.height });
    let diff = 0;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], t[i])) diff++;
    expect(diff).toBe(0);
    // first value of the file is the north-west cell; the last the south-east one
    expect(a[0]).toBe(-2613);
    expect(a[a.length - 1]).toBe(-624);
    // the header says xllcorner -130, yllcorner 38: cell corners, so centres half a cell (0.5′) inside;
    // the .tif puts the nodes on -130 / 38 (its header value read as a node)
    expect(asc.registration).toBe('pixel');
    expect(tif.registration).toBe('gridline');
    expect(asc.dLon).toBe(1 / 60);
    expect(columnLon(asc, 0)).toBeCloseTo(-130 + 1 / 120, 12);
    expect(rowLat(asc, asc.height - 1)).toBeCloseTo(38 + 1 / 120, 12);
    expect(columnLon(tif, 0)).toBeCloseTo(-130, 12);
    expect(rowLat(tif, tif.height - 1)).toBeCloseTo(38, 12);
    expect(asc.info.edges.west).toBeCloseTo(-130, 12);
    expect(asc.info.nodata).toEqual([-99999]);
    expect(asc.info.dataType).toBe('text (whole numbers)');
    expect(asc.info.warnings.join(' ')).toMatch(/no units/);
    // windows across block edges read like the whole
    const win = { x0: 100, y0: 200, w: 50, h: 60 };
    const part = await asc.read(win);
    for (let r = 0; r < win.h; r++) for (let c = 0; c < win.w; c++) expect(part[r * win.w + c]).toBe(a[(win.y0 + r) * asc.width + win.x0 + c]);
  } finally {
    await asc.close();
    await tif.close();
  }
});

testWhen(hasTool('gdalinfo'))('cells and coordinates agree with GDAL (AAIGrid driver)', async () => {
  const { dir, cleanup } = tempDir();
  const g = await openGrid(ASC);
  try {
    const truth = gdalRead(ASC, dir);
    const [gx0, gdx, , gy0, , gdy] = truth.geoTransform;
    expect(columnLon(g, 0)).toBeCloseTo(gx0 + 0.5 * gdx, 9);
    expect(rowLat(g, 0)).toBeCloseTo(gy0 + 0.5 * gdy, 9);
    const mine = await g.read({ x0: 0, y0: 0, w: g.width, h: g.height });
    let diff = 0;
    for (let i = 0; i < mine.length; i++) if (mine[i] !== truth.values[i]) diff++;
    expect(diff).toBe(0);
  } finally {
    await g.close();
    cleanup();
  }
});

describe('small files made here', () => {
  const { dir, cleanup } = tempDir('asc-');
  afterAll(cleanup);
  let n = 0;
  const write = (text: string, ext = '.asc') => {
    const path = join(dir, `g${n++}${ext}`);
    writeFileSync(path, text);
    return path;
  };
  const header = (o: Record<string, string | number> = {}) =>
    Object.entries({ ncols: 3, nrows: 2, xllcenter: 10, yllcenter: 20, cellsize: 0.5, NODATA_value: -9999, ...o })
      .filter(([, v]) => String(v) !== '')
      .map(([k, v]) => `${k} ${v}`)
      .join('\n');
  const openError = async (path: string) => {
    const err = await openGrid(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GridError);
    return (err as Error).message;
  };

  test('xllcenter: nodes on the header values; no-data, decimals, exponents, CRLF, any key order and case', async () => {
    const path = write(`NROWS 2\r\nncols 3\r\nxllcenter 10\r\nyllcenter 20\r\nCELLSIZE 0.5\r\nnodata_value -9999\r\n1.5 -2e2 -9999\r\n  4 5 6  \r\n`, '.txt');
    expect(await detectFormat(path)).toBe('esri-ascii');
    const g = await openGrid(path);
    try {
      expect(g.registration).toBe('gridline');
      expect([g.lon0, g.dLon, g.lat0, g.dLat]).toEqual([10, 0.5, 20.5, -0.5]);
      expect(Array.from(await g.read({ x0: 0, y0: 0, w: 3, h: 2 }))).toEqual([1.5, -200, NaN, 4, 5, 6]);
      expect(g.info.dataType).toBe('text (decimal numbers)');
      const r = await inspectGrid(g);
      expect(r.valueRange).toMatchObject({ minM: -200, maxM: 6, method: 'all cells', cells: 6 });
      expect(r.valueRange.validShare).toBeCloseTo(5 / 6, 12);
    } finally {
      await g.close();
    }
  });

  test('missing header keys are named', async () => {
    expect(await openError(write(`${header({ nrows: '' })}\n1 2 3\n4 5 6\n`))).toMatch(/header \(lines 1–5\) has no 'nrows'/);
    expect(await openError(write(`${header({ xllcenter: '' })}\n1 2 3\n4 5 6\n`))).toMatch(/has neither 'xllcorner' nor 'xllcenter'/);
    expect(await openError(write(`${header({ cellsize: '' })}\n1 2 3\n4 5 6\n`))).toMatch(/has no 'cellsize'/);
  });

  test('bad header lines are errors with their line number', async () => {
    expect(await openError(write(`${header()}\nbogus 1\n1 2 3\n4 5 6\n`))).toMatch(/line 7: unknown header key 'bogus'/);
    expect(await openError(write(`${header({ ncols: 'three' })}\n1 2 3\n4 5 6\n`))).toMatch(/line 1: ncols 'three' is not a number/);
    expect(await openError(write(`${header({ nrows: 2.5 })}\n1 2 3\n4 5 6\n`))).toMatch(/line 2: nrows 2.5 is not a positive whole number/);
    expect(await openError(write(`${header()}\nncols 4\n1 2 3\n4 5 6\n`))).toMatch(/line 7: ncols given twice \(first on line 1\)/);
    expect(await openError(write(`${header({ xllcorner: 9.75 })}\n1 2 3\n4 5 6\n`))).toMatch(/both xllcorner and xllcenter given/);
  });

  test('short and long rows, too few and too many rows, and non-numbers: the line is named', async () => {
    expect(await openError(write(`${header()}\n1 2 3\n4 5\n`))).toMatch(/line 8 \(row 2\): 2 values, the header's ncols is 3/);
    expect(await openError(write(`${header()}\n1 2 3 7\n4 5 6\n`))).toMatch(/line 7 \(row 1\): 4 values, the header's ncols is 3/);
    expect(await openError(write(`${header()}\n1 2 3\n`))).toMatch(/the file ends at line 7 after 1 rows; the header's nrows is 2/);
    expect(await openError(write(`${header()}\n1 2 3\n4 5 6\n7 8 9\n`))).toMatch(/line 9: more rows than the header's nrows 2/);
    expect(await openError(write(`${header()}\n1 2 3\n4 x5 6\n`))).toMatch(/line 8: 'x5' is not a number/);
    expect(await openError(write(`${header()}\n1 2 3\n4 5- 6\n`))).toMatch(/line 8: '5-' is not a number/);
  });

  test('projected grids (a .prj saying PROJCS, or coordinates far outside degrees) are refused', async () => {
    const path = write(`${header({ xllcenter: 500000, yllcenter: 4000000, cellsize: 1000 })}\n1 2 3\n4 5 6\n`);
    expect(await openError(path)).toMatch(/not geographic degrees \(projected grid\?\)/);
    const withPrj = write(`${header()}\n1 2 3\n4 5 6\n`);
    writeFileSync(withPrj.replace(/\.asc$/, '.prj'), 'PROJCS["WGS 84 / UTM zone 10N",GEOGCS["WGS 84"]]');
    expect(await openError(withPrj)).toMatch(/\.prj says the grid is projected/);
  });
});
