/**
 * `seamount compare`: judges picks against a reference catalogue inside the searched area and writes
 * metrics.json, report.md, pr_curve.png, the matched / missed / new layers, why each missed seamount was
 * missed (from detect's candidate ledger and error raster) and, with the grid, compare_map.png.
 */
import { join } from 'node:path';
import type { GridSource, Region } from '../types.js';
import { formatRegion, parseRegion } from '../config/region.js';
import { writeFileAtomic, writeJsonAtomic } from '../base/atomic.js';
import { SearchArea } from '../catalogue/area.js';
import type { CatalogueEntry } from '../catalogue/entry.js';
import type { GeoJsonFeatureCollection, GeoJsonPointFeature } from '../catalogue/geojson.js';
import { matchOneToOne, nearestWithin, type Match } from './match.js';
import { computeMetrics, type CompareMetrics } from './metrics.js';
import { matchedAgreement } from './agreement.js';
import { readCatalogueFile } from '../catalogue/read.js';
import { unionById } from '../catalogue/union.js';
import { prCurvePng, reportMarkdown } from './report.js';
import { onValidSeaFloor } from './validity.js';
import { featureCollectionText, outputLon, roundTo } from '../catalogue/write.js';
import { openGrid } from '../grid/index.js';
import { detectRecordsBeside, explainMisses, readLedger, type MissExplanation } from './why-missed.js';
import { whyMissedTable } from './why-missed-table.js';
import { compareMapPng } from './compare-map.js';

export interface CompareOptions {
  /** Our picks: seamounts.geojson or seamounts.csv (or any catalogue readCatalogue reads). */
  picksPath: string;
  /**
   * The reference catalogue; several: their union, one entry per id (a seamount both list under one id counts
   * once, as the first lists it), as the team judges against Kim & Wessel ∪ Gevorgian et al.
   */
  cataloguePath: string | readonly string[];
  /** A pick and a reference match within this great-circle distance (inclusive), km. */
  toleranceKm: number;
  /** Reference seamounts lower than this do not count (nor, when > 0, those of unknown height). */
  minHeightM: number;
  /** The searched region; null: the picks file's `seamount_detect.region` if any, else the grid, else the world. */
  region: Region | null;
  /** Optional grid: reference seamounts on no-data/land cells or outside it don't count; its bounds bound the area. */
  grid?: GridSource | null;
  outDir: string;
  title?: string;
  /** Cells above this elevation (m) are land (default 0, as `plan.landLevelM`). */
  landLevelM?: number;
  /** Bin edges of reference height, m (default 0, 500, 1000, 1500, 2000, 3000; the last bin is open). */
  heightBinsM?: number[];
  /** Bin edges of distance to the area's edge, km (default 0, 25, 50, 100; the last bin is open). */
  edgeBinsKm?: number[];
  /** The command line to print under "Reproduce" (default: rebuilt from these options). */
  command?: string;
  /**
   * detect's candidate ledger and error raster, to say why each missed seamount was missed (MISS_REASONS).
   * undefined: `candidates.geojson` and `error.tif` beside the picks file when there; null: none.
   */
  ledgerPath?: string | null;
  errorRasterPath?: string | null;
  /** Radius of a candidate's window evidence, km (picking.evidenceRadiusKm; default 6). */
  evidenceRadiusKm?: number;
}

export interface CompareResult {
  metrics: CompareMetrics;
  /** Paths of the files written, in outDir. */
  files: string[];
}

export const DEFAULT_HEIGHT_BINS_M = [0, 500, 1000, 1500, 2000, 3000];
export const DEFAULT_EDGE_BINS_KM = [0, 25, 50, 100];

/** How far `new` picks look for their nearest catalogue seamount, km. */
const NEAREST_REF_MAX_KM = 1000;

const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function defaultCommand(o: CompareOptions, region: Region | null): string {
  const parts = ['seamount', 'compare', o.picksPath, ...cataloguePaths(o).flatMap((c) => ['--catalogue', c]), '--tolerance-km', String(o.toleranceKm)];
  if (region) parts.push('--region', formatRegion(region));
  if (o.minHeightM > 0) parts.push('--min-height', String(o.minHeightM));
  if (o.grid) parts.push('--grid', o.grid.path);
  parts.push('--out', o.outDir);
  return parts.map(shellQuote).join(' ');
}

/** The reference catalogue files, one or several (CompareOptions.cataloguePath) as a list. */
export const cataloguePaths = (o: Pick<CompareOptions, 'cataloguePath'>): readonly string[] =>
  typeof o.cataloguePath === 'string' ? [o.cataloguePath] : o.cataloguePath;

/** The region recorded by `detect` in the picks' metadata (`seamount_detect.region`, "W/E/S/N"). */
function regionFromMeta(meta: Record<string, unknown> | null): Region | null {
  const r = meta?.region;
  if (typeof r !== 'string') return null;
  try {
    return parseRegion(r);
  } catch {
    return null;
  }
}

const round = (v: number, d: number): number | null => roundTo(v, d);

function point<P>(lon: number, lat: number, properties: P): GeoJsonPointFeature<P> {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [outputLon(lon), round(lat, 5) ?? NaN] }, properties };
}

/** JSON replacer: 6 decimals at most, so metrics.json is readable and stable. */
const roundNumbers = (_key: string, v: unknown): unknown => (typeof v === 'number' && !Number.isInteger(v) ? roundTo(v, 6) : v);

/**
 * Reads both catalogues, restricts the reference to the searched area (region ∩ grid bounds ∩ valid
 * cells, min height), matches one-to-one, computes metrics and writes metrics.json, report.md,
 * pr_curve.png, matched.geojson, missed.geojson and new.geojson into outDir (each atomically).
 *
 * Picks that match only an excluded reference seamount (too low, just outside the area, on an
 * invalid cell) are "ignored": neither TP nor FP. Counted references are matched first.
 *
 * @example
 * const { metrics } = await compareCatalogues({ picksPath: 'out/seamounts.geojson',
 *   cataloguePath: '../shared/data/catalogues/KWSMTSv01.txt', toleranceKm: 25, minHeightM: 0,
 *   region: parseRegion('-118/-107/-49/-42'), outDir: 'out/compare' });
 */
export async function compareCatalogues(o: CompareOptions): Promise<CompareResult> {
  if (!(o.toleranceKm > 0)) throw new Error(`compare: tolerance must be > 0 km, got ${o.toleranceKm}`);
  if (!(o.minHeightM >= 0)) throw new Error(`compare: minimum height must be >= 0 m, got ${o.minHeightM}`);
  const paths = cataloguePaths(o);
  if (paths.length === 0) throw new Error('compare: no reference catalogue given');
  const [picksFile, ...refsFiles] = await Promise.all([readCatalogueFile(o.picksPath), ...paths.map((p) => readCatalogueFile(p))]);
  const grid = o.grid ?? null;
  const { area, region, areaSource } = searchedArea(o, picksFile.meta, grid);
  // one catalogue is taken as it is (its own repeated ids included); several are merged by id
  const refs = refsFiles.length === 1 ? refsFiles[0].entries : unionById(refsFiles.flatMap((f) => f.entries));
  const selection = await countedReferences(refs, area, grid, o);
  const countedRefs = selection.countedRefIdx.map((k) => refs[k]);
  const excludedRefs = selection.excludedRefIdx.map((k) => refs[k]);
  const allPicks = picksFile.entries;
  const picks = allPicks.filter((p) => area.contains(p.lon, p.lat));
  const matching = matchPicks(picks, countedRefs, excludedRefs, o.toleranceKm);

  const pickEdgeKm = picks.map((p) => area.edgeDistanceKm(p.lon, p.lat));
  const refEdgeKm = countedRefs.map((r) => area.edgeDistanceKm(r.lon, r.lat));
  const metrics = computeMetrics({
    picks: picks.map((p, i) => ({ confidence: p.confidence, edgeKm: pickEdgeKm[i] })),
    refs: countedRefs.map((r, i) => ({ heightM: r.heightM, edgeKm: refEdgeKm[i] })),
    matches: matching.matches,
    ignoredPicks: matching.ignoredPicks,
    heightBinsM: o.heightBinsM ?? DEFAULT_HEIGHT_BINS_M,
    edgeBinsKm: o.edgeBinsKm ?? DEFAULT_EDGE_BINS_KM,
  });

  const refMatched = new Uint8Array(countedRefs.length);
  for (const m of matching.matches) refMatched[m.ref] = 1;
  const missedIdx = countedRefs.map((_, i) => i).filter((i) => !refMatched[i]);
  const why = await whyMissed(
    o,
    picksFile.meta,
    missedIdx.map((i) => countedRefs[i]),
  );
  metrics.whyMissed = whyMissedTable(
    why.explanations,
    missedIdx.map((i) => countedRefs[i].heightM),
    o.heightBinsM ?? DEFAULT_HEIGHT_BINS_M,
    why.sources,
  );
  metrics.agreement = matchedAgreement(picks, countedRefs, matching.matches);

  const command = o.command ?? defaultCommand(o, region);
  const context = {
    title: o.title ?? 'Seamount picks compared with a reference catalogue',
    picksPath: o.picksPath,
    cataloguePaths: paths,
    gridPath: grid?.path ?? null,
    toleranceKm: o.toleranceKm,
    minHeightM: o.minHeightM,
    area: area.describe(),
    areaSource,
    picksRead: allPicks.length,
    picksOutsideArea: allPicks.length - picks.length,
    refsRead: refs.length,
    refsCounted: countedRefs.length,
    refsOutsideArea: selection.inArea.filter((x) => !x).length,
    refsBelowMinHeight: refs.filter((_, k) => selection.inArea[k] && !selection.tallEnough[k]).length,
    refsOnInvalidCells: selection.candidates.length - selection.countedRefIdx.length,
    command,
  };
  const files: Array<[string, string | Uint8Array]> = [
    ['matched.geojson', layer(matchedFeatures(picks, countedRefs, excludedRefs, matching, pickEdgeKm))],
    ['missed.geojson', layer(missedFeatures(picks, countedRefs, missedIdx, why.explanations, refEdgeKm))],
    ['new.geojson', layer(newFeatures(picks, refs, matching, pickEdgeKm))],
    ['pr_curve.png', prCurvePng(metrics)],
    ['report.md', reportMarkdown(metrics, { ...context, map: grid !== null })],
  ];
  if (grid) {
    const matchedPicks = matching.matches.map((m) => picks[m.pick]);
    const newPicks = picks.filter((_, i) => !matching.pickMatched[i] && !matching.ignoredPicks.has(i));
    files.push([
      'compare_map.png',
      await compareMapPng(grid, region, { matched: matchedPicks, missed: missedIdx.map((i) => countedRefs[i]), new: newPicks }, context.title),
    ]);
  }
  return { metrics, files: await writeComparison(o.outDir, files, metrics, context) };
}

/** The searched area: region (given, or recorded in the picks' metadata) ∩ grid bounds, and how it was chosen. */
function searchedArea(
  o: CompareOptions,
  picksMeta: Record<string, unknown> | null,
  grid: GridSource | null,
): { area: SearchArea; region: Region | null; areaSource: string } {
  const metaRegion = o.region ? null : regionFromMeta(picksMeta);
  const region = o.region ?? metaRegion;
  let area = SearchArea.world();
  if (region) area = area.intersect(SearchArea.fromRegion(region));
  if (grid) area = area.intersect(SearchArea.fromGrid(grid));
  const areaSource =
    [o.region ? 'the given region' : metaRegion ? "the region recorded in the picks' metadata" : null, grid ? 'the grid bounds' : null]
      .filter(Boolean)
      .join(' ∩ ') || 'no region or grid given: the whole world';
  return { area, region, areaSource };
}

/** Which reference seamounts count: inside the area, tall enough, on valid sea floor of the grid (when given). */
async function countedReferences(refs: readonly CatalogueEntry[], area: SearchArea, grid: GridSource | null, o: CompareOptions) {
  const inArea = refs.map((r) => area.contains(r.lon, r.lat));
  const tallEnough = refs.map((r) => o.minHeightM <= 0 || (r.heightM !== null && r.heightM >= o.minHeightM));
  const candidates = refs.map((_, k) => k).filter((k) => inArea[k] && tallEnough[k]);
  const valid = grid
    ? await onValidSeaFloor(
        grid,
        candidates.map((k) => refs[k]),
        o.landLevelM ?? 0,
      )
    : candidates.map(() => true);
  const countedRefIdx = candidates.filter((_, i) => valid[i]);
  const counted = new Uint8Array(refs.length);
  for (const k of countedRefIdx) counted[k] = 1;
  const excludedRefIdx = refs.map((_, k) => k).filter((k) => !counted[k]);
  return { inArea, tallEnough, candidates, countedRefIdx, excludedRefIdx };
}

interface Matching {
  /** Picks matched to counted references (true positives). */
  matches: Match[];
  /** Leftover picks matched to excluded references: neither TP nor FP. */
  ignoredMatches: Match[];
  ignoredPicks: Set<number>;
  pickMatched: Uint8Array;
}

/** Matches counted references first, then leftover picks against the excluded ones. */
function matchPicks(
  picks: readonly CatalogueEntry[],
  countedRefs: readonly CatalogueEntry[],
  excludedRefs: readonly CatalogueEntry[],
  toleranceKm: number,
): Matching {
  const matches = matchOneToOne(picks, countedRefs, toleranceKm);
  const pickMatched = new Uint8Array(picks.length);
  for (const m of matches) pickMatched[m.pick] = 1;
  const leftover = picks.map((_, i) => i).filter((i) => !pickMatched[i]);
  const ignoredMatches: Match[] = matchOneToOne(
    leftover.map((i) => picks[i]),
    excludedRefs,
    toleranceKm,
  ).map((m) => ({
    pick: leftover[m.pick],
    ref: m.ref,
    distanceKm: m.distanceKm,
  }));
  return { matches, ignoredMatches, ignoredPicks: new Set(ignoredMatches.map((m) => m.pick)), pickMatched };
}

const edgeKm = (km: number): number | null => (Number.isFinite(km) ? round(km, 2) : null);

/** matched.geojson: every matched pick (counted or ignored), in pick order, with its reference. */
function matchedFeatures(
  picks: readonly CatalogueEntry[],
  countedRefs: readonly CatalogueEntry[],
  excludedRefs: readonly CatalogueEntry[],
  matching: Matching,
  pickEdgeKm: number[],
) {
  return [
    ...matching.matches.map((m) => ({ m, ref: countedRefs[m.ref], counted: true })),
    ...matching.ignoredMatches.map((m) => ({ m, ref: excludedRefs[m.ref], counted: false })),
  ]
    .sort((a, b) => a.m.pick - b.m.pick)
    .map(({ m, ref, counted: isCounted }) => {
      const p = picks[m.pick];
      return point(p.lon, p.lat, {
        pick_id: p.id,
        ref_id: ref.id,
        distance_km: round(m.distanceKm, 3),
        counted: isCounted,
        confidence: p.confidence,
        pick_height_m: p.heightM,
        ref_height_m: ref.heightM,
        ref_lon: outputLon(ref.lon),
        ref_lat: round(ref.lat, 5),
        edge_distance_km: isCounted ? edgeKm(pickEdgeKm[m.pick]) : null,
      });
    });
}

/** missed.geojson: counted references no pick matched, with the nearest pick and why they were missed. */
function missedFeatures(
  picks: readonly CatalogueEntry[],
  countedRefs: readonly CatalogueEntry[],
  missedIdx: number[],
  why: MissExplanation[],
  refEdgeKm: number[],
) {
  const nearestPick = nearestWithin(
    missedIdx.map((i) => countedRefs[i]),
    picks,
    NEAREST_REF_MAX_KM,
  );
  return missedIdx.map((i, j) => {
    const r = countedRefs[i];
    const near = nearestPick[j];
    const w = why[j];
    return point(r.lon, r.lat, {
      ref_id: r.id,
      height_m: r.heightM,
      radius_km: r.radiusKm === null ? null : round(r.radiusKm, 2),
      base_depth_m: r.baseDepthM,
      edge_distance_km: edgeKm(refEdgeKm[i]),
      nearest_pick_id: near ? picks[near.ref].id : null,
      nearest_pick_km: near ? round(near.distanceKm, 3) : null,
      why: w.reason,
      candidate_id: w.candidate?.id ?? null,
      candidate_km: w.candidateKm === null ? null : round(w.candidateKm, 3),
      candidate_fate: w.candidate?.fate ?? null,
      candidate_rule: w.candidate?.rule ?? null,
      candidate_confidence: w.candidate?.confidence ?? null,
      // the grid's own measure of the summit: a catalogue height the grid does not show explains a low rank
      candidate_height_m: w.candidate?.heightM ?? null,
      candidate_prominence_m: w.candidate?.prominenceM ?? null,
      merged_into_pick: w.candidate?.mergedIntoPick ?? null,
      window_error_min: w.windowErrorMin === null ? null : roundTo(w.windowErrorMin, 6),
      source_line: r.line,
    });
  });
}

/** The explanations of the missed seamounts from detect's ledger and error raster (see why-missed.ts). */
async function whyMissed(o: CompareOptions, picksMeta: Record<string, unknown> | null, missed: readonly CatalogueEntry[]) {
  const beside = detectRecordsBeside(o.picksPath);
  const ledgerPath = o.ledgerPath === undefined ? beside.ledger : o.ledgerPath;
  const rasterPath = o.errorRasterPath === undefined ? beside.raster : o.errorRasterPath;
  const threshold = typeof picksMeta?.threshold === 'number' ? picksMeta.threshold : null;
  const ledger = ledgerPath ? await readLedger(ledgerPath) : null;
  const raster = rasterPath && threshold !== null ? await openGrid(rasterPath) : null;
  try {
    const explanations = await explainMisses(missed, { ledger, raster, threshold, toleranceKm: o.toleranceKm, evidenceRadiusKm: o.evidenceRadiusKm ?? 6 });
    return { explanations, sources: { ledger: ledgerPath ?? null, errorRaster: raster ? (rasterPath ?? null) : null } };
  } finally {
    await raster?.close();
  }
}

/** new.geojson: picks that match no reference (false positives, or seamounts the catalogue lacks), with the nearest reference. */
function newFeatures(picks: readonly CatalogueEntry[], refs: readonly CatalogueEntry[], matching: Matching, pickEdgeKm: number[]) {
  const newIdx = picks.map((_, i) => i).filter((i) => !matching.pickMatched[i] && !matching.ignoredPicks.has(i));
  const nearestRef = nearestWithin(
    newIdx.map((i) => picks[i]),
    refs,
    NEAREST_REF_MAX_KM,
  );
  return newIdx.map((i, j) => {
    const p = picks[i];
    const near = nearestRef[j];
    return point(p.lon, p.lat, {
      pick_id: p.id,
      confidence: p.confidence,
      height_m: p.heightM,
      radius_km: p.radiusKm,
      edge_distance_km: edgeKm(pickEdgeKm[i]),
      nearest_ref_id: near ? refs[near.ref].id : null,
      nearest_ref_km: near ? round(near.distanceKm, 3) : null,
    });
  });
}

/** Writes the layers, report and PR curve, then metrics.json last: its presence says the comparison finished. */
async function writeComparison(
  outDir: string,
  files: Array<[string, string | Uint8Array]>,
  metrics: CompareMetrics,
  context: Record<string, unknown> & { command: string; title: string },
): Promise<string[]> {
  const written: string[] = [];
  for (const [name, data] of files) {
    const path = join(outDir, name);
    await writeFileAtomic(path, data);
    written.push(path);
  }
  const metricsPath = join(outDir, 'metrics.json');
  const { command, title: _t, ...selection } = context;
  await writeJsonAtomic(metricsPath, JSON.parse(JSON.stringify({ ...metrics, selection, command }, roundNumbers)));
  written.push(metricsPath);
  return written;
}

function layer<P>(features: Array<GeoJsonPointFeature<P>>): string {
  const fc: GeoJsonFeatureCollection<P> = { type: 'FeatureCollection', features };
  return featureCollectionText(fc as GeoJsonFeatureCollection<object>);
}
