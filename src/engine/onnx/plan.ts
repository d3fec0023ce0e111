/**
 * The autoencoder's layers as a list of ONNX-ready steps: each layer's kind, shapes (NCHW, batch axis left
 * out), explicit padding and where its weights sit in `model.trainableWeights`. Pure description; the
 * graphs are built from it in ./autoencoder-graphs.ts.
 *
 * Padding follows TensorFlow's `same` rule (the odd row/column goes at the bottom/right), written out as
 * explicit ONNX pads; a transposed convolution crops the same rows and adds output_padding where needed.
 */
import type * as tf from '@tensorflow/tfjs';

/** Per-axis padding of a (transposed) convolution. */
export interface AxisPads {
  /** Output size along the axis. */
  out: number;
  begin: number;
  end: number;
  /** ConvTranspose only: extra output at the end (ONNX output_padding); 0 for Conv. */
  outputPadding: number;
}

export interface ConvStep {
  kind: 'conv' | 'convTranspose';
  name: string;
  /** Input [channels, height, width]. */
  input: [number, number, number];
  output: [number, number, number];
  kernel: [number, number];
  strides: [number, number];
  rows: AxisPads;
  cols: AxisPads;
  relu: boolean;
  /** Index of the kernel in model.trainableWeights; the bias, if any, follows it. */
  weight: number;
  bias: boolean;
}

export interface DenseStep {
  kind: 'dense';
  name: string;
  inputs: number;
  units: number;
  relu: boolean;
  weight: number;
  bias: boolean;
}

/** NHWC flatten of a [c, h, w] feature map. */
export interface FlattenStep {
  kind: 'flatten';
  input: [number, number, number];
}

/** Reshape of flat features to an NHWC [h, w, c] map, held as NCHW [c, h, w]. */
export interface ReshapeStep {
  kind: 'reshape';
  output: [number, number, number];
}

export type Step = ConvStep | DenseStep | FlattenStep | ReshapeStep;

export interface ModelPlan {
  /** Window side (samples). */
  samples: number;
  steps: Step[];
  /** tfjs shapes of model.trainableWeights, in order. */
  weightShapes: number[][];
}

/**
 * Steps of `model`, a chain of InputLayer, Conv2D, Conv2DTranspose, Dense, Flatten and Reshape layers with
 * ReLU or linear activations on single-channel square windows (what model/autoencoder.ts builds). Anything
 * else is an error naming the layer.
 */
export function planModel(model: tf.LayersModel): ModelPlan {
  const inputShape = model.inputs[0].shape;
  if (inputShape.length !== 4 || inputShape[3] !== 1 || inputShape[1] !== inputShape[2]) {
    throw new Error(`ONNX export: the model must take square single-channel windows [n, s, s, 1], got [${inputShape.join(', ')}]`);
  }
  const samples = inputShape[1] as number;
  const steps: Step[] = [];
  let shape: number[] = [1, samples, samples];
  let weight = 0;
  let previous: tf.layers.Layer | null = null;
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (previous && (layer.input as tf.SymbolicTensor).sourceLayer !== previous) {
      throw new Error(`ONNX export: layer '${layer.name}' does not follow '${previous.name}' (only chains are supported)`);
    }
    previous = layer;
    const config = layer.getConfig() as Record<string, unknown>;
    const weights = layer.trainableWeights.length;
    switch (kind) {
      case 'InputLayer':
        break;
      case 'Conv2D':
      case 'Conv2DTranspose': {
        if (shape.length !== 3) throw new Error(`ONNX export: ${kind} '${layer.name}' needs a feature map, got [${shape.join(', ')}]`);
        const c = convSettings(layer.name, config);
        const transposed = kind === 'Conv2DTranspose';
        const pads = transposed ? transposedPads : forwardPads;
        const rows = pads(shape[1], c.kernel[0], c.strides[0], c.padding);
        const cols = pads(shape[2], c.kernel[1], c.strides[1], c.padding);
        steps.push({
          kind: transposed ? 'convTranspose' : 'conv',
          name: layer.name,
          input: shape as [number, number, number],
          output: [c.filters, rows.out, cols.out],
          kernel: c.kernel,
          strides: c.strides,
          rows,
          cols,
          relu: isRelu(layer.name, config),
          weight,
          bias: c.useBias,
        });
        shape = [c.filters, rows.out, cols.out];
        break;
      }
      case 'Flatten':
        if (shape.length !== 3) throw new Error(`ONNX export: Flatten '${layer.name}' needs a feature map, got [${shape.join(', ')}]`);
        steps.push({ kind: 'flatten', input: shape as [number, number, number] });
        shape = [shape[0] * shape[1] * shape[2]];
        break;
      case 'Dense': {
        if (shape.length !== 1) throw new Error(`ONNX export: Dense '${layer.name}' needs flat features, got [${shape.join(', ')}]`);
        const units = config.units as number;
        steps.push({ kind: 'dense', name: layer.name, inputs: shape[0], units, relu: isRelu(layer.name, config), weight, bias: config.useBias !== false });
        shape = [units];
        break;
      }
      case 'Reshape': {
        const target = config.targetShape as number[];
        if (shape.length !== 1 || target.length !== 3 || target[0] * target[1] * target[2] !== shape[0]) {
          throw new Error(`ONNX export: Reshape '${layer.name}' to [${target.join(', ')}] from [${shape.join(', ')}] is not supported`);
        }
        shape = [target[2], target[0], target[1]];
        steps.push({ kind: 'reshape', output: shape as [number, number, number] });
        break;
      }
      default:
        throw new Error(`ONNX export: layer '${layer.name}' (${kind}) is not supported (Conv2D, Conv2DTranspose, Dense, Flatten, Reshape)`);
    }
    weight += weights;
  }
  if (shape.length !== 3 || shape[0] !== 1 || shape[1] !== samples || shape[2] !== samples) {
    throw new Error(`ONNX export: the model's output [${shape.join(', ')}] (NCHW) is not its input's shape`);
  }
  return { samples, steps, weightShapes: model.trainableWeights.map((w) => w.shape as number[]) };
}

interface ConvSettings {
  filters: number;
  kernel: [number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
  useBias: boolean;
}

function convSettings(name: string, config: Record<string, unknown>): ConvSettings {
  const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v as number, v as number]);
  const dilation = pair(config.dilationRate ?? 1);
  if (dilation[0] !== 1 || dilation[1] !== 1) throw new Error(`ONNX export: '${name}' has dilation ${dilation.join('x')}; only 1 is supported`);
  if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast')
    throw new Error(`ONNX export: '${name}' is ${String(config.dataFormat)}; only channelsLast is supported`);
  const padding = config.padding as string;
  if (padding !== 'same' && padding !== 'valid') throw new Error(`ONNX export: '${name}' has padding '${padding}'; only same and valid are supported`);
  return { filters: config.filters as number, kernel: pair(config.kernelSize), strides: pair(config.strides ?? 1), padding, useBias: config.useBias !== false };
}

function isRelu(name: string, config: Record<string, unknown>): boolean {
  const fn = (config.activation as string | undefined) ?? 'linear';
  if (fn === 'linear' || fn === 'relu') return fn === 'relu';
  throw new Error(`ONNX export: '${name}' has activation '${fn}'; only relu and linear are supported`);
}

/** Output size and explicit padding of a convolution along one axis, by TensorFlow's rule. */
export function forwardPads(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): AxisPads {
  if (padding === 'valid') return { out: Math.ceil((size - kernel + 1) / stride), begin: 0, end: 0, outputPadding: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return { out, begin: Math.floor(total / 2), end: total - Math.floor(total / 2), outputPadding: 0 };
}

/**
 * Output size, cropping and output_padding of a transposed convolution along one axis, matching tfjs's
 * conv2dTranspose (the gradient of the forward convolution from its output size back to `size`).
 */
export function transposedPads(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): AxisPads {
  const out = padding === 'same' ? size * stride : size * stride + Math.max(kernel - stride, 0);
  const { begin, end } = padding === 'same' ? forwardPads(out, kernel, stride, 'same') : { begin: 0, end: 0 };
  return { out, begin, end, outputPadding: transposeOutputPadding(size, out, kernel, stride, begin, end) };
}

/**
 * ONNX ConvTranspose's output_padding taking `size` to `out`: out = stride·(size − 1) + outputPadding +
 * kernel − begin − end. An error when no valid value (0 ≤ p < stride) exists.
 */
export function transposeOutputPadding(size: number, out: number, kernel: number, stride: number, begin: number, end: number): number {
  const p = out - (stride * (size - 1) + kernel - begin - end);
  if (p < 0 || p >= stride) throw new Error(`ONNX export: no ConvTranspose gives ${out} from ${size} (kernel ${kernel}, stride ${stride})`);
  return p;
}
