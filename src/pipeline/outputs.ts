/**
 * The files a finished detect job writes: seamounts.geojson (+ .csv), quicklook.png, error.tif. Each is
 * written to a temporary name and renamed by its writer.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { parseRegion } from '../config/index.js';
import { writeSeamountsCsv, writeSeamountsGeoJson } from '../catalogue/index.js';
import { writeFloat32GeoTiff } from '../grid/index.js';
import { pickSeamounts, writeQuicklookPng } from '../picking/index.js';
import type { ScoredWindow, Seamount } from '../types.js';
import { errorRaster } from './error-raster.js';
import type { OpenedJob } from './detect.js';

export const ERROR_NODATA = -9999;

export interface DetectOutputOptions {
  outDir: string;
  job: OpenedJob;
  windows: ScoredWindow[];
  threshold: number;
  confidence: (error: number) => number;
  config: Config;
  logger: Logger;
}

export async function writeDetectOutputs(o: DetectOutputOptions): Promise<Seamount[]> {
  const { config, job } = o;
  const log = o.logger.child({ stage: 'pick' });
  const seamounts = await pickSeamounts(o.windows, job.grid, {
    threshold: o.threshold,
    confidence: o.confidence,
    strideKm: config.window.strideKm,
    picking: config.picking,
    logger: log,
  });
  const meta = {
    grid: job.identity.grid.path,
    grid_sha256: job.identity.grid.sha256,
    model: job.identity.model.path,
    region: job.identity.region,
    threshold: o.threshold,
    windows_scored: o.windows.length,
  };
  await writeSeamountsGeoJson(join(o.outDir, 'seamounts.geojson'), seamounts, meta);
  if (config.output.csv) await writeSeamountsCsv(join(o.outDir, 'seamounts.csv'), seamounts);
  if (config.output.errorGrid) {
    const raster = errorRaster(o.windows, config.window.strideKm, ERROR_NODATA);
    if (raster) await writeFloat32GeoTiff(join(o.outDir, 'error.tif'), raster.values, raster.geometry, ERROR_NODATA);
  }
  if (config.output.png) {
    const region = config.region ? parseRegion(config.region) : null;
    await writeQuicklookPng(join(o.outDir, 'quicklook.png'), job.grid, region, seamounts, {
      title: `${seamounts.length} seamounts`,
    });
  }
  return seamounts;
}
