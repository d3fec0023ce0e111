/** Inputs for the job-level tests: synthetic grids written as real files, configs, silent loggers. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../../src/config/index.js';
import { writeFloat32GeoTiff } from '../../src/grid/index.js';
import { SyntheticGrid, type PlantedSeamount, type SyntheticGridOptions } from '../support/synthetic-grid.js';
import { silentLogger } from '../../src/base/logger.js';

export const SHARED = resolve(process.cwd(), '../shared/data');
export const sharedGrid = (name: string): string => join(SHARED, 'grids', name);
export const sharedCatalogue = (name: string): string => join(SHARED, 'catalogues', name);
export const DEFAULT_MODEL = resolve(process.cwd(), 'data/models/default');

export { tempDir } from '../support/temp-dir.js';

/** Configuration as a user would get it, progress off, logs silent. */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return loadConfig({ overrides: { logging: { progress: 'off', level: 'silent' }, ...overrides } });
}

export const quietLogger = silentLogger;

/**
 * A 1′ (or `box.cellDeg`) synthetic sea floor (−4000 m, gentle abyssal-hill fabric) with the given seamounts,
 * written as a float32 GeoTIFF. Returns the file and the grid it was computed from.
 */
export async function writeSyntheticGrid(
  path: string,
  box: { west: number; north: number; widthDeg: number; heightDeg: number; cellDeg?: number },
  seamounts: PlantedSeamount[],
  extra: Partial<SyntheticGridOptions> = {},
): Promise<SyntheticGrid> {
  const d = box.cellDeg ?? 1 / 60;
  const width = Math.round(box.widthDeg / d) + 1;
  const height = Math.round(box.heightDeg / d) + 1;
  const grid = new SyntheticGrid({
    width,
    height,
    lon0: box.west,
    dLon: d,
    lat0: box.north,
    dLat: -d,
    baseDepthM: -4000,
    fabric: { amplitudeM: 40, wavelengthKm: 14 },
    seamounts,
    ...extra,
  });
  const values = await grid.read({ x0: 0, y0: 0, w: width, h: height });
  await writeFloat32GeoTiff(path, values, grid, -99999);
  return grid;
}

/** The `seamount` CLI run from the sources (tsx), as the job-level tests spawn it. */
export const CLI_LOADER = resolve(process.cwd(), 'node_modules/tsx/dist/loader.mjs');
export const cliArgs = (args: string[]): string[] => ['--import', CLI_LOADER, resolve(process.cwd(), 'src/cli/index.ts'), ...args];

/**
 * Another detect job running alongside a test, as on a busy node: restarted whenever it ends, until
 * `stop()`. Returns how many runs it finished (each must exit 0).
 */
export function backgroundDetect(grid: string, outDir: string): { stop: () => Promise<number> } {
  let stopped = false;
  let finished = 0;
  let failure: string | null = null;
  let child: ChildProcess | null = null;
  const loop = async (): Promise<void> => {
    while (!stopped) {
      child = spawn(process.execPath, cliArgs(['detect', grid, '--out', outDir, '--fresh', '--no-progress', '--log-level', 'warn']), {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
      const code = await new Promise<number | null>((r) => child?.on('exit', (c) => r(c)));
      if (stopped) break;
      if (code !== 0) failure = `background detect exited ${code}: ${err.slice(-500)}`;
      else finished++;
    }
  };
  const running = loop();
  return {
    stop: async () => {
      stopped = true;
      child?.kill('SIGKILL');
      await running;
      if (failure) throw new Error(failure);
      return finished;
    },
  };
}

/** Runs the CLI without blocking the event loop (so a backgroundDetect keeps being served). */
export function runCli(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, cliArgs(args), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (status) => done({ status, stderr }));
  });
}
