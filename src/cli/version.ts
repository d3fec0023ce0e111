/**
 * What `seamount --version` names: the program, the default model bundle it picks with, and what would run
 * the model (the backend and engine `auto` chooses where the optional native packages are installed).
 * Read without loading any model or native library, so it answers at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { defaultModelDir } from '../config/index.js';
import { runtimeVersions } from '../model/bundle.js';

const require = createRequire(import.meta.url);

/** The version of an installed package, or null when it is not installed. */
function installedVersion(name: string): string | null {
  try {
    const pkg = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** The default bundle in one phrase: its folder, format, whether it has a ranker, when it was trained. */
function bundleText(dir: string): string {
  const file = join(dir, 'bundle.json');
  if (!existsSync(file)) return `${dir} (missing)`;
  try {
    const meta = JSON.parse(readFileSync(file, 'utf8')) as { formatVersion: number; ranker?: unknown; training?: { createdAt?: string } };
    const ranker = meta.ranker ? 'with a candidate ranker' : 'no ranker';
    return `${dir} (format ${meta.formatVersion}, ${ranker}, made ${meta.training?.createdAt?.slice(0, 10) ?? 'at an unknown date'})`;
  } catch {
    return `${dir} (unreadable bundle.json)`;
  }
}

/**
 * Several lines: program and runtime versions, the default model bundle, the engine and backend `auto` uses.
 *
 * @example versionText() // 'seamount-detect 0.1.0 (node v20.20.2, tfjs 4.22.0)\nmodel: …\nengine: onnxruntime-node 1.30.0 …'
 */
export function versionText(): string {
  const v = runtimeVersions();
  const native = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].find((p) => installedVersion(p) !== null);
  const ort = installedVersion('onnxruntime-node');
  const backend = native ? `tensorflow (${native} ${installedVersion(native)})` : 'wasm (@tensorflow/tfjs-backend-wasm)';
  const engine = ort && !native ? `onnxruntime-node ${ort}` : `tfjs on ${native ? 'the native backend' : 'wasm'}`;
  return [
    `seamount-detect ${v['seamount-detect']} (node ${v.node}, tfjs ${v['@tensorflow/tfjs']})`,
    `model: ${bundleText(defaultModelDir())} (--model to choose another)`,
    `engine: ${engine}; backend: ${backend} (scoring.engine / scoring.backend auto)`,
  ].join('\n');
}
