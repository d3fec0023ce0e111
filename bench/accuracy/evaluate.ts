/**
 * The figures of one held-out region from its finished runs: window AUC of the model and of the control,
 * recall of catalogue seamounts at the model's calibrated threshold, and P/R/F1/AP of each picker against
 * each catalogue (the project's own comparison, src/catalogue compareCatalogues, 25 km). A group of grids
 * (the GEBCO tiles) is pooled: windows, seamounts and picks of all its grids taken together.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SearchArea, unionById, type CatalogueEntry } from '../../src/catalogue/index.js';
import { compareCatalogues } from '../../src/evaluation/index.js';
import { parseRegion } from '../../src/config/region.js';
import { openGrid } from '../../src/grid/index.js';
import { extractWindow } from '../../src/tiling/index.js';
import type { GridSource, WindowSpec } from '../../src/types.js';
import { lowerScoreAuc } from './auc.js';
import { meanOf, pooledRecall, pooledScores, recallAtThreshold, type Comparison, type RecallCount, type ObjectScores, type RankedPick } from './pool.js';
import type { CatalogueName, RegionDef } from './regions.js';
import type { RetrainFigures } from './retrain.js';
import { concatScores, labelWindows, nearestWindowScores, windowsOfRaster, type LabelledScores, type ScoredWindows } from './windows.js';

export const PICKERS = ['autoencoder', 'baseline', 'peaks'] as const;
export type Picker = (typeof PICKERS)[number];
export const TOLERANCE_KM = 25;
/** The plan's land/no-data rules and the land level (config/default.yaml plan.*), as training applies them. */
const PLAN = { maxNodataFraction: 0.1, maxLandFraction: 0.2, landLevelM: 0 };

/** One grid's finished runs: folders holding seamounts.csv (and error.tif for the two models). */
export interface GridRuns {
  grid: string;
  model: string;
  control: string;
  baseline: string;
  peaks: string;
}

/** Catalogue heights the harness reports recall in, m: < 1, 1–1.5, 1.5–2, ≥ 2 km (issue 27). */
export const HEIGHT_BINS_M = [0, 1000, 1500, 2000];
/** The height from which the recall target applies, m. */
export const TALL_M = 1500;

/** Matched and missed catalogue seamounts of one height bin (maxM null: open). */
export interface HeightRecall {
  minM: number;
  maxM: number | null;
  tp: number;
  fn: number;
  recall: number | null;
}

export interface PickerFigures {
  /** Picks inside the searched area. */
  picks: number;
  kw: ObjectScores;
  gevorgian: ObjectScores;
  /**
   * Against both catalogues as one (their union, one entry per id): the yardstick of the grids the team keeps
   * back. Designs measured before it existed lack it.
   */
  union?: ObjectScores;
  /** Recall by catalogue height (each catalogue's own heights), pooled over the region's grids. */
  byHeight?: { kw: HeightRecall[]; gevorgian: HeightRecall[] };
  /** Recall of catalogue seamounts at least TALL_M tall. */
  recallTall?: { kw: number | null; gevorgian: number | null };
  /** Why the missed catalogue seamounts were missed (the autoencoder only: it has a candidate ledger). */
  whyMissed?: { kw: Record<string, number>; gevorgian: Record<string, number> };
  /**
   * The autoencoder's whole ranked list, the cut left out: every ledger candidate the ranker scored and
   * no stronger one absorbed (picked or below the cut), by confidence. Its AP judges the ranking on the
   * footing of the peak picker's, whose picks are its whole ranked list; its recall is the cut's ceiling.
   */
  ranked?: { kw: ObjectScores; gevorgian: ObjectScores };
}

export interface RegionFigures {
  grids: number;
  windows: { positives: number; negatives: number; auc: number | null; controlAuc: number | null };
  /** Recall at the threshold detect used (run.json) of catalogue seamounts (KW ∪ Gevorgian, by id) in the region. */
  threshold: {
    target: number;
    /** Those whose window passes training's rules (relief ≥ minReliefM, land, no-data): calibration's population. */
    realised: number | null;
    seamounts: number;
    /** Every catalogued seamount with a scored window within 6 km. */
    realisedAll: number | null;
    seamountsAll: number;
  };
  pickers: Record<Picker, PickerFigures>;
  /** The retraining experiment (retrain.ts), where it ran. */
  retrain?: RetrainFigures;
}

export interface Bundle {
  calibration: { recall: number; threshold: number };
  windowSpec: WindowSpec;
  training: { config: { minReliefM?: number } };
}

export const readBundle = (dir: string): Bundle => JSON.parse(readFileSync(path.join(dir, 'bundle.json'), 'utf8')) as Bundle;

/** The scored windows of an error.tif (its nodata read as NaN or −9999), inside `area`. */
export async function rasterWindows(file: string, area: SearchArea): Promise<ScoredWindows> {
  const g = await openGrid(file);
  try {
    const values = await g.read({ x0: 0, y0: 0, w: g.width, h: g.height });
    const all = windowsOfRaster(values, g);
    const keep: number[] = [];
    for (let i = 0; i < all.score.length; i++) if (area.contains(all.lon[i], all.lat[i])) keep.push(i);
    const pick = (a: Float64Array): Float64Array => Float64Array.from(keep, (i) => a[i]);
    return { lon: pick(all.lon), lat: pick(all.lat), score: pick(all.score) };
  } finally {
    await g.close();
  }
}

/** Picks of a comparison ranked for the AP: matched to a counted seamount (TP) or to none (FP). */
function rankedPicks(dir: string): RankedPick[] {
  type Fc = { features: Array<{ properties: { confidence: number | null; counted?: boolean } }> };
  const read = (f: string): Fc => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Fc;
  const tp = read('matched.geojson')
    .features.filter((f) => f.properties.counted)
    .map((f) => ({ confidence: f.properties.confidence, tp: true }));
  const fp = read('new.geojson').features.map((f) => ({ confidence: f.properties.confidence, tp: false }));
  return [...tp, ...fp];
}

/**
 * Writes the ranked candidates of a detect run (candidates.geojson: picked, or dropped below the cut) as
 * a picks file compare reads; false when the run has no ledger.
 */
export function writeRankedCandidates(runDir: string, outFile: string): boolean {
  let ledger: { features: Array<{ properties: { fate: string; rule: string | null; confidence: number | null } }> };
  try {
    ledger = JSON.parse(readFileSync(path.join(runDir, 'candidates.geojson'), 'utf8')) as typeof ledger;
  } catch {
    return false;
  }
  const features = ledger.features.filter((f) => f.properties.confidence !== null && (f.properties.fate === 'picked' || f.properties.rule === 'below_cut'));
  // the first file of a fresh evaluation folder
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify({ ...ledger, features }));
  return true;
}

/** The union of the catalogues, one entry per id (a KW seamount Gevorgian re-measured counts once). */
export function uniqueSeamounts(catalogues: Record<CatalogueName, CatalogueEntry[]>): CatalogueEntry[] {
  return unionById([...catalogues.kw, ...catalogues.gevorgian]);
}

/** Whether each seamount's centred window passes training's rules on this grid (as src/pipeline/train.ts). */
async function trainable(grid: GridSource, seamounts: CatalogueEntry[], spec: WindowSpec, minReliefM: number): Promise<boolean[]> {
  const out: boolean[] = [];
  for (const s of seamounts) {
    const w = await extractWindow(grid, { lon: s.lon, lat: s.lat }, spec, PLAN.landLevelM);
    out.push(w.nodataFraction <= PLAN.maxNodataFraction && w.landFraction <= PLAN.maxLandFraction && w.reliefM >= minReliefM);
  }
  return out;
}

export interface EvaluateOptions {
  region: RegionDef;
  runs: GridRuns[];
  /** The model's bundle folder (calibration, window spec). */
  bundleDir: string;
  catalogues: Record<CatalogueName, CatalogueEntry[]>;
  cataloguePaths: Record<CatalogueName, string>;
  /** Where the comparisons are written. */
  workDir: string;
}

/** The threshold a detect run picked with (run.json: the bundle's, unless picking.targetRecall or errorThreshold set another). */
export function detectThreshold(runDir: string): number {
  const file = path.join(runDir, 'run.json');
  const t = (JSON.parse(readFileSync(file, 'utf8')) as { threshold?: { threshold?: unknown } }).threshold?.threshold;
  if (typeof t !== 'number') throw new Error(`${file}: no threshold (not a finished detect run?)`);
  return t;
}

export async function evaluateRegion(o: EvaluateOptions): Promise<RegionFigures> {
  const bundle = readBundle(o.bundleDir);
  const everyRef = [...o.catalogues.kw, ...o.catalogues.gevorgian];
  const unique = uniqueSeamounts(o.catalogues);
  const labelled: LabelledScores[] = [];
  const controlLabelled: LabelledScores[] = [];
  // each grid's recall at the threshold detect used there, pooled over the region's grids
  const realisedParts: RecallCount[] = [];
  const realisedAllParts: RecallCount[] = [];
  const emptyHeights = (): HeightRecall[] => HEIGHT_BINS_M.map((lo, i) => ({ minM: lo, maxM: HEIGHT_BINS_M[i + 1] ?? null, tp: 0, fn: 0, recall: null }));
  const comparisons = Object.fromEntries(
    PICKERS.map((p) => [
      p,
      {
        kw: [] as Comparison[],
        gevorgian: [] as Comparison[],
        union: [] as Comparison[],
        picks: 0,
        heights: { kw: emptyHeights(), gevorgian: emptyHeights() },
        why: { kw: {}, gevorgian: {} },
        ranked: { kw: [] as Comparison[], gevorgian: [] as Comparison[] },
      },
    ]),
  ) as Record<
    Picker,
    {
      kw: Comparison[];
      gevorgian: Comparison[];
      union: Comparison[];
      picks: number;
      heights: Record<CatalogueName, HeightRecall[]>;
      why: Record<CatalogueName, Record<string, number>>;
      ranked: Record<CatalogueName, Comparison[]>;
    }
  >;

  for (const [gi, run] of o.runs.entries()) {
    const grid = await openGrid(run.grid);
    try {
      let area = SearchArea.fromGrid(grid);
      if (o.region.box) area = area.intersect(SearchArea.fromRegion(parseRegion(o.region.box)));
      const model = await rasterWindows(path.join(run.model, 'error.tif'), area);
      const control = await rasterWindows(path.join(run.control, 'error.tif'), area);
      labelled.push(labelWindows(model, everyRef));
      controlLabelled.push(labelWindows(control, everyRef));

      const inside = unique.filter((s) => area.contains(s.lon, s.lat));
      const scores = nearestWindowScores(inside, model);
      const rules = await trainable(grid, inside, bundle.windowSpec, bundle.training.config.minReliefM ?? 300);
      const threshold = detectThreshold(run.model);
      realisedAllParts.push(recallAtThreshold(scores, threshold));
      realisedParts.push(
        recallAtThreshold(
          scores.filter((_, i) => rules[i]),
          threshold,
        ),
      );

      const suffix = o.runs.length > 1 ? `-${gi}` : '';
      const region = o.region.box ? parseRegion(o.region.box) : null;
      /** One list of picks against one catalogue: compare's metrics and the list ranked for the AP. */
      const judge = async (picksPath: string, cat: CatalogueName | 'union', outDir: string, explainMisses: boolean) => {
        const { metrics } = await compareCatalogues({
          picksPath,
          cataloguePath: cat === 'union' ? [o.cataloguePaths.kw, o.cataloguePaths.gevorgian] : o.cataloguePaths[cat],
          toleranceKm: TOLERANCE_KM,
          minHeightM: 0,
          region,
          grid,
          outDir,
          heightBinsM: HEIGHT_BINS_M,
          // the GeoJSON carries the threshold detect used: why-missed reads the error raster with it
          ...(explainMisses ? {} : { ledgerPath: null, errorRasterPath: null }),
        });
        return { metrics, comparison: { tp: metrics.tp, fp: metrics.fp, fn: metrics.fn, picks: rankedPicks(outDir) } };
      };
      const rankedFile = path.join(o.workDir, `ranked-candidates${suffix}.geojson`);
      const hasRanked = writeRankedCandidates(run.model, rankedFile);

      for (const picker of PICKERS) {
        const dir = picker === 'autoencoder' ? run.model : run[picker];
        for (const cat of ['kw', 'gevorgian'] as const) {
          const outDir = path.join(o.workDir, `compare-${picker}-${cat}${suffix}`);
          const { metrics, comparison } = await judge(path.join(dir, 'seamounts.geojson'), cat, outDir, picker === 'autoencoder');
          comparisons[picker][cat].push(comparison);
          // heights: bins of known height only (a catalogue without heights adds nothing)
          for (const b of metrics.byHeight) {
            const k = HEIGHT_BINS_M.indexOf(b.minM ?? NaN);
            if (k < 0) continue;
            comparisons[picker].heights[cat][k].tp += b.tp;
            comparisons[picker].heights[cat][k].fn += b.fn;
          }
          if (picker === 'autoencoder' && metrics.whyMissed) {
            for (const [reason, n] of Object.entries(metrics.whyMissed.byReason)) {
              if (n > 0) comparisons[picker].why[cat][reason] = (comparisons[picker].why[cat][reason] ?? 0) + n;
            }
          }
          if (cat === 'kw') comparisons[picker].picks += metrics.tp + metrics.fp + metrics.ignored;
          if (picker === 'autoencoder' && hasRanked) {
            comparisons[picker].ranked[cat].push((await judge(rankedFile, cat, `${outDir}-ranked`, false)).comparison);
          }
        }
        comparisons[picker].union.push(
          (await judge(path.join(dir, 'seamounts.geojson'), 'union', path.join(o.workDir, `compare-${picker}-union${suffix}`), false)).comparison,
        );
      }
    } finally {
      await grid.close();
    }
  }

  const model = concatScores(labelled);
  const control = concatScores(controlLabelled);
  const realised = pooledRecall(realisedParts);
  const realisedAll = pooledRecall(realisedAllParts);
  return {
    grids: o.runs.length,
    windows: {
      positives: model.positive.length,
      negatives: model.negative.length,
      auc: lowerScoreAuc(model.positive, model.negative),
      controlAuc: lowerScoreAuc(control.positive, control.negative),
    },
    threshold: {
      target: bundle.calibration.recall,
      realised: realised.recall,
      seamounts: realised.counted,
      realisedAll: realisedAll.recall,
      seamountsAll: realisedAll.counted,
    },
    pickers: Object.fromEntries(
      PICKERS.map((p) => {
        const c = comparisons[p];
        const heights = (cat: CatalogueName) => c.heights[cat].map((b) => ({ ...b, recall: b.tp + b.fn > 0 ? b.tp / (b.tp + b.fn) : null }));
        const tall = (cat: CatalogueName): number | null => {
          const bins = c.heights[cat].filter((b) => b.minM >= TALL_M);
          const tp = bins.reduce((n, b) => n + b.tp, 0);
          const fn = bins.reduce((n, b) => n + b.fn, 0);
          return tp + fn > 0 ? tp / (tp + fn) : null;
        };
        const figures: PickerFigures = {
          picks: c.picks,
          kw: pooledScores(c.kw),
          gevorgian: pooledScores(c.gevorgian),
          union: pooledScores(c.union),
          byHeight: { kw: heights('kw'), gevorgian: heights('gevorgian') },
          recallTall: { kw: tall('kw'), gevorgian: tall('gevorgian') },
          ...(p === 'autoencoder' ? { whyMissed: c.why } : {}),
          ...(c.ranked.kw.length ? { ranked: { kw: pooledScores(c.ranked.kw), gevorgian: pooledScores(c.ranked.gevorgian) } } : {}),
        };
        return [p, figures];
      }),
    ) as Record<Picker, PickerFigures>,
  };
}

/** Tall catalogue seamounts found and counted over regions together. */
export interface PooledRecall {
  found: number;
  of: number;
  recall: number | null;
}

/**
 * Recall of the catalogue seamounts at least TALL_M tall, counted over all regions together: the measure issue
 * 27 stated its tall-recall figures in ("recall of the 862 catalogue seamounts ≥ 1.5 km"). The mean of the
 * regions' recalls beside it weighs a region with two tall seamounts like one with seventy.
 */
export function pooledTallRecall(regions: RegionFigures[], picker: Picker, cat: CatalogueName): PooledRecall {
  let found = 0;
  let of = 0;
  for (const r of regions) {
    for (const b of r.pickers[picker].byHeight?.[cat] ?? []) {
      if (b.minM < TALL_M) continue;
      found += b.tp;
      of += b.tp + b.fn;
    }
  }
  return { found, of, recall: of > 0 ? found / of : null };
}

/** Mean over regions of every figure (regions lacking a figure are left out of its mean). */
export function meanFigures(regions: RegionFigures[]): Record<string, unknown> {
  const m = (f: (r: RegionFigures) => number | null): number | null => meanOf(regions.map(f));
  // a region lacking the figures (union: designs measured before it) is left out of their means
  const scores = (f: (r: RegionFigures) => ObjectScores | undefined) => ({
    precision: m((r) => f(r)?.precision ?? null),
    recall: m((r) => f(r)?.recall ?? null),
    f1: m((r) => f(r)?.f1 ?? null),
    ap: m((r) => f(r)?.ap ?? null),
  });
  // results of designs run before `both` (or `kwLabels`) existed lack it; kwLabels is null where a half has too few KW seamounts
  type Lift = RetrainFigures['both'] | null | undefined;
  const lift = (f: (t: RetrainFigures) => Lift) => ({
    before: m((r) => (r.retrain ? f(r.retrain)?.before : null) ?? null),
    after: m((r) => (r.retrain ? f(r.retrain)?.after : null) ?? null),
    lift: m((r) => (r.retrain ? f(r.retrain)?.lift : null) ?? null),
  });
  return {
    regions: regions.length,
    retrain: {
      regions: regions.filter((r) => r.retrain).length,
      kw: lift((t) => t.f1.kw),
      gevorgian: lift((t) => t.f1.gevorgian),
      both: lift((t) => t.both),
      ...(regions.some((r) => r.retrain?.kwLabels)
        ? { kwLabels: { ...lift((t) => t.kwLabels), regions: regions.filter((r) => r.retrain?.kwLabels).length } }
        : {}),
    },
    windows: { auc: m((r) => r.windows.auc), controlAuc: m((r) => r.windows.controlAuc) },
    threshold: { target: m((r) => r.threshold.target), realised: m((r) => r.threshold.realised), realisedAll: m((r) => r.threshold.realisedAll) },
    pickers: Object.fromEntries(
      PICKERS.map((p) => [
        p,
        {
          picks: m((r) => r.pickers[p].picks),
          kw: scores((r) => r.pickers[p].kw),
          gevorgian: scores((r) => r.pickers[p].gevorgian),
          ...(regions.some((r) => r.pickers[p].union) ? { union: scores((r) => r.pickers[p].union) } : {}),
          recallTall: { kw: m((r) => r.pickers[p].recallTall?.kw ?? null), gevorgian: m((r) => r.pickers[p].recallTall?.gevorgian ?? null) },
          ...(regions.some((r) => r.pickers[p].byHeight)
            ? { recallTallPooled: { kw: pooledTallRecall(regions, p, 'kw'), gevorgian: pooledTallRecall(regions, p, 'gevorgian') } }
            : {}),
          ...(regions.some((r) => r.pickers[p].ranked)
            ? {
                ranked: {
                  kw: { recall: m((r) => r.pickers[p].ranked?.kw.recall ?? null), ap: m((r) => r.pickers[p].ranked?.kw.ap ?? null) },
                  gevorgian: { recall: m((r) => r.pickers[p].ranked?.gevorgian.recall ?? null), ap: m((r) => r.pickers[p].ranked?.gevorgian.ap ?? null) },
                },
              }
            : {}),
          byHeight: {
            kw: HEIGHT_BINS_M.map((lo, i) => ({
              minM: lo,
              maxM: HEIGHT_BINS_M[i + 1] ?? null,
              recall: m((r) => r.pickers[p].byHeight?.kw[i]?.recall ?? null),
            })),
            gevorgian: HEIGHT_BINS_M.map((lo, i) => ({
              minM: lo,
              maxM: HEIGHT_BINS_M[i + 1] ?? null,
              recall: m((r) => r.pickers[p].byHeight?.gevorgian[i]?.recall ?? null),
            })),
          },
        },
      ]),
    ),
  };
}
