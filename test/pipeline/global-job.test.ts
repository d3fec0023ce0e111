/**
 * The global job of docs/operations.md as far as it runs without a cluster: `pipelines/global.yaml`
 * validates like the other pipelines (and through `seamount run --check`), and every manifest in deploy/
 * runs a real command with real options on a pipeline that exists, sets only environment variables that
 * pipeline or the configuration reads, and shards as many ways as its Job or array has tasks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { packageRoot } from '../../src/config/paths.js';
import { loadConfig } from '../../src/config/index.js';
import { main, buildProgram } from '../../src/cli/program.js';
import { parsePipeline, stageKind } from '../../src/pipeline/pipeline-file.js';
import { parseShard, shardHasBatch, SHARD_INDEX_VARIABLES } from '../../src/pipeline/shard.js';

const root = packageRoot();
const globalText = readFileSync(join(root, 'pipelines', 'global.yaml'), 'utf8');

describe('pipelines/global.yaml', () => {
  it("validates with no environment and with the one the deploy manifests set, and so does every stage's configuration", () => {
    for (const env of [{}, { GRID: '/data/grids/GEBCO_2024.nc', CATALOGUE: '/data/catalogues/KWSMTSv01.txt', OUT: '/results/global' }]) {
      const p = parsePipeline(globalText, 'global.yaml', env);
      expect(p.name).toBe('global');
      expect(p.stages.map((s) => [s.name, stageKind(s)])).toEqual([
        ['detect', 'detect'],
        ['compare-kw', 'compare'],
      ]);
      for (const s of p.stages)
        loadConfig({
          baseLayers: [
            ['pipeline', p.config ?? {}],
            ['stage', s.config ?? {}],
          ],
        });
      const detect = p.stages[0].detect;
      // the whole grid: no region, and the compare stage reads what detect writes
      expect(detect?.region).toBeUndefined();
      expect(p.stages[1].compare?.picks).toBe(join(detect?.out ?? '', 'seamounts.geojson'));
    }
    expect(parsePipeline(globalText, 'global.yaml', { GRID: '/data/g.nc' }).stages[0].detect?.grid).toBe('/data/g.nc');
  });

  it('passes `seamount run --check`', async () => {
    let stderr = '';
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += chunk.toString();
      return true;
    });
    try {
      expect(await main(['node', 'seamount', 'run', join(root, 'pipelines', 'global.yaml'), '--check', '--log-level', 'silent'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(stderr).toMatch(/global\.yaml: valid \(2 stages: detect, compare-kw\)/);
  });
});

/** What a manifest runs: the `seamount` arguments, the environment it sets, and how many tasks its Job or array has. */
interface Launch {
  file: string;
  args: string[];
  env: Record<string, string>;
  tasks: number | null;
  /** Tasks at once (Kubernetes `parallelism`). */
  parallel: number | null;
}

interface K8sJob {
  spec: {
    completions?: number;
    parallelism?: number;
    template: { spec: { containers: Array<{ args: string[]; env?: Array<{ name: string; value: string }> }> } };
  };
}
interface BatchJob {
  arrayProperties?: { size: number };
  containerOverrides: { command: string[]; environment?: Array<{ name: string; value: string }> };
}

function launches(): Launch[] {
  const out: Launch[] = [];
  const k8s = join(root, 'deploy', 'kubernetes');
  for (const f of readdirSync(k8s).filter((n) => n.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(join(k8s, f), 'utf8'))) {
      const job = doc.toJS() as K8sJob;
      for (const c of job.spec.template.spec.containers) {
        const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
        out.push({ file: `kubernetes/${f}`, args: c.args, env, tasks: job.spec.completions ?? null, parallel: job.spec.parallelism ?? null });
      }
    }
  }
  const batch = join(root, 'deploy', 'aws-batch');
  for (const f of readdirSync(batch).filter((n) => n.endsWith('.json') && n !== 'job-definition.json')) {
    const job = JSON.parse(readFileSync(join(batch, f), 'utf8')) as BatchJob;
    const o = job.containerOverrides;
    const env = Object.fromEntries((o.environment ?? []).map((e) => [e.name, e.value]));
    out.push({ file: `aws-batch/${f}`, args: o.command, env, tasks: job.arrayProperties?.size ?? null, parallel: null });
  }
  return out;
}

describe('deploy/', () => {
  const all = launches();
  const program = buildProgram();

  it('has a detect and a merge job for the ocean basin and for the global grid, on Kubernetes and on AWS Batch', () => {
    expect(all.map((l) => l.file).sort()).toEqual([
      'aws-batch/detect-array-job.json',
      'aws-batch/global-detect-array-job.json',
      'aws-batch/global-merge-job.json',
      'aws-batch/merge-job.json',
      'kubernetes/detect-indexed-job.yaml',
      'kubernetes/global-detect-indexed-job.yaml',
      'kubernetes/global-merge-job.yaml',
      'kubernetes/merge-job.yaml',
    ]);
  });

  it.each(all.map((l) => [l.file, l] as const))('%s runs a real command with real options on a pipeline that exists', (_f, l) => {
    const [command, ...rest] = l.args;
    const cmd = program.commands.find((c) => c.name() === command);
    expect(cmd).toBeDefined();
    const longs = new Set(cmd?.options.map((o) => o.long));
    for (const a of rest.filter((x) => x.startsWith('--'))) expect([a, longs.has(a)]).toEqual([a, true]);
    // the image's pipelines are the repository's
    const pipeline = rest.find((x) => x.startsWith('/app/pipelines/'));
    expect(pipeline).toBeDefined();
    const text = readFileSync(join(root, 'pipelines', (pipeline ?? '').slice('/app/pipelines/'.length)), 'utf8');
    // every variable set is one the pipeline reads, or a configuration override the loader accepts
    const read = new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
    for (const name of Object.keys(l.env).filter((n) => !n.startsWith('SEAMOUNT_'))) expect([name, read.has(name)]).toEqual([name, true]);
    loadConfig({ env: Object.fromEntries(Object.entries(l.env).filter(([n]) => n.startsWith('SEAMOUNT_'))) });
    parsePipeline(text, pipeline ?? '', l.env);
  });

  it.each(all.filter((l) => l.args.includes('--shard')).map((l) => [l.file, l] as const))(
    '%s shards as many ways as it has tasks, each index once',
    (_f, l) => {
      const spec = l.args[l.args.indexOf('--shard') + 1];
      const m = /^auto\/(\d+)$/.exec(spec);
      expect(m).not.toBeNull();
      const n = Number(m?.[1]);
      expect(l.tasks).toBe(n);
      expect(l.parallel ?? n).toBeLessThanOrEqual(n);
      // the index variable this system sets, 0..n-1: together the shards take every batch exactly once
      const variable = l.file.startsWith('kubernetes/') ? 'JOB_COMPLETION_INDEX' : 'AWS_BATCH_JOB_ARRAY_INDEX';
      expect(SHARD_INDEX_VARIABLES).toContain(variable);
      const shards = Array.from({ length: n }, (_, i) => parseShard(spec, { [variable]: String(i) }));
      for (let k = 0; k < 5 * n; k++) expect(shards.filter((s) => shardHasBatch(s, k))).toHaveLength(1);
    },
  );

  it('each merge job runs the pipeline of a detect job without --shard, on the same grid, region, model and output folder', () => {
    const merges = all.filter((l) => !l.args.includes('--shard'));
    expect(merges).toHaveLength(4);
    for (const merge of merges) {
      const detect = all.find((l) => l.args.includes('--shard') && l.file.split('/')[0] === merge.file.split('/')[0] && l.args[1] === merge.args[1]);
      expect(detect).toBeDefined();
      for (const key of ['GRID', 'REGION', 'MODEL', 'OUT']) expect([merge.file, key, merge.env[key]]).toEqual([merge.file, key, detect?.env[key]]);
    }
  });
});
