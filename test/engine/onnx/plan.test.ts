import { forwardPads, transposeOutputPadding, transposedPads } from '../../../src/engine/onnx/plan.js';

describe('padding helpers', () => {
  test('TensorFlow same padding puts the odd row at the end; transposed convolutions invert it', () => {
    expect(forwardPads(32, 3, 2, 'same')).toEqual({ out: 16, begin: 0, end: 1, outputPadding: 0 });
    expect(forwardPads(32, 4, 2, 'same')).toEqual({ out: 16, begin: 1, end: 1, outputPadding: 0 });
    expect(forwardPads(31, 5, 2, 'same')).toEqual({ out: 16, begin: 2, end: 2, outputPadding: 0 });
    expect(forwardPads(16, 3, 1, 'valid')).toEqual({ out: 14, begin: 0, end: 0, outputPadding: 0 });
    expect(transposedPads(16, 3, 2, 'same')).toEqual({ out: 32, begin: 0, end: 1, outputPadding: 0 });
    expect(transposedPads(16, 4, 2, 'same')).toEqual({ out: 32, begin: 1, end: 1, outputPadding: 0 });
    expect(transposedPads(16, 1, 2, 'same')).toEqual({ out: 32, begin: 0, end: 0, outputPadding: 1 });
    expect(transposedPads(14, 3, 1, 'valid')).toEqual({ out: 16, begin: 0, end: 0, outputPadding: 0 });
  });

  test('output padding: the one ConvTranspose setting that reaches the size, or an error', () => {
    // 16 → 32 with kernel 3, stride 2, crop 0/1: 2·15 + p + 3 − 1 = 32 → p = 0
    expect(transposeOutputPadding(16, 32, 3, 2, 0, 1)).toBe(0);
    // kernel 1 needs one extra row at the end
    expect(transposeOutputPadding(16, 32, 1, 2, 0, 0)).toBe(1);
    expect(() => transposeOutputPadding(16, 40, 3, 2, 0, 1)).toThrow(/no ConvTranspose gives 40 from 16/);
  });
});
