/**
 * Builds the run configuration: defaults (config/default.yaml) < user file < environment < flags.
 * Every layer is parsed and checked before merging so an error names the layer that caused it.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ZodError } from 'zod';
import { configSchema, type Config } from './schema.js';
import { defaultConfigPath } from './paths.js';

/** A nested partial config, as written in a YAML file or built from flags. */
export type ConfigLayer = { [key: string]: unknown };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const isPlainObject = (v: unknown): v is ConfigLayer => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge: objects merge key by key, anything else (arrays included) replaces. */
export function mergeLayers(base: ConfigLayer, over: ConfigLayer): ConfigLayer {
  const out: ConfigLayer = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? mergeLayers(prev, value) : value;
  }
  return out;
}

/** Formats zod issues as `path: message` lines. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.') || '(top level)';
      const keys = 'keys' in issue && Array.isArray(issue.keys) ? ` (${issue.keys.join(', ')})` : '';
      return `  ${path}: ${issue.message}${keys}`;
    })
    .join('\n');
}

function readYamlLayer(path: string): ConfigLayer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`config file ${path}: cannot read it (${(err as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config file ${path}: not valid YAML (${(err as Error).message})`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isPlainObject(doc)) throw new ConfigError(`config file ${path}: the top level must be a mapping of keys`);
  return doc;
}

/**
 * Environment overrides: SEAMOUNT_<SECTION>__<KEY>=<YAML value>, e.g. SEAMOUNT_SCORING__BACKEND=wasm,
 * SEAMOUNT_SEED=7. Keys are matched case-insensitively against the defaults so camelCase survives.
 */
export function envLayer(env: NodeJS.ProcessEnv, template: ConfigLayer): ConfigLayer {
  const layer: ConfigLayer = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('SEAMOUNT_') || raw === undefined) continue;
    const parts = name.slice('SEAMOUNT_'.length).split('__');
    let node: ConfigLayer = layer;
    let tmpl: unknown = template;
    const path: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const wanted = parts[i].toLowerCase().replace(/_/g, '');
      const key = isPlainObject(tmpl) ? Object.keys(tmpl).find((k) => k.toLowerCase() === wanted) : undefined;
      if (key === undefined) {
        // Variables like SEAMOUNT_SHARD are read elsewhere; only names under a known section are config.
        if (i === 0) break;
        throw new ConfigError(`environment ${name}: no config key ${[...path, parts[i]].join('.')}`);
      }
      path.push(key);
      tmpl = (tmpl as ConfigLayer)[key];
      if (i === parts.length - 1) {
        node[key] = parseYaml(raw) as unknown;
      } else {
        node[key] = isPlainObject(node[key]) ? node[key] : {};
        node = node[key] as ConfigLayer;
      }
    }
  }
  return layer;
}

export interface LoadConfigOptions {
  /** Named layers between the defaults and the user file (e.g. a pipeline's and a stage's settings). */
  baseLayers?: Array<[origin: string, layer: ConfigLayer]>;
  /** A user config file (YAML), merged over the defaults. */
  file?: string;
  /** Environment to read SEAMOUNT_* overrides from; defaults to none. */
  env?: NodeJS.ProcessEnv;
  /** Overrides from flags or a pipeline stage, merged last. */
  overrides?: ConfigLayer;
  /** Another defaults file (tests). */
  defaultsFile?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  return loadConfigLayers(options).config;
}

export interface LoadedConfig {
  config: Config;
  /** What the user set on top of the defaults (file, environment, flags merged): to tell chosen from default. */
  userLayer: ConfigLayer;
}

/** Like loadConfig, but also returns the merged user layers. */
export function loadConfigLayers(options: LoadConfigOptions = {}): LoadedConfig {
  const defaultsPath = options.defaultsFile ?? defaultConfigPath();
  const defaults = readYamlLayer(defaultsPath);
  const checked = configSchema.safeParse(defaults);
  if (!checked.success) {
    throw new ConfigError(`defaults ${defaultsPath} are invalid:\n${describeZodError(checked.error)}`);
  }
  const layers: Array<[string, ConfigLayer]> = [...(options.baseLayers ?? [])];
  if (options.file) layers.push([`config file ${options.file}`, readYamlLayer(options.file)]);
  if (options.env) layers.push(['environment', envLayer(options.env, defaults)]);
  if (options.overrides) layers.push(['command-line options', options.overrides]);

  let merged = defaults;
  let userLayer: ConfigLayer = {};
  for (const [origin, layer] of layers) {
    merged = mergeLayers(merged, layer);
    userLayer = mergeLayers(userLayer, layer);
    const result = configSchema.safeParse(merged);
    if (!result.success) throw new ConfigError(`${origin}: invalid configuration:\n${describeZodError(result.error)}`);
  }
  return { config: configSchema.parse(merged), userLayer };
}
