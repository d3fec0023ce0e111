/**
 * Run-time choice of the TensorFlow.js backend.
 *
 * `auto` takes the first that loads: `tensorflow` (native libtensorflow through @tensorflow/tfjs-node-gpu,
 * then @tensorflow/tfjs-node; optional dependencies, absent where their install could not download
 * libtensorflow), then `wasm` (XNNPACK + SIMD, shipped inside @tensorflow/tfjs-backend-wasm), then `cpu`
 * (plain JavaScript: a last resort, two orders of magnitude slower to train).
 *
 * wasm runs one thread per process in Node: tfjs-backend-wasm 4.22's threaded build starts its pthreads
 * from blob: URLs, which Node's Worker refuses (ERR_WORKER_PATH). Parallelism comes from worker threads
 * instead (src/scoring/pool.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../config/schema.js';
import type { Logger } from '../base/logger.js';
import { registerWasmTrainingKernels } from './kernels/wasm.js';

export type { BackendName } from '../config/schema.js';

export interface BackendInfo {
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** What exactly runs, e.g. "tfjs-node-gpu", "wasm simd, 1 thread". */
  detail: string;
}

/** The native packages tried for `tensorflow`, in order of preference. */
export const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

let current: BackendInfo | null = null;

/**
 * Selects and initialises a backend, registers the extra wasm gradient kernels, and logs the choice.
 * A forced backend that cannot be loaded is an error that says why and what to do.
 * @example
 * const info = await selectBackend('auto', logger); // { name: 'wasm', detail: 'wasm simd, 1 thread' } here
 */
export async function selectBackend(requested: BackendName, logger?: Logger): Promise<BackendInfo> {
  const failures: string[] = [];
  const order: Array<BackendInfo['name']> = requested === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [requested];
  for (const name of order) {
    try {
      const info = await initialise(name, failures);
      current = info;
      logger?.info({ backend: info.name, detail: info.detail, requested }, `tensor backend: ${info.detail}`);
      return info;
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message}`);
      logger?.debug({ backend: name, err: (err as Error).message }, 'tensor backend unavailable');
    }
  }
  const hint = requested === 'tensorflow' ? ' Install @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node, or choose --backend wasm.' : '';
  throw new Error(`backend '${requested}' is not available: ${failures.join('; ')}.${hint}`);
}

/** The backend chosen by the last successful selectBackend, or null. */
export function currentBackend(): BackendInfo | null {
  return current && tf.getBackend() === current.name ? current : null;
}

async function initialise(name: BackendInfo['name'], failures: string[]): Promise<BackendInfo> {
  if (name === 'tensorflow') {
    for (const pkg of NATIVE_PACKAGES) {
      try {
        // a variable specifier: these packages are optional and usually absent at build time
        const specifier: string = pkg;
        await import(specifier);
        if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend failed to initialise');
        return { name, detail: pkg.replace('@tensorflow/', '') };
      } catch (err) {
        failures.push(`${pkg}: ${firstLine((err as Error).message)}`);
      }
    }
    throw new Error('no native TensorFlow package could be loaded');
  }
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    const before = { uncaught: process.listeners('uncaughtException'), rejection: process.listeners('unhandledRejection') };
    const ok = await tf.setBackend('wasm');
    // the Emscripten runtime installs process handlers that rethrow every uncaught error from inside its
    // minified glue (Node then prints ~30 kB of it instead of the error); restore Node's own handling
    for (const l of process.listeners('uncaughtException')) if (!before.uncaught.includes(l)) process.off('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection')) if (!before.rejection.includes(l)) process.off('unhandledRejection', l);
    if (!ok) throw new Error('the wasm backend failed to initialise');
    registerWasmTrainingKernels();
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    return { name, detail: `wasm${simd ? ' simd' : ''}, 1 thread` };
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend failed to initialise');
  // the cpu backend prints an install-tfjs-node banner on first use; our own log already says what runs
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return { name, detail: 'cpu (plain JavaScript)' };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
