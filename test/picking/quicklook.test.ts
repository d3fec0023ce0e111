import { jest } from '@jest/globals';
import { tempDir } from '../support/temp-dir.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { MemoryGrid } from '../support/memory-grid.js';
import { SyntheticGrid, type PlantedSeamount, TEST_FLOOR_1M } from '../support/synthetic-grid.js';
import {
  COLOUR_BAR_CAPTION,
  NODATA_COLOUR,
  PICK_COLOUR,
  QUICKLOOK_MARGIN,
  renderQuicklook,
  writeQuicklookPng,
  type MapLayer,
  type QuicklookCanvas,
} from '../../src/picking/quicklook.js';
import { bathymetryColour, RasterCanvas, type Rgba } from '../../src/plot/index.js';
import { GLYPH_HEIGHT } from '../../src/plot/font.js';
import type { GridSource, PixelWindow, Seamount } from '../../src/types.js';

const planted: PlantedSeamount[] = [
  { lon: -113.2, lat: -44.7, heightM: 1500, radiusKm: 12 },
  { lon: -111.5, lat: -45.8, heightM: 900, radiusKm: 8 },
];
const grid = new SyntheticGrid({
  ...TEST_FLOOR_1M,
  slopeMPerKm: [1, 1],
  seamounts: planted,
  path: '/data/synthetic.nc',
});

const asSeamount = (s: PlantedSeamount, i: number): Seamount => ({
  id: `SMT-${String(i + 1).padStart(6, '0')}`,
  lon: s.lon,
  lat: s.lat,
  summitDepthM: -4000 + s.heightM,
  baseDepthM: -4000,
  heightM: s.heightM,
  radiusKm: s.radiusKm,
  ellipse: { azimuthDeg: 0, majorKm: s.radiusKm, minorKm: s.radiusKm },
  fitR2: 1,
  reconstructionError: 0.01,
  confidence: 0.9,
  windows: 3,
  volumeKm3: 0,
  flankSlopeDeg: 0,
  plateauAreaKm2: 0,
  plateauShare: 0,
  flatTopped: false,
  heightSdM: 0,
  radiusSdKm: 0,
  profileShape: 'gaussian',
  seamountClass: s.heightM >= 1000 ? 'seamount' : 'knoll',
});
const picks = planted.map(asSeamount);

const isPick = (d: ArrayLike<number>, k: number, channels: number) =>
  d[k * channels] === PICK_COLOUR[0] && d[k * channels + 1] === PICK_COLOUR[1] && d[k * channels + 2] === PICK_COLOUR[2];

describe('writeQuicklookPng', () => {
  const dir = tempDir('seamount-quicklook-');

  it('writes a PNG that decodes, no wider than asked, with the map in proportion', async () => {
    const path = join(dir, 'quicklook.png');
    await writeQuicklookPng(path, grid, null, picks, { maxWidthPx: 500 });
    const png = decode(readFileSync(path));
    expect(png.width).toBeLessThanOrEqual(500);
    expect(png.width).toBeGreaterThan(300);
    const mapW = png.width - QUICKLOOK_MARGIN.left - QUICKLOOK_MARGIN.right;
    const mapH = png.height - QUICKLOOK_MARGIN.top - QUICKLOOK_MARGIN.bottom;
    // 5° × cos 45.5° by 4° of latitude: km aspect ≈ 0.876
    expect(mapH / mapW).toBeCloseTo((4 * 111.19) / (5 * 111.19 * Math.cos((45.5 * Math.PI) / 180)), 1);
    expect(readdirSync(dir)).toEqual(['quicklook.png']); // no temporary file left behind
  });

  it('draws each pick as a circle of its radius around its position', async () => {
    const c = await renderQuicklook(grid, null, picks, { maxWidthPx: 600 });
    const mapW = c.width - QUICKLOOK_MARGIN.left - QUICKLOOK_MARGIN.right;
    const mapH = c.height - QUICKLOOK_MARGIN.top - QUICKLOOK_MARGIN.bottom;
    const kmPerPx = (301 * (1 / 60) * 111.19492664455873 * Math.cos((-45.5 * Math.PI) / 180)) / mapW;
    for (const s of planted) {
      // pixel of the pick: cells are 1/60°, the map spans the cells' outer edges
      const px = QUICKLOOK_MARGIN.left + ((s.lon - (grid.lon0 - 1 / 120)) / (301 / 60)) * mapW;
      const py = QUICKLOOK_MARGIN.top + ((grid.lat0 + 1 / 120 - s.lat) / (241 / 60)) * mapH;
      const r = s.radiusKm / kmPerPx;
      let onRing = 0;
      let inside = 0;
      for (let y = Math.floor(py - r - 3); y <= py + r + 3; y++) {
        for (let x = Math.floor(px - r - 3); x <= px + r + 3; x++) {
          if (!isPick(c.rgba, y * c.width + x, 4)) continue;
          const d = Math.hypot(x - px, y - py);
          if (Math.abs(d - r) <= 2.5) onRing++;
          else inside++;
        }
      }
      expect(onRing).toBeGreaterThan(2 * Math.PI * r); // a closed two-pixel ring
      expect(inside).toBe(0);
    }
  });

  it('never paints the bathymetry in the pick colour', async () => {
    const c = await renderQuicklook(grid, null, [], { maxWidthPx: 400 });
    const { x, y, widthPx, heightPx } = c.layout.map;
    let count = 0;
    for (let j = y; j < y + heightPx; j++) for (let i = x; i < x + widthPx; i++) if (isPick(c.rgba, j * c.width + i, 4)) count++;
    expect(count).toBe(0);
  });

  it('reads a wide grid in bounded row bands', async () => {
    const width = 12000;
    const base = new MemoryGrid({ values: new Float32Array(width * 360).fill(-3000), width, height: 360, lon0: 0, dLon: 0.01, lat0: 10, dLat: -0.01 });
    const reads: PixelWindow[] = [];
    const counting: GridSource = Object.assign(Object.create(base) as MemoryGrid, {
      read: (w: PixelWindow) => {
        reads.push(w);
        return base.read(w);
      },
    });
    const c = await renderQuicklook(counting, null, [], { maxWidthPx: 800 });
    expect(c.width).toBeLessThanOrEqual(800);
    expect(reads.length).toBeGreaterThan(1);
    for (const w of reads) expect(w.w * w.h).toBeLessThanOrEqual(1 << 22);
    expect(reads.reduce((n, w) => n + w.h, 0)).toBe(360);
  });

  it('maps a region across the antimeridian of a global grid', async () => {
    const global = new SyntheticGrid({
      width: 720,
      height: 361,
      lon0: 0,
      dLon: 0.5,
      lat0: 90,
      dLat: -0.5,
      baseDepthM: -4000,
      seamounts: [{ lon: 180, lat: 0, heightM: 2000, radiusKm: 150 }],
    });
    const c = await renderQuicklook(
      global,
      { west: 170, east: -170, south: -10, north: 10 },
      [asSeamount({ lon: -179.9, lat: 0, heightM: 2000, radiusKm: 150 }, 0)],
      { maxWidthPx: 300 },
    );
    let count = 0;
    for (let k = 0; k < c.width * c.height; k++) if (isPick(c.rgba, k, 4)) count++;
    expect(count).toBeGreaterThan(20);
  });
});

/** km per degree on the sphere of radius 6371.0088 km (the project's one Earth radius). */
const KM_PER_DEG = 111.19492664455873;
const DEG = Math.PI / 180;

const pixel = (c: RasterCanvas, x: number, y: number): [number, number, number] => {
  const k = (y * c.width + x) * 4;
  return [c.rgba[k], c.rgba[k + 1], c.rgba[k + 2]];
};
const same = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 0) =>
  Math.abs(a[0] - b[0]) <= tol && Math.abs(a[1] - b[1]) <= tol && Math.abs(a[2] - b[2]) <= tol;
const isWhite = (p: ArrayLike<number>) => p[0] === 255 && p[1] === 255 && p[2] === 255;

/** True when `text` is drawn at (x, y) at `scale`: ink exactly where the font has ink, over a box one pixel larger. */
function drawnText(c: RasterCanvas, x: number, y: number, text: string, scale = 1): boolean {
  const w = RasterCanvas.textWidth(text, scale);
  const h = GLYPH_HEIGHT * scale;
  const ref = new RasterCanvas(w + 2, h + 2);
  ref.text(1, 1, text, [0, 0, 0], scale);
  for (let j = 0; j < h + 2; j++) {
    for (let i = 0; i < w + 2; i++) {
      if (isWhite(pixel(ref, i, j)) !== isWhite(pixel(c, x - 1 + i, y - 1 + j))) return false;
    }
  }
  return true;
}

/** Pixels of colour `colour` in the box [x0, x1) × [y0, y1). */
function countColour(c: RasterCanvas, colour: Rgba, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = Math.max(0, y0); y < Math.min(c.height, y1); y++)
    for (let x = Math.max(0, x0); x < Math.min(c.width, x1); x++) if (same(pixel(c, x, y), colour)) n++;
  return n;
}

/** The map's km per pixel east–west at its middle latitude, from the grid's geometry (not the layout). */
const kmPerPxAt = (c: QuicklookCanvas, spanLonDeg: number, midLatDeg: number) => (spanLonDeg * KM_PER_DEG * Math.cos(midLatDeg * DEG)) / c.layout.map.widthPx;

describe('the quick-look reads on its own', () => {
  // rendering is the slow part: each width once, shared by the checks below
  const rendered = new Map<number, QuicklookCanvas>();
  const render = async (width: number) => {
    if (!rendered.has(width)) rendered.set(width, await renderQuicklook(grid, null, picks, { maxWidthPx: width }));
    return rendered.get(width) as QuicklookCanvas;
  };

  it('titles the map with the grid and the region it shows', async () => {
    const c = await render(600);
    expect(c.layout.title).toEqual(['2 seamounts', 'synthetic.nc, 114.51°W to 109.49°W, 47.51°S to 43.49°S (whole grid)']);
    expect(drawnText(c, QUICKLOOK_MARGIN.left, 4, '2 seamounts', 2)).toBe(true);
    expect(drawnText(c, QUICKLOOK_MARGIN.left, 22, c.layout.title[1])).toBe(true);
    // a region: its cells' edges, no "whole grid"
    const r = await renderQuicklook(grid, { west: -114, east: -112, south: -46, north: -44 }, picks, { maxWidthPx: 600 });
    expect(r.layout.title).toEqual(['2 seamounts', 'synthetic.nc, 114.01°W to 111.99°W, 46.01°S to 43.99°S']);
    // a narrow image keeps the grid and region, in --region form
    const n = await render(300);
    expect(n.layout.title[1]).toBe('synthetic.nc, -114.51/-109.49/-47.51/-43.49');
  });

  it("has a colour bar in metres that runs from the ramp's deep end to its shallow end", async () => {
    const c = await render(600);
    const bar = c.layout.colourBar;
    expect(drawnText(c, bar.x, bar.y - GLYPH_HEIGHT - 2, COLOUR_BAR_CAPTION)).toBe(true);
    expect(COLOUR_BAR_CAPTION).toMatch(/\(M\)$/);
    const deep = bathymetryColour(-1, -1, 0);
    const shallow = bathymetryColour(0, -1, 0);
    for (let row = bar.y; row < bar.y + bar.heightPx; row++) {
      expect(same(pixel(c, bar.x, row), deep, 3)).toBe(true);
      expect(same(pixel(c, bar.x + bar.widthPx - 1, row), shallow, 3)).toBe(true);
    }
    // lighter from left to right, and the range is the map's: its deepest and shallowest sea floor
    const mid = bar.y + 4;
    for (let x = bar.x + 1; x < bar.x + bar.widthPx; x++) {
      const sum = (p: number[]) => p[0] + p[1] + p[2];
      expect(sum(pixel(c, x, mid))).toBeGreaterThanOrEqual(sum(pixel(c, x - 1, mid)));
    }
    expect(bar.lowM).toBeGreaterThan(-4500);
    expect(bar.lowM).toBeLessThan(-4200);
    expect(bar.highM).toBeGreaterThan(-3700);
    // with land, the bar goes on from sea level to the land ramp's high end
    const hill = new SyntheticGrid({
      width: 121,
      height: 121,
      lon0: 0,
      dLon: 1 / 60,
      lat0: 1,
      dLat: -1 / 60,
      baseDepthM: -3000,
      seamounts: [{ lon: 1, lat: 0, heightM: 6000, radiusKm: 60 }],
    });
    const h = await renderQuicklook(hill, null, [], { maxWidthPx: 500 });
    const hb = h.layout.colourBar;
    expect(hb.lowM).toBeLessThan(0);
    expect(hb.highM).toBeGreaterThan(0);
    expect(same(pixel(h, hb.x, hb.y + 4), bathymetryColour(-1, -1, 0), 3)).toBe(true);
    expect(same(pixel(h, hb.x + hb.widthPx - 1, hb.y + 4), bathymetryColour(1, -1, 1), 3)).toBe(true);
    // sea level: the shallow end of the blues just left of 0 m, the low end of the land ramp just right of it
    const zeroX = hb.x + (-hb.lowM / (hb.highM - hb.lowM)) * hb.widthPx;
    expect(same(pixel(h, Math.round(zeroX) - 2, hb.y + 4), bathymetryColour(0, -1, 1), 12)).toBe(true);
    expect(same(pixel(h, Math.round(zeroX) + 2, hb.y + 4), bathymetryColour(1e-9, -1, 1), 12)).toBe(true);
    // "0" is one of its tick labels, centred under sea level's place on the bar
    expect(drawnText(h, Math.round(zeroX - RasterCanvas.textWidth('0') / 2), hb.y + hb.heightPx + 3, '0')).toBe(true);
  });

  it.each([300, 600])("has a scale bar as long as its km label says at the map's middle latitude (%i px wide)", async (width) => {
    const c = await render(width);
    const s = c.layout.scaleBar;
    // the bar: a two-pixel black line between end ticks
    const mid = s.y + s.heightPx / 2 - 1;
    let run = 0;
    for (let x = s.x; x < c.width && same(pixel(c, x, mid), [0, 0, 0]); x++) run++;
    expect(same(pixel(c, s.x - 1, mid), [0, 0, 0])).toBe(false);
    expect(run).toBe(s.widthPx);
    // its label, as drawn, and the km it stands for at 45.5°S
    expect(s.caption).toMatch(/^(\d+) km at 45\.5°S$/);
    const km = Number(/^(\d+)/.exec(s.caption)?.[1]);
    expect(drawnText(c, s.x + s.widthPx - RasterCanvas.textWidth(s.caption), s.y - GLYPH_HEIGHT - 2, s.caption)).toBe(true);
    const kmPerPx = kmPerPxAt(c, 301 / 60, -45.5);
    expect(Math.abs(run * kmPerPx - km)).toBeLessThanOrEqual(kmPerPx);
    expect([1, 2, 5].some((f) => Number.isInteger(Math.log10(km / f)))).toBe(true);
    // and the map's north–south scale agrees (equal km per pixel both ways)
    expect(((241 / 60) * KM_PER_DEG) / c.layout.map.heightPx / kmPerPx).toBeCloseTo(1, 2);
  });

  it("at the equator of a global grid the scale bar uses the equator's km", async () => {
    const global = new SyntheticGrid({ width: 720, height: 361, lon0: 0, dLon: 0.5, lat0: 90, dLat: -0.5, baseDepthM: -4000 });
    const c = await renderQuicklook(global, null, [], { maxWidthPx: 500 });
    expect(c.layout.scaleBar.caption).toMatch(/^\d+ km at 0°$/);
    const km = Number(/^(\d+)/.exec(c.layout.scaleBar.caption)?.[1]);
    expect(Math.abs(c.layout.scaleBar.widthPx * kmPerPxAt(c, 360, 0) - km)).toBeLessThanOrEqual(kmPerPxAt(c, 360, 0));
    expect(c.layout.title[1]).toBe('(synthetic), all longitudes, 90.25°S to 90.25°N (whole grid)');
  });

  it('has a legend entry, in its colour and mark, for every symbol on the map', async () => {
    const c = await render(600);
    expect(c.layout.legend.map((l) => l.entry)).toEqual([{ label: 'SEAMOUNTS (2): CIRCLE = BASAL RADIUS', colour: PICK_COLOUR, mark: 'circle' }]);
    const [{ x, y, entry }] = c.layout.legend;
    expect(countColour(c, PICK_COLOUR, x, y, x + 9, y + 9)).toBeGreaterThan(20); // a two-pixel ring
    expect(countColour(c, PICK_COLOUR, x + 3, y + 3, x + 6, y + 6)).toBe(0); // hollow, as on the map
    expect(drawnText(c, x + 12, y + 1, entry.label)).toBe(true);

    const layers: MapLayer[] = [
      { label: 'MATCHED PICKS (1)', colour: [255, 215, 0], mark: 'circle', points: [planted[0]] },
      { label: 'NEW PICKS (1)', colour: [255, 32, 32], mark: 'circle', points: [planted[1]] },
      { label: 'MISSED CATALOGUE SEAMOUNTS (1)', colour: [255, 0, 255], mark: 'cross', points: [{ lon: -112, lat: -46.5 }] },
    ];
    // no-data cells are drawn grey, and named too
    const holey = new SyntheticGrid({
      ...TEST_FLOOR_1M,
      seamounts: planted,
      nodata: (lon) => lon > -110,
    });
    const m = await renderQuicklook(holey, null, [], { maxWidthPx: 500, layers });
    const legend = m.layout.legend;
    expect(legend.map((l) => l.entry.label)).toEqual([...layers.map((l) => l.label), 'NO DATA']);
    const { map } = m.layout;
    for (const [i, l] of legend.entries()) {
      const colour = i < layers.length ? layers[i].colour : NODATA_COLOUR;
      expect(l.entry.colour).toEqual(colour);
      const inSwatch = countColour(m, colour, l.x, l.y, l.x + 9, l.y + 9);
      expect(inSwatch).toBeGreaterThan(12);
      expect(drawnText(m, l.x + 12, l.y + 1, l.entry.label)).toBe(true);
      // and the map does draw that colour (the symbol the entry names)
      expect(countColour(m, colour, map.x, map.y, map.x + map.widthPx, map.y + map.heightPx)).toBeGreaterThan(0);
      // the mark's shape: a cross has ink at its centre, a ring does not, a swatch is full
      const centre = same(pixel(m, l.x + 4, l.y + 4), colour);
      expect(centre).toBe(l.entry.mark !== 'circle');
      if (l.entry.mark === 'swatch') expect(inSwatch).toBe(64);
    }
  });

  it.each([
    ['a narrow image with long labels', 260],
    ['a wider one', 600],
  ])('draws nothing outside the image: %s', async (_name, width) => {
    const long = 'MISSED CATALOGUE SEAMOUNTS OF THE KIM AND WESSEL 2011 CENSUS (1234)';
    const layers: MapLayer[] = [
      { label: `MATCHED PICKS ${long}`, colour: [255, 215, 0], mark: 'circle', points: [planted[0]] },
      { label: 'NEW PICKS (1)', colour: [255, 32, 32], mark: 'circle', points: [planted[1], { lon: -114.49, lat: -43.51, radiusKm: 40 }] },
      { label: long, colour: [255, 0, 255], mark: 'cross', points: [{ lon: -109.5, lat: -47.5 }] },
    ];
    const boxes: Array<[string, number, number, number, number]> = [];
    const spies = [
      jest.spyOn(RasterCanvas.prototype, 'text').mockImplementation(function (this: RasterCanvas, x: number, y: number, str: string, c: Rgba, scale = 1) {
        boxes.push([`text "${str}"`, x, y, x + RasterCanvas.textWidth(str, scale), y + GLYPH_HEIGHT * scale]);
        textImpl.call(this, x, y, str, c, scale);
      }),
      jest.spyOn(RasterCanvas.prototype, 'fillRect').mockImplementation(function (this: RasterCanvas, x: number, y: number, w: number, h: number, c: Rgba) {
        boxes.push(['fillRect', x, y, x + w, y + h]);
        fillImpl.call(this, x, y, w, h, c);
      }),
      jest.spyOn(RasterCanvas.prototype, 'line').mockImplementation(function (
        this: RasterCanvas,
        x0: number,
        y0: number,
        x1: number,
        y1: number,
        c: Rgba,
        t?: number,
      ) {
        boxes.push(['line', Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1) + 1, Math.max(y0, y1) + 1]);
        lineImpl.call(this, x0, y0, x1, y1, c, t);
      }),
    ];
    let c: QuicklookCanvas;
    try {
      c = await renderQuicklook(grid, null, [], { maxWidthPx: width, layers, title: `A TITLE FAR TOO LONG FOR THIS IMAGE: ${long}` });
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect(boxes.length).toBeGreaterThan(50);
    const outside = boxes.filter(([, x0, y0, x1, y1]) => Math.round(x0) < 0 || Math.round(y0) < 0 || Math.round(x1) > c.width || Math.round(y1) > c.height);
    expect(outside).toEqual([]);
    // the image's outermost rows and columns stay white: nothing runs off an edge
    for (let x = 0; x < c.width; x++) for (const y of [0, c.height - 1]) expect(isWhite(pixel(c, x, y))).toBe(true);
    for (let y = 0; y < c.height; y++) for (const x of [0, c.width - 1]) expect(isWhite(pixel(c, x, y))).toBe(true);
    // every legend entry is in, one row under another where they do not fit side by side
    expect(c.layout.legend).toHaveLength(3);
    if (width < 400) expect(new Set(c.layout.legend.map((l) => l.y)).size).toBe(3);
    expect(c.layout.map).toMatchObject({ x: QUICKLOOK_MARGIN.left, y: QUICKLOOK_MARGIN.top });
  });
});

const textImpl = RasterCanvas.prototype.text;
const fillImpl = RasterCanvas.prototype.fillRect;
const lineImpl = RasterCanvas.prototype.line;
