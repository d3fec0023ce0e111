/**
 * Options every command shares (configuration layers, logging, progress) and turning them into a
 * validated Config and a logger. Commands stay thin: parse, call a job, report.
 */
import { type Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { loadConfigLayers, mergeLayers, type Config, type ConfigLayer } from '../config/index.js';
import { createLogger, type Logger } from '../base/logger.js';

export interface CommonFlags {
  config?: string;
  set?: string[];
  logLevel?: string;
  logFile?: string;
  progress?: boolean;
  backend?: string;
  engine?: string;
  seed?: string;
}

export interface RunContext {
  config: Config;
  userLayer: ConfigLayer;
  logger: Logger;
}

/** Commander: a repeatable option's values, in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

let invocation: string[] = process.argv;

/** Records the argv `main` was called with (tests call it in process, with their own argv). */
export function setInvocation(argv: string[]): void {
  invocation = argv;
}

/** The command line as the user typed it, for reports and provenance: `seamount detect grid.nc ...`. */
export const commandLine = (): string => ['seamount', ...invocation.slice(2)].join(' ');

/** Adds the options every command shares (configuration, logging, progress; backend and seed when asked). */
export function addCommonOptions(cmd: Command, o: { backend?: boolean; seed?: boolean } = {}): Command {
  cmd
    .option('--config <file>', 'YAML file of settings over config/default.yaml (only the keys you change)')
    .option('--set <key=value>', 'override one setting, e.g. --set window.strideKm=8 (repeatable; value is YAML)', collect)
    .option('--log-level <level>', 'trace | debug | info | warn | error | silent')
    .option('--log-file <file>', 'write JSON-lines logs to this file instead of stdout')
    .addOption(new Option('--progress', 'always draw the progress bar on stderr'))
    .addOption(new Option('--no-progress', 'never draw the progress bar'));
  if (o.backend) {
    cmd.option('--backend <name>', 'auto | tensorflow | wasm | cpu (default: config scoring.backend)');
    cmd.option('--engine <name>', 'what runs the model: auto | tfjs | onnxruntime (sets scoring.engine and training.engine)');
  }
  if (o.seed) cmd.option('--seed <n>', 'random seed (default: config seed)');
  return cmd;
}

/**
 * Ends a command's `--help` with the page that documents it and two or three examples. Each example must
 * also stand on that page, where test/docs/commands.test.ts runs it (test/cli/help.test.ts checks both).
 *
 * @example addExamples(cmd, 'docs/commands/merge.md', ['seamount merge out/x/shard-*-of-2 --out out/x', ...])
 */
export function addExamples(cmd: Command, page: string, examples: string[]): Command {
  return cmd.addHelpText('after', `\nDocumentation: ${page}\n\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

/** `a.b.c=value` → { a: { b: { c: value } } } with the value parsed as YAML (numbers, booleans, null, lists). */
export function setFlagLayer(assignments: string[]): ConfigLayer {
  let layer: ConfigLayer = {};
  for (const a of assignments) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new Error(`--set "${a}": expected key=value, e.g. window.strideKm=8`);
    const keys = a.slice(0, eq).trim().split('.');
    let node: unknown = parseYaml(a.slice(eq + 1));
    for (let i = keys.length - 1; i >= 0; i--) node = { [keys[i]]: node };
    layer = mergeLayers(layer, node as ConfigLayer);
  }
  return layer;
}

/** The configuration layer made of a command's flags (--set, logging, --backend, --seed, command options). */
export function flagLayer(flags: CommonFlags, commandLayer: ConfigLayer = {}): ConfigLayer {
  let overrides = setFlagLayer(flags.set ?? []);
  const logging: ConfigLayer = {};
  if (flags.logLevel) logging.level = flags.logLevel;
  if (flags.logFile) logging.file = flags.logFile;
  if (flags.progress !== undefined) logging.progress = flags.progress ? 'on' : 'off';
  if (Object.keys(logging).length) overrides = mergeLayers(overrides, { logging });
  if (flags.backend) overrides = mergeLayers(overrides, { scoring: { backend: flags.backend } });
  if (flags.engine) overrides = mergeLayers(overrides, { scoring: { engine: flags.engine }, training: { engine: flags.engine } });
  if (flags.seed !== undefined) overrides = mergeLayers(overrides, { seed: Number(flags.seed) });
  return mergeLayers(overrides, commandLayer);
}

/** Builds the configuration (defaults < --config < SEAMOUNT_* env < flags) and the logger. */
export function runContext(flags: CommonFlags, commandLayer: ConfigLayer = {}): RunContext {
  const overrides = flagLayer(flags, commandLayer);
  const { config, userLayer } = loadConfigLayers({ file: flags.config, env: process.env, overrides });
  const logger = createLogger({ level: config.logging.level, file: config.logging.file });
  return { config, userLayer, logger };
}

/** The window keys the user chose (file, env or flags), to check against a model bundle's spec. */
export const userWindowKeys = (ctx: RunContext): Record<string, unknown> | undefined =>
  (ctx.userLayer.window as Record<string, unknown> | undefined) ?? undefined;
