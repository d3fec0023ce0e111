import { ProtoMessage } from '../../../src/engine/onnx/protobuf.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('protobuf writer', () => {
  test('varints, negative int64, strings, packed ints and floats in wire format', () => {
    expect(hex(new ProtoMessage().int(1, 1).finish())).toBe('0801');
    expect(hex(new ProtoMessage().int(1, 300).finish())).toBe('08ac02');
    // -1 as int64: ten bytes of two's complement
    expect(hex(new ProtoMessage().int(2, -1).finish())).toBe('10ffffffffffffffffff01');
    expect(hex(new ProtoMessage().bytes(2, 'ab').finish())).toBe('12026162');
    expect(hex(new ProtoMessage().packedInts(8, [3, 270]).finish())).toBe('4203038e02');
    expect(hex(new ProtoMessage().float(2, 1).finish())).toBe('150000803f');
    expect(hex(new ProtoMessage().bytes(7, new ProtoMessage().int(1, 5)).finish())).toBe('3a020805');
    expect(() => new ProtoMessage().int(1, 0.5)).toThrow(/not an integer/);
  });
});
