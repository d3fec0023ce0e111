/**
 * The `seamount` command line as users type it (the README's examples, on a small region), in process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { jest } from '@jest/globals';
import { main } from '../../src/cli/program.js';
import { sharedCatalogue, sharedGrid, tempDir } from '../pipeline/fixtures.js';

const quiet = ['--log-level', 'silent', '--no-progress'];
const run = (...args: string[]) => main(['node', 'seamount', ...args]);

/** Runs the CLI and returns its exit code and what it wrote to stderr. */
async function runCapturing(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  try {
    return { code: await run(...args), stderr };
  } finally {
    spy.mockRestore();
  }
}

describe('seamount CLI', () => {
  const out = tempDir('cli-');
  const grid = sharedGrid('spac_33.nc4.nc');
  const region = '-118/-115.5/-49/-46.5';

  it('detect, compare and baseline as in the README', async () => {
    const d = await runCapturing('detect', grid, '--region', region, '--out', join(out, 'spac'), ...quiet);
    expect(d.code).toBe(0);
    expect(d.stderr).toMatch(/found \d+ seamounts in [\d,]+ windows \([\d,]+ candidates: /);
    expect(d.stderr).toMatch(/most confident:\n {2}SMT-000001 +\d+\.\d{3}°S +\d+\.\d{3}°W {2}height +[\d,]+ m/);
    expect(d.stderr).toMatch(/written to .*: .*candidates\.geojson.*seamounts\.geojson/);
    const meta = JSON.parse(readFileSync(join(out, 'spac', 'seamounts.geojson'), 'utf8')).seamount_detect;
    expect(meta.region).toBe(region);

    const c = await runCapturing(
      'compare',
      join(out, 'spac', 'seamounts.geojson'),
      '--catalogue',
      sharedCatalogue('KWSMTSv01.txt'),
      '--out',
      join(out, 'vs-kw'),
      ...quiet,
    );
    expect(c.code).toBe(0);
    expect(c.stderr).toMatch(/precision \d\.\d{3} {2}recall \d\.\d{3} {2}F1 \d\.\d{3}/);
    const metrics = JSON.parse(readFileSync(join(out, 'vs-kw', 'metrics.json'), 'utf8'));
    // only the searched region's catalogue seamounts count
    expect(metrics.tp + metrics.fn).toBeLessThan(40);
    expect(readFileSync(join(out, 'vs-kw', 'report.md'), 'utf8')).toMatch(/seamount compare .*--catalogue/);

    const b = await runCapturing('baseline', grid, '--method', 'peaks', '--region', region, '--out', join(out, 'peaks'), ...quiet);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/seamounts \(peaks baseline\)/);
    expect(existsSync(join(out, 'peaks', 'seamounts.csv'))).toBe(true);
  }, 120_000);

  it('validates every shipped pipeline with run --check', async () => {
    for (const p of ['demo', 'ocean-basin', 'retrain']) {
      const r = await runCapturing('run', resolve('pipelines', `${p}.yaml`), '--check', ...quiet);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`pipelines/${p}\\.yaml: valid`));
    }
  });

  it('exits 2 on usage errors and 1 with a message on bad input', async () => {
    expect((await runCapturing('detect')).code).toBe(2);
    expect((await runCapturing('frobnicate')).code).toBe(2);
    const badSet = await runCapturing('detect', grid, '--set', 'window.strideKm=-1', '--out', join(out, 'x'), ...quiet);
    expect(badSet.code).toBe(1);
    expect(badSet.stderr).toMatch(/seamount: error: command-line options: invalid configuration:[\s\S]*window\.strideKm/);
    const badShard = await runCapturing('detect', grid, '--shard', '5/4', '--out', join(out, 'y'), ...quiet);
    expect(badShard.code).toBe(1);
    expect(badShard.stderr).toMatch(/shard "5\/4": index 5 outside 0\.\.3/);
    const badRegion = await runCapturing('baseline', grid, '--region', '1/2/3', '--out', join(out, 'z'), ...quiet);
    expect(badRegion.stderr).toMatch(/region "1\/2\/3": expected W\/E\/S\/N/);
    expect(existsSync(join(out, 'x'))).toBe(false);
  });
});

describe('seamount --version', () => {
  it('names the version, the default model bundle and the engine, and prints no banner', async () => {
    let stdout = '';
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += chunk.toString();
      return true;
    });
    let code: number;
    try {
      code = await run('--version');
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    expect(stdout).toMatch(/^seamount-detect \d+\.\d+\.\d+ \(node v\d+/);
    expect(stdout).toMatch(/model: .*data\/models\/default \(format 2, with a candidate ranker, made \d{4}-\d\d-\d\d\)/);
    expect(stdout).toMatch(/engine: (onnxruntime-node \d|tfjs on )/);
  });
});

describe('run --check', () => {
  it('checks each stage with its own settings, region included', async () => {
    const r = await runCapturing('run', resolve('pipelines', 'ocean-basin.yaml'), '--check', '--set', 'region=1/2/3', ...quiet);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/region "1\/2\/3": expected W\/E\/S\/N/);
  });
});
