/**
 * Jest's node environment with the host's typed-array constructors. Jest runs each test file in its own
 * realm, so a Float32Array made by a native addon (ONNX Runtime's outputs) fails `instanceof Float32Array`
 * inside it, and onnxruntime-common rejects it. jest-environment-node already shares ArrayBuffer and
 * Uint8Array for the same reason (Buffer); this shares the rest. Production code runs in one realm.
 */
import { TestEnvironment } from 'jest-environment-node';

const SHARED = [
  'Int8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'DataView', 'SharedArrayBuffer',
];

export default class SharedTypedArrayEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}
