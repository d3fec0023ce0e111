/**
 * A small RGBA raster canvas with the few primitives our figures need (rectangles, lines, circles, text),
 * encoded to PNG by fast-png. Coordinates are pixels, origin top-left.
 */
import { encode } from 'fast-png';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from './font.js';

const { round, max, min } = Math;

/** [r, g, b] or [r, g, b, a], 0..255. */
export type Rgba = readonly [number, number, number] | readonly [number, number, number, number];

export class RasterCanvas {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;

  constructor(width: number, height: number, background: Rgba = [255, 255, 255]) {
    this.width = max(1, round(width));
    this.height = max(1, round(height));
    this.rgba = new Uint8Array(this.width * this.height * 4);
    this.fillRect(0, 0, this.width, this.height, background);
  }

  /** Sets one pixel, alpha-blending over what is there. Out-of-bounds pixels are ignored. */
  setPixel(x: number, y: number, c: Rgba): void {
    const xi = round(x);
    const yi = round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const i = (yi * this.width + xi) * 4;
    const a = (c[3] ?? 255) / 255;
    this.rgba[i] = round(c[0] * a + this.rgba[i] * (1 - a));
    this.rgba[i + 1] = round(c[1] * a + this.rgba[i + 1] * (1 - a));
    this.rgba[i + 2] = round(c[2] * a + this.rgba[i + 2] * (1 - a));
    this.rgba[i + 3] = 255;
  }

  fillRect(x: number, y: number, w: number, h: number, c: Rgba): void {
    const x0 = max(0, round(x));
    const y0 = max(0, round(y));
    const x1 = min(this.width, round(x + w));
    const y1 = min(this.height, round(y + h));
    for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) this.setPixel(xx, yy, c);
  }

  /** Bresenham line, `thickness` pixels wide. */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgba, thickness = 1): void {
    let xa = round(x0);
    let ya = round(y0);
    const xb = round(x1);
    const yb = round(y1);
    const dx = Math.abs(xb - xa);
    const dy = -Math.abs(yb - ya);
    const sx = xa < xb ? 1 : -1;
    const sy = ya < yb ? 1 : -1;
    let err = dx + dy;
    const r = Math.floor((thickness - 1) / 2);
    for (let guard = 0; guard < 1e6; guard++) {
      if (r === 0) this.setPixel(xa, ya, c);
      else this.fillRect(xa - r, ya - r, thickness, thickness, c);
      if (xa === xb && ya === yb) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        xa += sx;
      }
      if (e2 <= dx) {
        err += dx;
        ya += sy;
      }
    }
  }

  /** Circle outline (or disc when `filled`) of radius r pixels. */
  circle(cx: number, cy: number, r: number, c: Rgba, filled = false): void {
    const r2o = (r + 0.5) * (r + 0.5);
    const r2i = (r - 0.5) * (r - 0.5);
    for (let y = Math.floor(cy - r - 1); y <= Math.ceil(cy + r + 1); y++) {
      for (let x = Math.floor(cx - r - 1); x <= Math.ceil(cx + r + 1); x++) {
        const d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
        if (d2 <= r2o && (filled || d2 >= r2i)) this.setPixel(x, y, c);
      }
    }
  }

  /** Draws text with the 5×7 font, top-left at (x, y), each font pixel `scale` pixels square. */
  text(x: number, y: number, str: string, c: Rgba, scale = 1): void {
    let cx = round(x);
    for (const ch of str) {
      const rows = glyphRows(ch);
      for (let row = 0; row < GLYPH_HEIGHT; row++) {
        for (let col = 0; col < GLYPH_WIDTH; col++) {
          if (rows[row] & (1 << (GLYPH_WIDTH - 1 - col))) this.fillRect(cx + col * scale, y + row * scale, scale, scale, c);
        }
      }
      cx += (GLYPH_WIDTH + 1) * scale;
    }
  }

  /** Width in pixels of `str` drawn at `scale`. */
  static textWidth(str: string, scale = 1): number {
    return [...str].length * (GLYPH_WIDTH + 1) * scale - scale;
  }

  toPng(): Uint8Array {
    return encode({ width: this.width, height: this.height, data: this.rgba, channels: 4, depth: 8 });
  }
}
