/**
 * Anti-alias low-pass of a source patch before windows are sampled from it.
 *
 * Rule (a property of the WindowSpec, so training and detection agree): the window's samples are
 * `d = sizeKm / samples` km apart; a source with cell spacing `s < d` along an axis is smoothed along
 * that axis with a Gaussian of sigma `½·sqrt(d² − s²)` km. Treating any grid as already carrying a
 * blur of half its own spacing, every source ends with the same effective blur (sigma = d/2) whatever
 * its resolution: a 47 m multibeam grid and a 460 m GEBCO grid give the same window. The east-west
 * spacing is taken per row (`s = dLon·cos(lat)`), so high-latitude rows are smoothed more in cells.
 *
 * Very fine sources (more than 4 cells per window sample) are first averaged in blocks of
 * `floor(d / 4s)` cells per axis, which keeps the Gaussian kernel short (cost independent of the
 * source resolution) and still leaves ≥ 4 cells per sample, so the block step itself does not alias.
 *
 * No-data (NaN) cells are left out of every average (normalised convolution); an output cell is NaN
 * when less than half of its kernel weight falls on data.
 */
import type { GridGeometry } from '../types.js';
import { KM_PER_DEG } from '../base/geodesy.js';

const { max, min, exp, sqrt, floor, ceil, cos } = Math;
const NO_DATA = Number.NaN;

const DEG = Math.PI / 180;
/** Gaussian kernels are cut at this many sigmas. */
const KERNEL_SIGMAS = 3;
/** Below this sigma (cells) a kernel is a no-op to float precision at its ±1 taps. */
const MIN_SIGMA_CELLS = 0.1;
/** Block-average only when there are more than this many source cells per window sample. */
const BLOCK_CELLS_PER_SAMPLE = 4;

/** Values of a rectangle of grid cells and where they lie. */
export interface SourcePatch {
  values: Float32Array;
  geometry: GridGeometry;
}

/** Gaussian sigma in source cells along an axis of spacing `cellKm`, for window spacing `spacingKm`. */
export function antiAliasSigmaCells(spacingKm: number, cellKm: number): number {
  if (!(cellKm > 0) || cellKm >= spacingKm) return 0;
  const ratio = spacingKm / cellKm;
  return 0.5 * sqrt(ratio * ratio - 1);
}

/** Block size (cells) used to thin a source of spacing `cellKm` before filtering. */
export function blockFactor(spacingKm: number, cellKm: number): number {
  if (!(cellKm > 0)) return 1;
  return max(1, floor(spacingKm / cellKm / BLOCK_CELLS_PER_SAMPLE));
}

/** East-west and north-south cell sizes of a geometry at a latitude, km. */
function cellKm(g: Pick<GridGeometry, 'dLon' | 'dLat'>, latDeg: number): [number, number] {
  return [g.dLon * KM_PER_DEG * cos(latDeg * DEG), Math.abs(g.dLat) * KM_PER_DEG];
}

/**
 * Extra source cells to read around a window's sample footprint so that filtering and bilinear
 * interpolation inside it never reach past the patch: [columns, rows]. `latAbsMaxDeg` is the most
 * poleward latitude of the footprint (where east-west cells are narrowest).
 */
export function marginCells(g: Pick<GridGeometry, 'dLon' | 'dLat'>, spacingKm: number, antiAlias: boolean, latAbsMaxDeg: number): [number, number] {
  if (!antiAlias) return [2, 2];
  const [dx, dy] = cellKm(g, min(latAbsMaxDeg, 89.999));
  const axis = (cell: number): number => {
    const sigma = antiAliasSigmaCells(spacingKm, cell);
    const m = blockFactor(spacingKm, cell);
    // kernel reach (≤ 3σ + m cells after blocking) + bilinear neighbour (m) + block alignment (m) + slack
    return ceil(KERNEL_SIGMAS * sigma) + 3 * m + 2;
  };
  // near a pole east-west cells shrink to nothing: never reach further than all the way round
  return [min(axis(dx), ceil(360 / g.dLon)), axis(dy)];
}

/**
 * Averages `mx × my` blocks (complete blocks only); a block with less than half its cells valid is NaN. The
 * result's cells sit at the centres of their blocks.
 */
export function blockAverage(src: SourcePatch, mx: number, my: number): SourcePatch {
  const g = src.geometry;
  const w = floor(g.width / mx);
  const h = floor(g.height / my);
  const out = new Float32Array(w * h);
  const need = (mx * my) / 2;
  const sum = new Float64Array(w);
  const count = new Uint32Array(w);
  for (let J = 0; J < h; J++) {
    sum.fill(0);
    count.fill(0);
    for (let dj = 0; dj < my; dj++) {
      const row = (J * my + dj) * g.width;
      for (let I = 0; I < w; I++) {
        const base = row + I * mx;
        let s = 0;
        let c = 0;
        for (let di = 0; di < mx; di++) {
          const v = src.values[base + di];
          if (v === v) {
            s += v;
            c++;
          }
        }
        sum[I] += s;
        count[I] += c;
      }
    }
    for (let I = 0; I < w; I++) out[J * w + I] = count[I] >= need ? sum[I] / count[I] : NO_DATA;
  }
  return {
    values: out,
    geometry: {
      ...g,
      width: w,
      height: h,
      lon0: g.lon0 + ((mx - 1) / 2) * g.dLon,
      dLon: g.dLon * mx,
      lat0: g.lat0 + ((my - 1) / 2) * g.dLat,
      dLat: g.dLat * my,
      periodicLon: false,
    },
  };
}

/** Gaussian weights −r..r, r = 3σ but at most `maxRadius` (a kernel wider than the data is cut there). */
function gaussianKernel(sigma: number, maxRadius: number): Float64Array {
  const r = min(ceil(KERNEL_SIGMAS * sigma), max(1, maxRadius));
  const k = new Float64Array(2 * r + 1);
  for (let i = -r; i <= r; i++) k[i + r] = exp((-0.5 * i * i) / (sigma * sigma));
  return k;
}

/** Normalised convolution along rows, a kernel per row (east-west sigma depends on latitude). */
function filterRows(values: Float32Array, w: number, h: number, sigmaOfRow: (j: number) => number): Float32Array {
  const out = new Float32Array(values.length);
  for (let j = 0; j < h; j++) {
    const row = j * w;
    const sigma = sigmaOfRow(j);
    if (sigma < MIN_SIGMA_CELLS) {
      out.set(values.subarray(row, row + w), row);
      continue;
    }
    const k = gaussianKernel(sigma, w);
    const r = (k.length - 1) / 2;
    let total = 0;
    for (let t = 0; t < k.length; t++) total += k[t];
    const need = total / 2;
    for (let i = 0; i < w; i++) {
      let s = 0;
      let ws = 0;
      const lo = max(-r, -i);
      const hi = min(r, w - 1 - i);
      for (let t = lo; t <= hi; t++) {
        const v = values[row + i + t];
        if (v === v) {
          const kw = k[t + r];
          s += kw * v;
          ws += kw;
        }
      }
      out[row + i] = ws >= need ? s / ws : NO_DATA;
    }
  }
  return out;
}

/** Normalised convolution along columns with one kernel, accumulated row by row (cache friendly). */
function filterColumns(values: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma < MIN_SIGMA_CELLS) return values;
  const k = gaussianKernel(sigma, h);
  const r = (k.length - 1) / 2;
  let total = 0;
  for (let t = 0; t < k.length; t++) total += k[t];
  const need = total / 2;
  const out = new Float32Array(values.length);
  const s = new Float64Array(w);
  const ws = new Float64Array(w);
  for (let j = 0; j < h; j++) {
    s.fill(0);
    ws.fill(0);
    const lo = max(-r, -j);
    const hi = min(r, h - 1 - j);
    for (let t = lo; t <= hi; t++) {
      const kw = k[t + r];
      const row = (j + t) * w;
      for (let i = 0; i < w; i++) {
        const v = values[row + i];
        if (v === v) {
          s[i] += kw * v;
          ws[i] += kw;
        }
      }
    }
    const row = j * w;
    for (let i = 0; i < w; i++) out[row + i] = ws[i] >= need ? s[i] / ws[i] : NO_DATA;
  }
  return out;
}

/**
 * The field windows are sampled from: the patch itself when it is no finer than the window spacing
 * (or anti-aliasing is off), else the patch block-averaged (very fine sources) and Gaussian-filtered.
 * Pure and deterministic: the same patch gives the same bits.
 *
 * @example const field = antiAliasPatch(patch, 2); // then bilinear sampling on field
 */
export function antiAliasPatch(patch: SourcePatch, spacingKm: number): SourcePatch {
  const g = patch.geometry;
  if (g.width === 0 || g.height === 0) return patch;
  const latFirst = g.lat0;
  const latLast = g.lat0 + (g.height - 1) * g.dLat;
  const latAbsMin = latFirst * latLast <= 0 ? 0 : min(Math.abs(latFirst), Math.abs(latLast));
  const [dxWidest, dy] = cellKm(g, latAbsMin);
  const mx = min(blockFactor(spacingKm, dxWidest), g.width);
  const my = min(blockFactor(spacingKm, dy), g.height);
  const src = mx > 1 || my > 1 ? blockAverage(patch, mx, my) : patch;
  const sg = src.geometry;
  const sigmaY = antiAliasSigmaCells(spacingKm, Math.abs(sg.dLat) * KM_PER_DEG);
  const sigmaX = (j: number): number => antiAliasSigmaCells(spacingKm, cellKm(sg, sg.lat0 + j * sg.dLat)[0]);
  let anyX = false;
  for (let j = 0; j < sg.height && !anyX; j++) anyX = sigmaX(j) >= MIN_SIGMA_CELLS;
  if (!anyX && sigmaY < MIN_SIGMA_CELLS) return src;
  const rows = anyX ? filterRows(src.values, sg.width, sg.height, sigmaX) : src.values;
  return { values: filterColumns(rows, sg.width, sg.height, sigmaY), geometry: sg };
}
