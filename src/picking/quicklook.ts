/**
 * Quick-look map: the bathymetry (block-averaged to the image size, hill-shaded) with the picks drawn as
 * circles of their basal radius, a lon/lat frame, and what makes the map read on its own: a title with the
 * grid's name and the region shown, a colour bar of elevation in metres, a scale bar in km and a legend
 * entry for every symbol drawn. People look at maps before tables, often without the run that made them.
 */
import { basename } from 'node:path';
import { columnLon, lonPeriodColumns, lonToColumn, rowLat } from '../grid/geometry.js';
import { writeFileAtomic } from '../base/atomic.js';
import {
  bathymetryColour,
  drawColourBar,
  drawLegendEntry,
  drawMark,
  drawScaleBar,
  fitText,
  hillshade,
  KEY_BLOCK_HEIGHT_PX,
  LEGEND_ROW_HEIGHT_PX,
  legendEntryWidth,
  RasterCanvas,
  scaleBarLength,
  scaleBarWidth,
  type BarBox,
  type LegendEntry,
  type Rgba,
} from '../plot/index.js';
import type { GridSource, Region, Seamount } from '../types.js';
import { regionCells } from './region.js';
import { KM_PER_DEG, wrapLon180 } from '../base/geodesy.js';
const { abs, ceil, cos, floor, hypot, max, min, round } = Math;

const DEG = Math.PI / 180;
/** Colour of the pick circles: a red that the blue/green/brown bathymetry ramp never produces. */
export const PICK_COLOUR: Rgba = [255, 32, 32];
/** Colour of no-data cells on the map (and of their legend swatch). */
export const NODATA_COLOUR: Rgba = [160, 160, 160];
/** Source values held at once while averaging (bounds memory on any grid size). */
const READ_BUDGET_CELLS = 1 << 22;

/**
 * Space around the map, pixels: the map occupies x in [left, width − right), y in [top, height − bottom).
 * `bottom` holds the lon labels, the colour and scale bars and one legend row; a legend that needs more
 * rows (long labels on a narrow image) adds `LEGEND_ROW_HEIGHT_PX + 3` per row, and a map too narrow for
 * both bars side by side stacks them. The canvas's `layout` says where everything went.
 */
export const QUICKLOOK_MARGIN = { left: 56, right: 30, top: 34, bottom: 66 } as const;
const MARGIN = QUICKLOOK_MARGIN;
/** Caption of the colour bar: values are elevations (negative below sea level), as in the outputs' depth_m. */
export const COLOUR_BAR_CAPTION = 'ELEVATION (M)';

const INK: Rgba = [0, 0, 0];
const WHITE: Rgba = [255, 255, 255];
/** Gaps in the bottom margin, pixels: below the frame (lon labels live there), between key rows. */
const KEY_TOP_PX = 20;
const KEY_GAP_PX = 6;
const LEGEND_GAP_PX = 3;
/** Room kept clear at the image's right edge, pixels. */
const EDGE_PX = 4;

export interface QuicklookOptions {
  /** First title line (default "N seamounts"); the grid's name and the region shown always follow it. */
  title?: string;
  /** Width of the whole image, pixels (default 1200). */
  maxWidthPx?: number;
  /** Draw these layers instead of the seamounts' circles (e.g. matched, missed and new picks of a comparison). */
  layers?: MapLayer[];
}

/** Points drawn on a quick-look in one colour and mark, named in the legend. */
export interface MapLayer {
  label: string;
  colour: Rgba;
  /** circle: of the point's radius (at least 3 px); cross: an x of fixed size. */
  mark: 'circle' | 'cross';
  points: ReadonlyArray<{ lon: number; lat: number; radiusKm?: number }>;
}

/** Where a quick-look put each of its parts, pixels (origin top-left). */
export interface QuicklookLayout {
  map: { x: number; y: number; widthPx: number; heightPx: number; kmPerPx: number; midLatDeg: number };
  /** The title lines as drawn (the first at twice the font size when it fits). */
  title: string[];
  colourBar: BarBox & { lowM: number; highM: number };
  scaleBar: BarBox & { km: number; caption: string };
  legend: Array<{ x: number; y: number; entry: LegendEntry }>;
}

/** A rendered quick-look and its layout. */
export type QuicklookCanvas = RasterCanvas & { readonly layout: QuicklookLayout };

/**
 * PNG of the bathymetry (decimated to at most maxWidthPx, read in row bands: bounded memory),
 * hill-shaded, picks drawn as circles sized by radius, with a title (grid and region), a lon/lat frame,
 * a colour bar, a scale bar and a legend. Atomic write.
 *
 * @example await writeQuicklookPng('out/quicklook.png', grid, null, seamounts, { title: '108 seamounts' });
 */
export async function writeQuicklookPng(path: string, grid: GridSource, region: Region | null, seamounts: Seamount[], o: QuicklookOptions = {}): Promise<void> {
  const canvas = await renderQuicklook(grid, region, seamounts, o);
  await writeFileAtomic(path, canvas.toPng());
}

/**
 * The quick-look image as a canvas with its layout (for tests and for callers that add to it).
 *
 * @example const c = await renderQuicklook(grid, null, seamounts); c.layout.scaleBar.km // 50
 */
export async function renderQuicklook(grid: GridSource, region: Region | null, seamounts: Seamount[], o: QuicklookOptions = {}): Promise<QuicklookCanvas> {
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
  const scale = reliefScale(elevation);

  const layers = o.layers ?? [{ label: `SEAMOUNTS (${seamounts.length}): CIRCLE = BASAL RADIUS`, colour: PICK_COLOUR, mark: 'circle', points: seamounts }];
  const entries: LegendEntry[] = layers.map((l) => ({ label: l.label, colour: l.colour, mark: l.mark }));
  if (elevation.some(Number.isNaN)) entries.push({ label: 'NO DATA', colour: NODATA_COLOUR, mark: 'swatch' });
  const width = mapW + MARGIN.left + MARGIN.right;
  const key = keyLayout(width, mapW, mapH, kmPerPx, midLat, entries);
  const canvas = new RasterCanvas(width, MARGIN.top + mapH + key.bottomPx);

  drawRelief(canvas, elevation, mapW, mapH, kmPerPx, scale);
  const toPx = mapper(grid, cells, mapW, mapH);
  for (const layer of layers) {
    for (const s of layer.points) {
      const [px, py] = toPx(s.lon, s.lat);
      if (px < -0.5 || py < -0.5 || px > mapW + 0.5 || py > mapH + 0.5) continue;
      drawMark(canvas, MARGIN.left + px, MARGIN.top + py, layer.mark, layer.colour, (s.radiusKm ?? 0) / kmPerPx);
    }
  }
  // circles are clipped to the map: repaint the margins before the frame and labels
  const T = MARGIN.top;
  const L = MARGIN.left;
  canvas.fillRect(0, 0, canvas.width, T - 1, WHITE);
  canvas.fillRect(0, T + mapH + 1, canvas.width, canvas.height - (T + mapH + 1), WHITE);
  canvas.fillRect(0, 0, L - 1, canvas.height, WHITE);
  canvas.fillRect(L + mapW + 1, 0, canvas.width - (L + mapW + 1), canvas.height, WHITE);
  drawFrame(canvas, grid, cells, mapW, mapH);

  const name = basename(grid.path);
  const ext = extent(grid, cells);
  // the grid and the region shown; shorter forms for narrow images
  const subtitles = [`${name}, ${extentText(ext)}${region ? '' : ' (whole grid)'}`, `${name}, ${extentText(ext)}`, `${name}, ${regionText(ext)}`];
  const title = drawTitle(canvas, o.title ?? `${seamounts.length} seamounts`, subtitles);
  const colourBar = drawColourBar(canvas, { ...key.colourBar, low: scale.lowM, high: scale.highM, colour: scale.mapColour, caption: COLOUR_BAR_CAPTION });
  const scaleBar = drawScaleBar(canvas, key.scaleBar);
  for (const l of key.legend) drawLegendEntry(canvas, l.x, l.y, l.entry);

  const layout: QuicklookLayout = {
    map: { x: L, y: T, widthPx: mapW, heightPx: mapH, kmPerPx, midLatDeg: midLat },
    title,
    colourBar: { ...colourBar, lowM: scale.lowM, highM: scale.highM },
    scaleBar: { ...scaleBar, km: key.scaleBar.km, caption: key.scaleBar.caption },
    legend: key.legend,
  };
  return Object.assign(canvas, { layout });
}

interface KeyLayout {
  colourBar: { x: number; y: number; widthPx: number };
  scaleBar: { right: number; y: number; km: number; lengthPx: number; caption: string };
  legend: Array<{ x: number; y: number; entry: LegendEntry }>;
  /** Height of the bottom margin that holds it all. */
  bottomPx: number;
}

/**
 * Places the key under the map: colour bar on the left and scale bar on the right of one row (stacked
 * when the map is too narrow for both), then the legend entries left to right, wrapping at the image's
 * edge. Labels too long for a whole row are cut.
 */
function keyLayout(width: number, mapW: number, mapH: number, kmPerPx: number, midLat: number, entries: LegendEntry[]): KeyLayout {
  const L = MARGIN.left;
  const B = MARGIN.top + mapH;
  const { km, lengthPx } = scaleBarLength(kmPerPx, min(160, max(20, 0.3 * mapW)));
  const caption = fitText(`${km} km at ${formatLat(midLat, 0.1).replace('.0°', '°')}`, L + mapW - EDGE_PX);
  const scaleW = scaleBarWidth(lengthPx, caption);
  let y = B + KEY_TOP_PX;
  const barRoom = mapW - scaleW - 16;
  const colourBar = { x: L, y, widthPx: min(260, barRoom, round(0.5 * mapW)) };
  let scaleY = y;
  if (colourBar.widthPx < 60) {
    // too narrow for both in one row: the colour bar takes the map's width, the scale bar goes under it
    colourBar.widthPx = max(8, min(260, mapW));
    scaleY = y + KEY_BLOCK_HEIGHT_PX + KEY_GAP_PX;
  }
  y = scaleY + KEY_BLOCK_HEIGHT_PX + KEY_GAP_PX;
  const legend: KeyLayout['legend'] = [];
  const right = width - EDGE_PX;
  let x = L;
  for (const e of entries) {
    const entry = { ...e, label: fitText(e.label, right - L - legendEntryWidth('')) };
    const w = legendEntryWidth(entry.label);
    if (x > L && x + w > right) {
      x = L;
      y += LEGEND_ROW_HEIGHT_PX + LEGEND_GAP_PX;
    }
    legend.push({ x, y, entry });
    x += w + 16;
  }
  const bottom = y + LEGEND_ROW_HEIGHT_PX + EDGE_PX;
  return {
    colourBar,
    scaleBar: { right: L + mapW, y: scaleY, km, lengthPx, caption },
    legend,
    bottomPx: bottom - B,
  };
}

/**
 * Title lines: the caller's at double size when it fits (else single), then the first subtitle that fits;
 * aligned with the map, or from the image's left edge when that is what it takes to fit.
 */
function drawTitle(canvas: RasterCanvas, title: string, subtitles: string[]): string[] {
  const fromMap = canvas.width - MARGIN.left - EDGE_PX;
  const fromEdge = canvas.width - 2 * EDGE_PX;
  const at = (w: number) => (w <= fromMap ? MARGIN.left : EDGE_PX);
  const bigW = RasterCanvas.textWidth(title, 2);
  if (bigW <= fromEdge) canvas.text(at(bigW), 4, title, INK, 2);
  const first = bigW <= fromEdge ? title : fitText(title, fromEdge);
  if (bigW > fromEdge) canvas.text(at(RasterCanvas.textWidth(first)), 10, first, INK);
  const second = subtitles.find((t) => RasterCanvas.textWidth(t) <= fromEdge) ?? fitText(subtitles[subtitles.length - 1], fromEdge);
  canvas.text(at(RasterCanvas.textWidth(second)), 22, second, [60, 60, 60]);
  return [first, second];
}

interface Extent {
  west: number;
  east: number;
  south: number;
  north: number;
}

/** The map's extent, cell edges, degrees (east > west, also across the antimeridian). */
function extent(grid: GridSource, c: { x0: number; x1: number; y0: number; y1: number }): Extent {
  const lats = [rowLat(grid, c.y0), rowLat(grid, c.y1)];
  return {
    west: columnLon(grid, c.x0) - grid.dLon / 2,
    east: columnLon(grid, c.x1) + grid.dLon / 2,
    south: min(...lats) - abs(grid.dLat) / 2,
    north: max(...lats) + abs(grid.dLat) / 2,
  };
}

/** Degrees to two decimals at most, trailing zeros dropped. */
const deg2 = (v: number): string => String(Number(v.toFixed(2)));

/** "114.51°W to 109.49°W, 47.51°S to 43.49°S" (or "all longitudes, ..."). */
function extentText(e: Extent): string {
  const lon = (v: number) => formatLon(Number(v.toFixed(2)), 0.01).replace(/\.?0+°/, '°');
  const lat = (v: number) => formatLat(Number(v.toFixed(2)), 0.01).replace(/\.?0+°/, '°');
  const lons = e.east - e.west >= 360 - 1e-6 ? 'all longitudes' : `${lon(e.west)} to ${lon(e.east)}`;
  return `${lons}, ${lat(e.south)} to ${lat(e.north)}`;
}

/** The extent as `--region` takes it, W/E/S/N. */
const regionText = (e: Extent): string => `${deg2(wrapLon180(e.west))}/${deg2(wrapLon180(e.east))}/${deg2(e.south)}/${deg2(e.north)}`;

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

interface ReliefScale {
  /** Elevations at the deep and high ends of the colours (1st and 99th percentiles of the map), m. */
  lowM: number;
  highM: number;
  /** Colour of an elevation before shading. */
  colour: (m: number) => Rgba;
  /** Colour of an elevation on flat ground, as the map shows it (red capped): the colour bar's. */
  mapColour: (m: number) => Rgba;
}

/** Red is capped at green + 60 so that the map never takes the pick colour. */
const capRed = (r: number, g: number): number => min(r, g + 60, 255);

function reliefScale(z: Float32Array): ReliefScale {
  const valid = Array.from(z)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const lowM = valid.length > 0 ? valid[floor(0.01 * (valid.length - 1))] : -1;
  const highM = valid.length > 0 ? valid[ceil(0.99 * (valid.length - 1))] : 0;
  // an all-ocean map spreads the blues over its own depth range rather than down from sea level
  const colour =
    highM < 0 ? (v: number) => bathymetryColour(min(0, v - highM), min(lowM - highM, -1), 0) : (v: number) => bathymetryColour(v, min(lowM, -1), max(highM, 1));
  const mapColour = (v: number): Rgba => {
    const c = colour(v);
    return [capRed(c[0], c[1]), c[1], c[2]];
  };
  return { lowM, highM: highM > lowM ? highM : lowM + 1, colour, mapColour };
}

function drawRelief(canvas: RasterCanvas, z: Float32Array, w: number, h: number, kmPerPx: number, scale: ReliefScale): void {
  const { colour } = scale;
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
      canvas.rgba[k] = capRed(round(base[0] * shade), g);
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
