/**
 * The retraining experiment of the leave-region-out harness (issue 27): does retraining on new labels help?
 * The held-out region's searched box is cut in two halves along its longer side. For each half in turn, the
 * region's fold model (which never saw the region) is fine-tuned with `train --init` on that half's catalogue
 * seamounts (everything else of the grid excluded: its seamounts are not trained on, its candidates not
 * learned from), `detect` runs the fine-tuned model on the whole region, and both it and the fold model alone
 * are judged on the *other* half against each catalogue, and against both together (the labels it was
 * fine-tuned on, as a user judges a retrained model). A second fine-tune learns Kim & Wessel's labels alone
 * and is judged against KW: a user who retrains on one catalogue asks for a catalogue like it (Gevorgian et
 * al. list every KW seamount under its KW id, so their union is Gevorgian's list and the first fine-tune is
 * in effect Gevorgian's). The figures are the means of the two directions.
 */
import path from 'node:path';
import { SearchArea, type CatalogueEntry } from '../../src/catalogue/index.js';
import { compareCatalogues } from '../../src/evaluation/index.js';
import { formatRegion, parseRegion } from '../../src/config/region.js';
import { gridBounds, openGrid } from '../../src/grid/index.js';
import { greatCircleKm } from '../../src/base/geodesy.js';
import type { Region } from '../../src/types.js';
import { meanOf } from './pool.js';
import { CATALOGUES, type CatalogueName, type RegionDef } from './regions.js';
import { OUT_DIR, type StepRunner } from './steps.js';

/** Fewer catalogue seamounts than this in a half: the region is left out of the experiment. */
export const MIN_HALF_SEAMOUNTS = 10;

export interface RetrainDirection {
  /** The half trained on and the half judged, "W/E/S/N". */
  trainedOn: string;
  judgedOn: string;
  seamountsTrainedOn: number;
  /** F1 on the judged half, fold model alone and fine-tuned, per catalogue. */
  f1: Record<CatalogueName, { before: number | null; after: number | null }>;
  /** The same against both catalogues together (one entry per id): the labels fine-tuned on. */
  both: { before: number | null; after: number | null };
  /** Fine-tuned on KW's seamounts of the half alone, judged against KW; null: a half holds fewer than MIN_HALF_SEAMOUNTS. */
  kwLabels?: { seamountsTrainedOn: number; before: number | null; after: number | null } | null;
}

type Lift = { before: number | null; after: number | null; lift: number | null };

export interface RetrainFigures {
  directions: RetrainDirection[];
  /** Mean over the two directions. */
  f1: Record<CatalogueName, Lift>;
  both: Lift;
  /** Fine-tuned on KW's labels alone, judged against KW (null: too few KW seamounts in a half; absent: measured before it existed). */
  kwLabels?: Lift | null;
}

/**
 * The two halves of a box, cut across its longer side (on the ground) at the middle.
 *
 * @example halves({ west: -118, east: -112.5, south: -49, north: -42 }) // split at latitude -45.5
 */
export function halves(box: Region): [Region, Region] {
  const east = box.east > box.west ? box.east : box.east + 360;
  const midLat = (box.south + box.north) / 2;
  const widthKm = greatCircleKm(box.west, midLat, east, midLat);
  const heightKm = greatCircleKm(box.west, box.south, box.west, box.north);
  if (widthKm >= heightKm) {
    const mid = (box.west + east) / 2;
    const wrap = (lon: number) => (lon > 180 ? lon - 360 : lon);
    return [
      { ...box, east: wrap(mid) },
      { ...box, west: wrap(mid) },
    ];
  }
  return [
    { ...box, north: midLat },
    { ...box, south: midLat },
  ];
}

/**
 * Boxes covering `bounds` outside `keep` (at most four strips: west, east, south, north), for
 * `--exclude-region`. `keep` lies inside `bounds`; neither crosses the antimeridian.
 *
 * @example outsideBoxes({ west: 0, east: 10, south: 0, north: 10 }, { west: 0, east: 5, south: 0, north: 10 }) // [{ west: 5, east: 10, ... }]
 */
export function outsideBoxes(bounds: Region, keep: Region): Region[] {
  const out: Region[] = [];
  const eps = 1e-9;
  if (keep.west > bounds.west + eps) out.push({ west: bounds.west, east: keep.west, south: bounds.south, north: bounds.north });
  if (keep.east < bounds.east - eps) out.push({ west: keep.east, east: bounds.east, south: bounds.south, north: bounds.north });
  if (keep.south > bounds.south + eps) out.push({ west: keep.west, east: keep.east, south: bounds.south, north: keep.south });
  if (keep.north < bounds.north - eps) out.push({ west: keep.west, east: keep.east, south: keep.north, north: bounds.north });
  return out;
}

/**
 * The catalogue seamounts in each half, and whether both halves hold enough (MIN_HALF_SEAMOUNTS) to fine-tune
 * on one and judge the other.
 *
 * @example halfCounts(kw, halves(box)) // { counts: [44, 14], enough: true }
 */
export function halfCounts(entries: readonly CatalogueEntry[], [a, b]: readonly [Region, Region]): { counts: [number, number]; enough: boolean } {
  const countIn = (r: Region) => {
    const area = SearchArea.fromRegion(r);
    return entries.filter((e) => area.contains(e.lon, e.lat)).length;
  };
  const counts: [number, number] = [countIn(a), countIn(b)];
  return { counts, enough: Math.min(...counts) >= MIN_HALF_SEAMOUNTS };
}

export interface RetrainOptions {
  region: RegionDef;
  /** The region's fold model and its detect run on the whole region. */
  foldBundle: string;
  foldDetect: string;
  runner: StepRunner;
  parent: string;
  /** Design settings (--set ...) and seed/epochs, as the fold model got them. */
  sets: string[];
  seed: number;
  epochs: number;
  catalogues: Record<CatalogueName, CatalogueEntry[]>;
  /** The union of the catalogues, one entry per id. */
  unique: CatalogueEntry[];
  log: (line: string) => void;
}

/** Runs the experiment for one region (one grid); null when a half holds too few catalogue seamounts. */
export async function retrainExperiment(o: RetrainOptions): Promise<RetrainFigures | null> {
  const gridPath = o.region.grids[0];
  const grid = await openGrid(gridPath);
  let bounds: Region;
  try {
    bounds = gridBounds(grid);
  } finally {
    await grid.close();
  }
  const searched = o.region.box ? parseRegion(o.region.box) : bounds;
  const [a, b] = halves(searched);
  const { counts, enough } = halfCounts(o.unique, [a, b]);
  if (!enough) {
    o.log(`  retraining experiment: skipped (${counts.join(' / ')} catalogue seamounts in the halves, fewer than ${MIN_HALF_SEAMOUNTS})`);
    return null;
  }
  const { counts: kwCounts, enough: withKw } = halfCounts(o.catalogues.kw, [a, b]);
  if (!withKw) o.log(`  retraining on KW's labels alone: skipped (${kwCounts.join(' / ')} KW seamounts in the halves, fewer than ${MIN_HALF_SEAMOUNTS})`);
  // compare judges several catalogues as their union, one entry per id: the labels fine-tuned on
  const bothPaths = [CATALOGUES.kw, CATALOGUES.gevorgian];
  const box = o.region.box ? ['--region', o.region.box] : [];
  const setArgs = o.sets.flatMap((s) => ['--set', s]);
  /** `train --init` on the catalogues' seamounts in `train` (the rest of the grid excluded), then `detect` on the whole region: the run folder. */
  const fineTuneAndDetect = async (train: Region, catalogues: string[], label: string): Promise<string> => {
    const excluded = outsideBoxes(bounds, train).map(formatRegion);
    const tuned = await o.runner.run({
      parent: o.parent,
      label: `retrain-${label}`,
      outputs: ['bundle.json'],
      args: [
        'train',
        '--init',
        o.foldBundle,
        ...catalogues.flatMap((c) => ['--catalogue', c]),
        '--grid',
        gridPath,
        ...excluded.flatMap((r) => ['--exclude-region', r]),
        '--seed',
        String(o.seed),
        '--epochs',
        String(o.epochs),
        ...setArgs,
        '--no-progress',
        '--out',
        OUT_DIR,
      ],
    });
    const detect = await o.runner.run({
      parent: o.parent,
      label: `retrain-detect-${label}`,
      outputs: ['seamounts.csv'],
      args: [
        'detect',
        gridPath,
        '--model',
        tuned.dir,
        ...box,
        ...setArgs,
        '--set',
        'output.png=false',
        '--set',
        'output.errorGrid=false',
        '--no-progress',
        '--out',
        OUT_DIR,
      ],
    });
    return detect.dir;
  };
  const directions: RetrainDirection[] = [];
  for (const [k, [train, judge]] of [
    [a, b],
    [b, a],
  ].entries()) {
    const detectDir = await fineTuneAndDetect(train, bothPaths, String(k));
    const judged = async (dir: string, tag: string, cataloguePath: string | string[], cat: string): Promise<number | null> => {
      const g = await openGrid(gridPath);
      try {
        const { metrics } = await compareCatalogues({
          picksPath: path.join(dir, 'seamounts.csv'),
          cataloguePath,
          toleranceKm: 25,
          minHeightM: 0,
          region: judge,
          grid: g,
          outDir: path.join(o.parent, `retrain-compare-${k}-${tag}-${cat}`),
          ledgerPath: null,
          errorRasterPath: null,
        });
        return metrics.f1;
      } finally {
        await g.close();
      }
    };
    const f1 = {} as RetrainDirection['f1'];
    for (const cat of ['kw', 'gevorgian'] as const) {
      f1[cat] = { before: await judged(o.foldDetect, 'fold', CATALOGUES[cat], cat), after: await judged(detectDir, 'tuned', CATALOGUES[cat], cat) };
    }
    const both = { before: await judged(o.foldDetect, 'fold', bothPaths, 'both'), after: await judged(detectDir, 'tuned', bothPaths, 'both') };
    // the fold model alone is judged against KW once: f1.kw.before
    const kwLabels = withKw
      ? {
          seamountsTrainedOn: kwCounts[k],
          before: f1.kw.before,
          after: await judged(await fineTuneAndDetect(train, [CATALOGUES.kw], `kw-${k}`), 'tuned-on-kw', CATALOGUES.kw, 'kw'),
        }
      : null;
    directions.push({ trainedOn: formatRegion(train), judgedOn: formatRegion(judge), seamountsTrainedOn: counts[k], f1, both, kwLabels });
  }
  const lift = (pick: (d: RetrainDirection) => { before: number | null; after: number | null }): Lift => {
    const before = meanOf(directions.map((d) => pick(d).before));
    const after = meanOf(directions.map((d) => pick(d).after));
    return { before, after, lift: before !== null && after !== null ? after - before : null };
  };
  const f1 = {} as RetrainFigures['f1'];
  for (const cat of ['kw', 'gevorgian'] as const) f1[cat] = lift((d) => d.f1[cat]);
  return { directions, f1, both: lift((d) => d.both), kwLabels: withKw ? lift((d) => d.kwLabels as NonNullable<RetrainDirection['kwLabels']>) : null };
}
