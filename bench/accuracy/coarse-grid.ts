/**
 * The same sea floor in two grids: how much of a coarse grid's shortfall (issue 15: HI_topo_02, 5′) is the
 * grid rather than the sea floor or the model. One model detects the fine grid and the coarse grid cut to
 * the same box; both are judged on that box inset by 0.25° (window centres and seamounts): window AUC
 * (≤ 6 km against > 30 km from a catalogue seamount, as the harness) and the share of catalogue seamounts
 * whose nearest window passes the model's threshold. Use a model that never saw the box (a harness fold
 * model of the region, or the hawaii_5m fold's for the 15″ tiles inside HI_topo_02), so it judges both
 * grids fairly. `--block-mean M` makes the coarse grid from the fine one instead: each cell the mean of the
 * fine cells in an M′ block (same data, only the cell size changes). Without either only the fine grid is
 * judged (e.g. a model trained on that grid itself: what the grid allows at best). `--coarse` need not be
 * coarser: a second source of the same sea floor at the same spacing compares the sources (e.g. a
 * regions_1m `*_etopo` grid and its `*_sio` twin). Prints one table row;
 * appends the figures to WORK/coarse-grid.jsonl.
 *
 *   node --import tsx bench/accuracy/coarse-grid.ts --model DIR --fine GRID [--coarse GRID | --block-mean M] [--box W/E/S/N] [--work DIR]
 *
 * e.g. --fine ../shared/data/grids/regions_1m/mariana_trench_etopo.nc4.nc --coarse ../shared/data/grids/etopo5.nc3.nc
 *      --fine ../shared/data/grids/regions_1m/mariana_trench_etopo.nc4.nc --block-mean 5
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { readCatalogue, SearchArea } from '../../src/catalogue/index.js';
import { loadConfig } from '../../src/config/index.js';
import { formatRegion, parseRegion } from '../../src/config/region.js';
import { gridBounds, openGrid } from '../../src/grid/index.js';
import { silentLogger } from '../../src/base/logger.js';
import { KM_PER_DEG } from '../../src/base/geodesy.js';
import { runDetect } from '../../src/pipeline/detect.js';
import { lowerScoreAuc } from './auc.js';
import { detectThreshold, rasterWindows, uniqueSeamounts } from './evaluate.js';
import { recallAtThreshold } from './pool.js';
import { CATALOGUES } from './regions.js';
import { writeBlockMean } from './block-mean.js';
import { labelWindows, nearestWindowScores } from './windows.js';

const INSET_DEG = 0.25;

interface Judged {
  cellKm: number;
  /** The threshold detect used on this grid (run.json). */
  threshold: number;
  windows: number;
  positives: number;
  auc: number | null;
  seamounts: number;
  passing: number | null;
}

const args = process.argv.slice(2);
const opt = (name: string): string | null => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? null) : null;
};
const need = (name: string): string => {
  const v = opt(name);
  if (!v) throw new Error(`coarse-grid: ${name} is required (see the comment at the top of bench/accuracy/coarse-grid.ts)`);
  return v;
};
const modelDir = need('--model');
const fineGrid = need('--fine');
const work = opt('--work') ?? 'out/accuracy/coarse';
const blockMeanMin = opt('--block-mean') === null ? null : Number(opt('--block-mean'));
if (blockMeanMin !== null && !(blockMeanMin > 0)) throw new Error(`coarse-grid: --block-mean takes a cell size in arc-minutes, got ${opt('--block-mean')}`);
if (blockMeanMin !== null && opt('--coarse')) throw new Error('coarse-grid: give --coarse or --block-mean, not both');
const config = loadConfig();
const kw = await readCatalogue(CATALOGUES.kw);
const gevorgian = await readCatalogue(CATALOGUES.gevorgian);
const refs = [...kw, ...gevorgian];

const fine = await openGrid(fineGrid);
const box = opt('--box') ? parseRegion(opt('--box')!) : gridBounds(fine);
const fineCellMin = Math.abs(fine.dLat) * 60;
await fine.close();
mkdirSync(work, { recursive: true });
const stem = (f: string) => path.basename(f).replace(/\.[^.]+(\.nc)?$/, '');
const coarseGrid = blockMeanMin === null ? opt('--coarse') : await blockMeanCopy(blockMeanMin);

/** The fine grid block-averaged to about `minutes`′ cells, as a GeoTIFF in WORK. */
async function blockMeanCopy(minutes: number): Promise<string> {
  const factor = Math.max(1, Math.round(minutes / fineCellMin));
  const out = path.join(work, `${stem(fineGrid)}-block-mean-${factor}.tif`);
  await writeBlockMean(fineGrid, factor, out);
  return out;
}
const innerBox = { west: box.west + INSET_DEG, east: box.east - INSET_DEG, south: box.south + INSET_DEG, north: box.north - INSET_DEG };
const inner = SearchArea.fromRegion(innerBox);
const inside = uniqueSeamounts({ kw, gevorgian }).filter((s) => inner.contains(s.lon, s.lat));

/** Detects `grid` within the box with the model into WORK/name and judges its windows inside the inner box. */
async function detectAndJudge(grid: string, name: string): Promise<Judged> {
  const outDir = path.join(work, name);
  await runDetect({ gridPath: grid, modelDir, outDir, config: { ...config, region: formatRegion(box) }, logger: silentLogger(), fresh: true });
  const w = await rasterWindows(path.join(outDir, 'error.tif'), inner);
  const source = await openGrid(grid);
  const cellKm = Math.abs(source.dLat) * KM_PER_DEG;
  await source.close();
  const l = labelWindows(w, refs);
  const threshold = detectThreshold(outDir);
  const passing = recallAtThreshold(nearestWindowScores(inside, w), threshold);
  return {
    cellKm,
    threshold,
    windows: w.score.length,
    positives: l.positive.length,
    auc: lowerScoreAuc(l.positive, l.negative),
    seamounts: passing.counted,
    passing: passing.recall,
  };
}

const label = `${stem(fineGrid)}_${box.west.toFixed(2)}_${box.south.toFixed(2)}`;
const a = await detectAndJudge(fineGrid, `${label}-fine`);
const b = coarseGrid ? await detectAndJudge(coarseGrid, `${label}-coarse`) : null;
const f = (x: number | null) => (x === null ? '–' : x.toFixed(2));
const b2 = (x: number) => x.toFixed(2);
appendFileSync(
  path.join(work, 'coarse-grid.jsonl'),
  `${JSON.stringify({ model: modelDir, fine: fineGrid, coarse: coarseGrid, box, judged: { fine: a, coarse: b } })}\n`,
);
console.log('| grids (fine / coarse) | inner box | cells, km | seamounts | positive windows | window AUC | passing the threshold |');
console.log('| --- | --- | --- | ---: | --- | --- | --- |');
console.log(
  `| ${stem(fineGrid)} / ${coarseGrid ? stem(coarseGrid) : '–'} | ${[innerBox.west, innerBox.east, innerBox.south, innerBox.north].map(b2).join('/')} | ` +
    [
      [a.cellKm.toFixed(1), b?.cellKm.toFixed(1)],
      [a.seamounts, b?.seamounts],
      [a.positives, b?.positives],
      [f(a.auc), b && f(b.auc)],
      [f(a.passing), b && f(b.passing)],
    ]
      .map(([x, y]) => (b ? `${x} / ${y}` : `${x}`))
      .join(' | ') +
    ' |',
);
