/**
 * GeoTIFF layouts GDAL writes, each read back against the netCDF-3 grid it was made from:
 * striped and tiled; none, deflate, LZW, PackBits, ZSTD, LERC; predictors 2 and 3; int16, int32,
 * float32, float64; big-endian; BigTIFF; COG with overviews; PixelIsPoint; GDAL scale/offset/unit;
 * several bands.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { columnLon, rowLat } from '../../src/grid/geometry.js';
import { openGrid, type FileGrid } from '../../src/grid/index.js';
import { axis, hasTool, lonLatNc3, run, tempDir } from './fixtures.js';
import { describeWhen } from '../support/skip.js';

const haveGdal = hasTool('gdal_translate');
if (!haveGdal) console.warn('gdal_translate not found: GeoTIFF variant tests skipped (apt-get install gdal-bin)');

const { dir, cleanup } = tempDir('grid-tif-');
afterAll(cleanup);

const W = 200;
const H = 150;
const lons = axis(100 + 0.05, 0.1, W);
const lats = axis(-20 + 0.05, 0.1, H);
const NODATA = -32768;
/** Integer metres (exact in every type); a no-data patch in the north-west. */
const truth = (lon: number, lat: number) => (lon < 101 && lat > -6 ? NaN : Math.round(-5000 + 1500 * Math.sin(lon / 3) * Math.cos(lat / 4) + 7 * lon));
const base = join(dir, 'base.nc');
if (haveGdal)
  lonLatNc3(base, lons, lats, (lon, lat) => (Number.isNaN(truth(lon, lat)) ? NODATA : truth(lon, lat)), {
    type: 'short',
    zAttrs: { units: 'm', _FillValue: { type: 'short', values: [NODATA] } },
  });

async function expectTruth(g: FileGrid, f: (lon: number, lat: number) => number = truth) {
  expect([g.width, g.height]).toEqual([W, H]);
  expect(columnLon(g, 0)).toBeCloseTo(lons[0], 9);
  expect(g.dLon).toBeCloseTo(0.1, 12);
  const all = await g.read({ x0: 0, y0: 0, w: W, h: H });
  let nan = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const want = f(columnLon(g, x), rowLat(g, y));
      const got = all[y * W + x];
      if (Number.isNaN(want)) {
        if (!Number.isNaN(got)) throw new Error(`cell (${x}, ${y}): want no-data, got ${got}`);
        nan++;
      } else if (got !== want) throw new Error(`cell (${x}, ${y}) at ${columnLon(g, x)}, ${rowLat(g, y)}: want ${want}, got ${got}`);
    }
  }
  expect(nan).toBeGreaterThan(0);
}

let n = 0;
function translate(args: string[], src = base): string {
  const out = join(dir, `v${n++}.tif`);
  run('gdal_translate', ['-q', ...args, src, out]);
  return out;
}

describeWhen(haveGdal)('layouts and codecs', () => {
  test.each([
    ['striped, uncompressed, int16', ['-co', 'COMPRESS=NONE'], /striped/],
    ['striped, deflate + predictor 2, int16', ['-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2'], /striped, \d+ rows per strip, deflate \(predictor 2\)/],
    ['striped, one row per strip, LZW, int32', ['-ot', 'Int32', '-co', 'COMPRESS=LZW', '-co', 'BLOCKYSIZE=1'], /striped, 1 rows per strip, LZW/],
    [
      'tiled 64×64, deflate + floating-point predictor, float32',
      ['-ot', 'Float32', '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=64', '-co', 'BLOCKYSIZE=64', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=3'],
      /tiled 64×64, deflate \(predictor 3\)/,
    ],
    [
      'tiled 32×48, LZW + floating-point predictor, float64',
      ['-ot', 'Float64', '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=32', '-co', 'BLOCKYSIZE=48', '-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=3'],
      /tiled 32×48, LZW/,
    ],
    ['tiled, PackBits, int16', ['-co', 'TILED=YES', '-co', 'COMPRESS=PACKBITS'], /PackBits/],
    ['tiled, ZSTD, int16', ['-co', 'TILED=YES', '-co', 'COMPRESS=ZSTD'], /ZSTD/],
    ['tiled, LERC (lossless), float32', ['-ot', 'Float32', '-co', 'TILED=YES', '-co', 'COMPRESS=LERC', '-co', 'MAX_Z_ERROR=0'], /LERC/],
    ['big-endian, uncompressed, int16', ['-co', 'ENDIANNESS=BIG'], /striped/],
    [
      'big-endian, tiled, uncompressed, float32',
      ['-ot', 'Float32', '-co', 'ENDIANNESS=BIG', '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=64', '-co', 'BLOCKYSIZE=32'],
      /tiled 64×32/,
    ],
    ['big-endian, deflate + predictor 2, int16', ['-co', 'ENDIANNESS=BIG', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2'], /predictor 2/],
    [
      'big-endian, tiled 32×32, LZW + predictor 2, int32',
      [
        '-ot',
        'Int32',
        '-co',
        'ENDIANNESS=BIG',
        '-co',
        'TILED=YES',
        '-co',
        'BLOCKXSIZE=32',
        '-co',
        'BLOCKYSIZE=32',
        '-co',
        'COMPRESS=LZW',
        '-co',
        'PREDICTOR=2',
      ],
      /tiled 32×32, LZW \(predictor 2\)/,
    ],
    [
      'big-endian, LZW + floating-point predictor, float32',
      ['-ot', 'Float32', '-co', 'ENDIANNESS=BIG', '-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=3'],
      /predictor 3/,
    ],
    ['BigTIFF, tiled, deflate', ['-co', 'BIGTIFF=YES', '-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE'], /tiled/],
    [
      'COG with overviews',
      ['-of', 'COG', '-co', 'BLOCKSIZE=64', '-co', 'COMPRESS=DEFLATE', '-co', 'OVERVIEWS=FORCE_USE_EXISTING', '-co', 'OVERVIEW_COUNT=2'],
      /tiled 64×64, deflate/,
    ],
  ])('%s', async (_name, args, layout) => {
    const p = translate(args as string[]);
    const g = await openGrid(p);
    try {
      expect(g.format).toBe('geotiff');
      expect(g.registration).toBe('pixel');
      expect(g.info.layout).toMatch(layout as RegExp);
      await expectTruth(g);
    } finally {
      await g.close();
    }
  });

  test('COG: overviews exist and the full-resolution image is read', async () => {
    const cog = translate(['-of', 'COG', '-co', 'BLOCKSIZE=64', '-co', 'OVERVIEWS=AUTO']);
    run('gdaladdo', ['-q', '-r', 'average', cog, '2', '4']);
    const g = await openGrid(cog);
    try {
      expect(g.info.layout).toMatch(/overviews \(full resolution read\)/);
      await expectTruth(g);
    } finally {
      await g.close();
    }
  });

  test('float32 with NaN no-data (gdalwarp -dstnodata nan)', async () => {
    const p = join(dir, `v${n++}.tif`);
    run('gdalwarp', ['-q', '-ot', 'Float32', '-dstnodata', 'nan', '-co', 'TILED=YES', base, p]);
    const g = await openGrid(p);
    try {
      expect(g.info.nodata).toEqual([]);
      await expectTruth(g);
    } finally {
      await g.close();
    }
  });
});

describeWhen(haveGdal)('georeferencing and metadata', () => {
  test('PixelIsPoint: gridline registration, same cell centres', async () => {
    const p = translate(['-mo', 'AREA_OR_POINT=Point']);
    const g = await openGrid(p);
    try {
      expect(g.registration).toBe('gridline');
      await expectTruth(g);
    } finally {
      await g.close();
    }
  });

  test('EPSG:4326 is accepted without warnings about the coordinate system', async () => {
    const p = translate(['-a_srs', 'EPSG:4326']);
    const g = await openGrid(p);
    try {
      expect(g.info.warnings.join(' ')).not.toMatch(/coordinate system/);
      await expectTruth(g);
    } finally {
      await g.close();
    }
  });

  const vrt = (bands: string) => {
    const plain = translate(['-co', 'COMPRESS=NONE']);
    const info = JSON.parse(run('gdalinfo', ['-json', plain])) as { geoTransform: number[] };
    const p = join(dir, `v${n++}.vrt`);
    writeFileSync(
      p,
      `<VRTDataset rasterXSize="${W}" rasterYSize="${H}"><GeoTransform>${info.geoTransform.join(', ')}</GeoTransform>${bands.replaceAll('SRC', plain)}</VRTDataset>`,
    );
    return p;
  };
  const band = (i: number, extra: string) =>
    `<VRTRasterBand dataType="Int16" band="${i}"><NoDataValue>${NODATA}</NoDataValue>${extra}<SimpleSource><SourceFilename relativeToVRT="0">SRC</SourceFilename><SourceBand>1</SourceBand></SimpleSource></VRTRasterBand>`;

  test('GDAL band scale 0.001 and unit km: stored integers come out as metres', async () => {
    const p = translate([], vrt(band(1, '<UnitType>km</UnitType><Offset>0</Offset><Scale>0.001</Scale>')));
    const g = await openGrid(p);
    try {
      expect(g.info.units).toBe('km');
      expect(g.info.scaleFactor).toBe(0.001);
      await expectTruth(g);
    } finally {
      await g.close();
    }
  });

  test('GDAL band offset: applied', async () => {
    const p = translate([], vrt(band(1, '<Offset>100</Offset><Scale>2</Scale>')));
    const g = await openGrid(p);
    try {
      await expectTruth(g, (lon, lat) => truth(lon, lat) * 2 + 100);
    } finally {
      await g.close();
    }
  });

  test.each([
    ['pixel-interleaved', 'PIXEL'],
    ['band-interleaved (planar)', 'BAND'],
  ])('several bands, %s: band 1 by default (with a warning), "band 2" picks the second, a missing band is an error', async (_name, interleave) => {
    const p = translate(
      ['-co', `INTERLEAVE=${interleave}`, '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=64', '-co', 'BLOCKYSIZE=64', '-co', 'COMPRESS=DEFLATE'],
      vrt(band(1, '') + band(2, '<Offset>0</Offset><Scale>-1</Scale>')),
    );
    const g1 = await openGrid(p);
    try {
      expect(g1.info.warnings.join(' ')).toMatch(/2 bands: reading band 1/);
      await expectTruth(g1);
    } finally {
      await g1.close();
    }
    const g2 = await openGrid(p, { variable: 'band 2' });
    try {
      expect(g2.variable).toBe('band 2');
      await expectTruth(g2, (lon, lat) => -truth(lon, lat));
    } finally {
      await g2.close();
    }
    await expect(openGrid(p, { variable: 'band 3' })).rejects.toThrow(/band 3 does not exist \(the file has 2\)/);
    await expect(openGrid(p, { variable: 'elevation' })).rejects.toThrow(/GeoTIFF variables are bands/);
  });

  test('the format comes from the content, not the name', async () => {
    const p = translate(['-co', 'TILED=YES']);
    const renamed = join(dir, 'really-a-tiff.nc');
    copyFileSync(p, renamed);
    const g = await openGrid(renamed);
    try {
      expect(g.format).toBe('geotiff');
    } finally {
      await g.close();
    }
  });
});
