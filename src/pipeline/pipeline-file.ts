/**
 * Pipeline files (`pipelines/*.yaml`): a named list of stages (detect, merge, compare, baseline, train)
 * with their inputs, plus configuration over the defaults. Values may use `${VAR}` / `${VAR:-default}`
 * (environment) and `${PACKAGE_ROOT}` (where seamount-detect is installed), so the same file runs from a
 * checkout, an npm install or the Docker image.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describeZodError } from '../config/index.js';
import { packageRoot } from '../config/paths.js';

export const STAGE_KINDS = ['detect', 'merge', 'compare', 'baseline', 'train'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

const path = () => z.string().min(1);
const configLayer = z.record(z.string(), z.unknown());

const detectStage = z
  .object({
    grid: path(),
    model: path().optional(),
    out: path(),
    region: z.string().nullable().optional(),
    variable: z.string().optional(),
  })
  .strict();

const mergeStage = z.object({ shards: z.array(path()).min(1), out: path() }).strict();

const compareStage = z
  .object({
    picks: path(),
    catalogue: z.union([path(), z.array(path()).min(1)]),
    out: path(),
    grid: path().optional(),
    region: z.string().nullable().optional(),
    toleranceKm: z.number().positive().optional(),
    minHeightM: z.number().min(0).optional(),
  })
  .strict();

const baselineStage = z
  .object({
    grid: path(),
    out: path(),
    method: z.enum(['gaussian', 'peaks']).optional(),
    region: z.string().nullable().optional(),
    variable: z.string().optional(),
  })
  .strict();

const trainStage = z
  .object({
    catalogue: z.union([path(), z.array(path()).min(1)]),
    grids: z.array(path()).min(1),
    out: path(),
    init: path().optional(),
    epochs: z.number().int().positive().optional(),
    excludeRegions: z.array(z.string()).optional(),
  })
  .strict();

/** One stage: a name, optional settings for this stage only, and exactly one kind of work. */
const stageSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    config: configLayer.optional(),
    detect: detectStage.optional(),
    merge: mergeStage.optional(),
    compare: compareStage.optional(),
    baseline: baselineStage.optional(),
    train: trainStage.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const kinds = STAGE_KINDS.filter((k) => s[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a stage needs exactly one of ${STAGE_KINDS.join(', ')} (found ${kinds.length ? kinds.join(', ') : 'none'})`,
      });
    }
  });

export const pipelineSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    description: z.string().optional(),
    /** Folder for the pipeline's state file (which stages finished). */
    workdir: path(),
    /** Settings over config/default.yaml for every stage. */
    config: configLayer.optional(),
    stages: z.array(stageSchema).min(1),
  })
  .strict()
  .superRefine((p, ctx) => {
    const names = new Set<string>();
    p.stages.forEach((s, i) => {
      if (names.has(s.name)) ctx.addIssue({ code: 'custom', path: ['stages', i, 'name'], message: `duplicate stage name "${s.name}"` });
      names.add(s.name);
    });
  });

export type PipelineFile = z.infer<typeof pipelineSchema>;
export type PipelineStage = z.infer<typeof stageSchema>;

/** Replaces ${VAR} and ${VAR:-default} in every string of a parsed YAML document. */
export function substituteVariables(value: unknown, env: NodeJS.ProcessEnv, source: string): unknown {
  if (typeof value === 'string') {
    // innermost first, so a default may itself hold a variable: ${MODEL:-${PACKAGE_ROOT}/data/models/default}
    let text = value;
    for (let pass = 0; pass < 8; pass++) {
      const next = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^{}$]*))?\}/g, (_m, name: string, fallback?: string) => {
        if (name === 'PACKAGE_ROOT') return packageRoot();
        const v = env[name];
        if (v !== undefined && v !== '') return v;
        if (fallback !== undefined) return fallback;
        throw new Error(`${source}: \${${name}} is not set and has no default (write \${${name}:-value})`);
      });
      if (next === text) break;
      text = next;
    }
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => substituteVariables(v, env, source));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteVariables(v, env, source)]));
  }
  return value;
}

/**
 * A pipeline file's text → its stages and settings, `${VAR}` substituted from `env`; errors name `source`
 * and the stage or key at fault.
 */
export function parsePipeline(text: string, source: string, env: NodeJS.ProcessEnv): PipelineFile {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new Error(`${source}: not valid YAML (${(err as Error).message})`);
  }
  const result = pipelineSchema.safeParse(substituteVariables(doc, env, source));
  if (!result.success) throw new Error(`${source}: invalid pipeline:\n${describeZodError(result.error)}`);
  return result.data;
}

/** Reads and parses a pipeline file (see `parsePipeline`). */
export function readPipeline(file: string, env: NodeJS.ProcessEnv): PipelineFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read the pipeline file (${(err as Error).message})`);
  }
  return parsePipeline(text, file, env);
}

/** Which kind of stage a pipeline stage is (detect, merge, compare, baseline, train). */
export const stageKind = (s: PipelineStage): StageKind => STAGE_KINDS.find((k) => s[k] !== undefined) as StageKind;
