/**
 * The two ONNX graphs of the autoencoder, built from its plan (./plan.ts):
 * - the scoring graph: windows [n, 1, s, s] → each window's reconstruction error mean((y − x)²) [n], the
 *   weights baked in;
 * - the gradient graph: windows, the weights (inputs, tfjs layout) and scale = 2 / (n·s·s) → the loss
 *   mean((y − x)²) over the batch and its gradient for every weight, in tfjs layout and
 *   model.trainableWeights order. ONNX Runtime has no autodiff outside its training builds, so the
 *   backward pass is written out here, layer by layer.
 *
 * Layout: ONNX convolutions are NCHW, tfjs's NHWC; with one input channel the window bytes are the same in
 * both. Weights keep their tfjs layout at the graph's edge and are transposed inside it (ONNX Runtime folds
 * that for constants): Conv2D [kh, kw, in, out] and Conv2DTranspose [kh, kw, out, in] both become
 * [out|in, in|out, kh, kw] by axes (3, 2, 0, 1), exactly ONNX's Conv and ConvTranspose W. Around the dense
 * layers the graph transposes between NCHW and NHWC explicitly.
 *
 * Backward rules (d = gradient of the loss w.r.t. a step's output; x, y its input and output):
 *   ReLU            d ← d · [y > 0]
 *   Conv            dW = F(x, d), db = Σ d, dx = ConvTranspose(d, W) with the forward pads
 *   ConvTranspose   dW = F(d, x), db = Σ d, dx = Conv(d, W) with the forward crop as padding
 *   Dense (Gemm)    dW = xᵀ·d, db = Σ d, dx = d·Wᵀ
 * where F(a, g)[m, c, r, q] = Σ_{n, i, j} g[n, m, i, j] · a_pad[n, c, i·s + r, j·s + q] is itself a
 * convolution: of a with batch and channel axes swapped, by g (also swapped) dilated by the stride.
 */
import { type Dims, OnnxGraph } from './graph-builder.js';
import { type ConvStep, type ModelPlan, transposeOutputPadding } from './plan.js';
import { RELATIVE_EPSILON, type Misfit } from '../misfit.js';

export const ONNX_WINDOWS = 'windows';
export const ONNX_ERRORS = 'errors';
export const ONNX_LOSS = 'loss';
export const ONNX_SCALE = 'scale';
/** Name of weight i's input (gradient graph) and of its gradient output. */
export const weightInput = (i: number): string => `w${i}`;
export const gradientOutput = (i: number): string => `g${i}`;

const TO_ONNX_KERNEL = [3, 2, 0, 1];
const TO_TFJS_KERNEL = [2, 3, 1, 0];
const SWAP_BATCH_CHANNELS = [1, 0, 2, 3];
const NCHW_TO_NHWC = [0, 2, 3, 1];
const NHWC_TO_NCHW = [0, 3, 1, 2];

/** What the forward pass produced at each step: its input, and its output (after any ReLU). */
interface StepTensors {
  input: string;
  output: string;
}

/**
 * Scoring graph bytes: input `windows` [n, 1, s, s] → output `errors` [n].
 * `weights` are model.trainableWeights' values in order (tfjs layout).
 */
export function scoringGraph(plan: ModelPlan, weights: Float32Array[], misfit: Misfit = { weights: null, relative: false }): Uint8Array {
  if (weights.length !== plan.weightShapes.length) throw new Error(`ONNX export: ${weights.length} weight arrays for ${plan.weightShapes.length} weights`);
  const g = new OnnxGraph();
  const x = g.input(ONNX_WINDOWS, ['n', 1, plan.samples, plan.samples]);
  const names = weights.map((w, i) => g.floats(weightInput(i), plan.weightShapes[i], w));
  const { output } = forward(g, plan, x, names);
  const diff = g.node('Sub', [output, x]);
  if (!misfit.weights) {
    g.node('ReduceMean', [g.node('Mul', [diff, diff])], { axes: [1, 2, 3], keepdims: 0 }, ONNX_ERRORS);
  } else {
    // Σ w d² / (Σ w x² + ε Σ w)  or  Σ w d² / Σ w   (engine/misfit.ts)
    const s = plan.samples;
    const w = g.floats('misfit_weights', [1, 1, s, s], misfit.weights);
    const sumW = misfit.weights.reduce((a, b) => a + b, 0);
    const axes = g.int64s([1, 2, 3]);
    const num = g.node('ReduceSum', [g.node('Mul', [w, g.node('Mul', [diff, diff])]), axes], { keepdims: 0 });
    const den = misfit.relative
      ? g.node('Add', [
          g.node('ReduceSum', [g.node('Mul', [w, g.node('Mul', [x, x])]), axes], { keepdims: 0 }),
          g.floats('misfit_epsilon', [], Float32Array.of(RELATIVE_EPSILON * sumW)),
        ])
      : g.floats('misfit_sum_w', [], Float32Array.of(sumW));
    g.node('Div', [num, den], {}, ONNX_ERRORS);
  }
  g.output(ONNX_ERRORS, ['n']);
  return g.encode('seamount_autoencoder_error');
}

/**
 * Gradient graph bytes: inputs `windows` [n, 1, s, s], `w0..` (the weights, tfjs layout) and `scale` [1]
 * (= 2 / (n·s·s), the derivative of the mean) → outputs `loss` (scalar) and `g0..` (dloss/dw_i, tfjs layout).
 */
export function gradientGraph(plan: ModelPlan): Uint8Array {
  const g = new OnnxGraph();
  const x = g.input(ONNX_WINDOWS, ['n', 1, plan.samples, plan.samples]);
  const names = plan.weightShapes.map((shape, i) => g.input(weightInput(i), shape));
  const scale = g.input(ONNX_SCALE, [1]);
  const { output, tensors, onnxWeights } = forward(g, plan, x, names);
  const diff = g.node('Sub', [output, x]);
  g.node('ReduceMean', [g.node('Mul', [diff, diff])], { keepdims: 0 }, ONNX_LOSS);
  g.output(ONNX_LOSS, []);

  const zero = g.floats('zero', [], Float32Array.of(0));
  const firstWeighted = plan.steps.findIndex((s) => s.kind === 'conv' || s.kind === 'convTranspose' || s.kind === 'dense');
  const grads = new Map<number, string>();
  let d = g.node('Mul', [diff, scale]);
  for (let i = plan.steps.length - 1; i >= 0; i--) {
    const step = plan.steps[i];
    const { input, output: out } = tensors[i];
    const needInput = i > firstWeighted;
    if ((step.kind === 'conv' || step.kind === 'convTranspose' || step.kind === 'dense') && step.relu) {
      d = g.node('Mul', [d, g.node('Cast', [g.node('Greater', [out, zero])], { to: 1 })]);
    }
    switch (step.kind) {
      case 'conv':
      case 'convTranspose': {
        const w = onnxWeights.get(step.weight) as string;
        const s = step.strides;
        const dz = d;
        if (step.bias) grads.set(step.weight + 1, g.node('ReduceSum', [dz, g.int64s([0, 2, 3])], { keepdims: 0 }));
        if (step.kind === 'conv') {
          const pads = [step.rows.begin, step.cols.begin, step.rows.end, step.cols.end];
          grads.set(step.weight, g.node('Transpose', [filterGradient(g, input, dz, step, pads)], { perm: TO_TFJS_KERNEL }));
          if (needInput) {
            const outputPadding = [0, 1].map((axis) => {
              const p = axis === 0 ? step.rows : step.cols;
              return transposeOutputPadding(step.output[axis + 1], step.input[axis + 1], step.kernel[axis], s[axis], p.begin, p.end);
            });
            d = g.node('ConvTranspose', [dz, w], { kernel_shape: step.kernel, strides: s, pads, output_padding: outputPadding });
          }
        } else {
          // the adjoint convolution runs from this step's output (size out) back to its input (size in)
          const endRows = Math.max(step.rows.end - step.rows.outputPadding, 0);
          const endCols = Math.max(step.cols.end - step.cols.outputPadding, 0);
          const pads = [step.rows.begin, step.cols.begin, endRows, endCols];
          grads.set(step.weight, g.node('Transpose', [filterGradient(g, dz, input, step, pads)], { perm: TO_TFJS_KERNEL }));
          if (needInput) d = g.node('Conv', [dz, w], { kernel_shape: step.kernel, strides: s, pads });
        }
        break;
      }
      case 'dense': {
        const w = names[step.weight];
        grads.set(step.weight, g.node('Gemm', [input, d], { transA: 1 }));
        if (step.bias) grads.set(step.weight + 1, g.node('ReduceSum', [d, g.int64s([0])], { keepdims: 0 }));
        if (needInput) d = g.node('Gemm', [d, w], { transB: 1 });
        break;
      }
      case 'flatten': {
        const [c, h, w] = step.input;
        d = g.node('Transpose', [g.node('Reshape', [d, g.int64s([-1, h, w, c])])], { perm: NHWC_TO_NCHW });
        break;
      }
      case 'reshape':
        d = g.node('Flatten', [g.node('Transpose', [d], { perm: NCHW_TO_NHWC })], { axis: 1 });
        break;
    }
  }
  plan.weightShapes.forEach((shape, i) => {
    const grad = grads.get(i);
    if (!grad) throw new Error(`ONNX export: no gradient for weight ${i}`);
    g.node('Identity', [grad], {}, gradientOutput(i));
    g.output(gradientOutput(i), shape as Dims);
  });
  return g.encode('seamount_autoencoder_gradients');
}

/**
 * F(a, g): the kernel gradient [m, c, kh, kw] of a stride-s convolution that reads `a` [n, c, H, W] (padded
 * by `pads`) and whose output gradient is `grad` [n, m, h, w]. One convolution: a with batch and channels
 * swapped ([c, n, H, W]) by grad swapped ([m, n, h, w]) dilated by the stride gives [c, m, ≥kh, ≥kw].
 */
function filterGradient(g: OnnxGraph, a: string, grad: string, step: ConvStep, pads: number[]): string {
  const aT = g.node('Transpose', [a], { perm: SWAP_BATCH_CHANNELS });
  const gT = g.node('Transpose', [grad], { perm: SWAP_BATCH_CHANNELS });
  let k = g.node('Conv', [aT, gT], { dilations: step.strides, pads });
  // the correlation can run past the kernel when the padded size is not a whole number of strides
  const [inSize, outSize] = step.kind === 'conv' ? [step.input, step.output] : [step.output, step.input];
  const rows = inSize[1] + pads[0] + pads[2] - (outSize[1] - 1) * step.strides[0];
  const cols = inSize[2] + pads[1] + pads[3] - (outSize[2] - 1) * step.strides[1];
  if (rows < step.kernel[0] || cols < step.kernel[1]) throw new Error(`ONNX export: '${step.name}': kernel gradient ${rows}x${cols} smaller than the kernel`);
  if (rows > step.kernel[0] || cols > step.kernel[1]) {
    k = g.node('Slice', [k, g.int64s([0, 0]), g.int64s(step.kernel), g.int64s([2, 3])]);
  }
  return g.node('Transpose', [k], { perm: SWAP_BATCH_CHANNELS });
}

/** The forward pass; returns the reconstruction, each step's tensors and the ONNX-layout convolution weights. */
function forward(g: OnnxGraph, plan: ModelPlan, x: string, weights: string[]): { output: string; tensors: StepTensors[]; onnxWeights: Map<number, string> } {
  let current = x;
  const tensors: StepTensors[] = [];
  const onnxWeights = new Map<number, string>();
  for (const step of plan.steps) {
    const input = current;
    switch (step.kind) {
      case 'conv':
      case 'convTranspose': {
        const w = g.node('Transpose', [weights[step.weight]], { perm: TO_ONNX_KERNEL });
        onnxWeights.set(step.weight, w);
        const inputs = [current, w];
        if (step.bias) inputs.push(weights[step.weight + 1]);
        const attributes = { kernel_shape: step.kernel, strides: step.strides, pads: [step.rows.begin, step.cols.begin, step.rows.end, step.cols.end] };
        current =
          step.kind === 'conv'
            ? g.node('Conv', inputs, attributes)
            : g.node('ConvTranspose', inputs, { ...attributes, output_padding: [step.rows.outputPadding, step.cols.outputPadding] });
        if (step.relu) current = g.node('Relu', [current]);
        break;
      }
      case 'dense': {
        const inputs = [current, weights[step.weight]];
        if (step.bias) inputs.push(weights[step.weight + 1]);
        current = g.node('Gemm', inputs);
        if (step.relu) current = g.node('Relu', [current]);
        break;
      }
      case 'flatten':
        // tfjs flattens NHWC: (row, column, channel) order
        current = g.node('Flatten', [g.node('Transpose', [current], { perm: NCHW_TO_NHWC })], { axis: 1 });
        break;
      case 'reshape': {
        const [c, h, w] = step.output;
        current = g.node('Transpose', [g.node('Reshape', [current, g.int64s([-1, h, w, c])])], { perm: NHWC_TO_NCHW });
        break;
      }
    }
    tensors.push({ input, output: current });
  }
  return { output: current, tensors, onnxWeights };
}
