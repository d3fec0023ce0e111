import * as tf from '@tensorflow/tfjs';
import { currentBackend, selectBackend } from '../../src/engine/backend.js';
import { WASM_TRAINING_KERNELS } from '../../src/engine/kernels/wasm.js';
import type { Logger } from '../../src/base/logger.js';

/** A logger that records what it is told. */
function recordingLogger(lines: Array<{ level: string; obj: unknown; msg: string }>): Logger {
  const record = (level: string) => (obj: unknown, msg?: string) => lines.push({ level, obj, msg: msg ?? '' });
  return { info: record('info'), debug: record('debug'), warn: record('warn') } as unknown as Logger;
}

describe('selectBackend', () => {
  test('auto: takes wasm here (no native TensorFlow installed), registers the training kernels, logs the choice', async () => {
    const lines: Array<{ level: string; obj: unknown; msg: string }> = [];
    const handlers = () => process.listeners('uncaughtException').length + process.listeners('unhandledRejection').length;
    const before = handlers();
    const info = await selectBackend('auto', recordingLogger(lines));
    // the Emscripten runtime's rethrowing process handlers are removed (errors print plainly)
    expect(handlers()).toBe(before);
    expect(info.name).toBe('wasm');
    expect(info.detail).toMatch(/^wasm( simd)?, 1 thread$/);
    expect(tf.getBackend()).toBe('wasm');
    expect(currentBackend()).toEqual(info);
    for (const k of WASM_TRAINING_KERNELS) expect(tf.getKernel(k, 'wasm')).toBeDefined();
    const chosen = lines.find((l) => l.level === 'info');
    expect(chosen?.msg).toContain(info.detail);
    expect(chosen?.obj).toMatchObject({ backend: 'wasm', requested: 'auto' });
    // why tensorflow was skipped is kept for debugging
    expect(lines.some((l) => l.level === 'debug' && JSON.stringify(l.obj).includes('tensorflow'))).toBe(true);
  });

  test('a forced tensorflow backend that is not installed is a clear error naming both packages', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(
      /backend 'tensorflow' is not available: .*@tensorflow\/tfjs-node-gpu.*@tensorflow\/tfjs-node.*Install .* or choose --backend wasm/,
    );
  });

  test('cpu and wasm can be forced, and switched between', async () => {
    expect((await selectBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
