/**
 * `npm run bench`: the end-to-end benchmark side by side with the Python peer (bench/pipeline.ts).
 * Prints one table and writes bench/results.json.
 *
 *   node --import tsx bench/run.ts [--quick] [--no-peer] [--scales 1,4,16] [--ours-only-scales 64] [--base-deg 5]
 *        [--real-grid FILE] [--peer-threads 1,2] [--no-whole-region] [--backends wasm,cpu] [--json FILE]
 *   node --import tsx bench/run.ts --table bench/results.json    (print the table of an earlier run)
 *
 * Needs the built dist/ (npm run build), GDAL and GMT to generate the large grid once (bench/.cache),
 * and /usr/bin/python3 with numpy, scipy, torch, yaml and GDAL for the peer.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPipeline, formatPipelineTable, summarise, type PipelineBenchOptions, type PipelineBenchResult } from './pipeline.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv: string[]): { options: Partial<PipelineBenchOptions>; json: string; from?: string } {
  const options: Partial<PipelineBenchOptions> = {};
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
    if (a === '--quick') Object.assign(options, { baseSideDeg: 2, scales: [1, 4], stageScale: 4, peerWholeRegion: false, crossCheckWindows: 1000 });
    else if (a === '--no-peer') options.peer = false;
    else if (a === '--scales') options.scales = numbers();
    else if (a === '--stage-scale') options.stageScale = Number(value());
    else if (a === '--ours-only-scales') options.oursOnlyScales = numbers();
    else if (a === '--base-deg') options.baseSideDeg = Number(value());
    else if (a === '--real-grid') options.realGrid = path.resolve(value());
    else if (a === '--peer-threads') options.peerThreads = numbers();
    else if (a === '--no-whole-region') options.peerWholeRegion = false;
    else if (a === '--backends') options.backends = value().split(',') as PipelineBenchOptions['backends'];
    else if (a === '--json') json = path.resolve(value());
    else if (a === '--table') from = path.resolve(value());
    else throw new Error(`bench/run: unknown option ${a} (see the comment at the top of bench/run.ts)`);
  }
  return { options, json, from };
}

const { options, json, from } = parseArgs(process.argv.slice(2));
if (from) {
  // print the table of an earlier run (derived figures recomputed), run nothing
  process.stdout.write(`${formatPipelineTable(summarise(JSON.parse(readFileSync(from, 'utf8')) as PipelineBenchResult))}\n`);
  process.exit(0);
}
try {
  const result = await benchPipeline(options);
  process.stdout.write(`\n${formatPipelineTable(result)}\n`);
  const tmp = `${json}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(tmp, json);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), json)}\n`);
} catch (err) {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
