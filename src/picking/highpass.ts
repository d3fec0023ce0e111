/**
 * High-passed bathymetry and its peaks, computed band by band so memory stays bounded whatever the grid.
 *
 * The regional trend is a Gaussian low-pass of σ = highpassKm / 6 (GMT `grdfilter -Fg` width
 * convention). It is computed on block means about σ/3 across (the trend is smooth, so this costs
 * little accuracy and makes the filter cheap on fine grids) and interpolated back bilinearly. The
 * blocks are aligned to the region, not to the bands, and every band reads enough halo for the full
 * kernel, so the result does not depend on the band size.
 */
import { columnLon, lonPeriodColumns, rowLat } from '../grid/geometry.js';
import { regionCells } from './region.js';
import type { GridSource, PixelWindow, Region } from '../types.js';
import { KM_PER_DEG, wrapLon180 } from '../base/geodesy.js';
const { abs, ceil, cos, exp, floor, max, min } = Math;

const DEG = Math.PI / 180;

export interface HighpassPeakOptions {
  /** Width (6 σ) of the Gaussian regional trend removed, km; 0 removes nothing. */
  highpassKm: number;
  /** A peak is the highest high-passed cell within this radius, km. */
  peakRadiusKm: number;
  /** Peaks lower than this above the regional trend are ignored, m. */
  minReliefM: number;
  /** Grid rows handled per band. */
  bandRows: number;
}

export interface HighpassPeak {
  /** Column (wrapped into the grid's period) and row of the peak cell. */
  x: number;
  y: number;
  /** Cell centre, lon in −180..180. */
  lon: number;
  lat: number;
  /** Height of the cell above the regional trend, m. */
  reliefM: number;
  elevationM: number;
}

/**
 * Local maxima of the high-passed bathymetry over a region, standing at least `minReliefM` above the
 * regional trend, in raster order. Ties go to the first cell in raster order.
 *
 * @example
 * const peaks = await findHighpassPeaks(grid, null, { highpassKm: 100, peakRadiusKm: 6, minReliefM: 200, bandRows: 512 });
 */
export async function findHighpassPeaks(grid: GridSource, region: Region | null, o: HighpassPeakOptions): Promise<HighpassPeak[]> {
  const cells = regionCells(grid, region);
  if (!cells) return [];
  const peaks: HighpassPeak[] = [];
  const bandRows = max(1, o.bandRows);
  for (let b0 = cells.y0; b0 <= cells.y1; b0 += bandRows) {
    const b1 = min(cells.y1, b0 + bandRows - 1);
    const band = await highpassBand(grid, cells, b0, b1, o);
    collectPeaks(grid, band, b0, b1, cells, o, peaks);
  }
  return peaks;
}

/** High-passed values over rows/columns of `win` (which covers the band plus the peak-test margin). */
export interface HighpassBand {
  win: PixelWindow;
  values: Float32Array;
  highpass: Float32Array;
}

/**
 * High-pass of rows b0..b1 (columns cells.x0..x1) plus a margin of peak-radius rows and columns around
 * them. The trend's blocks are aligned to `align` (default: the cells' corner): pieces computed with the
 * same alignment give the same value for a cell whichever piece computed it.
 */
export async function highpassBand(
  grid: GridSource,
  cells: { x0: number; x1: number; y0: number; y1: number },
  b0: number,
  b1: number,
  o: Pick<HighpassPeakOptions, 'highpassKm' | 'peakRadiusKm'>,
  align: { x0: number; y0: number } = cells,
): Promise<HighpassBand> {
  const cellY = abs(grid.dLat) * KM_PER_DEG;
  const maxAbsLat = max(abs(rowLat(grid, b0)), abs(rowLat(grid, b1)));
  const cellXMin = grid.dLon * KM_PER_DEG * max(cos(min(89, maxAbsLat) * DEG), 1e-3);
  const marginY = ceil(o.peakRadiusKm / cellY);
  const marginX = min(ceil(o.peakRadiusKm / cellXMin), grid.width);
  // output window: the band and its margin
  const out = clampRows(grid, { x0: cells.x0 - marginX, y0: b0 - marginY, w: cells.x1 - cells.x0 + 1 + 2 * marginX, h: b1 - b0 + 1 + 2 * marginY });
  if (o.highpassKm <= 0) {
    const values = await grid.read(out);
    return { win: out, values, highpass: values.slice() };
  }

  const sigmaKm = o.highpassKm / 6;
  const f = max(1, floor(sigmaKm / 3 / cellY));
  const haloY = ceil((3 * sigmaKm) / cellY) + 2 * f;
  const haloX = min(ceil((3 * sigmaKm) / cellXMin) + 2 * f, grid.width);
  // source window for the trend, its origin aligned to blocks of f counted from the region's corner
  const sx0 = align.x0 + floor((out.x0 - haloX - align.x0) / f) * f;
  const sy0 = align.y0 + floor((out.y0 - haloY - align.y0) / f) * f;
  const sx1 = out.x0 + out.w - 1 + haloX;
  const sy1 = out.y0 + out.h - 1 + haloY;
  const cw = ceil((sx1 - sx0 + 1) / f);
  const ch = ceil((sy1 - sy0 + 1) / f);
  // block means (NaN-aware); blocks off the grid stay empty
  const sum = new Float64Array(cw * ch);
  const count = new Float64Array(cw * ch);
  const readWin = clampRows(grid, { x0: sx0, y0: sy0, w: cw * f, h: ch * f });
  const src = readWin.w > 0 && readWin.h > 0 ? await grid.read(readWin) : new Float32Array(0);
  // the output cells lie inside what was read for the trend: copy them out rather than read twice
  const values = new Float32Array(out.w * out.h);
  for (let j = 0; j < out.h; j++) {
    const from = (out.y0 + j - readWin.y0) * readWin.w + (out.x0 - readWin.x0);
    values.set(src.subarray(from, from + out.w), j * out.w);
  }
  for (let j = 0; j < readWin.h; j++) {
    const cj = floor((readWin.y0 + j - sy0) / f);
    for (let i = 0; i < readWin.w; i++) {
      const v = src[j * readWin.w + i];
      if (Number.isNaN(v)) continue;
      const k = cj * cw + floor((readWin.x0 + i - sx0) / f);
      sum[k] += v;
      count[k]++;
    }
  }
  const mean = new Float64Array(cw * ch);
  const valid = new Float64Array(cw * ch);
  for (let k = 0; k < mean.length; k++) {
    if (count[k] > 0) {
      mean[k] = sum[k] / count[k];
      valid[k] = 1;
    }
  }
  // separable Gaussian on the blocks: along rows (σ in blocks depends on latitude), then along columns
  const rowLats = Array.from({ length: ch }, (_, cj) => rowLat(grid, sy0 + cj * f + (f - 1) / 2));
  const sigmaYBlocks = sigmaKm / (cellY * f);
  const tmpV = new Float64Array(cw * ch);
  const tmpW = new Float64Array(cw * ch);
  for (let cj = 0; cj < ch; cj++) {
    const cellX = grid.dLon * KM_PER_DEG * max(cos(min(89, abs(rowLats[cj])) * DEG), 1e-3);
    const kernel = gaussianKernel(sigmaKm / (cellX * f));
    convolve1d(mean, valid, tmpV, tmpW, cj * cw, 1, cw, kernel);
  }
  const lowV = new Float64Array(cw * ch);
  const lowW = new Float64Array(cw * ch);
  const kernelY = gaussianKernel(sigmaYBlocks);
  for (let ci = 0; ci < cw; ci++) convolve1d(tmpV, tmpW, lowV, lowW, ci, cw, ch, kernelY);
  // bilinear back to the cells of the output window
  const highpass = new Float32Array(out.w * out.h);
  for (let j = 0; j < out.h; j++) {
    const fy = (out.y0 + j - sy0 - (f - 1) / 2) / f;
    const j0 = max(0, min(ch - 2, floor(fy)));
    const ty = max(0, min(1, fy - j0));
    for (let i = 0; i < out.w; i++) {
      const v = values[j * out.w + i];
      if (Number.isNaN(v)) {
        highpass[j * out.w + i] = NaN;
        continue;
      }
      const fx = (out.x0 + i - sx0 - (f - 1) / 2) / f;
      const i0 = max(0, min(cw - 2, floor(fx)));
      const tx = max(0, min(1, fx - i0));
      // bilinear over the four surrounding blocks, skipping blocks with no data under the kernel
      const i1 = min(cw - 1, i0 + 1);
      const j1 = min(ch - 1, j0 + 1);
      let acc = 0;
      let wsum = 0;
      const corner = (k: number, wt: number) => {
        if (wt > 0 && lowW[k] > 1e-9) {
          acc += (wt * lowV[k]) / lowW[k];
          wsum += wt;
        }
      };
      corner(j0 * cw + i0, (1 - tx) * (1 - ty));
      corner(j0 * cw + i1, tx * (1 - ty));
      corner(j1 * cw + i0, (1 - tx) * ty);
      corner(j1 * cw + i1, tx * ty);
      highpass[j * out.w + i] = wsum > 0 ? v - acc / wsum : NaN;
    }
  }
  return { win: out, values, highpass };
}

/** Rows clamped to the grid; columns clamped unless the grid wraps. */
function clampRows(grid: GridSource, w: PixelWindow): PixelWindow {
  const y0 = max(0, w.y0);
  const y1 = min(grid.height - 1, w.y0 + w.h - 1);
  let x0 = w.x0;
  let x1 = w.x0 + w.w - 1;
  if (!grid.periodicLon) {
    x0 = max(0, x0);
    x1 = min(grid.width - 1, x1);
  }
  return { x0, y0, w: max(0, x1 - x0 + 1), h: max(0, y1 - y0 + 1) };
}

function gaussianKernel(sigma: number): Float64Array {
  const r = max(1, ceil(3 * sigma));
  const k = new Float64Array(2 * r + 1);
  for (let i = -r; i <= r; i++) k[i + r] = exp((-0.5 * i * i) / (sigma * sigma));
  return k;
}

/**
 * 1-D convolution along a strided line of `v` (values already multiplied by their weight, 0 where
 * no-data) and of the weights `w`; their ratio is the no-data-aware filtered value.
 */
function convolve1d(
  v: Float64Array,
  w: Float64Array,
  outV: Float64Array,
  outW: Float64Array,
  start: number,
  stride: number,
  n: number,
  kernel: Float64Array,
): void {
  const r = (kernel.length - 1) / 2;
  for (let i = 0; i < n; i++) {
    let sv = 0;
    let sw = 0;
    const lo = max(0, i - r);
    const hi = min(n - 1, i + r);
    for (let t = lo; t <= hi; t++) {
      const k = start + t * stride;
      const kw = kernel[t - i + r];
      sv += kw * v[k];
      sw += kw * w[k];
    }
    outV[start + i * stride] = sv;
    outW[start + i * stride] = sw;
  }
}

function collectPeaks(
  grid: GridSource,
  band: HighpassBand,
  b0: number,
  b1: number,
  cells: { x0: number; x1: number },
  o: HighpassPeakOptions,
  peaks: HighpassPeak[],
): void {
  const { win, highpass, values } = band;
  const cellY = abs(grid.dLat) * KM_PER_DEG;
  const period = grid.periodicLon ? lonPeriodColumns(grid) : Infinity;
  for (let y = b0; y <= b1; y++) {
    const j = y - win.y0;
    const lat = rowLat(grid, y);
    const cellX = grid.dLon * KM_PER_DEG * max(cos(min(89.9, abs(lat)) * DEG), 1e-3);
    const ky = floor(o.peakRadiusKm / cellY);
    const kx = min(floor(o.peakRadiusKm / cellX), floor((win.w - 1) / 2));
    for (let x = cells.x0; x <= cells.x1; x++) {
      const i = x - win.x0;
      const h = highpass[j * win.w + i];
      if (!(h >= o.minReliefM)) continue;
      let isPeak = true;
      for (let dj = -ky; dj <= ky && isPeak; dj++) {
        const jj = j + dj;
        if (jj < 0 || jj >= win.h) continue;
        for (let di = -kx; di <= kx; di++) {
          if (di === 0 && dj === 0) continue;
          if ((di * cellX) ** 2 + (dj * cellY) ** 2 > o.peakRadiusKm ** 2) continue;
          const ii = i + di;
          if (ii < 0 || ii >= win.w) continue;
          const n = highpass[jj * win.w + ii];
          // strictly higher neighbours win; equal ones win when they come first in raster order
          if (n > h || (n === h && (dj < 0 || (dj === 0 && di < 0)))) {
            isPeak = false;
            break;
          }
        }
      }
      if (!isPeak) continue;
      const xw = Number.isFinite(period) ? ((x % period) + period) % period : x;
      peaks.push({ x: xw, y, lon: wrapLon180(columnLon(grid, x)), lat, reliefM: h, elevationM: values[j * win.w + i] });
    }
  }
}
