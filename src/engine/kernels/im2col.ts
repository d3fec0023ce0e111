/**
 * Pure numerics behind the convolution gradient kernels: lowering a 2-D convolution to one matrix product
 * (im2col) and scattering the product back (col2im). NHWC layout, float32, no allocation: callers hand
 * in the output arrays (views on the wasm heap in practice).
 *
 * A convolution of x [batch, inH, inW, inC] with a filter [kH, kW, inC, outC] gives y [batch, outH, outW, outC]:
 *   y[b, yo, xo, co] = sum over (r, c, ci) of x[b, yo*strideH - padTop + r, xo*strideW - padLeft + c, ci] * w[r, c, ci, co]
 * with x = 0 outside the grid. Writing P = batch*outH*outW output pixels and K = kH*kW*inC taps, and
 * cols[p, k] for the x value tap k of pixel p reads, this is y[P, outC] = cols[P, K] · w[K, outC], so
 *   dW[K, outC] = colsᵀ[K, P] · dy[P, outC]      (Conv2DBackpropFilter)
 *   dx = col2im(dy[P, outC] · wᵀ[outC, K])          (Conv2DBackpropInput, also conv2dTranspose's forward)
 */

/** Shape of one 2-D convolution (the forward one, x → y), with its explicit padding. */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  /** Rows of zeros above the input (the bottom padding follows from the sizes). */
  padTop: number;
  /** Columns of zeros left of the input. */
  padLeft: number;
}

/** Number of output pixels, P = batch × outH × outW. */
export const convPixels = (g: ConvGeometry): number => g.batch * g.outH * g.outW;
/** Number of filter taps, K = kH × kW × inC (the filter's first three axes, flattened). */
export const convTaps = (g: ConvGeometry): number => g.kH * g.kW * g.inC;

/**
 * Writes colsᵀ [K, P] (K = kH·kW·inC taps in filter order r, c, ci; P = output pixels in NHWC order):
 * colsT[k·P + p] is the input value that tap k of output pixel p multiplies, 0 in the padding.
 * Every element of `colsT` is written.
 */
export function im2colTransposed(x: Float32Array, g: ConvGeometry, colsT: Float32Array): void {
  const P = convPixels(g);
  const { inH, inW, inC, outH, outW, kH, kW, strideH, strideW, padTop, padLeft } = g;
  if (x.length < g.batch * inH * inW * inC) throw new Error(`im2col: input has ${x.length} values, geometry needs ${g.batch * inH * inW * inC}`);
  if (colsT.length < P * convTaps(g)) throw new Error(`im2col: output has ${colsT.length} values, geometry needs ${P * convTaps(g)}`);
  const step = strideW * inC;
  for (let r = 0; r < kH; r++) {
    for (let c = 0; c < kW; c++) {
      // output columns whose tap c lands inside the input: xo*strideW - padLeft + c in [0, inW)
      const [xoMin, xoMax] = validRange(c, padLeft, strideW, inW, outW);
      for (let ci = 0; ci < inC; ci++) {
        const row = ((r * kW + c) * inC + ci) * P; // one contiguous row of colsT per tap
        for (let b = 0; b < g.batch; b++) {
          for (let yo = 0; yo < outH; yo++) {
            const y = yo * strideH - padTop + r;
            const p0 = row + (b * outH + yo) * outW;
            if (y < 0 || y >= inH) {
              colsT.fill(0, p0, p0 + outW);
              continue;
            }
            for (let xo = 0; xo < xoMin; xo++) colsT[p0 + xo] = 0;
            for (let xo = xoMax; xo < outW; xo++) colsT[p0 + xo] = 0;
            let src = ((b * inH + y) * inW + xoMin * strideW - padLeft + c) * inC + ci;
            for (let xo = xoMin; xo < xoMax; xo++, src += step) colsT[p0 + xo] = x[src];
          }
        }
      }
    }
  }
}

/** [first, end) of output positions o with o*stride - pad + tap inside [0, inSize). */
function validRange(tap: number, pad: number, stride: number, inSize: number, outSize: number): [number, number] {
  const first = Math.max(0, Math.ceil((pad - tap) / stride));
  const end = Math.min(outSize, Math.floor((inSize - 1 + pad - tap) / stride) + 1);
  return [first, Math.max(first, end)];
}

/**
 * Overwrites dx [batch, inH, inW, inC] with the scatter-add of cols [P, K]: every tap value goes back to
 * the input cell it was read from; taps falling in the padding are dropped.
 */
export function col2im(cols: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const K = convTaps(g);
  const { inH, inW, inC, outH, outW, kH, kW, strideH, strideW, padTop, padLeft } = g;
  if (cols.length < convPixels(g) * K) throw new Error(`col2im: input has ${cols.length} values, geometry needs ${convPixels(g) * K}`);
  if (dx.length < g.batch * inH * inW * inC) throw new Error(`col2im: output has ${dx.length} values, geometry needs ${g.batch * inH * inW * inC}`);
  dx.fill(0, 0, g.batch * inH * inW * inC);
  for (let b = 0; b < g.batch; b++) {
    for (let yo = 0; yo < outH; yo++) {
      for (let xo = 0; xo < outW; xo++) {
        const pBase = ((b * outH + yo) * outW + xo) * K;
        for (let r = 0; r < kH; r++) {
          const y = yo * strideH - padTop + r;
          if (y < 0 || y >= inH) continue;
          const xRow = (b * inH + y) * inW;
          for (let c = 0; c < kW; c++) {
            const xc = xo * strideW - padLeft + c;
            if (xc < 0 || xc >= inW) continue;
            const dst = (xRow + xc) * inC;
            const src = pBase + (r * kW + c) * inC;
            for (let ci = 0; ci < inC; ci++) dx[dst + ci] += cols[src + ci];
          }
        }
      }
    }
  }
}

/** dst[cols × rows] = transpose of src[rows × cols] (row-major). Blocked for cache locality. */
export function transpose2d(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(i0 + B, rows);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(j0 + B, cols);
      for (let i = i0; i < i1; i++) {
        const s = i * cols;
        for (let j = j0; j < j1; j++) dst[j * rows + i] = src[s + j];
      }
    }
  }
}
