/**
 * The files a finished detect job writes: seamounts.geojson (+ .csv), quicklook.png, error.tif. Each is
 * written to a temporary name and renamed by its writer.
 */
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { parseRegion } from '../config/index.js';
import { writeSeamountsCsv, writeSeamountsGeoJson } from '../catalogue/index.js';
import { writeFloat32GeoTiff } from '../grid/index.js';
import { writeQuicklookPng } from '../picking/index.js';
import type { Seamount } from '../types.js';
import type { ErrorRaster } from './error-raster.js';
import type { OpenedJob } from './job.js';

export const ERROR_NODATA = -9999;

export interface DetectOutputOptions {
  outDir: string;
  job: OpenedJob;
  seamounts: Seamount[];
  /** Reconstruction errors on a raster (error.tif), or null when no window was scored. */
  raster: ErrorRaster | null;
  windowsScored: number;
  threshold: number;
  config: Config;
}

export async function writeDetectOutputs(o: DetectOutputOptions): Promise<void> {
  const { config, job, seamounts, raster } = o;
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
  if (config.output.errorGrid && raster) {
    await writeFloat32GeoTiff(join(o.outDir, 'error.tif'), raster.values, raster.geometry, ERROR_NODATA);
  }
  if (config.output.png) {
    const region = config.region ? parseRegion(config.region) : null;
    await writeQuicklookPng(join(o.outDir, 'quicklook.png'), job.grid, region, seamounts, {
      title: `${seamounts.length} seamounts`,
    });
  }
}
