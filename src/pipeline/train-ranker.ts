/**
 * The candidate ranker's half of `train`: with the autoencoder just fitted, every training grid is scored
 * and its candidates gathered exactly as `detect` gathers them; candidates within `labelToleranceKm` of a
 * catalogue seamount are labelled, those beyond `unlabelledBeyondKm` of all of them unlabelled
 * (positive-unlabelled learning: nothing is ever called a non-seamount), and a logistic ranker is fitted on
 * their evidence. The cut is calibrated on out-of-fold confidences (spatial folds): each grid's candidates
 * are merged and cut as detect would, matched one to one with the catalogue seamounts on its valid sea
 * floor (`compare.toleranceKm`), and the cut of the best F1 over all grids is stored with the ranker.
 */
import type { Logger } from '../base/logger.js';
import { SearchArea, unionById, type CatalogueEntry } from '../catalogue/index.js';
import type { Config } from '../config/index.js';
import { matchOneToOne, onValidSeaFloor } from '../evaluation/index.js';
import { GeoIndex, gatherCandidates, rankAndMerge, type Candidate, type Survivor } from '../picking/index.js';
import {
  averagePrecision,
  bestF1Cut,
  confidenceOfFeatures,
  decideCut,
  featureColumns,
  fitRanker,
  RANKER_FORMAT_VERSION,
  selectedFeatures,
  spatialFold,
  type RankedOutcome,
  type Ranker,
  type RankerExample,
  type RankerFit,
} from '../ranking/index.js';
import type { Scorer } from '../scoring/index.js';
import { batchCount, planWindows, streamWindowBatches, type WindowPlan } from '../tiling/index.js';
import type { GridSource, WindowSpec } from '../types.js';
import type { BatchScores } from './batch-store.js';
import { forEachBlock, type ScoreSource } from './banded-picks.js';

export interface RankerTrainingOptions {
  grids: GridSource[];
  /** Catalogue seamounts (outside the excluded regions), every catalogue given. */
  catalogue: CatalogueEntry[];
  /** Regions left out of training: their candidates are not learned from. */
  excluded: SearchArea[];
  spec: WindowSpec;
  /** The bundle's calibrated window-error threshold (hits, and the error features' scale). */
  threshold: number;
  scorer: Scorer;
  config: Config;
  /** train --init: refit towards this ranker. */
  prior?: Ranker;
  priorWeightsSha256?: string;
  logger: Logger;
  /** Called after each grid is scored (progress). */
  onGrid?: (grid: GridSource, windows: number) => void;
}

/** The scores of one grid's plan, held in memory (8 bytes a window). */
class MemoryScores implements ScoreSource {
  private readonly batches = new Map<number, BatchScores>();
  add(b: BatchScores): void {
    this.batches.set(b.index, b);
  }
  has(index: number): boolean {
    return this.batches.has(index);
  }
  read(index: number): Promise<BatchScores> {
    const b = this.batches.get(index);
    if (!b) throw new Error(`batch ${index} was not scored`);
    return Promise.resolve(b);
  }
}

/** Every window of `plan` on `grid`, scored into memory. */
async function scoreGrid(grid: GridSource, plan: WindowPlan, o: RankerTrainingOptions): Promise<MemoryScores> {
  const store = new MemoryScores();
  const batchSize = o.config.tiling.batchSize;
  for await (const batch of streamWindowBatches(grid, plan, {
    batchSize,
    workers: o.config.tiling.workers,
    spec: o.spec,
    plan: o.config.plan,
    logger: o.logger,
  })) {
    const errors = await o.scorer.score(batch.data, batch.ids.length);
    store.add({ index: batch.index, ids: batch.ids, errors, skippedLand: batch.skippedLand, skippedNodata: batch.skippedNodata });
  }
  // batches with no window kept (all land or no-data) are never streamed: empty ones keep the block reader whole
  for (let k = 0; k < batchCount(plan, batchSize); k++) {
    if (!store.has(k)) store.add({ index: k, ids: new Int32Array(0), errors: new Float32Array(0), skippedLand: 0, skippedNodata: 0 });
  }
  return store;
}

/** One grid's ungated candidates, gathered as detect gathers them. */
async function gridCandidates(grid: GridSource, o: RankerTrainingOptions): Promise<Candidate[]> {
  const plan = planWindows(grid, null, o.config.window.strideKm, o.config.plan);
  const store = await scoreGrid(grid, plan, o);
  o.onGrid?.(grid, plan.count);
  const out: Candidate[] = [];
  await forEachBlock<Candidate>(
    { plan, batchSize: o.config.tiling.batchSize, stores: [store], picking: o.config.picking },
    // islands are never seamounts: they are not learned from
    (windows) => gatherCandidates(windows, grid, { threshold: o.threshold, strideKm: plan.strideKm, picking: o.config.picking, islands: 'drop' }),
    (c) => c,
    (cs) => {
      for (const c of cs) if (!c.gate && c.m && !o.excluded.some((a) => a.contains(c.lon, c.lat))) out.push(c);
    },
  );
  return out;
}

/**
 * Fits the ranker and calibrates its cut (see the module comment). Throws when the training grids hold too
 * few labelled candidates to learn from and no ranker is being refitted.
 *
 * @example
 * const ranker = await trainRanker({ grids, catalogue, excluded: [], spec, threshold, scorer, config, logger });
 * ranker.cut.confidence // 0.34
 */
export async function trainRanker(o: RankerTrainingOptions): Promise<Ranker> {
  const rc = o.config.training.ranker;
  const refs = unionById(o.catalogue);
  const refIndex = new GeoIndex(
    refs.map((r) => r.lon),
    refs.map((r) => r.lat),
  );
  const perGrid: Candidate[][] = [];
  for (const g of o.grids) perGrid.push(await gridCandidates(g, o));
  // refitL2 0: the initial ranker is not a prior (fitted afresh, as a new one, on the configured features)
  const prior = rc.refitL2 > 0 ? o.prior : undefined;
  const features = prior ? prior.features : rc.features;
  const columns = featureColumns(features);

  // labels: near a catalogue seamount (1), far from all (0), in between left out of the fit
  const examples: RankerExample[] = [];
  const rows: Array<{ grid: number; candidate: Candidate; example: number }> = [];
  const others: Array<{ x: Float64Array; fold: number }> = [];
  let ambiguous = 0;
  perGrid.forEach((cands, gi) => {
    for (const c of cands) {
      const x = selectedFeatures(c.evidence, o.threshold, columns);
      const fold = spatialFold(c.lon, c.lat, rc.folds);
      const near = refIndex.within(c.lon, c.lat, rc.unlabelledBeyondKm).length > 0;
      const labelled = refIndex.within(c.lon, c.lat, rc.labelToleranceKm).length > 0;
      if (labelled || !near) {
        rows.push({ grid: gi, candidate: c, example: examples.length });
        examples.push({ x, label: labelled ? 1 : 0, fold });
      } else {
        ambiguous++;
        rows.push({ grid: gi, candidate: c, example: -1 - others.length });
        others.push({ x, fold });
      }
    }
  });
  const labelled = examples.filter((e) => e.label === 1).length;
  const unlabelled = examples.length - labelled;
  o.logger.info(
    { labelled, unlabelled, ambiguous },
    `ranker: ${labelled} labelled and ${unlabelled} unlabelled candidates (${ambiguous} in between, left out)`,
  );
  // one kind of candidate only cannot teach a classifier anything: a refit then keeps the initial ranker
  const keep = prior !== undefined && (labelled === 0 || unlabelled === 0);
  if (!prior && (labelled < 10 || unlabelled < 1)) {
    throw new Error(
      `ranker: the training grids hold ${labelled} candidates within ${rc.labelToleranceKm} km of a catalogue seamount and ${unlabelled} ` +
        `further than ${rc.unlabelledBeyondKm} km from all; a new ranker needs at least 10 and 1 ` +
        '(train on more of the catalogue, refit an existing ranker with --init, or set training.ranker.enabled false)',
    );
  }
  if (keep) o.logger.info({ labelled, unlabelled }, 'ranker: only one kind of candidate on these grids: the initial ranker is kept, its cut recalibrated');
  const l2 = prior ? rc.refitL2 : rc.l2;
  const fit = keep && prior ? keptRanker(prior as Ranker, examples, others) : fitRanker(examples, { l2, prior, features }, others);

  // the cut: each grid's candidates merged with out-of-fold scores as detect would; the survivors matched to
  // the catalogue seamounts on the grid's valid sea floor
  const oof = new Map<string, number>();
  for (const r of rows) oof.set(`${r.grid}:${r.candidate.id}`, r.example >= 0 ? fit.outOfFold[r.example] : fit.othersOutOfFold[-1 - r.example]);
  // the share of labelled candidates the ranker's intercept carries: a kept ranker's own, else this fit's
  const trainingPrior = keep ? (prior as Ranker).training.prior : labelled / (labelled + unlabelled);
  const judged: Array<{ survivors: Survivor[]; scores: Float64Array; counted: CatalogueEntry[]; matched: Set<number> }> = [];
  const fixedOutcomes: RankedOutcome[] = [];
  let references = 0;
  let covered = 0;
  for (const [gi, grid] of o.grids.entries()) {
    const score = (c: Candidate) => oof.get(`${gi}:${c.id}`) ?? 0;
    const { survivors } = await rankAndMerge(perGrid[gi], grid, { score, picking: o.config.picking });
    const area = SearchArea.fromGrid(grid);
    const inside = refs.filter((r) => area.contains(r.lon, r.lat) && !o.excluded.some((a) => a.contains(r.lon, r.lat)));
    const valid = await onValidSeaFloor(grid, inside, o.config.plan.landLevelM);
    const counted = inside.filter((_, i) => valid[i]);
    const matched = new Set(
      matchOneToOne(
        survivors.map((s) => s.m),
        counted,
        o.config.compare.toleranceKm,
      ).map((m) => m.pick),
    );
    references += counted.length;
    covered += matched.size;
    survivors.forEach((s, i) => fixedOutcomes.push({ confidence: s.score, tp: matched.has(i) }));
    judged.push({ survivors, scores: Float64Array.from(perGrid[gi], score), counted, matched });
  }
  const fixed = bestF1Cut(fixedOutcomes, references);
  const ap = averagePrecision(fixedOutcomes, references);
  const coverage = references > 0 ? Math.max(covered, 1) / references : 1;
  // the adaptive rule detect uses by default, grid by grid: prior re-estimated, expected-F1 cut
  let tp = 0;
  let picks = 0;
  for (const [gi, j] of judged.entries()) {
    const rule = decideCut(
      j.scores,
      Float64Array.from(j.survivors, (s) => s.score),
      { adaptPrior: true, priorWeight: o.config.picking.priorWeight, cut: 'expected-f1', trainingPrior, coverage, bundleCut: fixed.confidence },
    );
    const kept = j.survivors.filter((s) => rule.confidence(s.score) >= rule.cut);
    picks += kept.length;
    tp += matchOneToOne(
      kept.map((s) => s.m),
      j.counted,
      o.config.compare.toleranceKm,
    ).length;
    o.logger.debug({ grid: o.grids[gi].path, prior: rule.prior.searched, cut: rule.cut, picks: kept.length }, 'ranker: adaptive cut on a training grid');
  }
  const adaptive = {
    f1: references + picks > 0 ? (2 * tp) / (references + picks) : 0,
    precision: picks > 0 ? tp / picks : null,
    recall: references > 0 ? tp / references : null,
    picks,
  };
  const labelFrequency = meanOf(examples.map((e, i) => (e.label === 1 ? fit.outOfFold[i] : NaN)));
  o.logger.info(
    { fixed: fixed.confidence, f1: fixed.f1, adaptive, coverage, averagePrecision: ap, references },
    `ranker: out of fold on the training grids, AP ${ap.toFixed(3)}; F1 ${adaptive.f1.toFixed(3)} with the adaptive cut, ` +
      `${fixed.f1.toFixed(3)} with the best fixed cut ${fixed.confidence.toFixed(3)} (${references} catalogue seamounts, ${(100 * coverage).toFixed(0)} % with a candidate)`,
  );
  return {
    formatVersion: RANKER_FORMAT_VERSION,
    ...fit.model,
    errorThreshold: o.threshold,
    cut: {
      confidence: Math.min(1, Math.max(0, fixed.confidence)),
      aim: `the best F1 against the training catalogues (matching within ${o.config.compare.toleranceKm} km), on out-of-fold scores of the training grids' candidates`,
      f1: fixed.f1,
      precision: Number.isFinite(fixed.precision) ? fixed.precision : null,
      recall: Number.isFinite(fixed.recall) ? fixed.recall : null,
      picks: fixed.picks,
      references,
      coverage,
      adaptive,
    },
    training: {
      labelled,
      unlabelled,
      ambiguous,
      labelToleranceKm: rc.labelToleranceKm,
      unlabelledBeyondKm: rc.unlabelledBeyondKm,
      l2,
      prior: trainingPrior,
      folds: fit.folds,
      averagePrecision: Number.isFinite(ap) ? ap : null,
      labelFrequency: Number.isFinite(labelFrequency) ? labelFrequency : null,
      ...(prior ? { refit: { ...(o.priorWeightsSha256 ? { fromWeightsSha256: o.priorWeightsSha256 } : {}), l2, kept: keep } } : {}),
    },
  };
}

/** The initial ranker unchanged, with its scores of the examples and the other rows (a refit that cannot fit). */
function keptRanker(r: Ranker, examples: readonly RankerExample[], others: ReadonlyArray<{ x: Float64Array }>): RankerFit {
  const score = (x: Float64Array) => confidenceOfFeatures(r, x);
  return {
    model: { features: [...r.features], mean: [...r.mean], scale: [...r.scale], weights: [...r.weights], intercept: r.intercept },
    outOfFold: Float64Array.from(examples, (e) => score(e.x)),
    othersOutOfFold: Float64Array.from(others, (e) => score(e.x)),
    folds: 1,
  };
}

function meanOf(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
}
