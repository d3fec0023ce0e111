/**
 * The wasm kernels registered for training (src/engine/kernels/wasm.ts) against the `cpu` backend's reference
 * implementations: conv2d gradients (input and filter), conv2dTranspose forward and gradients, and matMul
 * with transposed operands; strides 1 and 2, same and valid padding, odd sizes, several channels.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/engine/backend.js';
import { type ConvGeometry, col2im, im2colTransposed, transpose2d } from '../../src/engine/kernels/im2col.js';
import { createPrng } from '../../src/model/prng.js';

const rng = createPrng(2024);
const randomValues = (n: number) => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);

/** Runs `f` on cpu and on wasm with the same inputs; returns both results as arrays. */
async function onBoth(f: () => tf.Tensor | tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const run = () => {
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    const values = list.map((t) => t.dataSync() as Float32Array).map((a) => Float32Array.from(a));
    tf.dispose(list);
    return values;
  };
  await selectBackend('cpu');
  const cpu = run();
  await selectBackend('wasm');
  const wasm = run();
  return { cpu, wasm };
}

function expectClose(cpu: Float32Array[], wasm: Float32Array[]): void {
  expect(wasm.length).toBe(cpu.length);
  cpu.forEach((ref, k) => {
    expect(wasm[k].length).toBe(ref.length);
    let scale = 0;
    for (const v of ref) scale = Math.max(scale, Math.abs(v));
    expect(scale).toBeGreaterThan(0); // a vacuous all-zero comparison would prove nothing
    for (let i = 0; i < ref.length; i++) {
      if (Math.abs(wasm[k][i] - ref[i]) > 1e-5 * Math.max(1, scale)) {
        throw new Error(`output ${k}[${i}]: wasm ${wasm[k][i]} vs cpu ${ref[i]} (scale ${scale})`);
      }
    }
  });
}

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const cases: Array<{ name: string; x: [number, number, number, number]; k: [number, number]; outC: number; stride: number; pad: Pad }> = [
  { name: 'odd 9x7, 3 -> 5 ch, 3x3, stride 1, same', x: [2, 9, 7, 3], k: [3, 3], outC: 5, stride: 1, pad: 'same' },
  { name: 'odd 9x7, 3 -> 5 ch, 3x3, stride 2, same', x: [2, 9, 7, 3], k: [3, 3], outC: 5, stride: 2, pad: 'same' },
  { name: 'odd 9x7, 3 -> 5 ch, 3x3, stride 1, valid', x: [2, 9, 7, 3], k: [3, 3], outC: 5, stride: 1, pad: 'valid' },
  { name: 'odd 9x7, 3 -> 5 ch, 3x3, stride 2, valid', x: [2, 9, 7, 3], k: [3, 3], outC: 5, stride: 2, pad: 'valid' },
  { name: 'even 16x16, 1 -> 4 ch, 5x5, stride 2, same', x: [3, 16, 16, 1], k: [5, 5], outC: 4, stride: 2, pad: 'same' },
  { name: 'odd 11x13, 6 -> 2 ch, 2x4 kernel, stride 2, same', x: [1, 11, 13, 6], k: [2, 4], outC: 2, stride: 2, pad: 'same' },
  { name: 'odd 11x13, 6 -> 2 ch, 4x3 kernel, stride 1, valid', x: [1, 11, 13, 6], k: [4, 3], outC: 2, stride: 1, pad: 'valid' },
  { name: 'even 8x10, 12 -> 6 ch, 3x3, stride 2, same (phases tile dx exactly)', x: [2, 8, 10, 12], k: [3, 3], outC: 6, stride: 2, pad: 'same' },
  // big enough that one convolution per phase beats the combined one (the decoder's usual path)
  { name: 'even 16x16, 16 -> 16 ch, batch 6, 3x3, stride 2, same', x: [6, 16, 16, 16], k: [3, 3], outC: 16, stride: 2, pad: 'same' },
  { name: 'odd 15x17, 16 -> 16 ch, batch 6, 3x3, stride 2, same', x: [6, 15, 17, 16], k: [3, 3], outC: 16, stride: 2, pad: 'same' },
  // padding wider than the kernel: the phase decomposition would need cropping, so the col2im path runs
  {
    name: 'odd 9x7, 2 -> 3 ch, 3x3, stride 2, explicit padding 3/1 rows 4/0 columns',
    x: [2, 9, 7, 2],
    k: [3, 3],
    outC: 3,
    stride: 2,
    pad: [
      [0, 0],
      [3, 1],
      [4, 0],
      [0, 0],
    ],
  },
];

describe('wasm training kernels match the cpu backend', () => {
  afterAll(async () => {
    await selectBackend('wasm');
  });

  describe.each(cases)('$name', ({ x: xShape, k, outC, stride, pad }) => {
    const wShape: [number, number, number, number] = [k[0], k[1], xShape[3], outC];
    const xv = randomValues(tf.util.sizeFromShape(xShape));
    const wv = randomValues(tf.util.sizeFromShape(wShape));

    test('conv2d: gradients with respect to input (Conv2DBackpropInput) and filter (Conv2DBackpropFilter)', async () => {
      // a non-uniform upstream gradient, so every output position is weighted differently
      const { cpu, wasm } = await onBoth(() => {
        const x = tf.tensor4d(xv, xShape);
        const w = tf.tensor4d(wv, wShape);
        const loss = (a: tf.Tensor, b: tf.Tensor) => {
          const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad);
          const weights = tf.sin(tf.range(0, y.size).reshape(y.shape).mul(0.37));
          return tf.sum(tf.mul(y, weights));
        };
        return tf.grads(loss)([x, w]);
      });
      expectClose(cpu, wasm);
    });

    test('conv2dTranspose: forward (Conv2DBackpropInput) and gradients (Conv2D, Conv2DBackpropFilter)', async () => {
      // the transposed conv maps the forward conv's output shape back to xShape
      const yShape = tf.tidy(() => tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(wShape) as tf.Tensor4D, stride, pad).shape) as [
        number,
        number,
        number,
        number,
      ];
      const yv = randomValues(tf.util.sizeFromShape(yShape));
      const { cpu, wasm } = await onBoth(() => {
        const y = tf.tensor4d(yv, yShape);
        const w = tf.tensor4d(wv, wShape);
        const forward = tf.conv2dTranspose(y, w, xShape, stride, pad);
        const [dy, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
          const out = tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, xShape, stride, pad);
          return tf.sum(tf.mul(out, tf.cos(tf.range(0, out.size).reshape(out.shape).mul(0.21))));
        })([y, w]);
        return [forward, dy, dw];
      });
      expectClose(cpu, wasm);
    });
  });

  test.each([
    { ta: false, tb: false, a: [7, 5], b: [5, 3] },
    { ta: true, tb: false, a: [5, 7], b: [5, 3] },
    { ta: false, tb: true, a: [7, 5], b: [3, 5] },
    { ta: true, tb: true, a: [5, 7], b: [3, 5] },
    { ta: true, tb: false, a: [1, 33, 17], b: [1, 33, 9] },
    { ta: false, tb: true, a: [3, 4, 6], b: [3, 2, 6] }, // batch > 1: delegated to the stock kernel
  ])('matMul transposeA=$ta transposeB=$tb, $a x $b', async ({ ta, tb, a, b }) => {
    const av = randomValues(tf.util.sizeFromShape(a));
    const bv = randomValues(tf.util.sizeFromShape(b));
    const { cpu, wasm } = await onBoth(() => tf.matMul(tf.tensor(av, a), tf.tensor(bv, b), ta, tb));
    expectClose(cpu, wasm);
  });

  test('dense layer gradients through the replaced BatchMatMul', async () => {
    const xv = randomValues(6 * 40);
    const wv = randomValues(40 * 9);
    const { cpu, wasm } = await onBoth(() =>
      tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, w))))([tf.tensor2d(xv, [6, 40]), tf.tensor2d(wv, [40, 9])]),
    );
    expectClose(cpu, wasm);
  });

  test('the kernels leak no tensors and no backend memory', async () => {
    await selectBackend('wasm');
    const x = tf.tensor4d(randomValues(2 * 9 * 7 * 3), [2, 9, 7, 3]);
    const w = tf.tensor4d(randomValues(3 * 3 * 3 * 5), [3, 3, 3, 5]);
    const step = () => tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, w]));
    tf.dispose(step());
    const before = tf.memory();
    for (let i = 0; i < 5; i++) tf.dispose(step());
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([x, w]);
  });
});

describe('im2col / col2im numerics against direct loops', () => {
  const g: ConvGeometry = { batch: 2, inH: 7, inW: 6, inC: 3, outH: 4, outW: 3, outC: 2, kH: 3, kW: 3, strideH: 2, strideW: 2, padTop: 1, padLeft: 0 };
  const P = g.batch * g.outH * g.outW;
  const K = g.kH * g.kW * g.inC;
  const xAt = (x: Float32Array, b: number, y: number, xc: number, c: number) =>
    y < 0 || y >= g.inH || xc < 0 || xc >= g.inW ? 0 : x[((b * g.inH + y) * g.inW + xc) * g.inC + c];

  test('im2colTransposed reads each tap of each output pixel, zero in the padding', () => {
    const x = randomValues(g.batch * g.inH * g.inW * g.inC);
    const colsT = new Float32Array(K * P).fill(Number.NaN); // every element must be overwritten
    im2colTransposed(x, g, colsT);
    let zeros = 0;
    for (let b = 0; b < g.batch; b++)
      for (let yo = 0; yo < g.outH; yo++)
        for (let xo = 0; xo < g.outW; xo++)
          for (let r = 0; r < g.kH; r++)
            for (let c = 0; c < g.kW; c++)
              for (let ci = 0; ci < g.inC; ci++) {
                const p = (b * g.outH + yo) * g.outW + xo;
                const k = (r * g.kW + c) * g.inC + ci;
                const want = xAt(x, b, yo * g.strideH - g.padTop + r, xo * g.strideW - g.padLeft + c, ci);
                if (want === 0) zeros++;
                expect(colsT[k * P + p]).toBe(want);
              }
    expect(zeros).toBeGreaterThan(0); // the padding was exercised
  });

  test('col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>', () => {
    const x = randomValues(g.batch * g.inH * g.inW * g.inC);
    const cols = randomValues(P * K);
    const colsT = new Float32Array(K * P);
    im2colTransposed(x, g, colsT);
    let lhs = 0;
    for (let p = 0; p < P; p++) for (let k = 0; k < K; k++) lhs += colsT[k * P + p] * cols[p * K + k];
    const dx = new Float32Array(x.length).fill(5); // col2im must overwrite, not accumulate onto old values
    col2im(cols, g, dx);
    let rhs = 0;
    for (let i = 0; i < x.length; i++) rhs += x[i] * dx[i];
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * Math.abs(lhs) + 1e-4);
  });

  test('transpose2d', () => {
    const src = Float32Array.from({ length: 35 * 41 }, (_, i) => i);
    const dst = new Float32Array(src.length);
    transpose2d(src, 35, 41, dst);
    for (let i = 0; i < 35; i++) for (let j = 0; j < 41; j++) expect(dst[j * 35 + i]).toBe(src[i * 41 + j]);
  });

  test('size checks name the shortfall', () => {
    expect(() => im2colTransposed(new Float32Array(3), g, new Float32Array(K * P))).toThrow(/input has 3 values/);
    expect(() => col2im(new Float32Array(P * K), g, new Float32Array(2))).toThrow(/output has 2 values/);
  });
});
