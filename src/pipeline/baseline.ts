/**
 * The baseline stage: the Kim & Wessel-style Gaussian picker on a grid, written in the same schema as
 * detect so `compare` can put the two side by side.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { gaussianBaseline } from '../baseline/index.js';
import { writeSeamountsCsv, writeSeamountsGeoJson } from '../catalogue/index.js';
import { formatRegion, parseRegion, type Config } from '../config/index.js';
import { gridBounds } from '../grid/geometry.js';
import { openGrid } from '../grid/index.js';
import { writeQuicklookPng } from '../picking/index.js';
import { writeJsonAtomic } from '../io/atomic.js';
import { sha256File } from './fingerprint.js';
import { softwareVersions } from './versions.js';

export interface BaselineStageOptions {
  grid: string;
  out: string;
  /** Overrides config.region. */
  region?: string | null;
  variable?: string;
  config: Config;
  logger: Logger;
}

export async function runBaseline(o: BaselineStageOptions): Promise<{ seamounts: number }> {
  const { config } = o;
  const log = o.logger.child({ stage: 'baseline' });
  const t0 = performance.now();
  const grid = await openGrid(o.grid, { variable: o.variable ?? config.grid.variable, cacheMB: config.grid.cacheMB });
  try {
    const regionText = o.region ?? config.region;
    const region = regionText ? parseRegion(regionText) : null;
    log.info({ grid: o.grid, region: regionText }, `Gaussian baseline on ${o.grid}`);
    const seamounts = await gaussianBaseline(grid, region, { ...config.baseline, logger: log });
    const meta = {
      method: 'gaussian-baseline',
      grid: o.grid,
      grid_sha256: await sha256File(o.grid),
      region: formatRegion(region ?? gridBounds(grid)),
    };
    await writeSeamountsGeoJson(join(o.out, 'seamounts.geojson'), seamounts, meta);
    if (config.output.csv) await writeSeamountsCsv(join(o.out, 'seamounts.csv'), seamounts);
    if (config.output.png) await writeQuicklookPng(join(o.out, 'quicklook.png'), grid, region, seamounts, { title: `${seamounts.length} seamounts (Gaussian baseline)` });
    await writeJsonAtomic(join(o.out, 'run.json'), {
      kind: 'baseline',
      finishedAt: new Date().toISOString(),
      grid: meta,
      config,
      versions: await softwareVersions(),
      counts: { seamounts: seamounts.length },
      timingsMs: { total: performance.now() - t0 },
    });
    log.info({ seamounts: seamounts.length }, `baseline found ${seamounts.length} seamounts`);
    return { seamounts: seamounts.length };
  } finally {
    await grid.close();
  }
}
