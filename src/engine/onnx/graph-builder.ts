/**
 * A small builder for ONNX graphs (default domain, opset 13) and their ModelProto encoding. Field numbers
 * are those of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto), noted beside each write.
 */
import { ProtoMessage } from './protobuf.js';

/** ONNX IR version and default-domain opset written (ONNX Runtime ≥ 1.8 reads them). */
const IR_VERSION = 7;
export const OPSET = 13;
const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;
const ATTR_INTS = 7;

/** Node attributes: integers or integer lists (all this project's graphs need). */
export type Attributes = Record<string, number | number[]>;

interface NodeSpec {
  op: string;
  inputs: string[];
  output: string;
  attributes: Attributes;
}

interface TensorSpec {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

/** A tensor's dimensions: numbers, or a name for a dimension fixed only at run time (the batch). */
export type Dims = Array<number | string>;

/** An ONNX graph under construction: nodes in topological order, constants, named inputs and outputs. */
export class OnnxGraph {
  private readonly nodes: NodeSpec[] = [];
  private readonly constants: TensorSpec[] = [];
  private readonly inputs: Array<[string, Dims]> = [];
  private readonly outputs: Array<[string, Dims]> = [];
  private readonly int64Cache = new Map<string, string>();

  /** Appends a node; returns its output's name (`output` if given, else a fresh one). */
  node(op: string, inputs: string[], attributes: Attributes = {}, output?: string): string {
    const name = output ?? `t${this.nodes.length}_${op}`;
    this.nodes.push({ op, inputs, output: name, attributes });
    return name;
  }

  /** A float constant (weights baked into the graph). */
  floats(name: string, dims: number[], data: Float32Array): string {
    this.constants.push({ name, dims, data });
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, slice bounds), shared between nodes that need the same values. */
  int64s(values: number[]): string {
    const key = values.join(',');
    let name = this.int64Cache.get(key);
    if (!name) {
      name = `i64_${this.int64Cache.size}`;
      this.constants.push({ name, dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
      this.int64Cache.set(key, name);
    }
    return name;
  }

  /** Declares a float graph input. */
  input(name: string, dims: Dims): string {
    this.inputs.push([name, dims]);
    return name;
  }

  /** Declares a float graph output (the node producing it must be named `name`). */
  output(name: string, dims: Dims): void {
    this.outputs.push([name, dims]);
  }

  /** ModelProto bytes. */
  encode(graphName: string): Uint8Array {
    const graph = new ProtoMessage();
    this.nodes.forEach((n, i) => {
      const node = new ProtoMessage();
      for (const input of n.inputs) node.bytes(1, input); // input
      node.bytes(2, n.output).bytes(3, `n${i}`).bytes(4, n.op); // output, name, op_type
      for (const [name, v] of Object.entries(n.attributes)) {
        const attr = new ProtoMessage().bytes(1, name); // AttributeProto.name
        node.bytes(5, Array.isArray(v) ? attr.packedInts(8, v).int(20, ATTR_INTS) : attr.int(3, v).int(20, ATTR_INT)); // ints | i, type
      }
      graph.bytes(1, node); // GraphProto.node
    });
    graph.bytes(2, graphName); // name
    for (const t of this.constants) {
      // raw_data is little-endian, as typed arrays are on every platform Node runs on here
      const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      graph.bytes(
        5,
        new ProtoMessage()
          .packedInts(1, t.dims)
          .int(2, t.data instanceof Float32Array ? FLOAT : INT64)
          .bytes(8, t.name)
          .bytes(9, raw),
      ); // initializer
    }
    for (const [name, dims] of this.inputs) graph.bytes(11, valueInfo(name, dims)); // input
    for (const [name, dims] of this.outputs) graph.bytes(12, valueInfo(name, dims)); // output
    return new ProtoMessage()
      .int(1, IR_VERSION) // ir_version
      .bytes(2, 'seamount-detect') // producer_name
      .bytes(7, graph) // graph
      .bytes(8, new ProtoMessage().bytes(1, '').int(2, OPSET)) // opset_import
      .finish();
  }
}

/** ValueInfoProto of a float tensor. */
function valueInfo(name: string, dims: Dims): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of dims) shape.bytes(1, typeof d === 'string' ? new ProtoMessage().bytes(2, d) : new ProtoMessage().int(1, d)); // dim_param | dim_value
  const tensor = new ProtoMessage().int(1, FLOAT).bytes(2, shape); // elem_type, shape
  return new ProtoMessage().bytes(1, name).bytes(2, new ProtoMessage().bytes(1, tensor)); // name, type.tensor_type
}
