/**
 * `npm run bench`: the end-to-end benchmark side by side with the Python peer (bench/pipeline.ts), then the
 * model benchmark, training and scoring side by side with PyTorch (bench/model.ts).
 * Prints both tables and writes bench/results.json and bench/model-results.json.
 *
 *   node --import tsx bench/run.ts [--quick] [--no-peer] [--scales 1,4,16] [--ours-only-scales 64] [--base-deg 5]
 *        [--real-grid FILE] [--peer-threads 1,2] [--no-whole-region] [--backends wasm,cpu] [--json FILE]
 *        [--no-model] [--model-only] [--model-repeats N]
 *   node --import tsx bench/run.ts --table bench/results.json    (print the table of an earlier run)
 *
 * Needs the built dist/ (npm run build), GDAL and GMT to generate the large grid once (bench/.cache),
 * and /usr/bin/python3 with numpy, scipy, torch, yaml and GDAL for the peer.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPipeline, formatPipelineTable, summarise, type PipelineBenchOptions, type PipelineBenchResult } from './pipeline.js';
import { benchModel, type ModelBenchOptions } from './model.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

interface RunArgs {
  options: Partial<PipelineBenchOptions>;
  json: string;
  from?: string;
  model: Partial<ModelBenchOptions>;
  /** Which benchmarks run. */
  pipeline: boolean;
  modelBench: boolean;
}

function parseArgs(argv: string[]): RunArgs {
  const options: Partial<PipelineBenchOptions> = {};
  const model: Partial<ModelBenchOptions> = {};
  let pipeline = true;
  let modelBench = true;
  let json = path.join(HERE, 'results.json');
  let from: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const numbers = (): number[] => value().split(',').map(Number);
    if (a === '--quick') {
      Object.assign(options, { baseSideDeg: 2, scales: [1, 4], oursOnlyScales: [16, 64], stageScale: 4, peerWholeRegion: false, crossCheckWindows: 1000 });
      Object.assign(model, { trainSamples: 512, scoreWindows: 2048, repeats: 1 });
    } else if (a === '--no-peer') {
      options.peer = false;
      model.peer = false;
    } else if (a === '--no-model') modelBench = false;
    else if (a === '--model-only') pipeline = false;
    else if (a === '--model-repeats') model.repeats = Number(value());
    else if (a === '--scales') options.scales = numbers();
    else if (a === '--stage-scale') options.stageScale = Number(value());
    else if (a === '--ours-only-scales') options.oursOnlyScales = numbers();
    else if (a === '--base-deg') options.baseSideDeg = Number(value());
    else if (a === '--real-grid') options.realGrid = path.resolve(value());
    else if (a === '--peer-threads') options.peerThreads = numbers();
    else if (a === '--no-whole-region') options.peerWholeRegion = false;
    else if (a === '--backends') {
      options.backends = value().split(',') as PipelineBenchOptions['backends'];
      model.backends = options.backends;
    } else if (a === '--json') json = path.resolve(value());
    else if (a === '--table') from = path.resolve(value());
    else throw new Error(`bench/run: unknown option ${a} (see the comment at the top of bench/run.ts)`);
  }
  return { options, json, from, model, pipeline, modelBench };
}

/** Writes JSON through a temporary file, so an interrupted run never leaves a half-written result. */
function writeJson(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), file)}\n`);
}

const { options, json, from, model, pipeline, modelBench } = parseArgs(process.argv.slice(2));
if (from) {
  // print the table of an earlier run (derived figures recomputed), run nothing
  process.stdout.write(`${formatPipelineTable(summarise(JSON.parse(readFileSync(from, 'utf8')) as PipelineBenchResult))}\n`);
  process.exit(0);
}
try {
  if (pipeline) {
    const result = await benchPipeline(options);
    process.stdout.write(`\n${formatPipelineTable(result)}\n`);
    writeJson(json, result);
  }
  if (modelBench) {
    process.stdout.write('\nmodel: training samples/s and scoring windows/s, ours per backend vs PyTorch (bench/model.ts)\n');
    writeJson(path.join(path.dirname(json), 'model-results.json'), await benchModel(model));
  }
} catch (err) {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
