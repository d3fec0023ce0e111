/**
 * The files a finished detect job writes: seamounts.geojson (+ .csv, .gpkg, the Kim & Wessel and GMT tables,
 * ellipses.geojson), quicklook.png, error.tif. Each is written to a temporary name and renamed by its writer
 * (error.tif's rows were written during the survey).
 */
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { parseRegion } from '../config/index.js';
import {
  writeEllipsesGeoJson,
  writeSeamountsCsv,
  writeSeamountsGeoJson,
  writeSeamountsGeoPackage,
  writeSeamountsGmtTable,
  writeSeamountsKwTable,
} from '../catalogue/index.js';
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
  /** The confidence cut the catalogue was decided with. */
  cut: number;
  config: Config;
}

/** Writes a finished job's catalogue files (GeoJSON, CSV, the GIS exports), finishes error.tif and draws quicklook.png. */
export async function writeDetectOutputs(o: DetectOutputOptions): Promise<void> {
  const { config, job, seamounts, errorTiff } = o;
  const meta = {
    grid: job.identity.grid.path,
    grid_sha256: job.identity.grid.sha256,
    model: job.identity.model.path,
    region: job.identity.region,
    threshold: o.threshold,
    cut: o.cut,
    windows_scored: o.windowsScored,
  };
  await writeSeamountsGeoJson(join(o.outDir, 'seamounts.geojson'), seamounts, meta);
  if (config.output.csv) await writeSeamountsCsv(join(o.outDir, 'seamounts.csv'), seamounts);
  await writeGisExports(o.outDir, seamounts, config, `picks of seamount-detect on ${job.identity.grid.path} (region ${job.identity.region})`);
  await errorTiff?.finish();
  if (config.output.png) {
    const region = config.region ? parseRegion(config.region) : null;
    await writeQuicklookPng(join(o.outDir, 'quicklook.png'), job.grid, region, seamounts, {
      title: `${seamounts.length} seamounts`,
    });
  }
}

/**
 * The GIS exports the output settings ask for: `seamounts.gpkg` (points and basal ellipses, QGIS/GDAL),
 * `seamounts_kw.txt` and `seamounts_gmt.txt` (Kim & Wessel census layout; `gmt plot -SE`), `ellipses.geojson`.
 * The GeoPackage's timestamp is SOURCE_DATE_EPOCH (reproducible builds' convention) or 1970-01-01, so a
 * rerun writes the same bytes.
 *
 * @example await writeGisExports('out/detect', seamounts, config, 'picks on spac_33')
 */
export async function writeGisExports(outDir: string, seamounts: Seamount[], config: Config, description: string): Promise<void> {
  if (config.output.geopackage) {
    const epoch = Number(process.env.SOURCE_DATE_EPOCH);
    const lastChange = new Date(Number.isFinite(epoch) ? epoch * 1000 : 0);
    await writeSeamountsGeoPackage(join(outDir, 'seamounts.gpkg'), seamounts, { lastChange, description });
  }
  if (config.output.tables) {
    await writeSeamountsKwTable(join(outDir, 'seamounts_kw.txt'), seamounts, { notes: [description] });
    await writeSeamountsGmtTable(join(outDir, 'seamounts_gmt.txt'), seamounts);
  }
  if (config.output.ellipses) await writeEllipsesGeoJson(join(outDir, 'ellipses.geojson'), seamounts);
}
