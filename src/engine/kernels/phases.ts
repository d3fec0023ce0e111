/**
 * Stride-phase decomposition of a convolution's input gradient (= a transposed convolution).
 *
 * With y[yo] = Σ_r x[yo·s − pad + r]·w[r] (one axis shown), the gradient is
 *   dx[Y] = Σ over (yo, r) with yo·s − pad + r = Y of dy[yo]·w[r].
 * Split Y by its phase a = Y mod s, Y = s·i + a: the taps r that reach phase a are those with
 * (a + pad − r) ≡ 0 (mod s), each reading dy[i + d] with d = (a + pad − r) / s; successive taps differ by
 * one in d. So every phase is a plain stride-1 correlation of dy with a small kernel (the phase's taps, by
 * increasing d), padded by −d_min before. A fast stride-1 convolution (XNNPACK) then does all the
 * arithmetic; the phases are interleaved into dx afterwards, each output written once.
 */
import type { ConvGeometry } from './im2col.js';

/** One phase of one axis. */
export interface StridePhase {
  /** a: the output positions Y ≡ a (mod stride) belong to this phase. */
  phase: number;
  /** Number of such positions in the output (dx) axis. */
  count: number;
  /** Filter indices reaching this phase, ordered by increasing dy offset (decreasing index). */
  taps: number[];
  /** Padding of dy before / after for the phase's stride-1 correlation (≥ 0). */
  padBefore: number;
  padAfter: number;
}

/**
 * The phases of one axis: filter size `k`, `stride`, forward padding before `pad`, the gradient's size
 * `dxSize` and dy's size `dySize`. Null when a phase would need negative leading padding (cropping), which
 * the decomposition does not handle; callers fall back to another method.
 */
export function stridePhases(k: number, stride: number, pad: number, dxSize: number, dySize: number): StridePhase[] | null {
  const phases: StridePhase[] = [];
  for (let a = 0; a < stride; a++) {
    const count = a < dxSize ? Math.ceil((dxSize - a) / stride) : 0;
    const taps: number[] = [];
    for (let r = k - 1; r >= 0; r--) if ((((a + pad - r) % stride) + stride) % stride === 0) taps.push(r);
    if (taps.length === 0 || count === 0) {
      phases.push({ phase: a, count, taps: count === 0 ? [] : taps, padBefore: 0, padAfter: 0 });
      continue;
    }
    const dMin = (a + pad - taps[0]) / stride;
    const padBefore = -dMin;
    if (padBefore < 0) return null;
    // enough trailing padding for `count` outputs; extra rows (when none is needed) are ignored when interleaving
    const padAfter = Math.max(0, count - 1 + taps.length - dySize - padBefore);
    phases.push({ phase: a, count, taps, padBefore, padAfter });
  }
  return phases;
}

/**
 * The phase's correlation kernel [rowTaps, colTaps, outC, inC] from the forward filter [kH, kW, inC, outC]
 * (it maps dy's outC channels to dx's inC channels).
 */
export function phaseFilter(filter: Float32Array, g: ConvGeometry, rowTaps: number[], colTaps: number[], dst: Float32Array): void {
  const { kW, inC, outC } = g;
  let o = 0;
  for (const r of rowTaps) {
    for (const c of colTaps) {
      const base = (r * kW + c) * inC * outC;
      for (let co = 0; co < outC; co++) {
        for (let ci = 0; ci < inC; ci++) dst[o++] = filter[base + ci * outC + co];
      }
    }
  }
}

/**
 * All phases of one axis as offsets into one common window of dy: a single correlation can then compute
 * every phase at once (phases as channel blocks), each phase's kernel zero outside its own taps.
 */
export interface PhaseUnion {
  /** Smallest dy offset used by any phase (≤ 0). */
  dLow: number;
  /** Kernel extent along the axis. */
  size: number;
  padBefore: number;
  padAfter: number;
  /** Outputs of the largest phase. */
  count: number;
}

export function phaseUnion(phases: StridePhase[], dySize: number): PhaseUnion {
  let dLow = 0;
  let dHigh = 0;
  let count = 0;
  for (const p of phases) {
    count = Math.max(count, p.count);
    if (p.taps.length === 0) continue;
    dLow = Math.min(dLow, -p.padBefore);
    dHigh = Math.max(dHigh, -p.padBefore + p.taps.length - 1);
  }
  const size = dHigh - dLow + 1;
  const padBefore = -dLow;
  return { dLow, size, padBefore, padAfter: Math.max(0, count - 1 + size - dySize - padBefore), count };
}

/**
 * The combined kernel [rows.size, cols.size, outC, strideH·strideW·inC]: channel block q = a·strideW + e
 * holds phase (a, e)'s taps at their offsets, zeros elsewhere.
 */
export function unionFilter(
  filter: Float32Array,
  g: ConvGeometry,
  rowPhases: StridePhase[],
  colPhases: StridePhase[],
  rows: PhaseUnion,
  cols: PhaseUnion,
  dst: Float32Array,
): void {
  const { kW, inC, outC, strideW } = g;
  const channels = rowPhases.length * colPhases.length * inC;
  dst.fill(0, 0, rows.size * cols.size * outC * channels);
  for (const pr of rowPhases) {
    for (const pc of colPhases) {
      const q = pr.phase * strideW + pc.phase;
      pr.taps.forEach((r, t) => {
        const u = t - pr.padBefore - rows.dLow;
        pc.taps.forEach((c, v0) => {
          const v = v0 - pc.padBefore - cols.dLow;
          const base = (r * kW + c) * inC * outC;
          for (let co = 0; co < outC; co++) {
            const o = ((u * cols.size + v) * outC + co) * channels + q * inC;
            for (let ci = 0; ci < inC; ci++) dst[o + ci] = filter[base + ci * outC + co];
          }
        });
      });
    }
  }
}

/**
 * Copies one phase's result into the positions (stride·i + a, stride·j + e) of dx [batch, inH, inW, inC].
 * The result is read from `src` [batch, srcRows, srcCols, srcChannels] at channels
 * channelOffset..channelOffset+inC (first rows and columns only); `src` null writes zeros.
 */
export function interleavePhase(
  src: Float32Array | null,
  srcRows: number,
  srcCols: number,
  srcChannels: number,
  channelOffset: number,
  g: ConvGeometry,
  a: number,
  e: number,
  dx: Float32Array,
): void {
  const { inH, inW, inC, strideH, strideW } = g;
  const rows = a < inH ? Math.ceil((inH - a) / strideH) : 0;
  const cols = e < inW ? Math.ceil((inW - e) / strideW) : 0;
  const step = strideW * inC;
  for (let b = 0; b < g.batch; b++) {
    for (let i = 0; i < rows; i++) {
      let d = ((b * inH + i * strideH + a) * inW + e) * inC;
      if (!src) {
        for (let j = 0; j < cols; j++, d += step) dx.fill(0, d, d + inC);
        continue;
      }
      let s = (b * srcRows + i) * srcCols * srcChannels + channelOffset;
      if (inC === 1) {
        for (let j = 0; j < cols; j++, d += step, s += srcChannels) dx[d] = src[s];
      } else {
        for (let j = 0; j < cols; j++, d += step, s += srcChannels) {
          for (let c = 0; c < inC; c++) dx[d + c] = src[s + c];
        }
      }
    }
  }
}

/** XNNPACK computes output channels in tiles of this many (f32 GEMM on wasm SIMD): fewer waste the rest. */
const CHANNEL_TILE = 8;
/** Fixed cost of one convolution call (operator creation, weight packing, indirection), in multiply-adds. */
const CALL_COST = 200_000;

/**
 * Multiply-adds (channel tiles rounded up) of the per-phase method vs the single combined convolution, so
 * the kernel can pick the cheaper: per-phase wastes nothing on zero taps, combined wastes less on narrow
 * outputs (a 1-channel decoder output fills 1 of 8 lanes per phase, 4 of 8 combined).
 */
export function phaseCosts(
  g: ConvGeometry,
  rowPhases: StridePhase[],
  colPhases: StridePhase[],
  rows: PhaseUnion,
  cols: PhaseUnion,
): { perPhase: number; combined: number } {
  const tile = (c: number) => Math.ceil(c / CHANNEL_TILE) * CHANNEL_TILE;
  let perPhase = 0;
  for (const pr of rowPhases) {
    for (const pc of colPhases) {
      if (pr.taps.length === 0 || pc.taps.length === 0 || pr.count === 0 || pc.count === 0) continue;
      perPhase += CALL_COST + g.batch * pr.count * pc.count * pr.taps.length * pc.taps.length * g.outC * tile(g.inC);
    }
  }
  const combined = CALL_COST + g.batch * rows.count * cols.count * rows.size * cols.size * g.outC * tile(rowPhases.length * colPhases.length * g.inC);
  return { perPhase, combined };
}
