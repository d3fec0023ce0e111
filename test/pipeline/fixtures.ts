/** Inputs for the job-level tests: synthetic grids written as real files, configs, silent loggers. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../../src/config/index.js';
import { writeFloat32GeoTiff } from '../../src/grid/index.js';
import { SyntheticGrid, type PlantedSeamount, type SyntheticGridOptions } from '../../src/grid/synthetic.js';
import { silentLogger } from '../../src/pipeline/logger.js';

export const SHARED = resolve(process.cwd(), '../shared/data');
export const sharedGrid = (name: string): string => join(SHARED, 'grids', name);
export const sharedCatalogue = (name: string): string => join(SHARED, 'catalogues', name);
export const DEFAULT_MODEL = resolve(process.cwd(), 'data/models/default');

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** Configuration as a user would get it, progress off, logs silent. */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return loadConfig({ overrides: { logging: { progress: 'off', level: 'silent' }, ...overrides } });
}

export const quietLogger = silentLogger;

/**
 * A 1′ synthetic sea floor (−4000 m, gentle abyssal-hill fabric) with the given seamounts, written as a
 * float32 GeoTIFF. Returns the file and the grid it was computed from.
 */
export async function writeSyntheticGrid(
  path: string,
  box: { west: number; north: number; widthDeg: number; heightDeg: number },
  seamounts: PlantedSeamount[],
  extra: Partial<SyntheticGridOptions> = {},
): Promise<SyntheticGrid> {
  const d = 1 / 60;
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
