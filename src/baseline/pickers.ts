/**
 * Baseline pickers that need no model, for side-by-side comparison with the autoencoder on the same grid
 * and the same Seamount schema:
 * - `peakProminenceBaseline`: the simple comparator — local maxima of the high-passed bathymetry;
 * - `gaussianBaseline`: Kim & Wessel (2011)-style — those maxima fitted with elliptical Gaussians on a
 *   regional plane, kept when the fit, height and size pass the tests.
 */
import type { BaselineConfig } from '../config/schema.js';
import type { Logger } from '../base/logger.js';
import { CachedGrid } from '../picking/cached-grid.js';
import { measureSeamount, type Measurement } from '../picking/measure.js';
import { mergeClosePicks, remeasureCrowded } from '../picking/merge.js';
import { fitFactor, numberSeamounts, saturating, toSeamount } from '../picking/records.js';
import type { GridSource, Region, Seamount } from '../types.js';
import { findHighpassPeaks, type HighpassPeak } from '../picking/highpass.js';
import { KM_PER_DEG } from '../base/geodesy.js';

/** Options of the Gaussian baseline: the `baseline:` config section, the island rule (and a logger). */
export interface BaselineOptions extends BaselineConfig {
  /** Summits above sea level: left out (`drop`, as detect) or kept and marked (`keep`). Default drop. */
  islands?: 'drop' | 'keep';
  logger?: Logger;
}

/** Options of the peak-prominence comparator. */
export interface PeakOptions
  extends Pick<BaselineConfig, 'highpassKm' | 'peakRadiusKm' | 'minProminenceM' | 'measureRadiusKm' | 'minSeparationKm' | 'splitDropFraction' | 'bandRows'> {
  islands?: 'drop' | 'keep';
  logger?: Logger;
}

/** What a baseline found: its seamounts, and how many summits above sea level it left out (or kept, marked). */
export interface BaselineResult {
  seamounts: Seamount[];
  islands: number;
}

/** True when a measured summit stands above sea level: an island, not a seamount (detect's rule too). */
const isIsland = (m: Measurement): boolean => m.summitDepthM > 0;

/** The seamount records of kept candidates, islands marked. */
function records(kept: Candidate[], confidence: (c: Candidate) => number): Seamount[] {
  return numberSeamounts(
    kept.map((c) => ({ ...toSeamount(c.m, { reconstructionError: NaN, confidence: confidence(c), windows: 0 }), ...(isIsland(c.m) ? { island: true } : {}) })),
  );
}

/** Relief (m) at which the ranking score of a height or prominence reaches 0.5. */
const RELIEF_SCALE_M = 500;

interface Candidate {
  m: Measurement;
  peak: HighpassPeak;
}

/**
 * Each peak measured; those `keep` accepts become candidates, islands counted and, unless the island rule
 * keeps them (marked), left out.
 */
async function measuredCandidates(
  grid: GridSource,
  peaks: readonly HighpassPeak[],
  o: Pick<BaselineConfig, 'measureRadiusKm' | 'highpassKm'> & { islands?: 'drop' | 'keep' },
  keep: (m: Measurement) => boolean,
): Promise<{ candidates: Candidate[]; islands: number }> {
  const candidates: Candidate[] = [];
  let islands = 0;
  for (const peak of peaks) {
    const m = await measure(grid, peak, o);
    if (!m || !keep(m)) continue;
    if (isIsland(m)) {
      islands++;
      if ((o.islands ?? 'drop') === 'drop') continue;
    }
    candidates.push({ m, peak });
  }
  return { candidates, islands };
}

/**
 * The simple comparator of issue #6: local maxima of the high-passed bathymetry (highest within
 * peakRadiusKm) with prominence ≥ minProminenceM, each measured like a pick; summits above sea level are
 * islands, left out (or kept, marked) as detect does. Confidence rises with the prominence
 * (p / (p + 500 m)). Reads the grid in bounded row bands.
 *
 * @example
 * const picks = await peakProminenceBaseline(grid, null, { ...config.baseline });
 */
export async function peakProminenceBaseline(grid: GridSource, region: Region | null, o: PeakOptions): Promise<BaselineResult> {
  const source = grid instanceof CachedGrid ? grid : new CachedGrid(grid);
  const peaks = await findHighpassPeaks(source, region, {
    highpassKm: o.highpassKm,
    peakRadiusKm: o.peakRadiusKm,
    minReliefM: o.minProminenceM,
    bandRows: o.bandRows,
  });
  const { candidates, islands } = await measuredCandidates(source, peaks, o, () => true);
  const kept = await mergeClosePicks(
    source,
    candidates,
    o,
    (a, b) => b.peak.reliefM - a.peak.reliefM || a.peak.lon - b.peak.lon || a.peak.lat - b.peak.lat,
    () => {},
  );
  const seamounts = records(kept, (c) => saturating(c.peak.reliefM, RELIEF_SCALE_M));
  o.logger?.info({ grid: grid.path, peaks: peaks.length, islands, seamounts: seamounts.length }, `peak-prominence baseline: ${seamounts.length} seamounts`);
  return { seamounts, islands };
}

/**
 * Kim & Wessel-style: high-pass the bathymetry, find peaks, fit elliptical Gaussians, keep those whose fit,
 * height and size pass the tests and whose summit lies below sea level (islands: as detect); same Seamount
 * records (confidence from fit quality and height: R² × h / (h + 500 m)). Reads the grid in bounded row bands.
 *
 * @example
 * const picks = await gaussianBaseline(grid, parseRegion('-118/-107/-49/-42'), config.baseline);
 */
export async function gaussianBaseline(grid: GridSource, region: Region | null, o: BaselineOptions): Promise<BaselineResult> {
  const source = grid instanceof CachedGrid ? grid : new CachedGrid(grid);
  const peaks = await findHighpassPeaks(source, region, {
    highpassKm: o.highpassKm,
    peakRadiusKm: o.peakRadiusKm,
    minReliefM: o.minReliefM,
    bandRows: o.bandRows,
  });
  const { candidates, islands } = await measuredCandidates(source, peaks, o, (m) => passesGuards(m, o));
  const kept = await mergeClosePicks(
    source,
    candidates,
    o,
    (a, b) => score(b.m) - score(a.m) || a.peak.lon - b.peak.lon || a.peak.lat - b.peak.lat,
    () => {},
  );
  const cellKm = Math.abs(grid.dLat) * KM_PER_DEG;
  await remeasureCrowded(source, kept, { measureRadiusKm: o.measureRadiusKm, highpassKm: o.highpassKm, searchRadiusKm: 1.5 * cellKm }, (m) =>
    passesGuards(m, o),
  );
  const seamounts = records(kept, (c) => score(c.m));
  o.logger?.info(
    { grid: grid.path, peaks: peaks.length, fitted: candidates.length, islands, seamounts: seamounts.length },
    `gaussian baseline: ${seamounts.length} seamounts`,
  );
  return { seamounts, islands };
}

/** Prominence, fit quality and size tests of a measured summit: the Gaussian baseline's guards. */
export function passesGuards(m: Measurement, g: Pick<BaselineConfig, 'minProminenceM' | 'minFitR2' | 'minRadiusKm' | 'maxRadiusKm'>): boolean {
  return (
    m.heightM > 0 &&
    m.prominenceM >= g.minProminenceM &&
    m.fitR2 >= g.minFitR2 &&
    // the size test is the Gaussian's (Kim & Wessel's model; the bounds were set on its 3 σ), not the
    // shape-aware basal radius, which is up to a third smaller on cones
    m.gaussianRadiusKm >= g.minRadiusKm &&
    m.gaussianRadiusKm <= g.maxRadiusKm
  );
}

const score = (m: Measurement): number => fitFactor(m.fitR2) * saturating(m.heightM, RELIEF_SCALE_M);

function measure(grid: GridSource, peak: HighpassPeak, o: Pick<BaselineConfig, 'measureRadiusKm' | 'highpassKm'>): Promise<Measurement | null> {
  const cellKm = Math.abs(grid.dLat) * KM_PER_DEG;
  return measureSeamount(grid, peak.lon, peak.lat, { measureRadiusKm: o.measureRadiusKm, highpassKm: o.highpassKm, searchRadiusKm: 1.5 * cellKm });
}
