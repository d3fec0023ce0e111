/**
 * The few Protocol Buffers wire-format writes an ONNX model needs: varints, length-delimited fields
 * (strings, bytes, nested messages) and packed repeated int64. ONNX is the only protobuf this project
 * writes and it never reads one back, so ~50 lines here replace a schema compiler and a runtime library.
 * Spec: https://protobuf.dev/programming-guides/encoding/
 */

/** One message under construction; fields are appended in call order (any order is valid protobuf). */
export class ProtoMessage {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  /** A varint field (int32, int64, enum) holding a non-negative integer or -1..-2^53 (two's complement, 10 bytes). */
  int(field: number, value: number): this {
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  /** A length-delimited field: raw bytes, a UTF-8 string or a nested message. */
  bytes(field: number, value: Uint8Array | string | ProtoMessage): this {
    const data = typeof value === 'string' ? new TextEncoder().encode(value) : value instanceof ProtoMessage ? value.finish() : value;
    this.key(field, 2);
    this.varint(data.length);
    this.push(data);
    return this;
  }

  /** A packed repeated varint field (e.g. `repeated int64 dims`, `ints`). */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoMessage();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  /** A 32-bit float field (wire type 5, little-endian). */
  float(field: number, value: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  /** The encoded message. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  private key(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new Error(`protobuf: ${value} is not an integer that can be encoded exactly`);
    const out: number[] = [];
    // negative values are 64-bit two's complement: 2^64 + value, written 7 bits at a time from BigInt
    let v = value < 0 ? (1n << 64n) + BigInt(value) : BigInt(value);
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      out.push(v > 0n ? low | 0x80 : low);
    } while (v > 0n);
    this.push(Uint8Array.from(out));
  }

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
}
