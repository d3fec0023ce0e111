/**
 * The key under a map, so a map reads without its caption: a colour bar of elevation with its unit, a
 * scale bar in km, and legend entries that repeat each symbol exactly as the map draws it. Pure drawing
 * on a RasterCanvas; where each part goes is the caller's layout.
 */
import { RasterCanvas, type Rgba } from './canvas.js';
import { GLYPH_HEIGHT } from './font.js';

const { abs, floor, log10, max, min, pow, round } = Math;

/** How a set of points is drawn: a ring of the point's radius, a fixed x, or a filled square (areas). */
export type MarkKind = 'circle' | 'cross' | 'swatch';

/** Half-size of crosses, swatches and legend rings, pixels. */
export const MARK_HALF_PX = 4;

const INK: Rgba = [0, 0, 0];
const LABEL_INK: Rgba = [60, 60, 60];

/** Gap between a key part's caption and its bar, and the bar's height, pixels. */
const CAPTION_GAP_PX = 2;
const BAR_HEIGHT_PX = 8;

/** Height of a colour bar or scale bar block: caption, bar, tick marks, tick labels. */
export const KEY_BLOCK_HEIGHT_PX = GLYPH_HEIGHT + CAPTION_GAP_PX + BAR_HEIGHT_PX + 3 + GLYPH_HEIGHT;
/** Height of one legend row. */
export const LEGEND_ROW_HEIGHT_PX = 2 * MARK_HALF_PX + 1;

/**
 * One mark centred at (x, y): a two-pixel ring of `radiusPx` (at least 3), an x spanning ±4 px, or an
 * 8 × 8 square. The map and its legend both draw with this, so the legend shows the same symbol.
 *
 * @example drawMark(canvas, 120, 80, 'circle', [255, 32, 32], 6.5)
 */
export function drawMark(canvas: RasterCanvas, x: number, y: number, kind: MarkKind, colour: Rgba, radiusPx = MARK_HALF_PX): void {
  const h = MARK_HALF_PX;
  if (kind === 'cross') {
    for (const d of [-0.5, 0, 0.5]) {
      canvas.line(x - h + d, y - h, x + h + d, y + h, colour);
      canvas.line(x - h + d, y + h, x + h + d, y - h, colour);
    }
  } else if (kind === 'swatch') {
    canvas.fillRect(x - h, y - h, 2 * h, 2 * h, colour);
  } else {
    const r = max(3, radiusPx);
    canvas.circle(x, y, r, colour);
    canvas.circle(x, y, r - 1, colour);
  }
}

/**
 * `text` cut to fit `maxPx` at `scale` (ending in ".." when cut).
 *
 * @example fitText('a long grid name.nc', 60) // 'A LONG ..' is drawn; returns 'a long ..'
 */
export function fitText(text: string, maxPx: number, scale = 1): string {
  if (RasterCanvas.textWidth(text, scale) <= maxPx) return text;
  const chars = [...text];
  for (let n = chars.length - 1; n > 0; n--) {
    const cut = `${chars.slice(0, n).join('').trimEnd()}..`;
    if (RasterCanvas.textWidth(cut, scale) <= maxPx) return cut;
  }
  return '';
}

/**
 * Round values (1, 2, 2.5 or 5 × 10^k apart) inside [low, high], at most `maxTicks` of them.
 *
 * @example niceTicks(-5230, -1480, 5) // [-5000, -4000, -3000, -2000]
 */
export function niceTicks(low: number, high: number, maxTicks: number): number[] {
  const span = high - low;
  if (!(span > 0) || maxTicks < 1) return [];
  const magnitude = pow(10, floor(log10(span)) - 1);
  const step =
    [1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000].map((f) => f * magnitude).find((s) => floor(high / s) - Math.ceil(low / s) + 1 <= maxTicks) ??
    span;
  const ticks: number[] = [];
  for (let k = Math.ceil(low / step); k * step <= high + 1e-9 * abs(step); k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

export interface ColourBarSpec {
  /** Top-left of the block (caption first), pixels. */
  x: number;
  y: number;
  widthPx: number;
  /** Values at the left and right ends of the bar, in the unit the caption names. */
  low: number;
  high: number;
  /** The colour the map gives a value. */
  colour: (value: number) => Rgba;
  /** E.g. "ELEVATION (M)". */
  caption: string;
}

/** Where the bar itself lies (for tests and callers that annotate it). */
export interface BarBox {
  x: number;
  y: number;
  widthPx: number;
  heightPx: number;
}

/**
 * A horizontal colour bar: caption, one column per pixel in the colour of the value under its centre
 * (low on the left), round ticks with labels below. Returns the bar's box.
 *
 * @example drawColourBar(canvas, { x: 56, y: 420, widthPx: 200, low: -5200, high: -1500, colour, caption: 'ELEVATION (M)' })
 */
export function drawColourBar(canvas: RasterCanvas, s: ColourBarSpec): BarBox {
  const w = max(1, round(s.widthPx));
  canvas.text(s.x, s.y, fitText(s.caption, max(w, 1)), INK);
  const barY = s.y + GLYPH_HEIGHT + CAPTION_GAP_PX;
  const span = s.high - s.low;
  for (let i = 0; i < w; i++) {
    const v = s.low + ((i + 0.5) / w) * span;
    canvas.fillRect(s.x + i, barY, 1, BAR_HEIGHT_PX, s.colour(v));
  }
  // outline just outside the bar, so every column inside keeps its colour
  const grey: Rgba = [90, 90, 90];
  canvas.line(s.x - 1, barY - 1, s.x + w, barY - 1, grey);
  canvas.line(s.x - 1, barY + BAR_HEIGHT_PX, s.x + w, barY + BAR_HEIGHT_PX, grey);
  canvas.line(s.x - 1, barY - 1, s.x - 1, barY + BAR_HEIGHT_PX, grey);
  canvas.line(s.x + w, barY - 1, s.x + w, barY + BAR_HEIGHT_PX, grey);
  const labelY = barY + BAR_HEIGHT_PX + 3;
  let lastRight = -Infinity;
  for (const t of niceTicks(s.low, s.high, max(1, floor(w / 40)))) {
    const px = s.x + ((t - s.low) / span) * w;
    canvas.line(px, barY + BAR_HEIGHT_PX, px, barY + BAR_HEIGHT_PX + 1, INK);
    const label = String(t);
    const lw = RasterCanvas.textWidth(label);
    const lx = min(max(round(px - lw / 2), s.x - 4), s.x + w + 4 - lw);
    if (lx < lastRight + 4) continue;
    canvas.text(lx, labelY, label, INK);
    lastRight = lx + lw;
  }
  return { x: s.x, y: barY, widthPx: w, heightPx: BAR_HEIGHT_PX };
}

/**
 * The longest round distance (1, 2 or 5 × 10^k km) whose bar is at most `maxPx` long.
 *
 * @example scaleBarLength(0.93, 150) // { km: 100, lengthPx: 107.5 }
 */
export function scaleBarLength(kmPerPx: number, maxPx: number): { km: number; lengthPx: number } {
  const most = kmPerPx * max(1, maxPx);
  const decade = pow(10, floor(log10(most)));
  const km = Number(([5, 2, 1].map((f) => f * decade).find((d) => d <= most) ?? decade).toPrecision(12));
  return { km, lengthPx: km / kmPerPx };
}

export interface ScaleBarSpec {
  /** Right end of the block (the bar is right-aligned), and its top, pixels. */
  right: number;
  y: number;
  km: number;
  lengthPx: number;
  /** Caption, e.g. "100 KM AT 45.5°S". */
  caption: string;
}

/** Width of a scale bar block: its bar or its caption, whichever is wider. */
export const scaleBarWidth = (lengthPx: number, caption: string): number => max(round(lengthPx), RasterCanvas.textWidth(caption));

/**
 * A scale bar: caption right-aligned above a black bar `lengthPx` long (two pixels thick, end ticks the
 * colour bar's height). Returns the bar's box.
 *
 * @example drawScaleBar(canvas, { right: 556, y: 420, km: 100, lengthPx: 107.5, caption: '100 KM AT 45.5°S' })
 */
export function drawScaleBar(canvas: RasterCanvas, s: ScaleBarSpec): BarBox {
  const len = max(1, round(s.lengthPx));
  canvas.text(s.right - RasterCanvas.textWidth(s.caption), s.y, s.caption, INK);
  const barY = s.y + GLYPH_HEIGHT + CAPTION_GAP_PX;
  const x0 = s.right - len;
  const mid = barY + BAR_HEIGHT_PX / 2 - 1;
  canvas.fillRect(x0, mid, len, 2, INK);
  canvas.fillRect(x0, barY, 1, BAR_HEIGHT_PX, INK);
  canvas.fillRect(s.right - 1, barY, 1, BAR_HEIGHT_PX, INK);
  return { x: x0, y: barY, widthPx: len, heightPx: BAR_HEIGHT_PX };
}

export interface LegendEntry {
  label: string;
  colour: Rgba;
  mark: MarkKind;
}

/** Width of one legend entry: the mark, a gap, the label. */
export const legendEntryWidth = (label: string): number => 2 * MARK_HALF_PX + 4 + RasterCanvas.textWidth(label);

/**
 * One legend entry with its top-left at (x, y): the mark in the entry's colour, then the label.
 *
 * @example drawLegendEntry(canvas, 56, 470, { label: 'SEAMOUNTS (12)', colour: [255, 32, 32], mark: 'circle' })
 */
export function drawLegendEntry(canvas: RasterCanvas, x: number, y: number, e: LegendEntry): void {
  drawMark(canvas, x + MARK_HALF_PX, y + MARK_HALF_PX, e.mark, e.colour);
  canvas.text(x + 2 * MARK_HALF_PX + 4, y + 1, e.label, LABEL_INK);
}
