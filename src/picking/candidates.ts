/**
 * Candidate summits and their evidence: everything picking considers, before anything is decided.
 *
 * 1. Hits: windows whose (optionally smoothed) reconstruction error lies under the threshold. Each walks
 *    uphill on the high-passed relief to the summit it sits under (SummitClimber); hits reaching one summit
 *    support one candidate, so a low-error patch over two seamounts splits at the saddle between them.
 * 2. Peak seeds: every peak of the high-passed relief with a window under `seedErrorFactor` × the threshold
 *    within `peakSeedKm` is a candidate too, so a seamount whose windows reconstruct well but whose hits climb
 *    elsewhere (a larger neighbour, or past the walk's reach) is still considered.
 * 3. Each candidate is measured (elliptical Gaussian, prominence) and given its window evidence: the lowest
 *    error near the summit, the error of the window on it, the errors of the ring around it.
 * 4. Hard gates, only where a thing is physically not a seamount or cannot be measured: no data, relief
 *    under `minProminenceM`, a summit not above its base, a summit above sea level (an island; kept,
 *    marked, with `islands: keep`). Everything else is evidence for the ranker (decide.ts).
 */
import type { PickingConfig } from '../config/schema.js';
import type { GridSource, ScoredWindow } from '../types.js';
import type { CandidateEvidence } from '../ranking/index.js';
import { CachedGrid } from './cached-grid.js';
import { SummitClimber } from './climb.js';
import { findHits } from './error-field.js';
import { HighpassGrid } from './highpass-grid.js';
import { GeoIndex } from './geo-index.js';
import { measureOutcome, type Measurement } from './measure.js';
import { columnLon, lonPeriodColumns, rowLat } from '../grid/geometry.js';
import { findHighpassPeaks } from './highpass.js';
import { pointsRegion } from './region.js';
import { KM_PER_DEG } from '../base/geodesy.js';

/** Where a candidate came from: hits walking uphill to it, a peak of the high-passed relief, or both. */
export type CandidateSource = 'walk' | 'peak' | 'walk+peak';

/** The hard rules (and the ranker's cut) a candidate can be dropped by. */
export type DropRule = 'no_measurement' | 'min_prominence' | 'no_relief' | 'island' | 'below_cut';

/** A rule that dropped a candidate: its name, the candidate's value and the limit it failed. */
export interface RuleFailure {
  rule: DropRule;
  value: number;
  limit: number;
}

/** One candidate summit with its evidence, before ranking. */
export interface Candidate {
  /** `C<row>_<col>` of the summit cell on the north-up grid: unique within a grid, stable across runs and blocks. */
  id: string;
  source: CandidateSource;
  /** Measured position (the fitted centre, or the summit cell), lon in −180..180. */
  lon: number;
  lat: number;
  /** The measurement; null where there was none (no data, or relief too low to fit). */
  m: Measurement | null;
  evidence: CandidateEvidence;
  /** A hard rule it failed (it is not ranked), or null. */
  gate: RuleFailure | null;
  /** True when the summit stands above sea level (an island), whatever `islands` says. */
  island: boolean;
}

/** The settings `gatherCandidates` reads. */
export type CandidatePicking = Pick<
  PickingConfig,
  'smoothingKm' | 'minProminenceM' | 'highpassKm' | 'measureRadiusKm' | 'peakSeedKm' | 'seedErrorFactor' | 'evidenceRadiusKm' | 'climbSurface'
>;

export interface GatherOptions {
  /** Windows with (smoothed) error under this are hits. */
  threshold: number;
  /** Distance between window centres of the plan, km. */
  strideKm: number;
  picking: CandidatePicking;
  /** `drop`: a summit above sea level is gated out (rule `island`); `keep`: it is ranked like any other. */
  islands: 'drop' | 'keep';
}

/** How far under the prominence gate a summit's crude prominence may be and still be fitted, m. */
const PRESCREEN_MARGIN_M = 150;
/** A seed peak is the highest high-passed cell within this radius, km (as `baseline.peakRadiusKm`). */
const SEED_PEAK_RADIUS_KM = 6;
/** Grid rows high-passed at a time while looking for seed peaks. */
const SEED_BAND_ROWS = 512;
/** The ring of windows around a summit: from and to these multiples of the evidence radius. */
export const RING_INNER = 2;
export const RING_OUTER = 4;

interface Site {
  x: number;
  y: number;
  key: number;
  hits: number;
  walk: boolean;
  peak: boolean;
}

/**
 * Every candidate summit of the windows given (all scored windows of a block, any order), measured, with its
 * evidence and hard-gate outcome, in summit-cell order. Deterministic: the same windows in any order give
 * the same candidates.
 *
 * @example
 * const candidates = await gatherCandidates(windows, grid, { threshold: 0.6, strideKm: 4, picking: config.picking, islands: 'drop' });
 */
export async function gatherCandidates(windows: ScoredWindow[], grid: GridSource, o: GatherOptions): Promise<Candidate[]> {
  const cfg = o.picking;
  const sorted = [...windows].sort((a, b) => a.id - b.id || a.lon - b.lon || a.lat - b.lat || a.error - b.error);
  const index = new GeoIndex(
    sorted.map((w) => w.lon),
    sorted.map((w) => w.lat),
  );
  const source = grid instanceof CachedGrid ? grid : new CachedGrid(grid);
  const period = source.periodicLon ? lonPeriodColumns(source) : source.width;
  const sites = new Map<number, Site>();

  // 1. hits walk uphill (on the high-passed relief, or raw depth in the old design)
  const cellKm = Math.abs(source.dLat) * KM_PER_DEG;
  const surface = cfg.climbSurface === 'highpass' && cfg.highpassKm > 0 ? new HighpassGrid(source, { highpassKm: cfg.highpassKm }) : source;
  const climber = new SummitClimber(surface, {
    stepKm: Math.max(2 * cellKm, 1),
    // a hit further than this from its summit is not on the seamount (plus a stride of slack)
    limitKm: Math.max(cfg.measureRadiusKm / 2, o.strideKm * 1.5),
  });
  for (const h of findHits(sorted, o.threshold, cfg.smoothingKm, index)) {
    const w = sorted[h.index];
    const summit = await climber.climb(w.lon, w.lat);
    if (!summit) continue;
    const s = sites.get(summit.key);
    if (s) s.hits++;
    else sites.set(summit.key, { x: summit.x, y: summit.y, key: summit.key, hits: 1, walk: true, peak: false });
  }

  // 2. peaks of the high-passed relief near a window that reconstructs well enough
  if (cfg.peakSeedKm > 0) {
    const seedError = o.threshold * cfg.seedErrorFactor;
    const near = sorted.filter((w) => w.error < seedError);
    const region = pointsRegion(
      near.map((w) => w.lon),
      near.map((w) => w.lat),
      cfg.peakSeedKm + SEED_PEAK_RADIUS_KM,
    );
    const peaks = region
      ? await findHighpassPeaks(source, region, {
          highpassKm: cfg.highpassKm,
          // at least a cell and a half: on coarse grids (5′ cells are 9 km) a 6 km radius holds no neighbour
          peakRadiusKm: Math.max(SEED_PEAK_RADIUS_KM, 1.5 * cellKm),
          minReliefM: cfg.minProminenceM - PRESCREEN_MARGIN_M,
          bandRows: SEED_BAND_ROWS,
        })
      : [];
    for (const p of peaks) {
      const key = p.y * period + p.x;
      const known = sites.get(key);
      if (known) {
        known.peak = true;
        continue;
      }
      if (index.within(p.lon, p.lat, cfg.peakSeedKm).some((j) => sorted[j].error < seedError)) {
        sites.set(key, { x: p.x, y: p.y, key, hits: 0, walk: false, peak: true });
      }
    }
  }

  // 3. measure, gather evidence, apply the hard gates
  const out: Candidate[] = [];
  for (const site of [...sites.values()].sort((a, b) => a.key - b.key)) {
    const lon = columnLon(source, site.x);
    const lat = rowLat(source, site.y);
    const r = await measureOutcome(source, lon, lat, {
      measureRadiusKm: cfg.measureRadiusKm,
      highpassKm: cfg.highpassKm,
      searchRadiusKm: 1.5 * cellKm,
      // a summit far below the prominence gate is not worth a Gaussian fit (the fit is most of the cost)
      prescreenProminenceM: cfg.minProminenceM - PRESCREEN_MARGIN_M,
    });
    const m = r && 'm' in r ? r.m : null;
    const at = m ?? { lon, lat };
    const evidence: CandidateEvidence = {
      ...windowEvidence(sorted, index, at.lon, at.lat, cfg.evidenceRadiusKm),
      hits: site.hits,
      prominenceM: m ? m.prominenceM : r && 'lowReliefM' in r ? r.lowReliefM : NaN,
      heightM: m ? m.heightM : NaN,
      // the Gaussian's 3 σ radius: smooth in the relief, where the shape-aware basal radius jumps between shapes
      radiusKm: m ? m.gaussianRadiusKm : NaN,
      fitR2: m ? m.fitR2 : NaN,
      axisRatio: m && m.ellipse.majorKm > 0 ? m.ellipse.minorKm / m.ellipse.majorKm : NaN,
      summitDepthM: m ? m.summitDepthM : NaN,
    };
    const island = m !== null && m.summitDepthM > 0;
    out.push({
      id: `C${site.y}_${site.x}`,
      source: site.walk && site.peak ? 'walk+peak' : site.walk ? 'walk' : 'peak',
      lon: at.lon,
      lat: at.lat,
      m,
      evidence,
      gate: hardGate(r, m, cfg.minProminenceM, o.islands),
      island,
    });
  }
  return out;
}

/** The first hard rule a measured (or unmeasured) summit fails, or null. */
function hardGate(r: Awaited<ReturnType<typeof measureOutcome>>, m: Measurement | null, minProminenceM: number, islands: 'drop' | 'keep'): RuleFailure | null {
  if (r === null) return { rule: 'no_measurement', value: NaN, limit: NaN };
  if ('lowReliefM' in r) return { rule: 'min_prominence', value: r.lowReliefM, limit: minProminenceM };
  if (!m) return { rule: 'no_measurement', value: NaN, limit: NaN };
  if (!(m.prominenceM >= minProminenceM)) return { rule: 'min_prominence', value: m.prominenceM, limit: minProminenceM };
  if (!(m.heightM > 0)) return { rule: 'no_relief', value: m.heightM, limit: 0 };
  if (islands === 'drop' && m.summitDepthM > 0) return { rule: 'island', value: m.summitDepthM, limit: 0 };
  return null;
}

/**
 * The window evidence at a summit: the lowest error within `radiusKm`, the error of the nearest window, the
 * median error of the ring RING_INNER–RING_OUTER radii out, and how many windows lie within `radiusKm`.
 */
export function windowEvidence(
  windows: readonly ScoredWindow[],
  index: GeoIndex,
  lon: number,
  lat: number,
  radiusKm: number,
): Pick<CandidateEvidence, 'windowErrorMin' | 'windowErrorSummit' | 'ringError' | 'windowsNear'> {
  let min = NaN;
  let nearest = NaN;
  let nearestKm = Infinity;
  let count = 0;
  const ring: number[] = [];
  const cosLat = Math.cos((lat * Math.PI) / 180);
  for (const j of index.within(lon, lat, RING_OUTER * radiusKm)) {
    const w = windows[j];
    let dLon = w.lon - lon;
    dLon -= 360 * Math.round(dLon / 360);
    const d = Math.hypot(dLon * KM_PER_DEG * cosLat, (w.lat - lat) * KM_PER_DEG);
    if (!Number.isFinite(w.error)) continue;
    if (d <= radiusKm) {
      count++;
      if (!(w.error >= min)) min = w.error;
      if (d < nearestKm) {
        nearestKm = d;
        nearest = w.error;
      }
    } else if (d >= RING_INNER * radiusKm) ring.push(w.error);
  }
  return { windowErrorMin: min, windowErrorSummit: nearest, ringError: median(ring), windowsNear: count };
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : 0.5 * (s[h - 1] + s[h]);
}
