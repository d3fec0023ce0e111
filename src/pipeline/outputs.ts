/**
 * The files a finished detect job writes: seamounts.geojson (+ .csv), quicklook.png, error.tif. Each is
 * written to a temporary name and renamed by its writer (error.tif's rows were written during the survey).
 */
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { parseRegion } from '../config/index.js';
import { writeSeamountsCsv, writeSeamountsGeoJson } from '../catalogue/index.js';
import type { Float32GeoTiffWriter } from '../grid/index.js';
import { writeQuicklookPng } from '../picking/index.js';
import type { Seamount } from '../types.js';
import type { OpenedJob } from './job.js';

export const ERROR_NODATA = -9999;

export interface DetectOutputOptions {
  outDir: string;
  job: OpenedJob;
  seamounts: Seamount[];
  /** error.tif, its rows written (detect's survey); finished here after the catalogue. Null: no error grid. */
  errorTiff: Float32GeoTiffWriter | null;
  windowsScored: number;
  threshold: number;
  config: Config;
}

export async function writeDetectOutputs(o: DetectOutputOptions): Promise<void> {
  const { config, job, seamounts, errorTiff } = o;
  const meta = {
    grid: job.identity.grid.path,
    grid_sha256: job.identity.grid.sha256,
    model: job.identity.model.path,
    region: job.identity.region,
    threshold: o.threshold,
    windows_scored: o.windowsScored,
  };
  await writeSeamountsGeoJson(join(o.outDir, 'seamounts.geojson'), seamounts, meta);
  if (config.output.csv) await writeSeamountsCsv(join(o.outDir, 'seamounts.csv'), seamounts);
  await errorTiff?.finish();
  if (config.output.png) {
    const region = config.region ? parseRegion(config.region) : null;
    await writeQuicklookPng(join(o.outDir, 'quicklook.png'), job.grid, region, seamounts, {
      title: `${seamounts.length} seamounts`,
    });
  }
}
