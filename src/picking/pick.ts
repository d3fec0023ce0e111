/**
 * Scored windows → one measured Seamount per seamount.
 *
 * 1. Hits: windows whose (optionally Gaussian-smoothed) reconstruction error lies under the threshold.
 * 2. Clustering by the bathymetry: each hit walks uphill (SummitClimber) on the high-passed relief
 *    (`picking.climbSurface`; raw depth in the old design) to the summit it sits under;
 *    hits reaching the same summit form one cluster. A low-error patch covering two seamounts thus splits
 *    at the saddle between them — error minima alone cannot separate a chain whose windows all look
 *    alike.
 * 3. Each summit is measured (elliptical Gaussian fit) and kept if prominent, Gaussian-like and of a
 *    plausible size: the guards against smooth slopes and abyssal hills that also reconstruct well.
 * 4. Picks closer than minSeparationKm merge (the lower error is kept) unless a saddle separates them.
 */
import type { PickingConfig } from '../config/schema.js';
import type { Logger } from '../base/logger.js';
import type { GridSource, ScoredWindow, Seamount } from '../types.js';
import { CachedGrid } from './cached-grid.js';
import { SummitClimber, type SummitCell } from './climb.js';
import { findHits } from './error-field.js';
import { HighpassGrid } from './highpass-grid.js';
import { GeoIndex } from './geo-index.js';
import { measureSeamount, type Measurement } from './measure.js';
import { mergeClosePicks, remeasureCrowded } from './merge.js';
import { fitFactor, heightFactor, numberSeamounts, steepnessFactor, toSeamount } from './records.js';
import { columnLon, lonPeriodColumns, rowLat } from '../grid/geometry.js';
import { findHighpassPeaks } from './highpass.js';
import { pointsRegion } from './region.js';
import { KM_PER_DEG } from '../base/geodesy.js';

export interface PickOptions {
  /** Windows with (smoothed) error under this are hits. */
  threshold: number;
  /** Calibrated 0..1 confidence of a reconstruction error (the model bundle's `confidenceOf`). */
  confidence: (error: number) => number;
  /** Distance between window centres of the plan, km. */
  strideKm: number;
  picking: PickingConfig;
  logger?: Logger;
}

/** How far under the prominence guard a summit's crude prominence may be and still be fitted, m. */
const PRESCREEN_MARGIN_M = 150;

interface Cluster {
  summit: SummitCell;
  windows: number;
  /** Lowest raw error among the windows. */
  error: number;
}

interface MeasuredPick {
  m: Measurement;
  windows: number;
  error: number;
}

/**
 * Windows (all scored windows of a run, in any order) → one Seamount per seamount, ids SMT-000001...
 * ordered by confidence descending (ties by lon, lat). Deterministic: the same windows in any order give
 * the same output.
 *
 * Confidence = confidence(lowest error) × (0.5 + 0.5 × fit R²) × steepnessFactor(height, radius) ×
 * heightFactor(height): the model's calibrated score, discounted by at most half for a shape the Gaussian
 * explains poorly, by the seamount's steepness (low, broad swells reconstruct as well as seamounts, but are
 * rarely catalogued ones) and by its height (a 300 m knoll is less often a catalogued seamount than a 3 km
 * edifice the model scores alike). Picks under `picking.minConfidence` are left out.
 *
 * @example
 * const picks = await pickSeamounts(windows, grid, { threshold: 0.02, confidence: (e) => confidenceOf(cal, e),
 *   strideKm: 4, picking: config.picking });
 */
export async function pickSeamounts(windows: ScoredWindow[], grid: GridSource, o: PickOptions): Promise<Seamount[]> {
  const cfg = o.picking;
  const sorted = [...windows].sort((a, b) => a.id - b.id || a.lon - b.lon || a.lat - b.lat || a.error - b.error);
  const index = new GeoIndex(sorted.map((w) => w.lon), sorted.map((w) => w.lat));
  const hits = findHits(sorted, o.threshold, cfg.smoothingKm, index);
  /** Lowest error of the windows centred within summitErrorKm of a summit: does a window on it reconstruct well? */
  const summitError = (lon: number, lat: number): number => {
    let e = Infinity;
    for (const j of index.within(lon, lat, cfg.summitErrorKm)) if (sorted[j].error < e) e = sorted[j].error;
    return e;
  };

  const source = grid instanceof CachedGrid ? grid : new CachedGrid(grid);
  const cellKm = Math.abs(grid.dLat) * KM_PER_DEG;
  // the walk climbs the high-passed relief (a seamount's summit on a regional slope), or raw depth (the old design)
  const surface = cfg.climbSurface === 'highpass' && cfg.highpassKm > 0 ? new HighpassGrid(source, { highpassKm: cfg.highpassKm }) : source;
  const climber = new SummitClimber(surface, {
    stepKm: Math.max(2 * cellKm, 1),
    // a hit further than this from its summit is not on the seamount (plus a stride of slack)
    limitKm: Math.max(cfg.measureRadiusKm / 2, o.strideKm * 1.5),
  });
  const clusters = new Map<number, Cluster>();
  for (const h of hits) {
    const w = sorted[h.index];
    const summit = await climber.climb(w.lon, w.lat);
    if (!summit) continue;
    const c = clusters.get(summit.key);
    if (c) {
      c.windows++;
      c.error = Math.min(c.error, w.error);
    } else clusters.set(summit.key, { summit, windows: 1, error: w.error });
  }

  if (cfg.peakSeedKm > 0) await seedFromPeaks(sorted, index, source, o, clusters);

  const measured: MeasuredPick[] = [];
  let rejected = 0;
  const ordered = [...clusters.values()].sort((a, b) => a.summit.key - b.summit.key);
  for (const c of ordered) {
    const lon = columnLon(source, c.summit.x);
    const lat = rowLat(source, c.summit.y);
    const m = await measureSeamount(source, lon, lat, {
      measureRadiusKm: cfg.measureRadiusKm,
      highpassKm: cfg.highpassKm,
      searchRadiusKm: 1.5 * cellKm,
      // a summit far below the prominence guard is not worth a Gaussian fit (the fit is most of the cost)
      prescreenProminenceM: cfg.minProminenceM - PRESCREEN_MARGIN_M,
    });
    if (!m || !passesGuards(m, cfg)) {
      rejected++;
      continue;
    }
    // the summit itself must look like a seamount to the model, not only some window that climbs to it
    const error = cfg.summitErrorKm > 0 ? summitError(m.lon, m.lat) : c.error;
    if (error < o.threshold) measured.push({ m, windows: c.windows, error });
    else rejected++;
  }

  const merged = await mergeClosePicks(
    source,
    measured,
    { minSeparationKm: cfg.minSeparationKm, splitDropFraction: cfg.splitDropFraction },
    (a, b) => a.error - b.error || b.m.prominenceM - a.m.prominenceM || a.m.lon - b.m.lon || a.m.lat - b.m.lat,
    (kept, merged) => {
      kept.windows += merged.windows;
      kept.error = Math.min(kept.error, merged.error);
    },
  );
  const remeasured = await remeasureCrowded(
    source,
    merged,
    { measureRadiusKm: cfg.measureRadiusKm, highpassKm: cfg.highpassKm, searchRadiusKm: 1.5 * cellKm },
    (m) => passesGuards(m, cfg),
  );
  const scored = merged.map((p) =>
    toSeamount(p.m, {
      reconstructionError: p.error,
      confidence:
        o.confidence(p.error) *
        (0.5 + 0.5 * fitFactor(p.m.fitR2)) *
        steepnessFactor(p.m.heightM, p.m.radiusKm, cfg.steepnessScaleMPerKm) *
        heightFactor(p.m.heightM, cfg.heightScaleM),
      windows: p.windows,
    }),
  );
  // after merging, so a weak pick still absorbs its close neighbours' windows before it is judged
  const seamounts = numberSeamounts(scored.filter((s) => s.confidence >= cfg.minConfidence));
  const belowConfidence = scored.length - seamounts.length;
  o.logger?.info(
    { grid: grid.path, windows: windows.length, hits: hits.length, summits: clusters.size, rejected, remeasured, belowConfidence, seamounts: seamounts.length },
    `picked ${seamounts.length} seamounts from ${hits.length} windows under the threshold ${o.threshold}`,
  );
  return seamounts;
}

/** A seed peak is the highest high-passed cell within this radius, km (as `baseline.peakRadiusKm`). */
const SEED_PEAK_RADIUS_KM = 6;
/** Grid rows high-passed at a time while looking for seed peaks. */
const SEED_BAND_ROWS = 512;

/**
 * Adds, as clusters of their own, the peaks of the high-passed relief around the windows that have a window
 * under the threshold within `picking.peakSeedKm`: a seamount whose own windows reconstruct well but whose
 * hits all climb elsewhere (to a larger neighbour that then fails the size guard, or past the walk's reach)
 * is still measured. Summits that hits already reached keep their cluster. Windows far from any hit cannot
 * seed, so the peaks are only searched around the hits.
 */
async function seedFromPeaks(windows: ScoredWindow[], index: GeoIndex, grid: GridSource, o: PickOptions, clusters: Map<number, Cluster>): Promise<void> {
  const cfg = o.picking;
  const rawHits = windows.filter((w) => w.error < o.threshold);
  const region = pointsRegion(rawHits.map((w) => w.lon), rawHits.map((w) => w.lat), cfg.peakSeedKm + SEED_PEAK_RADIUS_KM);
  if (!region) return;
  const peaks = await findHighpassPeaks(grid, region, {
    highpassKm: cfg.highpassKm,
    peakRadiusKm: SEED_PEAK_RADIUS_KM,
    minReliefM: cfg.minProminenceM - PRESCREEN_MARGIN_M,
    bandRows: SEED_BAND_ROWS,
  });
  const period = grid.periodicLon ? lonPeriodColumns(grid) : grid.width;
  for (const p of peaks) {
    const key = p.y * period + p.x;
    if (clusters.has(key)) continue;
    let error = Infinity;
    let n = 0;
    for (const j of index.within(p.lon, p.lat, cfg.peakSeedKm)) {
      if (windows[j].error < o.threshold) n++;
      if (windows[j].error < error) error = windows[j].error;
    }
    if (n > 0) clusters.set(key, { summit: { x: p.x, y: p.y, key, valueM: p.elevationM }, windows: n, error });
  }
}

/** Prominence, fit quality and size tests of a measured summit. */
export function passesGuards(
  m: Measurement,
  g: Pick<PickingConfig, 'minProminenceM' | 'minFitR2' | 'minRadiusKm' | 'maxRadiusKm'>,
): boolean {
  return (
    m.heightM > 0 &&
    m.prominenceM >= g.minProminenceM &&
    m.fitR2 >= g.minFitR2 &&
    m.radiusKm >= g.minRadiusKm &&
    m.radiusKm <= g.maxRadiusKm
  );
}
