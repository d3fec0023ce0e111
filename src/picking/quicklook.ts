/**
 * Quick-look map: the bathymetry (block-averaged to the image size, hill-shaded) with the picks drawn as
 * circles of their basal radius, a title and a lon/lat frame. People look at maps before tables.
 */
import { basename } from 'node:path';
import { columnLon, lonPeriodColumns, lonToColumn, rowLat } from '../grid/geometry.js';
import { writeFileAtomic } from '../base/atomic.js';
import { bathymetryColour, hillshade, RasterCanvas, type Rgba } from '../plot/index.js';
import type { GridSource, Region, Seamount } from '../types.js';
import { regionCells } from './region.js';
import { KM_PER_DEG, wrapLon180 } from '../base/geodesy.js';
const { abs, ceil, cos, floor, hypot, max, min, round } = Math;

const DEG = Math.PI / 180;
/** Colour of the pick circles: a red that the blue/green/brown bathymetry ramp never produces. */
export const PICK_COLOUR: Rgba = [255, 32, 32];
/** Source values held at once while averaging (bounds memory on any grid size). */
const READ_BUDGET_CELLS = 1 << 22;

/** Space around the map, pixels: the map occupies x in [left, width − right), y in [top, height − bottom). */
export const QUICKLOOK_MARGIN = { left: 56, right: 30, top: 34, bottom: 40 } as const;
const MARGIN = QUICKLOOK_MARGIN;

export interface QuicklookOptions {
  title?: string;
  /** Width of the whole image, pixels (default 1200). */
  maxWidthPx?: number;
}

/**
 * PNG of the bathymetry (decimated to at most maxWidthPx, read in row bands: bounded memory),
 * hill-shaded, picks drawn as circles sized by radius, with a title and a lon/lat frame. Atomic write.
 *
 * @example await writeQuicklookPng('out/quicklook.png', grid, null, seamounts, { title: 'spac_33' });
 */
export async function writeQuicklookPng(
  path: string,
  grid: GridSource,
  region: Region | null,
  seamounts: Seamount[],
  o: QuicklookOptions = {},
): Promise<void> {
  const canvas = await renderQuicklook(grid, region, seamounts, o);
  await writeFileAtomic(path, canvas.toPng());
}

/** The quick-look image as a canvas (for tests and for callers that add to it). */
export async function renderQuicklook(grid: GridSource, region: Region | null, seamounts: Seamount[], o: QuicklookOptions = {}): Promise<RasterCanvas> {
  const cells = regionCells(grid, region);
  if (!cells) throw new Error(`${grid.path}: the region lies outside the grid`);
  const nx = cells.x1 - cells.x0 + 1;
  const ny = cells.y1 - cells.y0 + 1;
  const midLat = (rowLat(grid, cells.y0) + rowLat(grid, cells.y1)) / 2;
  // map size: at most the width allowed, never more pixels than cells, equal km per pixel both ways
  const maxMapW = max(16, (o.maxWidthPx ?? 1200) - MARGIN.left - MARGIN.right);
  const kmX = nx * grid.dLon * KM_PER_DEG * max(cos(midLat * DEG), 0.05);
  const kmY = ny * abs(grid.dLat) * KM_PER_DEG;
  const mapW = max(1, min(maxMapW, 4 * nx));
  const kmPerPx = kmX / mapW;
  const mapH = max(1, min(round(kmY / kmPerPx), 4 * maxMapW));
  const elevation = await blockMeans(grid, cells, mapW, mapH);

  const canvas = new RasterCanvas(mapW + MARGIN.left + MARGIN.right, mapH + MARGIN.top + MARGIN.bottom);
  drawRelief(canvas, elevation, mapW, mapH, kmPerPx);
  const toPx = mapper(grid, cells, mapW, mapH);
  for (const s of seamounts) {
    const [px, py] = toPx(s.lon, s.lat);
    if (px < -0.5 || py < -0.5 || px > mapW + 0.5 || py > mapH + 0.5) continue;
    const r = max(3, s.radiusKm / kmPerPx);
    canvas.circle(MARGIN.left + px, MARGIN.top + py, r, PICK_COLOUR);
    canvas.circle(MARGIN.left + px, MARGIN.top + py, r - 1, PICK_COLOUR);
  }
  // circles are clipped to the map: repaint the margins before the frame and labels
  const white: Rgba = [255, 255, 255];
  canvas.fillRect(0, 0, canvas.width, MARGIN.top - 1, white);
  canvas.fillRect(0, MARGIN.top + mapH + 1, canvas.width, MARGIN.bottom, white);
  canvas.fillRect(0, 0, MARGIN.left - 1, canvas.height, white);
  canvas.fillRect(MARGIN.left + mapW + 1, 0, MARGIN.right, canvas.height, white);
  drawFrame(canvas, grid, cells, mapW, mapH);
  const title = o.title ?? `${basename(grid.path)}: ${seamounts.length} seamounts`;
  canvas.text(MARGIN.left, 10, title, [0, 0, 0], 2);
  canvas.text(MARGIN.left, MARGIN.top + mapH + 26, 'CIRCLES: PICKS, RADIUS = BASAL RADIUS', [60, 60, 60]);
  return canvas;
}

/**
 * Mean of the valid cells under each map pixel, north at the top; where the map is finer than the grid a
 * cell fills every pixel it covers. Reads bands of rows.
 */
async function blockMeans(grid: GridSource, c: { x0: number; x1: number; y0: number; y1: number }, mapW: number, mapH: number): Promise<Float32Array> {
  const nx = c.x1 - c.x0 + 1;
  const ny = c.y1 - c.y0 + 1;
  const sum = new Float64Array(mapW * mapH);
  const count = new Uint32Array(mapW * mapH);
  const northUp = grid.dLat < 0;
  // pixels [lo, hi) covered by each source column / row (at least one, so upsampling leaves no gaps)
  const pxLo = new Int32Array(nx);
  const pxHi = new Int32Array(nx);
  for (let i = 0; i < nx; i++) [pxLo[i], pxHi[i]] = coveredPixels(i, nx, mapW);
  const bandRows = max(1, floor(READ_BUDGET_CELLS / nx));
  for (let r0 = 0; r0 < ny; r0 += bandRows) {
    const h = min(bandRows, ny - r0);
    const values = await grid.read({ x0: c.x0, y0: c.y0 + r0, w: nx, h });
    for (let j = 0; j < h; j++) {
      const row = r0 + j; // 0 = first stored row of the region
      const [pyLo, pyHi] = coveredPixels(northUp ? row : ny - 1 - row, ny, mapH);
      for (let i = 0; i < nx; i++) {
        const v = values[j * nx + i];
        if (Number.isNaN(v)) continue;
        for (let py = pyLo; py < pyHi; py++) {
          for (let px = pxLo[i]; px < pxHi[i]; px++) {
            sum[py * mapW + px] += v;
            count[py * mapW + px]++;
          }
        }
      }
    }
  }
  const out = new Float32Array(mapW * mapH);
  for (let k = 0; k < out.length; k++) out[k] = count[k] > 0 ? sum[k] / count[k] : NaN;
  return out;
}

/** Pixels [lo, hi) whose centres fall in cell i of n (or the one pixel under it when cells are smaller). */
function coveredPixels(i: number, n: number, pixels: number): [number, number] {
  const lo = ceil((i * pixels) / n - 0.5);
  const hi = ceil(((i + 1) * pixels) / n - 0.5);
  if (hi > lo) return [max(0, lo), min(pixels, hi)];
  const p = min(pixels - 1, floor(((i + 0.5) * pixels) / n));
  return [p, p + 1];
}

function drawRelief(canvas: RasterCanvas, z: Float32Array, w: number, h: number, kmPerPx: number): void {
  const valid = Array.from(z).filter(Number.isFinite).sort((a, b) => a - b);
  const lowM = valid.length > 0 ? valid[floor(0.01 * (valid.length - 1))] : -1;
  const highM = valid.length > 0 ? valid[ceil(0.99 * (valid.length - 1))] : 0;
  // an all-ocean map spreads the blues over its own depth range rather than down from sea level
  const colour = highM < 0 ? (v: number) => bathymetryColour(min(0, v - highM), min(lowM - highM, -1), 0) : (v: number) => bathymetryColour(v, min(lowM, -1), max(highM, 1));
  // exaggerate relief so that the steeper tenth of the map reads as steep, whatever the pixel size
  const at = (x: number, y: number) => z[min(h - 1, max(0, y)) * w + min(w - 1, max(0, x))];
  const gx = new Float32Array(w * h);
  const gy = new Float32Array(w * h);
  const mags: number[] = [];
  const metresPerPx = kmPerPx * 1000;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = (at(x + 1, y) - at(x - 1, y)) / (2 * metresPerPx);
      const dy = (at(x, y + 1) - at(x, y - 1)) / (2 * metresPerPx);
      gx[y * w + x] = dx;
      gy[y * w + x] = dy;
      if (Number.isFinite(dx) && Number.isFinite(dy) && (x + y) % 3 === 0) mags.push(hypot(dx, dy));
    }
  }
  mags.sort((a, b) => a - b);
  const p90 = mags.length > 0 ? mags[floor(0.9 * (mags.length - 1))] : 0;
  const exaggeration = p90 > 0 ? 1 / p90 : 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = z[y * w + x];
      const base = colour(v);
      const dx = gx[y * w + x];
      const dy = gy[y * w + x];
      const shade = Number.isFinite(dx) && Number.isFinite(dy) ? hillshade(dx * exaggeration, dy * exaggeration) : 1;
      const g = min(255, round(base[1] * shade));
      // opaque pixels straight into the buffer; red is capped so the map never takes the pick colour
      const k = ((MARGIN.top + y) * canvas.width + MARGIN.left + x) * 4;
      canvas.rgba[k] = min(round(base[0] * shade), g + 60, 255);
      canvas.rgba[k + 1] = g;
      canvas.rgba[k + 2] = min(255, round(base[2] * shade));
      canvas.rgba[k + 3] = 255;
    }
  }
}

/** lon/lat → map pixel (fractional, origin at the map's top-left corner). */
function mapper(grid: GridSource, c: { x0: number; x1: number; y0: number; y1: number }, mapW: number, mapH: number) {
  const nx = c.x1 - c.x0 + 1;
  const ny = c.y1 - c.y0 + 1;
  const period = grid.periodicLon ? lonPeriodColumns(grid) : Infinity;
  return (lon: number, lat: number): [number, number] => {
    let col = lonToColumn(grid, lon) - c.x0;
    if (Number.isFinite(period)) col -= period * floor((col + 0.5) / period); // the alias inside the region
    const row = (lat - rowLat(grid, c.y0)) / grid.dLat;
    const fromTop = grid.dLat < 0 ? row : ny - 1 - row;
    return [((col + 0.5) * mapW) / nx, ((fromTop + 0.5) * mapH) / ny];
  };
}

function drawFrame(canvas: RasterCanvas, grid: GridSource, c: { x0: number; x1: number; y0: number; y1: number }, mapW: number, mapH: number): void {
  const ink: Rgba = [0, 0, 0];
  const L = MARGIN.left;
  const T = MARGIN.top;
  canvas.line(L - 1, T - 1, L + mapW, T - 1, ink);
  canvas.line(L - 1, T + mapH, L + mapW, T + mapH, ink);
  canvas.line(L - 1, T - 1, L - 1, T + mapH, ink);
  canvas.line(L + mapW, T - 1, L + mapW, T + mapH, ink);
  const toPx = mapper(grid, c, mapW, mapH);
  // longitude ticks, measured from the western edge so they continue across the antimeridian
  const west = columnLon(grid, c.x0) - grid.dLon / 2;
  const spanLon = (c.x1 - c.x0 + 1) * grid.dLon;
  const stepLon = niceStep(spanLon, max(2, floor(mapW / 64)));
  for (let lon = ceil(west / stepLon) * stepLon; lon <= west + spanLon + 1e-9; lon += stepLon) {
    const px = L + toPx(lon, rowLat(grid, c.y0))[0];
    if (px < L - 1.5 || px > L + mapW + 1.5) continue;
    canvas.line(px, T + mapH, px, T + mapH + 4, ink);
    const label = formatLon(lon, stepLon);
    canvas.text(px - RasterCanvas.textWidth(label) / 2, T + mapH + 7, label, ink);
  }
  const lats = [rowLat(grid, c.y0), rowLat(grid, c.y1)];
  const south = min(...lats) - abs(grid.dLat) / 2;
  const north = max(...lats) + abs(grid.dLat) / 2;
  const stepLat = niceStep(north - south, max(2, floor(mapH / 40)));
  for (let lat = ceil(south / stepLat) * stepLat; lat <= north + 1e-9; lat += stepLat) {
    const py = T + toPx(columnLon(grid, c.x0), lat)[1];
    if (py < T - 1.5 || py > T + mapH + 1.5) continue;
    canvas.line(L - 5, py, L - 1, py, ink);
    const label = formatLat(lat, stepLat);
    canvas.text(L - 8 - RasterCanvas.textWidth(label), py - 3, label, ink);
  }
}

/** The smallest round tick step giving at most `maxTicks` ticks over `span` degrees. */
function niceStep(span: number, maxTicks: number): number {
  const steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 45, 60, 90];
  return steps.find((s) => span / s <= min(8, maxTicks)) ?? 90;
}

function decimals(step: number): number {
  return step >= 1 ? 0 : step >= 0.1 ? (step === 0.25 ? 2 : 1) : 2;
}

function formatLon(lon: number, step: number): string {
  const w = wrapLon180(lon);
  const v = abs(w).toFixed(decimals(step));
  return Number(v) === 0 || Number(v) === 180 ? `${v}°` : `${v}°${w < 0 ? 'W' : 'E'}`;
}

function formatLat(lat: number, step: number): string {
  const v = abs(lat).toFixed(decimals(step));
  return Number(v) === 0 ? `${v}°` : `${v}°${lat < 0 ? 'S' : 'N'}`;
}
