/**
 * Bad input: each problem gives a GridError that names the file and says what is wrong.
 * Files are made in code (netCDF-3), by GDAL/GMT, or cut from the shared grids.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openGrid, detectFormat, GridError } from '../../src/grid/index.js';
import { axis, encodeNc3, grids, hasTool, lonLatNc3, patchTiffShortTag, run, tempDir, writeNc3 } from './fixtures.js';
import { testWhen } from '../support/skip.js';

const { dir, cleanup } = tempDir('grid-bad-');
afterAll(cleanup);
let n = 0;
const file = (name: string) => join(dir, `${n++}-${name}`);
const haveGdal = hasTool('gdal_translate');

/** Opening (and, if that works, reading everything) fails with a GridError about `path` matching `problem`. */
async function expectGridError(path: string, problem: RegExp, variable?: string) {
  let err: unknown = null;
  try {
    const g = await openGrid(path, { variable });
    try {
      await g.read({ x0: 0, y0: 0, w: g.width, h: g.height });
    } finally {
      await g.close();
    }
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(GridError);
  const e = err as GridError;
  expect(e.path).toBe(path);
  expect(e.message.startsWith(`${path}: `)).toBe(true);
  expect(e.message).toMatch(problem);
  if (process.env.SHOW_ERRORS) console.log(e.message);
  return e;
}

const flat = () => -4000;

describe('not a grid at all', () => {
  test('missing file', () => expectGridError(join(dir, 'nope.nc'), /file not found/));
  test('a directory', () => {
    const d = file('adir.nc');
    mkdirSync(d);
    return expectGridError(d, /is a directory/);
  });
  test('empty file', () => {
    const p = file('empty.nc');
    writeFileSync(p, '');
    return expectGridError(p, /empty file/);
  });
  test('three bytes', () => {
    const p = file('tiny.tif');
    writeFileSync(p, 'II*');
    return expectGridError(p, /not a GeoTIFF, netCDF-3, netCDF-4\/HDF5 or ESRI ASCII/);
  });
  test('text named .nc', () => {
    const p = file('text.nc');
    writeFileSync(p, 'lon lat z\n1 2 3\n');
    return expectGridError(p, /not a GeoTIFF, netCDF-3, netCDF-4\/HDF5 or ESRI ASCII grid file \(first bytes 6c 6f 6e/);
  });
  test('gzip-compressed grid', () => {
    const p = file('grid.nc.gz');
    writeFileSync(p, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]));
    return expectGridError(p, /gzip/);
  });
  test('netCDF CDF-5', () => {
    const p = file('cdf5.nc');
    writeFileSync(p, Buffer.from('CDF\x05\0\0\0\0', 'latin1'));
    return expectGridError(p, /CDF-5/);
  });
  test('detectFormat alone rejects the same way', async () => {
    const p = file('empty2.nc');
    writeFileSync(p, '');
    await expect(detectFormat(p)).rejects.toThrow(GridError);
  });
});

describe('netCDF-3: truncated or corrupt', () => {
  const good = () =>
    encodeNc3({
      dims: [
        { name: 'lat', size: 20 },
        { name: 'lon', size: 30 },
      ],
      variables: [
        { name: 'lat', dims: ['lat'], type: 'double', attrs: { units: 'degrees_north' }, data: axis(0, 1, 20) },
        { name: 'lon', dims: ['lon'], type: 'double', attrs: { units: 'degrees_east' }, data: axis(0, 1, 30) },
        { name: 'z', dims: ['lat', 'lon'], type: 'float', attrs: { units: 'm' }, data: new Array(600).fill(-1000) },
      ],
    });
  test('cut inside the header', () => {
    const p = file('cut-header.nc');
    writeFileSync(p, good().subarray(0, 60));
    return expectGridError(p, /corrupt or truncated netCDF-3 header/);
  });
  test('cut inside the data', () => {
    const p = file('cut-data.nc');
    const b = good();
    writeFileSync(p, b.subarray(0, b.length - 100));
    return expectGridError(p, /truncated file: variable 'z' needs \d+ bytes, the file has \d+/);
  });
  test('garbage after the magic bytes', () => {
    const p = file('garbage.nc');
    const b = good();
    b.fill(0xab, 8, 40);
    writeFileSync(p, b);
    return expectGridError(p, /corrupt or truncated netCDF-3 header/);
  });
  test('a real file cut in half', () => {
    const p = file('etopo-half.nc');
    const b = readFileSync(grids('spac_33.nc3.nc'));
    writeFileSync(p, b.subarray(0, b.length >> 1));
    return expectGridError(p, /truncated file/);
  });
});

describe('netCDF: which variable', () => {
  const lons = axis(0, 1, 4);
  const lats = axis(0, 1, 3);
  const twoGrids = () =>
    writeNc3(file('two.nc'), {
      dims: [
        { name: 'lat', size: 3 },
        { name: 'lon', size: 4 },
      ],
      variables: [
        { name: 'lat', dims: ['lat'], type: 'double', attrs: { units: 'degrees_north' }, data: lats },
        { name: 'lon', dims: ['lon'], type: 'double', attrs: { units: 'degrees_east' }, data: lons },
        { name: 'elevation', dims: ['lat', 'lon'], type: 'short', attrs: { units: 'm' }, data: new Array(12).fill(-100) },
        { name: 'tid', dims: ['lat', 'lon'], type: 'byte', data: new Array(12).fill(7) },
      ],
    });

  test('no 2-D variable: the error says so and lists what there is', () => {
    const p = writeNc3(file('only1d.nc'), {
      dims: [{ name: 'lon', size: 4 }],
      variables: [{ name: 'lon', dims: ['lon'], type: 'double', attrs: { units: 'degrees_east' }, data: lons }],
    });
    return expectGridError(p, /no 2-D variable on longitude\/latitude dimensions; variables: lon\(lon=4\)/);
  });
  test('2-D variables, but not on lon/lat', () => {
    const p = writeNc3(file('notgeo.nc'), {
      dims: [
        { name: 'time', size: 3 },
        { name: 'station', size: 4 },
      ],
      variables: [{ name: 'temp', dims: ['time', 'station'], type: 'float', data: new Array(12).fill(1) }],
    });
    return expectGridError(p, /no 2-D variable on longitude\/latitude dimensions; multi-dimensional variables found: temp\(time=3, station=4\)/);
  });
  test('several candidates: the error lists them and points to --variable', () =>
    expectGridError(twoGrids(), /several grid variables: elevation\(lat=3, lon=4\), tid\(lat=3, lon=4\); choose one with --variable/));
  test('--variable picks one', async () => {
    const g = await openGrid(twoGrids(), { variable: 'tid' });
    try {
      expect(g.variable).toBe('tid');
      expect(Array.from(await g.read({ x0: 0, y0: 0, w: 2, h: 1 }))).toEqual([7, 7]);
    } finally {
      await g.close();
    }
  });
  test('--variable naming nothing lists the candidates', () =>
    expectGridError(twoGrids(), /no variable 'depth' \(grid variables in this file: elevation\(lat=3, lon=4\), tid/, 'depth'));
  test('--variable naming a coordinate', () => expectGridError(twoGrids(), /variable lat\(lat=3\) is not a 2-D grid/, 'lat'));
  test('a dimension without coordinate values', () => {
    const p = writeNc3(file('nocoord.nc'), {
      dims: [
        { name: 'lat', size: 3 },
        { name: 'lon', size: 4 },
      ],
      variables: [
        { name: 'lat', dims: ['lat'], type: 'double', attrs: { units: 'degrees_north' }, data: lats },
        { name: 'z', dims: ['lat', 'lon'], type: 'float', data: new Array(12).fill(1) },
      ],
    });
    return expectGridError(p, /dimension 'lon' has no coordinate variable/);
  });
});

describe('netCDF: coordinates that are not a regular lon/lat grid', () => {
  test('non-monotonic longitude', () =>
    expectGridError(lonLatNc3(file('nonmono.nc'), [0, 1, 2, 1.5, 4], axis(0, 1, 3), flat), /coordinate 'lon' is not monotonic: value 2 is 2, value 3 is 1.5/));
  test('unevenly spaced latitude', () =>
    expectGridError(lonLatNc3(file('uneven.nc'), axis(0, 1, 5), [0, 1, 2, 3.5, 4], flat), /coordinate 'lat' is not evenly spaced/));
  test('longitude decreasing eastward', () => expectGridError(lonLatNc3(file('lonrev.nc'), axis(10, -1, 5), axis(0, 1, 3), flat), /longitudes decrease/));
  test('x/y in metres: a projected grid', () =>
    expectGridError(
      lonLatNc3(file('utm.nc'), axis(500000, 1000, 5), axis(4e6, 1000, 3), flat, {
        lonName: 'x',
        latName: 'y',
        lonAttrs: { units: 'm' },
        latAttrs: { units: 'm' },
      }),
      /coordinate 'x' is in 'm', not degrees: a projected grid; reproject to lon\/lat first/,
    ));
  test('x/y without units but far beyond ±90°: a projected grid', () =>
    expectGridError(
      lonLatNc3(file('proj-nounits.nc'), axis(0, 1000, 5), axis(4e6, 1000, 3), flat, { lonName: 'x', latName: 'y', lonAttrs: {}, latAttrs: {} }),
      /not geographic degrees|outside −90..90/,
    ));
  test('a CF grid_mapping that is not latitude_longitude', () =>
    expectGridError(
      writeNc3(file('gridmapping.nc'), {
        dims: [
          { name: 'lat', size: 3 },
          { name: 'lon', size: 4 },
        ],
        variables: [
          { name: 'lat', dims: ['lat'], type: 'double', attrs: { units: 'degrees_north' }, data: axis(0, 1, 3) },
          { name: 'lon', dims: ['lon'], type: 'double', attrs: { units: 'degrees_east' }, data: axis(0, 1, 4) },
          { name: 'crs', dims: [], type: 'int', attrs: { grid_mapping_name: 'transverse_mercator' }, data: [0] },
          { name: 'z', dims: ['lat', 'lon'], type: 'float', attrs: { grid_mapping: 'crs' }, data: new Array(12).fill(1) },
        ],
      }),
      /on a 'transverse_mercator' projection/,
    ));
  test('latitudes beyond the pole', () => expectGridError(lonLatNc3(file('pole.nc'), axis(0, 1, 5), axis(80, 5, 5), flat), /outside −90..90/));
});

describe('netCDF-4: truncated or corrupt', () => {
  test('a real file cut short', () => {
    const p = file('spac4-cut.nc');
    const b = readFileSync(grids('spac_33.nc4.nc'));
    writeFileSync(p, b.subarray(0, 200_000));
    return expectGridError(p, /truncated file: HDF5 says it is \d+ bytes long, it has 200000/);
  });
  test('only the signature', () => {
    const p = file('sig.nc');
    writeFileSync(p, Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    return expectGridError(p, /truncated|corrupt|superblock/);
  });
});

describe('GeoTIFF: truncated, corrupt, unsupported', () => {
  test('a real COG cut in half', () => {
    const p = file('cog-half.tif');
    const b = readFileSync(grids('spac_33.cog.tif'));
    writeFileSync(p, b.subarray(0, b.length >> 1));
    return expectGridError(p, /truncated|corrupt/);
  });
  test('a corrupt deflate strip', () => {
    const p = file('corrupt-strip.tif');
    const b = Buffer.from(readFileSync(grids('gebco2024_philippine_sea.strip-deflate.tif')));
    // scribble over the middle of the file: inside strip data, far from the directory at the start
    b.fill(0x55, b.length >> 1, (b.length >> 1) + 4000);
    writeFileSync(p, b);
    return expectGridError(p, /corrupt strip \d+ \(decompression failed\)/);
  });
  testWhen(haveGdal)('an unsupported compression (LZMA) is refused when opening', () => {
    const plain = file('plain.tif');
    run('gdal_translate', ['-q', '-co', 'COMPRESS=NONE', grids('spac_33.nc3.nc'), plain]);
    const p = file('lzma.tif');
    writeFileSync(p, patchTiffShortTag(readFileSync(plain), 259, 34925));
    return expectGridError(p, /unsupported compression 34925 \(LZMA\)/);
  });
  testWhen(haveGdal)('a projected CRS (UTM 33N) is refused, naming the EPSG code', () => {
    const p = file('utm.tif');
    run('gdal_translate', ['-q', '-a_srs', 'EPSG:32633', '-a_ullr', '500000', '4000000', '566100', '3957900', grids('spac_33.nc3.nc'), p]);
    return expectGridError(p, /projected coordinate system \(EPSG:32633\): reproject to lon\/lat first/);
  });
  testWhen(haveGdal)('GCP-georeferenced rasters are refused', () => {
    const p = file('gcps.tif');
    run('gdal_translate', [
      '-q',
      '-a_srs',
      'EPSG:4326',
      '-gcp',
      '0',
      '0',
      '10',
      '50',
      '-gcp',
      '660',
      '0',
      '21',
      '50',
      '-gcp',
      '0',
      '420',
      '10',
      '43',
      '-gcp',
      '660',
      '420',
      '21.5',
      '43',
      grids('spac_33.nc3.nc'),
      p,
    ]);
    return expectGridError(p, /georeferenced by ground control points/);
  });
});
