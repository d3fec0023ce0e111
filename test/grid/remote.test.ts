/**
 * Remote grids over HTTP range requests, against a server started here on 127.0.0.1 serving the real
 * spac_33 COG: same cells as the local file, only the blocks a window needs, S3-style locations, and
 * the faults object stores and networks produce (dropped connection mid-block, 503, stall, 404, a
 * server that ignores Range, an object replaced while being read).
 */
import { statSync } from 'node:fs';
import { openGrid, resolveRemoteUrl, GridError, inspectGrid, type FileGrid } from '../../src/grid/index.js';
import type { BlockGrid } from '../../src/grid/block-grid.js';
import { HttpRangeSource } from '../../src/grid/remote.js';
import { DATA, grids } from './fixtures.js';
import { startRangeServer, type RangeServer } from './range-server.js';

const COG = 'spac_33.cog.tif';
const COG_BYTES = statSync(grids(COG)).size;
/** Fast retries for tests. */
const fast = { backoffMs: 5, maxBackoffMs: 20, timeoutMs: 2000 };

let server: RangeServer;
let local: FileGrid;
let localAll: Float32Array;

beforeAll(async () => {
  server = await startRangeServer(`${DATA}/grids`);
  local = await openGrid(grids(COG));
  localAll = await local.read({ x0: 0, y0: 0, w: local.width, h: local.height });
});
afterAll(async () => {
  await local.close();
  await server.close();
});
beforeEach(() => {
  server.faults.length = 0;
  server.log.length = 0;
  server.noRange = false;
  server.maxInFlight = 0;
});

const sameCells = (a: Float32Array, b: Float32Array) => {
  expect(a.length).toBe(b.length);
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) diff++;
  expect(diff).toBe(0);
};

const bytesServed = () => server.log.reduce((s, r) => s + r.bytes, 0);

test('a COG over HTTP: same geometry and every cell equal to the local file; identified by ETag, size, Last-Modified', async () => {
  const g = await openGrid(server.url(COG), { remote: fast });
  try {
    expect(g.format).toBe('geotiff');
    expect([g.width, g.height, g.lon0, g.lat0, g.dLon, g.dLat, g.registration]).toEqual([
      local.width,
      local.height,
      local.lon0,
      local.lat0,
      local.dLon,
      local.dLat,
      local.registration,
    ]);
    expect(g.info.remote).toMatchObject({ location: server.url(COG), url: server.url(COG), size: COG_BYTES });
    expect(g.info.remote?.etag).toMatch(/^".+"$/);
    expect(g.info.remote?.lastModified).toMatch(/GMT$/);
    sameCells(await g.read({ x0: 0, y0: 0, w: g.width, h: g.height }), localAll);
    // every request asked for a range, none fetched the file whole
    expect(server.log.every((r) => r.range !== null && r.status === 206)).toBe(true);
    const t = (g as BlockGrid).transfer();
    expect(t?.bytesFetched).toBe(bytesServed());
    expect(t?.retries).toBe(0);
  } finally {
    await g.close();
  }
});

test('a small window reads only its blocks: a fraction of the file', async () => {
  const g = await openGrid(server.url(COG), { remote: fast });
  try {
    const win = { x0: 300, y0: 200, w: 40, h: 30 };
    sameCells(await g.read(win), await local.read(win));
    const t = (g as BlockGrid).transfer();
    expect(t).not.toBeNull();
    // header probe (16 KiB, holds the directories) + one or two 256×256 deflate tiles
    expect(t!.bytesFetched).toBeLessThan(COG_BYTES / 3);
    expect(t!.requests).toBeLessThanOrEqual(4);
  } finally {
    await g.close();
  }
});

test('s3://bucket/key goes to AWS_ENDPOINT_URL (path style) and reads the same cells', async () => {
  const env = { AWS_ENDPOINT_URL: `${server.origin}/` };
  expect(resolveRemoteUrl(`s3://grids/${COG}`, env)).toBe(server.url(COG));
  const g = await openGrid(`s3://grids/${COG}`, { remote: { ...fast, env } });
  try {
    expect(g.path).toBe(`s3://grids/${COG}`);
    expect(g.info.remote?.url).toBe(server.url(COG));
    const win = { x0: 0, y0: 0, w: 661, h: 50 };
    sameCells(await g.read(win), await local.read(win));
    expect(server.log.every((r) => r.path.startsWith('/grids/'))).toBe(true);
  } finally {
    await g.close();
  }
});

test('S3 locations without an endpoint go to AWS, region-qualified when a region is set', () => {
  expect(resolveRemoteUrl('s3://my-bucket/a b/c.tif', {})).toBe('https://my-bucket.s3.amazonaws.com/a%20b/c.tif');
  expect(resolveRemoteUrl('s3://my-bucket/c.tif', { AWS_REGION: 'eu-west-1' })).toBe('https://my-bucket.s3.eu-west-1.amazonaws.com/c.tif');
  expect(resolveRemoteUrl('s3://my.bucket/c.tif', { AWS_DEFAULT_REGION: 'us-west-2' })).toBe('https://s3.us-west-2.amazonaws.com/my.bucket/c.tif');
  expect(resolveRemoteUrl('s3://b/k.tif', { AWS_ENDPOINT_URL: 'http://x:9000', AWS_ENDPOINT_URL_S3: 'http://s3only:9000' })).toBe('http://s3only:9000/b/k.tif');
  expect(() => resolveRemoteUrl('s3://bucket-only', {})).toThrow(/s3:\/\/bucket\/key/);
});

test('a connection dropped in the middle of a block is retried and the block comes out whole', async () => {
  const g = await openGrid(server.url(COG), { remote: fast });
  try {
    server.log.length = 0;
    server.faults.push('drop-mid-body');
    const win = { x0: 0, y0: 0, w: 256, h: 256 };
    sameCells(await g.read(win), await local.read(win));
    const t = (g as BlockGrid).transfer()!;
    expect(t.retries).toBe(1);
    // the same range asked twice: first cut off halfway, then whole
    const [cut, whole] = server.log;
    expect(cut.range).toBe(whole.range);
    expect(cut.bytes).toBeGreaterThan(0);
    expect(cut.bytes).toBeLessThan(whole.bytes);
  } finally {
    await g.close();
  }
});

test('503 then success: retried with backoff; a stalled request times out and is retried', async () => {
  server.faults.push('503', 'stall');
  const g = await openGrid(server.url(COG), { remote: { ...fast, timeoutMs: 300 } });
  try {
    const t = (g as BlockGrid).transfer()!;
    expect(t.retries).toBe(2);
    expect(server.log.map((r) => r.status).slice(0, 3)).toEqual([503, 0, 206]);
    const win = { x0: 400, y0: 300, w: 100, h: 100 };
    sameCells(await g.read(win), await local.read(win));
  } finally {
    await g.close();
  }
});

test('503 every time: gives up after the retries, naming the URL and the last answer', async () => {
  server.faults.push('503', '503', '503');
  const err = await openGrid(server.url(COG), { remote: { ...fast, retries: 2 } }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(GridError);
  expect((err as Error).message).toContain(server.url(COG));
  expect((err as Error).message).toMatch(/failed 3 times, last: HTTP 503/);
  expect(server.log).toHaveLength(3);
});

test('404: a clear error at once (no retries), naming the URL', async () => {
  const err = await openGrid(server.url('no_such_grid.tif'), { remote: fast }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(GridError);
  expect((err as Error).message).toBe(`${server.url('no_such_grid.tif')}: HTTP 404 Not Found (NoSuchKey): no such object`);
  expect(server.log).toHaveLength(1);
  // through s3:// the message names both the location and the URL asked
  const viaS3 = await openGrid('s3://grids/missing.tif', { remote: { ...fast, env: { AWS_ENDPOINT_URL: server.origin } } }).catch((e: unknown) => e);
  expect((viaS3 as Error).message).toBe(`s3://grids/missing.tif: HTTP 404 Not Found (NoSuchKey): no such object (${server.url('missing.tif')})`);
});

test('a server that ignores Range is refused at once, without downloading the file', async () => {
  server.noRange = true;
  const err = await openGrid(server.url(COG), { remote: fast }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(GridError);
  expect((err as Error).message).toContain(server.url(COG));
  expect((err as Error).message).toMatch(/ignores HTTP Range requests \(answered 200 with the whole object, 525344 bytes/);
  expect(server.log).toHaveLength(1);
  // the answer is dropped after its headers: no byte of the body is taken in
  const source = new HttpRangeSource(server.url(COG), server.url(COG), fast);
  await expect(source.probe()).rejects.toThrow(/ignores HTTP Range/);
  expect(source.stats).toEqual({ requests: 1, bytesFetched: 0, retries: 0 });
  await source.close();
});

test('an object replaced while being read is an error, not a mix of two versions', async () => {
  const g = await openGrid(server.url(COG), { remote: fast, cacheMB: 0 });
  try {
    server.faults.push('new-etag');
    await expect(g.read({ x0: 0, y0: 0, w: 10, h: 10 })).rejects.toThrow(/changed on the server while being read \(ETag ".+", now "changed"\)/);
  } finally {
    await g.close();
  }
});

test('requests in flight are bounded by the concurrency setting', async () => {
  const g = await openGrid(server.url(COG), { remote: { ...fast, concurrency: 2 }, cacheMB: 0 });
  try {
    server.maxInFlight = 0;
    await g.read({ x0: 0, y0: 0, w: g.width, h: g.height }); // 3 × 2 tiles at once
    expect(server.log.length).toBeGreaterThanOrEqual(6);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
  } finally {
    await g.close();
  }
});

test('netCDF and ESRI ASCII over HTTP are refused with what to do instead', async () => {
  await expect(openGrid(server.url('spac_33.nc3.nc'), { remote: fast })).rejects.toThrow(/netCDF-3 over HTTP\(S\) is not supported .*Cloud-Optimized GeoTIFF/);
  await expect(openGrid(`${server.origin}/grids/regions_1m/gorda_etopo1.asc`, { remote: fast })).rejects.toThrow(/ESRI ASCII over HTTP\(S\) is not supported/);
});

test('inspectGrid over HTTP takes the value range from the COG overview', async () => {
  const g = await openGrid(server.url(COG), { remote: fast });
  try {
    const r = await inspectGrid(g, { fullReadCells: 1000 });
    expect(r.valueRange.method).toBe('overview');
    expect(r.valueRange.detail).toMatch(/165 × 105/);
    // the overview's extremes lie inside the full grid's (gdalinfo: actual_range -4168..-802)
    expect(r.valueRange.minM).toBeGreaterThanOrEqual(-4168);
    expect(r.valueRange.maxM).toBeLessThanOrEqual(-802);
    expect(r.valueRange.maxM).toBeGreaterThan(-2000);
    expect(r.lonConvention).toBe('−180..180');
  } finally {
    await g.close();
  }
});
