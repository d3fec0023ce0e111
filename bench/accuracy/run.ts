/**
 * `npm run accuracy`: the leave-region-out accuracy harness (DESIGN.md, Habits; docs/accuracy.md). Each
 * region is held out in turn: a model is trained on every other region's grids (its own seamounts
 * excluded by box), and a control model the same way on random positions; both `detect` the held-out
 * region, the Gaussian and peak baselines run on it, and the figures (window AUC of model and control,
 * recall at the calibrated threshold, P/R/F1/AP against KW and Gevorgian et al. for each picker) go
 * to bench/accuracy/results.json and results.md, beside other designs' results.
 *
 *   npm run accuracy [-- options]      (builds dist/ first; run from the repository root)
 *   node --import tsx bench/accuracy/run.ts [options]
 *
 *   --quick              spac_west, gorda and japan_trench, 4 epochs, 2 augmented copies per seamount
 *                        (≤ 10 min on two cores); writes out/accuracy/results-quick.{json,md}
 *   --regions a,b        only these regions (names in bench/accuracy/regions.ts; default: all)
 *   --design NAME        name of the design these results belong to (default: "default", or the --set list)
 *   --set key=value      a setting for train and detect, as the CLI's --set (repeatable)
 *   --epochs N           most training epochs (default 60 as training.epochs, early stopping ends sooner; --quick 4)
 *   --seed S             training seed and random-catalogue seed (default 1)
 *   --json FILE, --md FILE   where results go (default bench/accuracy/results.{json,md})
 *   --work DIR           work folder (default out/accuracy/work); every step is cached there
 *   --reuse-across-builds  reuse finished steps after dist/ changed (default: a rebuild reruns everything)
 *   --no-retrain         skip the retraining experiment (bench/accuracy/retrain.ts)
 *   --dry-run            print the commands, run nothing
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readCatalogue, SearchArea, type CatalogueEntry } from '../../src/catalogue/index.js';
import { formatRegion } from '../../src/config/region.js';
import { gridBounds, openGrid } from '../../src/grid/index.js';
import { evaluateRegion, meanFigures, readBundle, uniqueSeamounts, type GridRuns } from './evaluate.js';
import { retrainExperiment, type RetrainFigures } from './retrain.js';
import { allRegions, CATALOGUES, coarseRegionNames, QUICK_REGIONS, trainingGrids, type CatalogueName, type RegionDef } from './regions.js';
import { codeFingerprint, OUT_DIR, stepRunner, type StepRunner } from './steps.js';
import { resultsMarkdown, type DesignResults, type ResultsFile } from './table.js';

const CLI = 'dist/cli/index.js';
const PYTHON = '/usr/bin/python3';
const RANDOM_SCRIPT = 'bench/accuracy/random_catalogue.py';

interface Args {
  quick: boolean;
  regions: string[] | null;
  design: string | null;
  sets: string[];
  epochs: number | null;
  seed: number;
  json: string | null;
  md: string | null;
  work: string;
  reuseAcrossBuilds: boolean;
  retrain: boolean;
  dryRun: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    quick: false,
    regions: null,
    design: null,
    sets: [],
    epochs: null,
    seed: 1,
    json: null,
    md: null,
    work: 'out/accuracy/work',
    reuseAcrossBuilds: false,
    retrain: true,
    dryRun: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const int = (): number => {
      const v = value();
      if (!/^\d+$/.test(v)) throw new Error(`${flag} wants a whole number, got ${v}`);
      return Number(v);
    };
    if (flag === '--quick') a.quick = true;
    else if (flag === '--regions') a.regions = value().split(',').filter(Boolean);
    else if (flag === '--design') a.design = value();
    else if (flag === '--set') {
      const v = value();
      if (!/^[\w.]+=/.test(v)) throw new Error(`--set wants key=value, got ${v}`);
      a.sets.push(v);
    } else if (flag === '--epochs') a.epochs = int();
    else if (flag === '--seed') a.seed = int();
    else if (flag === '--json') a.json = value();
    else if (flag === '--md') a.md = value();
    else if (flag === '--work') a.work = value();
    else if (flag === '--reuse-across-builds') a.reuseAcrossBuilds = true;
    else if (flag === '--no-retrain') a.retrain = false;
    else if (flag === '--dry-run') a.dryRun = true;
    else throw new Error(`accuracy: unknown option ${flag} (see the comment at the top of bench/accuracy/run.ts)`);
  }
  return a;
}

const log = (line: string): void => void process.stdout.write(`${line}\n`);

function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function gitCommit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'config'], { encoding: 'utf8' }).trim();
    return dirty ? `${head}+uncommitted src/config changes` : head;
  } catch {
    return null;
  }
}

/** Bounds ("W/E/S/N", the file's longitude convention) and catalogue count (both catalogues' entries) of each grid. */
async function describeGrids(grids: string[], entries: CatalogueEntry[]): Promise<Map<string, { box: string; seamounts: number }>> {
  const out = new Map<string, { box: string; seamounts: number }>();
  for (const file of grids) {
    const g = await openGrid(file);
    try {
      const area = SearchArea.fromGrid(g);
      out.set(file, { box: formatRegion(gridBounds(g)), seamounts: entries.filter((e) => area.contains(e.lon, e.lat)).length });
    } finally {
      await g.close();
    }
  }
  return out;
}

/** A random catalogue with as many area-uniform positions in the grid's box as the catalogues hold there (none: null). */
function randomCatalogue(work: string, grid: string, info: { box: string; seamounts: number }, seed: number, dryRun: boolean): string | null {
  if (info.seamounts === 0) return null;
  const file = path.join(work, 'random', `${path.basename(grid).replace(/\W+/g, '_')}-n${info.seamounts}-s${seed}.xyhrdnc`);
  if (existsSync(file) || dryRun) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  execFileSync(PYTHON, [RANDOM_SCRIPT, `--box=${info.box}:${info.seamounts}`, `--seed=${seed}`, `--out=${file}`], { stdio: 'ignore' });
  return file;
}

interface Fold {
  region: RegionDef;
  runs: GridRuns[];
  bundleDir: string;
  seconds: Record<string, number>;
  parent: string;
}

async function runFold(
  region: RegionDef,
  all: RegionDef[],
  grids: Map<string, { box: string; seamounts: number }>,
  runner: StepRunner,
  a: Args & { epochs: number },
  trainOnly: string[],
): Promise<Fold> {
  const parent = path.join(a.work, region.name);
  const train = trainingGrids(all, region);
  const excluded = region.box ? [region.box] : region.grids.map((g) => grids.get(g)!.box);
  const sets = a.sets.flatMap((s) => ['--set', s]);
  const common = [
    ...excluded.flatMap((b) => ['--exclude-region', b]),
    '--seed',
    String(a.seed),
    '--epochs',
    String(a.epochs),
    ...sets,
    ...trainOnly.flatMap((s) => ['--set', s]),
    '--no-progress',
  ];
  const random = train.map((g) => randomCatalogue(a.work, g, grids.get(g)!, a.seed, a.dryRun)).filter((f): f is string => f !== null);
  const seconds: Record<string, number> = {};
  log(`${region.name}: held out (${region.grids.length} grid${region.grids.length > 1 ? 's' : ''}), training on ${train.length} grids`);
  const model = await runner.run({
    parent,
    label: 'train-model',
    outputs: ['bundle.json'],
    args: ['train', '--catalogue', CATALOGUES.kw, '--catalogue', CATALOGUES.gevorgian, '--grid', ...train, ...common, '--out', OUT_DIR],
  });
  seconds.trainModel = model.seconds;
  const control = await runner.run({
    parent,
    label: 'train-control',
    outputs: ['bundle.json'],
    // the control only scores windows (window AUC): no ranker, no picking
    args: ['train', ...random.flatMap((c) => ['--catalogue', c]), '--grid', ...train, ...common, '--set', 'training.ranker.enabled=false', '--out', OUT_DIR],
  });
  seconds.trainControl = control.seconds;
  const box = region.box ? ['--region', region.box] : [];
  const detectSets = [...sets, '--set', 'output.png=false', '--set', 'output.errorGrid=true', '--no-progress'];
  const baselineSets = ['--set', 'output.png=false', '--no-progress'];
  const runs: GridRuns[] = [];
  for (const [gi, grid] of region.grids.entries()) {
    const tag = region.grids.length > 1 ? `-${gi}` : '';
    const step = async (label: string, args: string[], outputs: string[]): Promise<string> => {
      const r = await runner.run({ parent, label: `${label}${tag}`, outputs, args: [...args, '--out', OUT_DIR] });
      seconds[label] = (seconds[label] ?? 0) + r.seconds;
      return r.dir;
    };
    runs.push({
      grid,
      model: await step('detect-model', ['detect', grid, '--model', model.dir, ...box, ...detectSets], ['seamounts.csv', 'error.tif']),
      control: await step('detect-control', ['detect', grid, '--model', control.dir, '--scores-only', ...box, ...detectSets], ['error.tif']),
      baseline: await step('baseline', ['baseline', grid, ...box, ...baselineSets], ['seamounts.csv']),
      peaks: await step('peaks', ['baseline', grid, '--method', 'peaks', ...box, ...baselineSets], ['seamounts.csv']),
    });
  }
  return { region, runs, bundleDir: model.dir, seconds, parent };
}

const ABOUT =
  'Leave-region-out: each region is held out in turn; the model is trained on every other region (its seamounts in the held-out box excluded), ' +
  'the control model the same way on area-uniform random positions (as many per grid as the catalogues hold there). ' +
  'Window AUC: P(a window centred ≤ 6 km from a KW ∪ Gevorgian seamount scores lower than one > 30 km from all), ties half. ' +
  "Recall at threshold: share of catalogue seamounts (KW ∪ Gevorgian by id, windows passing training's relief/land/no-data rules) whose nearest window " +
  "scores at or below the threshold detect picked with (run.json: the bundle's calibrated one unless a design sets picking.targetRecall or " +
  "picking.errorThreshold); target: the bundle's calibration recall. " +
  'P / R / F1, AP: `seamount compare` matching, 25 km, against each catalogue inside the searched area. The GEBCO tiles are one group, pooled. ' +
  'Means are over regions. Intervals (90 %): the regions resampled with replacement, each difference taken region by region first ' +
  '(bench/accuracy/targets.ts). Made by `npm run accuracy` (bench/accuracy/run.ts).';

async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: run from the repository root after npm run build`);
  const a = { ...parsed, epochs: parsed.epochs ?? (parsed.quick ? 4 : 60) };
  const trainOnly = a.quick ? ['training.augment.copies=2'] : [];
  const all = allRegions();
  const names = a.regions ?? (a.quick ? QUICK_REGIONS : all.map((r) => r.name));
  const unknown = names.filter((n) => !all.some((r) => r.name === n));
  if (unknown.length) throw new Error(`unknown region(s) ${unknown.join(', ')}; known: ${all.map((r) => r.name).join(', ')}`);
  const design = a.design ?? (a.sets.length ? a.sets.join(',') : 'default');
  const json = a.json ?? (a.quick ? 'out/accuracy/results-quick.json' : 'bench/accuracy/results.json');
  const md = a.md ?? json.replace(/\.json$/, '.md');

  const dist = codeFingerprint('dist');
  const runner = stepRunner({ cli: CLI, codeKey: a.reuseAcrossBuilds ? '' : dist, dryRun: a.dryRun, log });
  const catalogues: Record<CatalogueName, CatalogueEntry[]> = { kw: await readCatalogue(CATALOGUES.kw), gevorgian: await readCatalogue(CATALOGUES.gevorgian) };
  const grids = await describeGrids([...new Set(all.flatMap((r) => r.grids))], [...catalogues.kw, ...catalogues.gevorgian]);

  const file: ResultsFile = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as ResultsFile) : { about: ABOUT, designs: {} };
  file.about = ABOUT;
  const identity = { settings: a.sets, epochs: a.epochs, seed: a.seed, quick: a.quick, dist };
  const previous = file.designs[design];
  const same =
    previous &&
    JSON.stringify({ settings: previous.settings, epochs: previous.epochs, seed: previous.seed, quick: previous.quick, dist: previous.code.dist }) ===
      JSON.stringify(identity);
  const entry: DesignResults = same
    ? previous
    : {
        settings: a.sets,
        epochs: a.epochs,
        seed: a.seed,
        quick: a.quick,
        code: { commit: gitCommit(), dist },
        updatedAt: '',
        regions: {},
        mean: {} as DesignResults['mean'],
      };
  if (previous && !same) log(`design ${design}: settings, epochs, seed or build changed; its earlier results are replaced`);

  const t0 = performance.now();
  for (const name of names) {
    const region = all.find((r) => r.name === name)!;
    if (region.grids.length === 0) {
      log(`${name}: no grids found, skipped`);
      continue;
    }
    const fold = await runFold(region, all, grids, runner, a, trainOnly);
    if (a.dryRun) continue;
    const te = performance.now();
    const figures = await evaluateRegion({
      region,
      runs: fold.runs,
      bundleDir: fold.bundleDir,
      catalogues,
      cataloguePaths: CATALOGUES,
      workDir: path.join(a.work, region.name, `eval-${path.basename(fold.bundleDir)}`),
    });
    fold.seconds.evaluate = (performance.now() - te) / 1000;
    // retraining on half the region's labels, judged on the other half (one-grid regions of 15″–1′)
    if (a.retrain && region.grids.length === 1 && !region.coarse) {
      const tr = performance.now();
      const retrain = await retrainExperiment({
        region,
        foldBundle: fold.bundleDir,
        foldDetect: fold.runs[0].model,
        runner,
        parent: fold.parent,
        sets: a.sets,
        seed: a.seed,
        epochs: a.epochs,
        catalogues,
        unique: uniqueSeamounts(catalogues),
        log,
      });
      fold.seconds.retrain = (performance.now() - tr) / 1000;
      if (retrain) (figures as typeof figures & { retrain?: RetrainFigures }).retrain = retrain;
    }
    const bundle = readBundle(fold.bundleDir) as unknown as { training: { epochs: number; bestEpoch: number; count: { train: number } } };
    entry.regions[name] = {
      ...figures,
      training: { epochs: bundle.training.epochs, bestEpoch: bundle.training.bestEpoch, windows: bundle.training.count.train },
      seconds: fold.seconds,
    } as DesignResults['regions'][string];
    entry.mean = meanFigures(Object.values(entry.regions)) as DesignResults['mean'];
    entry.updatedAt = new Date().toISOString();
    file.designs[design] = entry;
    writeAtomic(json, `${JSON.stringify(file, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v), 2)}\n`);
    writeAtomic(md, resultsMarkdown(file, coarseRegionNames()));
    const w = figures.windows;
    log(
      `${name}: window AUC ${w.auc?.toFixed(3)} (control ${w.controlAuc?.toFixed(3)}), ${w.positives} / ${w.negatives} windows; ` +
        `autoencoder F1 KW ${figures.pickers.autoencoder.kw.f1?.toFixed(2)}, Gevorgian ${figures.pickers.autoencoder.gevorgian.f1?.toFixed(2)}`,
    );
  }
  if (a.dryRun) return;
  log(
    `\n${resultsMarkdown({ about: '', designs: { [design]: entry } }, coarseRegionNames())
      .split('\n')
      .slice(3)
      .join('\n')}`,
  );
  log(`wrote ${json} and ${md} (${((performance.now() - t0) / 60000).toFixed(1)} min)`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
