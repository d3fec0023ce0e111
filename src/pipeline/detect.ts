/**
 * The detect job: grid → windows → reconstruction errors → seamount catalogue.
 *
 * A job lives in one output folder. `job.json` pins its inputs (grid and model checksums, effective
 * configuration, plan, shard); `scores/` holds one atomically written file per finished batch, so a job
 * killed at any point resumes where it stopped and ends with the same result as an uninterrupted run.
 * A shard (`--shard i/N`) scores only its batches and stops there; `merge` unions shard folders and
 * finishes exactly as a single process would, because picking always sees every window of the plan.
 */
import { misfitOf } from '../engine/misfit.js';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../base/logger.js';
import { formatRegion, parseRegion } from '../config/index.js';
import { Float32GeoTiffWriter, gridTransfer, openGrid } from '../grid/index.js';
import { currentBackend, selectBackend } from '../engine/index.js';
import { loadBundle, runtimeVersions, type BundleMeta } from '../model/index.js';
import { resolveThreshold } from '../picking/index.js';
import { createScorer, type Scorer } from '../scoring/index.js';
import {
  assertGridHoldsWindow,
  assertSameWindowSpec,
  batchCount,
  cellSamples,
  COARSE_CELL_SAMPLES,
  planWindows,
  sampleSpacingKm,
  streamWindowBatches,
  type WindowPlan,
} from '../tiling/index.js';
import type { GridSource, Seamount, WindowSpec } from '../types.js';
import { decideCut, rankerConfidence, type CutDecision, type CutSettings, type Ranker } from '../ranking/index.js';
import type { PickingConfig } from '../config/index.js';
import { CandidateLedger, type CandidateCounts } from './candidate-ledger.js';
import { writeJsonAtomic } from '../base/atomic.js';
import { BatchStore } from './batch-store.js';
import { canonicalJson, sha256Folder, sha256Text } from '../base/hash.js';
import { gridFingerprint } from '../grid/fingerprint.js';
import { JOB_FORMAT_VERSION, type DetectOptions, type DetectSummary, type JobFile, type JobIdentity, type OpenedJob } from './job.js';
import { ERROR_NODATA, writeDetectOutputs } from './outputs.js';
import { pickInBands } from './banded-picks.js';
import { ErrorRasterStream, errorRasterGeometry } from './error-raster.js';
import { createProgress } from '../base/progress.js';
import { formatShard, shardHasBatch, WHOLE_JOB, type Shard } from './shard.js';

/**
 * The window spec a job cuts windows with: always the bundle's; window settings the user chose explicitly
 * (other than the stride) must match it, or the run stops naming the difference.
 */
export function resolveWindowSpec(meta: BundleMeta, userWindow: Record<string, unknown> | undefined, modelDir: string): WindowSpec {
  if (userWindow) {
    const requested = { ...meta.windowSpec } as Record<string, unknown>;
    for (const [k, v] of Object.entries(userWindow)) if (k !== 'strideKm') requested[k] = v;
    assertSameWindowSpec(meta.windowSpec, requested as unknown as WindowSpec, `model bundle ${modelDir}`);
  }
  return meta.windowSpec;
}

/**
 * Opens a detect job's inputs: the bundle (checked to hold a ranker unless `scoresOnly`), the grid, the
 * window plan, and the identity that job.json pins. The caller closes the grid and disposes the model.
 */
export async function openDetectJob(o: DetectOptions): Promise<OpenedJob> {
  const { config } = o;
  const { model, meta } = await loadBundle(o.modelDir);
  // fail before hours of scoring, not after: a bundle without a ranker cannot pick
  if (!o.scoresOnly) {
    try {
      detectRanker(meta, o.modelDir);
    } catch (err) {
      model.dispose();
      throw err;
    }
  }
  const spec = resolveWindowSpec(meta, o.userWindow, o.modelDir);
  const grid = await openGrid(o.gridPath, { variable: config.grid.variable, cacheMB: config.grid.cacheMB });
  try {
    assertGridHoldsWindow(grid, spec.sizeKm);
    const region = config.region ? parseRegion(config.region) : null;
    const plan = planWindows(grid, region, config.window.strideKm, config.plan);
    const scoringConfig = {
      window: spec,
      stride: config.window.strideKm,
      plan: config.plan,
      batchSize: config.tiling.batchSize,
      backend: config.scoring.backend,
      engine: config.scoring.engine,
    };
    const identity: JobIdentity = {
      formatVersion: JOB_FORMAT_VERSION,
      grid: { ...(await gridFingerprint(o.gridPath, grid)), variable: grid.variable },
      model: { path: resolve(o.modelDir), sha256: await sha256Folder(o.modelDir) },
      windowSpec: spec,
      strideKm: config.window.strideKm,
      region: formatRegion(plan.region),
      plan: { count: plan.count, batches: batchCount(plan, config.tiling.batchSize), batchSize: config.tiling.batchSize },
      scoringConfigSha256: sha256Text(canonicalJson(scoringConfig)),
    };
    return { grid, model, meta, plan, identity };
  } catch (err) {
    await grid.close();
    throw err;
  }
}

/**
 * What a user should know about running this model on this grid before trusting its picks: a grid much
 * coarser than the window's sample spacing (past COARSE_CELL_SAMPLES: coarser than about 7.3′ with 1.5 km
 * samples) blurs seamounts of a few km radius into one or two cells.
 *
 * @example gridWarnings({ path: 'etopo10.nc', dLat: 10 / 60 }, spec) // ['etopo10.nc: cells are 18.5 km tall, ...']
 */
export function gridWarnings(grid: { path: string; dLat: number }, spec: WindowSpec): string[] {
  const ratio = cellSamples(grid, spec);
  if (!(ratio > COARSE_CELL_SAMPLES)) return [];
  const cellKm = ratio * sampleSpacingKm(spec);
  return [
    `${grid.path}: cells are ${cellKm.toFixed(1)} km tall, ${ratio.toFixed(1)} window samples (${sampleSpacingKm(spec)} km): ` +
      'small seamounts are one or two cells wide on so coarse a grid and the detector misses many of them ' +
      '(on 1′ grids averaged to 10′ it found none in three regions of four); compare with `seamount baseline --method peaks` (docs/limits.md#coarse-grids)',
  ];
}

/** Reads an output folder's job.json, or null when there is none. */
export function readJobFile(outDir: string): JobFile | null {
  const path = join(outDir, 'job.json');
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as JobFile;
  } catch (err) {
    throw new Error(`${path}: not a readable job file (${(err as Error).message})`);
  }
}

/** "1h02m", "3m10s", "45s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * Scores the job's (shard's) batches that are not done yet, writing one file per batch.
 */
async function scoreMissingBatches(job: OpenedJob, o: DetectOptions, store: BatchStore, shard: Shard, scorer: Scorer, log: Logger) {
  const { config } = o;
  const total = job.identity.plan.batches;
  const mine = (k: number) => shardHasBatch(shard, k);
  const checked = await store.validDoneBatches();
  if (checked.removed.length > 0)
    log.warn({ removed: checked.removed }, `${checked.removed.length} damaged batch files removed; their batches are scored again`);
  const done = new Set(checked.done);
  let inShard = 0;
  for (let k = 0; k < total; k++) if (mine(k)) inShard++;
  const resumed = [...done].filter(mine).length;
  if (resumed > 0) log.info({ resumed, inShard }, `resuming: ${resumed} of ${inShard} batches already scored`);

  const progress = createProgress('windows', config.logging.progress);
  const batchSize = config.tiling.batchSize;
  progress.setTotal(Math.min(job.plan.count, inShard * batchSize));
  progress.increment(Math.min(resumed * batchSize, job.plan.count));

  let scored = 0;
  let windowsScored = 0;
  let tileMs = 0;
  let scoreMs = 0;
  let t = performance.now();
  const started = t;
  try {
    for await (const batch of streamWindowBatches(job.grid, job.plan, {
      batchSize,
      workers: config.tiling.workers,
      spec: job.identity.windowSpec,
      plan: config.plan,
      includeBatch: (k) => mine(k) && !done.has(k),
      logger: log,
    })) {
      const t1 = performance.now();
      tileMs += t1 - t;
      const errors = await scorer.score(batch.data, batch.ids.length);
      const t2 = performance.now();
      scoreMs += t2 - t1;
      await store.write({ index: batch.index, ids: batch.ids, errors, skippedLand: batch.skippedLand, skippedNodata: batch.skippedNodata });
      scored++;
      windowsScored += batch.ids.length;
      progress.increment(batch.ids.length + batch.skippedLand + batch.skippedNodata);
      if (scored % 50 === 0) {
        // progress in the logs too (the bar is drawn only on a terminal): done / total and ETA
        const remaining = inShard - resumed - scored;
        const etaSeconds = Math.round((((performance.now() - started) / scored) * remaining) / 1000);
        log.info(
          { batches: resumed + scored, of: inShard, windows: windowsScored, etaSeconds },
          `scored ${resumed + scored}/${inShard} batches (${windowsScored} windows this run), about ${formatDuration(etaSeconds)} left`,
        );
      }
      t = performance.now();
    }
  } finally {
    progress.stop();
  }
  return { inShard, resumed, scored, tileMs, scoreMs };
}

/**
 * One pass over every batch of the plan (from one or more stores, e.g. shards), in plan order: counts,
 * the batches that have no scores yet, and the error raster's rows handed to `rows` as they are finished
 * (when given). Windows are not kept: picking reads them again band by band.
 */
export async function surveyScores(plan: WindowPlan, batches: number, stores: BatchStore[], rows?: ErrorRasterStream) {
  let scored = 0;
  let skippedLand = 0;
  let skippedNodata = 0;
  const missing: number[] = [];
  for (let k = 0; k < batches; k++) {
    const store = stores.find((s) => s.has(k));
    if (!store) {
      missing.push(k);
      continue;
    }
    const b = await store.read(k);
    skippedLand += b.skippedLand;
    skippedNodata += b.skippedNodata;
    scored += b.ids.length;
    if (!rows) continue;
    for (let i = 0; i < b.ids.length; i++) {
      const { lon, lat } = plan.centre(b.ids[i]);
      rows.add(lon, lat, b.errors[i]);
    }
    await rows.flush();
  }
  await rows?.end();
  return { scored, skippedLand, skippedNodata, missing };
}

/** Picks, measures and writes the final outputs of a job whose batches are all scored. */
export async function finishDetect(job: OpenedJob, o: DetectOptions, stores: BatchStore[], extra: FinishExtra): Promise<DetectSummary> {
  const { config } = o;
  const t0 = performance.now();
  // error.tif is written while the scores are surveyed, under a temporary name until the catalogue is written
  const errorTiff = config.output.errorGrid
    ? await Float32GeoTiffWriter.create(join(o.outDir, 'error.tif'), errorRasterGeometry(job.plan), ERROR_NODATA)
    : null;
  try {
    const rows = errorTiff ? new ErrorRasterStream(job.plan, ERROR_NODATA, (row) => errorTiff.writeRow(row)) : undefined;
    const { scored, skippedLand, skippedNodata, missing } = await surveyScores(job.plan, job.identity.plan.batches, stores, rows);
    if (missing.length > 0) {
      throw new Error(`${o.outDir}: ${missing.length} batches have no scores (first: ${missing.slice(0, 5).join(', ')}); run the missing shards first`);
    }
    return await pickAndWrite(job, o, stores, { ...extra, t0, scored, skippedLand, skippedNodata, errorTiff: scored > 0 ? errorTiff : null });
  } finally {
    // a failure, or no window scored (no error raster to show): no error.tif and no temporary file left
    await errorTiff?.abort();
  }
}

/** What finishDetect and pickAndWrite carry besides the job: timings, shard, batch counts, the scorer. */
interface FinishExtra {
  timingsMs: Record<string, number>;
  shard: Shard;
  batches: DetectSummary['batches'];
  scorer?: string;
}

/** FinishExtra plus what the survey of the scores found. */
interface SurveyedExtra extends FinishExtra {
  t0: number;
  scored: number;
  skippedLand: number;
  skippedNodata: number;
  errorTiff: Float32GeoTiffWriter | null;
}

/**
 * The bundle's ranker, or an error saying why a bundle without one cannot pick (it can still score:
 * `--scores-only`).
 *
 * @example detectRanker(job.meta, 'data/models/default').cut.confidence // 0.31
 */
export function detectRanker(meta: BundleMeta, modelDir: string): Ranker {
  if (meta.ranker) return meta.ranker;
  throw new Error(
    `model bundle ${modelDir} has no candidate ranker (format ${meta.formatVersion}, or trained with training.ranker.enabled false), ` +
      `so it cannot decide which candidates are seamounts: fit one with "seamount train --init ${modelDir} --ranker-only ` +
      '--catalogue ... --grid ... --out NEW", or run detect with --scores-only for the error raster alone',
  );
}

async function pickAndWrite(job: OpenedJob, o: DetectOptions, stores: BatchStore[], extra: SurveyedExtra): Promise<DetectSummary> {
  const { config, logger: log } = o;
  const { t0, scored, skippedLand, skippedNodata } = extra;
  const resolved = resolveThreshold(config.picking, job.meta.calibration);
  const threshold = resolved.threshold;
  const t1 = performance.now();
  let seamounts: Seamount[] = [];
  let candidates: CandidateCounts | null = null;
  let cut: CutDecision | null = null;
  if (o.scoresOnly) {
    await extra.errorTiff?.finish();
  } else {
    const ranker = detectRanker(job.meta, o.modelDir);
    const settings = cutSettings(config.picking, ranker);
    const ledger = await CandidateLedger.create(o.outDir);
    try {
      const picked = await pickInBands({
        plan: job.plan,
        batchSize: job.identity.plan.batchSize,
        stores,
        grid: job.grid,
        threshold,
        score: (c) => rankerConfidence(ranker, c.evidence),
        cut: (all, survivors) => (cut = decideCut(all, survivors, settings)),
        islands: config.islands,
        picking: config.picking,
        logger: log.child({ stage: 'pick' }),
        onDecisions: (d) => ledger.add(d),
      });
      seamounts = picked.seamounts;
      await ledger.finish(picked.pickIds, picked.rule, outputMeta(job, threshold, scored, picked.rule.cut));
      candidates = ledger.counts;
    } catch (err) {
      await ledger.abort();
      throw err;
    }
    const decided = cut as CutDecision | null;
    await writeDetectOutputs({
      outDir: o.outDir,
      job,
      seamounts,
      errorTiff: extra.errorTiff,
      windowsScored: scored,
      threshold,
      cut: decided?.cut ?? NaN,
      config,
    });
  }
  const t2 = performance.now();
  const timingsMs = { ...extra.timingsMs, survey: t1 - t0, pickAndWrite: t2 - t1 };
  const summary: DetectSummary = {
    outDir: o.outDir,
    shard: extra.shard,
    windows: { planned: job.plan.count, scored, skippedLand, skippedNodata },
    batches: extra.batches,
    seamounts: o.scoresOnly ? null : seamounts,
    candidates,
    threshold,
    timingsMs,
  };
  await writeJsonAtomic(join(o.outDir, 'run.json'), {
    kind: o.scoresOnly ? 'detect-scores' : 'detect',
    finishedAt: new Date().toISOString(),
    job: job.identity,
    config,
    versions: { ...runtimeVersions(), backend: currentBackend()?.detail ?? 'none', ...(extra.scorer ? { scorer: extra.scorer } : {}) },
    threshold: resolved,
    ...(cutRecord(cut) ?? {}),
    warnings: gridWarnings(job.grid, job.identity.windowSpec),
    counts: { ...summary.windows, ...(o.scoresOnly ? {} : { seamounts: seamounts.length }), batches: summary.batches, ...(candidates ? { candidates } : {}) },
    ...transferRecord(job.grid, log),
    timingsMs,
  });
  if (candidates) {
    const dropped = Object.entries(candidates.dropped)
      .map(([rule, n]) => `${n} ${rule}`)
      .join(', ');
    log.info(
      { seamounts: seamounts.length, windows: scored, threshold, cut: (cut as CutDecision | null)?.cut, candidates },
      `found ${seamounts.length} seamounts in ${scored} windows (${candidates.candidates} candidates: ${candidates.merged} merged, dropped ${dropped || 'none'})`,
    );
  } else log.info({ windows: scored, threshold }, `scored ${scored} windows (scores only: no picking)`);
  return summary;
}

/** How detect sets the cut: the picking settings and the bundle ranker's prior, coverage and fixed cut. */
export function cutSettings(picking: Pick<PickingConfig, 'adaptPrior' | 'priorWeight' | 'cut'>, ranker: Ranker): CutSettings {
  return {
    adaptPrior: picking.adaptPrior,
    priorWeight: picking.priorWeight,
    cut: picking.cut,
    trainingPrior: ranker.training.prior,
    coverage: ranker.cut.coverage,
    bundleCut: ranker.cut.confidence,
  };
}

/** run.json's `cut`: the cut, where it came from, the prior used and the F1 it expects. */
function cutRecord(cut: CutDecision | null): { cut: Record<string, unknown> } | null {
  if (!cut) return null;
  return { cut: { confidence: cut.cut, source: cut.source, prior: cut.prior, expectedF1: cut.expectedF1 } };
}

/** The run metadata every detect output carries (`seamount_detect` of the GeoJSON files). */
function outputMeta(job: OpenedJob, threshold: number, windowsScored: number, cut: number): Record<string, unknown> {
  return {
    grid: job.identity.grid.path,
    grid_sha256: job.identity.grid.sha256,
    model: job.identity.model.path,
    region: job.identity.region,
    threshold,
    cut,
    windows_scored: windowsScored,
  };
}

/** A remote grid's traffic so far, logged and as a run.json member (`gridTransfer`); nothing for local files. */
function transferRecord(grid: GridSource, log: Logger): { gridTransfer?: ReturnType<typeof gridTransfer> } {
  const t = gridTransfer(grid);
  if (!t) return {};
  log.info(t, `read ${(t.bytesFetched / 2 ** 20).toFixed(2)} MiB of ${grid.path} in ${t.requests} range requests (${t.retries} retried)`);
  return { gridTransfer: t };
}

/**
 * The detect job (module comment): scores the missing batches of the job (or shard) in `o.outDir`, then,
 * for a whole job, picks and writes the catalogue, the candidate ledger and the other outputs. Resumes a
 * job the folder already holds; refuses another one unless `fresh`.
 *
 * @example const summary = await runDetect({ gridPath: 'spac_33.nc4.nc', modelDir: 'data/models/default', outDir: 'out/spac', config, logger });
 */
export async function runDetect(o: DetectOptions): Promise<DetectSummary> {
  const shard = o.shard ?? WHOLE_JOB;
  const log = o.logger.child({ stage: 'detect', shard: formatShard(shard) });
  const timingsMs: Record<string, number> = {};
  let t = performance.now();
  const backend = await selectBackend(o.config.scoring.backend, log);
  const job = await openDetectJob(o);
  try {
    timingsMs.open = performance.now() - t;
    const identitySha256 = sha256Text(canonicalJson(job.identity));
    const existing = readJobFile(o.outDir);
    if (existing && (o.fresh || existing.identitySha256 !== identitySha256 || formatShard(existing.shard) !== formatShard(shard))) {
      if (!o.fresh) {
        throw new Error(`${o.outDir} holds another job (different grid, model, configuration or shard); use a new --out folder or --fresh to discard it`);
      }
      for (const name of ['scores', 'job.json', 'run.json']) rmSync(join(o.outDir, name), { recursive: true, force: true });
    }
    const jobFile: JobFile = { identity: job.identity, identitySha256, shard };
    await writeJsonAtomic(join(o.outDir, 'job.json'), jobFile);
    log.info(
      { grid: o.gridPath, region: job.identity.region, windows: job.plan.count, batches: job.identity.plan.batches, backend: backend.detail },
      `detect on ${o.gridPath}: ${job.plan.count} windows in ${job.identity.plan.batches} batches (region ${job.identity.region})`,
    );
    for (const w of gridWarnings(job.grid, job.identity.windowSpec)) log.warn(w);
    const store = new BatchStore(join(o.outDir, 'scores'));
    t = performance.now();
    const scorer = await createScorer(job.model, {
      backend: backend.name,
      threads: o.config.scoring.threads === 0 ? undefined : o.config.scoring.threads,
      batchSize: o.config.scoring.batchSize,
      engine: o.config.scoring.engine,
      misfit: misfitOf(job.identity.windowSpec),
      onFallback: (reason) => log.info({ engine: 'tfjs', reason }, `${reason}; scoring with tfjs`),
    });
    log.info({ scorer: scorer.detail }, `scoring with ${scorer.detail}`);
    const scorerDetail = scorer.detail;
    let s: Awaited<ReturnType<typeof scoreMissingBatches>>;
    try {
      s = await scoreMissingBatches(job, o, store, shard, scorer, log);
    } finally {
      await scorer.close();
    }
    timingsMs.tile = s.tileMs;
    timingsMs.score = s.scoreMs;
    timingsMs.scoreStage = performance.now() - t;
    const batches = { total: job.identity.plan.batches, inShard: s.inShard, resumed: s.resumed, scored: s.scored };
    if (shard.count > 1) {
      await writeJsonAtomic(join(o.outDir, 'run.json'), {
        kind: 'detect-shard',
        finishedAt: new Date().toISOString(),
        job: job.identity,
        shard,
        config: o.config,
        versions: { ...runtimeVersions(), backend: currentBackend()?.detail ?? 'none', scorer: scorerDetail },
        counts: { batches },
        ...transferRecord(job.grid, log),
        timingsMs,
      });
      log.info({ batches }, `shard ${formatShard(shard)} done: ${s.inShard} batches scored; run merge over all shard folders`);
      return {
        outDir: o.outDir,
        shard,
        windows: { planned: job.plan.count, scored: 0, skippedLand: 0, skippedNodata: 0 },
        batches,
        seamounts: null,
        candidates: null,
        threshold: null,
        timingsMs,
      };
    }
    return await finishDetect(job, o, [store], { timingsMs, shard, batches, scorer: scorerDetail });
  } finally {
    job.model.dispose();
    await job.grid.close();
  }
}
