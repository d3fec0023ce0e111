/**
 * The baseline stage: the Kim & Wessel-style Gaussian picker on a grid, written in the same schema as
 * detect so `compare` can put the two side by side.
 */
import { join } from 'node:path';
import type { Logger } from '../base/logger.js';
import { gaussianBaseline, peakProminenceBaseline } from '../baseline/index.js';
import { writeSeamountsCsv, writeSeamountsGeoJson } from '../catalogue/index.js';
import { formatRegion, parseRegion, type Config } from '../config/index.js';
import { gridBounds } from '../grid/geometry.js';
import { openGrid } from '../grid/index.js';
import { writeQuicklookPng } from '../picking/index.js';
import { writeJsonAtomic } from '../base/atomic.js';
import { gridFingerprint } from '../grid/fingerprint.js';
import { runtimeVersions } from '../model/index.js';

/** gaussian: Kim & Wessel-style elliptical Gaussian picker; peaks: the plain peak-prominence picker. */
export type BaselineMethod = 'gaussian' | 'peaks';

export interface BaselineStageOptions {
  grid: string;
  method?: BaselineMethod;
  out: string;
  /** Overrides config.region. */
  region?: string | null;
  variable?: string;
  config: Config;
  logger: Logger;
}

/**
 * The baseline stage: runs the Gaussian (Kim & Wessel-style) or the peak-prominence picker on a grid and
 * writes seamounts.geojson (+ .csv, quicklook.png) and run.json in `o.out`, the schema `detect` writes.
 *
 * @example await runBaseline({ grid: 'spac_33.nc4.nc', method: 'peaks', out: 'out/peaks', config, logger });
 */
export async function runBaseline(o: BaselineStageOptions): Promise<{ seamounts: number; method: BaselineMethod }> {
  const { config } = o;
  const log = o.logger.child({ stage: 'baseline' });
  const t0 = performance.now();
  const grid = await openGrid(o.grid, { variable: o.variable ?? config.grid.variable, cacheMB: config.grid.cacheMB });
  try {
    const regionText = o.region ?? config.region;
    const region = regionText ? parseRegion(regionText) : null;
    const method = o.method ?? 'gaussian';
    const label = method === 'gaussian' ? 'Gaussian baseline' : 'peak-prominence baseline';
    log.info({ grid: o.grid, region: regionText, method }, `${label} on ${o.grid}`);
    const options = { ...config.baseline, islands: config.islands, logger: log };
    const { seamounts, islands } = method === 'gaussian' ? await gaussianBaseline(grid, region, options) : await peakProminenceBaseline(grid, region, options);
    const meta = {
      method: `${method}-baseline`,
      grid: o.grid,
      ...(await gridFingerprint(o.grid, grid).then((f) => (f.remote ? { grid_remote: f.remote } : { grid_sha256: f.sha256 }))),
      region: formatRegion(region ?? gridBounds(grid)),
    };
    await writeSeamountsGeoJson(join(o.out, 'seamounts.geojson'), seamounts, meta);
    if (config.output.csv) await writeSeamountsCsv(join(o.out, 'seamounts.csv'), seamounts);
    if (config.output.png)
      await writeQuicklookPng(join(o.out, 'quicklook.png'), grid, region, seamounts, { title: `${seamounts.length} seamounts (${label})` });
    await writeJsonAtomic(join(o.out, 'run.json'), {
      kind: 'baseline',
      finishedAt: new Date().toISOString(),
      grid: meta,
      config,
      versions: runtimeVersions(),
      // summits above sea level: left out (islands: drop) or kept and marked (keep)
      counts: { seamounts: seamounts.length, islands, islandsKept: config.islands === 'keep' },
      timingsMs: { total: performance.now() - t0 },
    });
    log.info({ seamounts: seamounts.length }, `${label} found ${seamounts.length} seamounts`);
    return { seamounts: seamounts.length, method };
  } finally {
    await grid.close();
  }
}
