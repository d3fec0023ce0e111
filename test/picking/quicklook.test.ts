import { tempDir } from '../support/temp-dir.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { MemoryGrid } from '../support/memory-grid.js';
import { SyntheticGrid, type PlantedSeamount } from '../support/synthetic-grid.js';
import { PICK_COLOUR, QUICKLOOK_MARGIN, renderQuicklook, writeQuicklookPng } from '../../src/picking/quicklook.js';
import type { GridSource, PixelWindow, Seamount } from '../../src/types.js';

const planted: PlantedSeamount[] = [
  { lon: -113.2, lat: -44.7, heightM: 1500, radiusKm: 12 },
  { lon: -111.5, lat: -45.8, heightM: 900, radiusKm: 8 },
];
const grid = new SyntheticGrid({ width: 301, height: 241, lon0: -114.5, dLon: 1 / 60, lat0: -43.5, dLat: -1 / 60, baseDepthM: -4000, slopeMPerKm: [1, 1], seamounts: planted, path: '/data/synthetic.nc' });

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
    let count = 0;
    for (let k = 0; k < c.width * c.height; k++) if (isPick(c.rgba, k, 4)) count++;
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
    const global = new SyntheticGrid({ width: 720, height: 361, lon0: 0, dLon: 0.5, lat0: 90, dLat: -0.5, baseDepthM: -4000, seamounts: [{ lon: 180, lat: 0, heightM: 2000, radiusKm: 150 }] });
    const c = await renderQuicklook(global, { west: 170, east: -170, south: -10, north: 10 }, [asSeamount({ lon: -179.9, lat: 0, heightM: 2000, radiusKm: 150 }, 0)], { maxWidthPx: 300 });
    let count = 0;
    for (let k = 0; k < c.width * c.height; k++) if (isPick(c.rgba, k, 4)) count++;
    expect(count).toBeGreaterThan(20);
  });
});
