/**
 * `detect` on spac_33.cog.tif served over HTTP by a server started here (127.0.0.1): the same catalogue
 * as the local file, the object identified by ETag/size/Last-Modified in job.json and run.json, and only
 * a fraction of the file fetched for a small --region or one shard. `seamount info` as text and JSON.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { main } from '../../src/cli/program.js';
import { sharedGrid, tempDir, writeSyntheticGrid } from '../pipeline/fixtures.js';
import { startRangeServer, type RangeServer } from '../grid/range-server.js';

const quiet = ['--log-level', 'silent', '--no-progress'];

/** Runs the CLI in process and returns its exit code, stdout and stderr. */
async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  try {
    return { code: await main(['node', 'seamount', ...args]), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const COG = sharedGrid('spac_33.cog.tif');
const COG_BYTES = statSync(COG).size;
let server: RangeServer;
const out = tempDir('cli-remote-');

beforeAll(async () => {
  server = await startRangeServer(join(COG, '..'));
});
afterAll(() => server.close());

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('detect on a COG over HTTP', () => {
  // inside the north-west 256×256 tile of the six, with the windows' margins
  // inside one 256 × 256 COG tile with the ~50 km that picking reads around it (high-pass halo, measurement disc)
  const region = '-118/-116/-44.5/-42.5';

  it('gives the same catalogue as the local file and fetches only part of it', async () => {
    const local = await runCli('detect', COG, '--region', region, '--out', join(out, 'local'), ...quiet);
    expect(local.code).toBe(0);
    server.log.length = 0;
    const remote = await runCli('detect', server.url('spac_33.cog.tif'), '--region', region, '--out', join(out, 'remote'), ...quiet);
    expect(remote.stderr).toMatch(/found \d+ seamounts in/);
    expect(remote.code).toBe(0);

    const csv = (dir: string) => readFileSync(join(out, dir, 'seamounts.csv'), 'utf8');
    expect(csv('remote')).toBe(csv('local'));
    expect(csv('local').split('\n').length).toBeGreaterThan(3);
    const features = (dir: string) => readJson(join(out, dir, 'seamounts.geojson')).features;
    expect(features('remote')).toEqual(features('local'));

    const run = readJson(join(out, 'remote', 'run.json'));
    expect(run.job.grid.path).toBe(server.url('spac_33.cog.tif'));
    expect(run.job.grid.sha256).toBeUndefined();
    expect(run.job.grid.remote).toMatchObject({ url: server.url('spac_33.cog.tif'), size: COG_BYTES });
    expect(run.job.grid.remote.etag).toMatch(/^".+"$/);
    expect(run.job.grid.remote.lastModified).toMatch(/GMT$/);
    expect(readJson(join(out, 'local', 'run.json')).job.grid.sha256).toMatch(/^[0-9a-f]{64}$/);

    const t = run.gridTransfer;
    const served = server.log.reduce((s, r) => s + r.bytes, 0);
    expect(t.bytesFetched).toBe(served);
    expect(server.log.every((r) => r.status === 206)).toBe(true);
    console.log(`detect --region ${region} over HTTP: ${t.bytesFetched} of ${COG_BYTES} bytes in ${t.requests} requests`);
    expect(t.bytesFetched).toBeLessThan(COG_BYTES / 4);
  }, 180_000);

  it('a shard reads only the blocks of its batches', async () => {
    server.log.length = 0;
    // the whole grid plans 164 batches; shard 0/164 holds batch 0 alone: the northernmost windows
    const r = await runCli('detect', server.url('spac_33.cog.tif'), '--shard', '0/164', '--out', join(out, 'shard'), ...quiet);
    expect(r.code).toBe(0);
    const run = readJson(join(out, 'shard', 'run.json'));
    expect(run.kind).toBe('detect-shard');
    expect(run.counts.batches.inShard).toBe(1);
    // the top row of 256×256 tiles (3 of 6) and the header
    expect(run.gridTransfer.bytesFetched).toBeLessThan(COG_BYTES * 0.7);
    console.log(`detect --shard 0/164 over HTTP: ${run.gridTransfer.bytesFetched} of ${COG_BYTES} bytes`);
  }, 180_000);

  it('baseline reads it too and records the object, not a checksum', async () => {
    const r = await runCli('baseline', server.url('spac_33.cog.tif'), '--method', 'peaks', '--region', region, '--out', join(out, 'peaks'), ...quiet);
    expect(r.code).toBe(0);
    const meta = readJson(join(out, 'peaks', 'seamounts.geojson')).seamount_detect;
    expect(meta.grid).toBe(server.url('spac_33.cog.tif'));
    expect(meta.grid_sha256).toBeUndefined();
    expect(meta.grid_remote).toMatchObject({ url: server.url('spac_33.cog.tif'), size: COG_BYTES });
  }, 60_000);

  it('a missing object is a clear error naming the URL, and nothing is written', async () => {
    const r = await runCli('detect', server.url('nope.tif'), '--out', join(out, 'nope'), ...quiet);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`seamount: error: ${server.url('nope.tif')}: HTTP 404 Not Found (NoSuchKey): no such object`);
  });
});

describe('seamount info', () => {
  it('describes an ESRI ASCII grid as JSON, without the probe', async () => {
    const r = await runCli('info', sharedGrid('regions_1m/gorda_etopo1.asc'), '--json', '--no-probe');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.grid.info).toMatchObject({ format: 'esri-ascii', width: 391, height: 421, registration: 'pixel', nodata: [-99999] });
    expect(j.grid.valueRange).toMatchObject({ method: 'all cells', cells: 391 * 421 });
    expect(j.grid.valueRange.minM).toBeLessThan(-4000);
    expect(j.grid.valueRange.maxM).toBeGreaterThan(0); // the coast of Oregon and California
    expect(j.grid.spacingKm[1]).toBeCloseTo(1.853, 3);
    expect(j.grid.lonConvention).toBe('−180..180');
    expect(j.detect).toMatchObject({ windowSizeKm: 48, strideKm: 4, batchSize: 256, probe: null, estimatedSeconds: null, wholeGrid: true });
    expect(j.detect.windows).toBeGreaterThan(10000);
    expect(j.detect.batches).toBe(Math.ceil(j.detect.windows / 256));
    expect(j.detect.warnings).toEqual([]); // a 1′ grid
    expect(j.transfer).toBeNull();
  });

  it('says, as detect would, that a 10′ grid is coarse for the model, and a 5′ one is not', async () => {
    const grid = join(out, 'coarse-10m.tif');
    await writeSyntheticGrid(grid, { west: -124, north: -27, widthDeg: 6, heightDeg: 6, cellDeg: 10 / 60 }, [
      { lon: -121, lat: -30, heightM: 2500, radiusKm: 20 },
    ]);
    const r = await runCli('info', grid, '--no-probe');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}warning {7}.*coarse-10m\.tif: cells are 18\.5 km tall, 12\.4 window samples .*baseline --method peaks/m);
    const five = await runCli('info', sharedGrid('HI_topo_02.nc4.nc'), '--json', '--no-probe');
    expect(five.code).toBe(0);
    expect(JSON.parse(five.stdout).detect.warnings).toEqual([]);
  });

  it('describes a COG over HTTP as text, with the probe: skipped shares and an estimate', async () => {
    server.log.length = 0;
    const r = await runCli('info', server.url('spac_33.cog.tif'), '--region', '-118/-112/-49/-45');
    expect(r.code).toBe(0);
    const text = r.stdout;
    expect(text).toMatch(/^ {2}format {8}GeoTIFF, variable 'band 1', int16$/m);
    expect(text).toMatch(/^ {2}size {10}661 × 421 cells \(278,281\)$/m);
    expect(text).toMatch(/^ {2}spacing {7}60″ = 0\.01666667° × 0\.01666667°; 1\.299 km × 1\.853 km at 45\.50°S/m);
    expect(text).toMatch(/^ {2}value range {3}-4168 \.\. -802 m, 100 % of cells valid; from every cell/m);
    expect(text).toMatch(
      new RegExp(`^ {2}remote {8}${server.url('spac_33.cog.tif').replace(/[.]/g, '\\.')}: 525,344 bytes, ETag ".+", Last-Modified .+GMT$`, 'm'),
    );
    expect(text).toMatch(/^ {2}fetched {7}\d+\.\d+ KiB in \d+ range requests \(0 retried\) for this report$/m);
    expect(text).toMatch(/^ {2}region {8}-118\/-112\/-49\/-45$/m);
    expect(text).toMatch(/^ {2}windows {7}[\d,]+ in \d+ batches of 256$/m);
    expect(text).toMatch(/^ {2}skipped {7}about 0 % as land, [\d.]+ % as no-data \(probe: 768 windows in batches \d+, \d+, \d+\)$/m);
    expect(text).toMatch(/^ {2}estimate {6}about \d+s to cut and score the windows \(\d\.\d{3} ms a window, .+\); picking and writing come on top$/m);
  }, 120_000);

  it('a region outside the grid still describes the grid, and says why detect cannot plan', async () => {
    const r = await runCli('info', sharedGrid('spac_33.nc4.nc'), '--region', '10/20/10/20', '--no-probe');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}format {8}netCDF-4, variable 'z'/m);
    expect(r.stdout).toMatch(/^ {2}cannot plan {2}.*region/m);
  });
});
