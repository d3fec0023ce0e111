/**
 * The compare stage: judge picks against a reference catalogue. The searched grid and region default to
 * the ones recorded in the picks file (detect and baseline write them), so reference seamounts outside
 * the searched area or on its no-data cells do not count as missed.
 */
import type { Logger } from '../base/logger.js';
import { readCatalogueFile } from '../catalogue/index.js';
import { cataloguePaths, compareCatalogues } from '../evaluation/index.js';
import { parseRegion, type Config } from '../config/index.js';
import { openGrid } from '../grid/index.js';
import type { GridSource } from '../types.js';

export interface CompareStageOptions {
  picks: string;
  /** The reference catalogue, or several judged as their union (one entry per id). */
  catalogue: string | readonly string[];
  out: string;
  grid?: string;
  /** Overrides config.region. */
  region?: string | null;
  toleranceKm?: number;
  minHeightM?: number;
  config: Config;
  logger: Logger;
  /** The command line, printed under "Reproduce" in the report. */
  command?: string;
}

/** Counts and ratios; a ratio is null where it is undefined (0/0, e.g. no picks). */
export interface CompareSummary {
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  averagePrecision: number | null;
}

/** A ratio with three decimals, or `n/a` when undefined (0 / 0). */
export const formatRatio = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));

/**
 * The compare stage: opens the searched grid (given, or the one the picks file names) and judges the picks
 * against the catalogue with `compareCatalogues`, writing the comparison into `o.out`.
 *
 * @example const s = await runCompareStage({ picks: 'out/spac/seamounts.geojson', catalogue: 'KWSMTSv01.txt', out: 'out/vs-kw', config, logger });
 */
export async function runCompareStage(o: CompareStageOptions): Promise<CompareSummary> {
  // the searched grid from the picks' own metadata (detect and baseline record it); the region falls back
  // to the picks' inside compareCatalogues
  const meta = (await readCatalogueFile(o.picks)).meta as { grid?: unknown } | null;
  const regionText = o.region ?? o.config.region ?? null;
  const gridPath = o.grid ?? (typeof meta?.grid === 'string' ? meta.grid : undefined);
  let grid: GridSource | null = null;
  if (gridPath) grid = await openGrid(gridPath, { variable: o.config.grid.variable, cacheMB: o.config.grid.cacheMB });
  try {
    const { metrics } = await compareCatalogues({
      picksPath: o.picks,
      cataloguePath: o.catalogue,
      toleranceKm: o.toleranceKm ?? o.config.compare.toleranceKm,
      minHeightM: o.minHeightM ?? o.config.compare.minHeightM,
      region: regionText ? parseRegion(regionText) : null,
      grid,
      outDir: o.out,
      landLevelM: o.config.plan.landLevelM,
      heightBinsM: o.config.compare.heightBinsM,
      edgeBinsKm: o.config.compare.edgeBinsKm,
      command: o.command,
    });
    const s: CompareSummary = {
      tp: metrics.tp,
      fp: metrics.fp,
      fn: metrics.fn,
      precision: metrics.precision,
      recall: metrics.recall,
      f1: metrics.f1,
      averagePrecision: metrics.averagePrecision,
    };
    const reference = cataloguePaths({ cataloguePath: o.catalogue }).join(' ∪ ');
    o.logger.info(s, `compare ${o.picks} with ${reference}: P ${formatRatio(s.precision)} R ${formatRatio(s.recall)} F1 ${formatRatio(s.f1)}`);
    return s;
  } finally {
    await grid?.close();
  }
}
