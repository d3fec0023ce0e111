/**
 * Kernels the wasm backend needs to train the autoencoder fast and correctly.
 *
 * - `Conv2DBackpropFilter` is missing from @tensorflow/tfjs-backend-wasm 4.22 (training a conv layer throws).
 * - `Conv2DBackpropInput` exists but is a naive loop (~1 GMAC/s); it is both conv2d's input gradient and
 *   conv2dTranspose's forward pass, so it dominates decoder cost. Replaced.
 * - `BatchMatMul` with a transposed operand falls to a naive loop (~0.3 GMAC/s, measured); dense layers'
 *   gradients are exactly such products. Replaced by an explicit transpose + the XNNPACK path.
 *
 * They lower to the backend's own XNNPACK operators (~14 GMAC/s here, measured) plus data-movement loops on
 * the wasm heap (./im2col.ts):
 * - Conv2DBackpropInput: XNNPACK stride-1 convolutions of dy, one per stride phase or all phases in one
 *   (whichever costs fewer multiply-adds; ./phases.ts), interleaved into dx: no scatter-add, every output
 *   written once. Falls back to product + col2im where a phase's padding would be negative.
 * - Conv2DBackpropFilter: im2colᵀ then one product colsᵀ · dy.
 * - BatchMatMul: materialised transposes, then the stock no-transpose (XNNPACK) path.
 * Tested numerically against the `cpu` backend in test/engine/kernels.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type ConvGeometry, col2im, convPixels, convTaps, im2colTransposed, transpose2d } from './im2col.js';
import { interleavePhase, phaseCosts, phaseFilter, phaseUnion, stridePhases, unionFilter } from './phases.js';

type KernelFunc = tf.KernelConfig['kernelFunc'];
type TensorInfo = tf.TensorInfo;

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}
interface Conv2DBackpropInputAttrs extends Omit<Conv2DBackpropFilterAttrs, 'filterShape'> {
  inputShape: [number, number, number, number];
}

/** The kernels this module replaces or adds, by name. */
export const WASM_TRAINING_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'BatchMatMul'] as const;

/** The stock wasm kernels ours delegate to, taken when registering (the backend must be initialised). */
interface StockKernels {
  matMul: KernelFunc;
  conv2D: KernelFunc;
  transpose: KernelFunc;
}
let stockKernels: StockKernels | null = null;

function stock(): StockKernels {
  if (!stockKernels) throw new Error('wasm training kernels: call registerWasmTrainingKernels() first');
  return stockKernels;
}

/**
 * Registers the kernels on the `wasm` backend. Call after `tf.setBackend('wasm')` has resolved: the stock
 * `BatchMatMul` we delegate to is set up when the backend initialises. Idempotent.
 */
export function registerWasmTrainingKernels(): void {
  if (stockKernels) return;
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  const conv2D = tf.getKernel('Conv2D', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!matMul || !conv2D || !transpose) {
    throw new Error('wasm backend: stock BatchMatMul / Conv2D / Transpose kernels not found (is @tensorflow/tfjs-backend-wasm loaded?)');
  }
  stockKernels = { matMul: matMul.kernelFunc, conv2D: conv2D.kernelFunc, transpose: transpose.kernelFunc };
  for (const [name, kernelFunc] of [
    ['Conv2DBackpropFilter', conv2DBackpropFilter],
    ['Conv2DBackpropInput', conv2DBackpropInput],
    ['BatchMatMul', batchMatMul],
  ] as const) {
    // unregister first: registerKernel only warns on a duplicate, and we mean to replace
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc });
  }
}

/** Native transpose; fast up to 4-D after merging dims (5-D and up take a slow generic path: ~100x). */
const transpose = (backend: BackendWasm, t: TensorInfo, perm: number[]): TensorInfo =>
  stock().transpose({ inputs: { x: t }, backend, attrs: { perm } }) as TensorInfo;

/** a[M, K] · b[K, N] on the XNNPACK path; `a`, `b` may be views (TensorInfos sharing another's data). */
const matMul = (backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo =>
  stock().matMul({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
const heap = (backend: BackendWasm, t: TensorInfo): Float32Array => backend.typedArrayFromHeap(t) as Float32Array;
const view = (t: TensorInfo, shape: number[]): TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype });

/** dW = im2colᵀ(x) · dy: one XNNPACK product (the stock wasm backend has no Conv2DBackpropFilter). */
const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const be = backend as BackendWasm;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as Conv2DBackpropFilterAttrs;
  const g = geometry(x.shape, a.filterShape, a, 'Conv2DBackpropFilter');
  const K = convTaps(g);
  const P = convPixels(g);
  if (K * P === 0 || g.outC === 0) return be.makeOutput(a.filterShape, 'float32', undefined, new Float32Array(K * g.outC));
  const colsT = be.makeOutput([K, P], 'float32');
  // XNNPACK caches its packed right operand by tensor id and shape-at-first-use: a private copy of dy
  // keeps a stale cache entry (dy seen before under another shape) from ever being hit.
  const dyCopy = be.makeOutput([P, g.outC], 'float32');
  im2colTransposed(heap(be, x), g, heap(be, colsT)); // views taken after the allocations (the heap may grow)
  heap(be, dyCopy).set(heap(be, dy));
  const dW = matMul(be, colsT, dyCopy);
  be.disposeData(colsT.dataId);
  be.disposeData(dyCopy.dataId);
  return view(dW, a.filterShape);
};

/** dx: by stride phases where possible (backpropInputByPhases), else dy · filterᵀ then col2im. */
const conv2DBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const be = backend as BackendWasm;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as Conv2DBackpropInputAttrs;
  const g = geometry(a.inputShape, filter.shape as Conv2DBackpropFilterAttrs['filterShape'], a, 'Conv2DBackpropInput');
  const K = convTaps(g);
  const P = convPixels(g);
  if (K * P === 0 || g.outC === 0) return be.makeOutput(a.inputShape, 'float32', undefined, new Float32Array(tf.util.sizeFromShape(a.inputShape)));
  const phased = backpropInputByPhases(be, dy, filter, g);
  if (phased) return phased;
  const filterT = be.makeOutput([g.outC, K], 'float32');
  transpose2d(heap(be, filter), K, g.outC, heap(be, filterT));
  const cols = matMul(be, view(dy, [P, g.outC]), filterT);
  be.disposeData(filterT.dataId);
  const dx = be.makeOutput(a.inputShape, 'float32');
  col2im(heap(be, cols), g, heap(be, dx));
  be.disposeData(cols.dataId);
  return dx;
};

/**
 * dx as one stride-1 XNNPACK convolution of dy per stride phase (output rows ≡ a mod strideH, columns ≡ e
 * mod strideW), each with the filter taps that reach that phase; null when a phase needs negative padding.
 */
const backpropInputByPhases = (be: BackendWasm, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo | null => {
  const rowPhases = stridePhases(g.kH, g.strideH, g.padTop, g.inH, g.outH);
  const colPhases = stridePhases(g.kW, g.strideW, g.padLeft, g.inW, g.outW);
  if (!rowPhases || !colPhases) return null;
  const rows = phaseUnion(rowPhases, g.outH);
  const cols = phaseUnion(colPhases, g.outW);
  const conv = (f: TensorInfo, padRows: [number, number], padCols: [number, number]) =>
    stock().conv2D({
      inputs: { x: dy, filter: f },
      backend: be,
      attrs: { strides: [1, 1], pad: [[0, 0], padRows, padCols, [0, 0]], dataFormat: 'NHWC', dilations: [1, 1] },
    }) as TensorInfo;
  const costs = phaseCosts(g, rowPhases, colPhases, rows, cols);
  const sH = g.strideH;
  const sW = g.strideW;
  // every phase the same size, tiling dx exactly: the interleave is a native transpose
  const uniform = rowPhases.every((p) => p.count === g.inH / sH && p.taps.length > 0) && colPhases.every((p) => p.count === g.inW / sW && p.taps.length > 0);
  const h = g.inH / sH;
  const w = g.inW / sW;
  if (costs.combined < costs.perPhase) {
    const channels = rowPhases.length * colPhases.length * g.inC;
    const uf = be.makeOutput([rows.size, cols.size, g.outC, channels], 'float32');
    unionFilter(heap(be, filter), g, rowPhases, colPhases, rows, cols, heap(be, uf));
    const out = conv(uf, [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter]);
    be.disposeData(uf.dataId);
    if (uniform && out.shape[1] === h && out.shape[2] === w) {
      // [N·h, w, a, e·C] → [N·h, a, w, e·C] = [N, H, W, C]
      const dxT = transpose(be, view(out, [g.batch * h, w, sH, sW * g.inC]), [0, 2, 1, 3]);
      be.disposeData(out.dataId);
      return view(dxT, [g.batch, g.inH, g.inW, g.inC]);
    }
    const dx = be.makeOutput([g.batch, g.inH, g.inW, g.inC], 'float32');
    const src = heap(be, out);
    const dxv = heap(be, dx);
    for (const pr of rowPhases) {
      for (const pc of colPhases) {
        const q = pr.phase * g.strideW + pc.phase;
        interleavePhase(src, out.shape[1], out.shape[2], channels, q * g.inC, g, pr.phase, pc.phase, dxv);
      }
    }
    be.disposeData(out.dataId);
    return dx;
  }
  if (uniform && sH * sW > 1) {
    // phases stacked [a, e, N·h·w, C] (native copies), then two 4-D transposes interleave them
    const len = g.batch * h * w * g.inC;
    const stacked = be.makeOutput([sH, sW, g.batch * h * w, g.inC], 'float32');
    for (const pr of rowPhases) {
      for (const pc of colPhases) {
        const pf = be.makeOutput([pr.taps.length, pc.taps.length, g.outC, g.inC], 'float32');
        phaseFilter(heap(be, filter), g, pr.taps, pc.taps, heap(be, pf));
        const out = conv(pf, [pr.padBefore, pr.padAfter], [pc.padBefore, pc.padAfter]);
        be.disposeData(pf.dataId);
        heap(be, stacked).set(heap(be, out).subarray(0, len), (pr.phase * sW + pc.phase) * len);
        be.disposeData(out.dataId);
      }
    }
    const t1 = transpose(be, stacked, [0, 2, 1, 3]); // [a, N·h·w, e, C]
    be.disposeData(stacked.dataId);
    const t2 = transpose(be, view(t1, [sH, g.batch * h, w * sW * g.inC]), [1, 0, 2]); // [N·h, a, w·e·C]
    be.disposeData(t1.dataId);
    return view(t2, [g.batch, g.inH, g.inW, g.inC]);
  }
  const dx = be.makeOutput([g.batch, g.inH, g.inW, g.inC], 'float32');
  for (const pr of rowPhases) {
    for (const pc of colPhases) {
      if (pr.count === 0 || pc.count === 0) continue;
      if (pr.taps.length === 0 || pc.taps.length === 0) {
        interleavePhase(null, 0, 0, g.inC, 0, g, pr.phase, pc.phase, heap(be, dx));
        continue;
      }
      const pf = be.makeOutput([pr.taps.length, pc.taps.length, g.outC, g.inC], 'float32');
      phaseFilter(heap(be, filter), g, pr.taps, pc.taps, heap(be, pf));
      const out = conv(pf, [pr.padBefore, pr.padAfter], [pc.padBefore, pc.padAfter]);
      be.disposeData(pf.dataId);
      // views taken after the allocations above (the heap may have grown)
      interleavePhase(heap(be, out), out.shape[1], out.shape[2], g.inC, 0, g, pr.phase, pc.phase, heap(be, dx));
      be.disposeData(out.dataId);
    }
  }
  return dx;
};

/** BatchMatMul with a transposed operand as one plain XNNPACK product on a transposed copy; the rest to the stock kernel. */
const batchMatMul: KernelFunc = (args) => {
  const be = args.backend as BackendWasm;
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const single = tf.util.sizeFromShape(outerA) === 1 && tf.util.sizeFromShape(outerB) === 1;
  if ((!transposeA && !transposeB) || !single || a.dtype !== 'float32' || b.dtype !== 'float32') return stock().matMul(args);
  const temps: TensorInfo[] = [];
  const materialise = (t: TensorInfo): TensorInfo => {
    const rows = t.shape[t.shape.length - 2];
    const cols = t.shape[t.shape.length - 1];
    const out = be.makeOutput([cols, rows], 'float32');
    transpose2d(heap(be, t), rows, cols, heap(be, out));
    temps.push(out);
    return out;
  };
  const a2 = transposeA ? materialise(a) : view(a, a.shape.slice(-2));
  const b2 = transposeB ? materialise(b) : view(b, b.shape.slice(-2));
  const out = matMul(be, a2, b2);
  for (const t of temps) be.disposeData(t.dataId);
  const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  return view(out, [...outer, a2.shape[0], b2.shape[1]]);
};

function geometry(
  xShape: number[],
  filterShape: [number, number, number, number],
  a: Omit<Conv2DBackpropFilterAttrs, 'filterShape'>,
  kernel: string,
): ConvGeometry {
  if (a.dataFormat !== undefined && a.dataFormat !== 'NHWC') throw new Error(`${kernel} on wasm: only NHWC is supported, got ${a.dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
