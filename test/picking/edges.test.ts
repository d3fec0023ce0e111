/**
 * Issue 16: a catalogue must be a function of the grid's values and their positions only — not of the
 * file's row order, of how far the grid extends beyond the data, or of what was read before. Seamounts are
 * planted at and near every edge and corner; each is measured (and the whole grid picked) on the same
 * values stored north-up, south-up, and north-up inside a margin of no-data, through a grid that fails the
 * test on any read outside the grid.
 */
import { flipRows } from '../../src/grid/flip.js';
import { MemoryGrid } from '../support/memory-grid.js';
import { SyntheticGrid, type PlantedSeamount } from '../support/synthetic-grid.js';
import { CachedGrid } from '../../src/picking/cached-grid.js';
import { measureSeamount } from '../../src/picking/measure.js';
import { fixedCut, pickSeamounts, type PickOptions } from '../../src/picking/pick.js';
import { loadConfig } from '../../src/config/index.js';
import type { GridSource, PixelWindow } from '../../src/types.js';
import { distanceErrors, planCentres } from './fixtures.js';

const W = 241;
const H = 181;
const LON0 = -30;
const LAT0 = 38; // north-up: row 0 at 38° N, 1′ cells
const D = 1 / 60;
const LAT_S = LAT0 - (H - 1) * D;
const LON_E = LON0 + (W - 1) * D;
/** No-data margin (cells) of the padded copy: a multiple of every fit-point thinning step. */
const MARGIN = 60;

/** Seamounts on every corner, on the middle of every edge, and 8 km inside every edge. */
function planted(): PlantedSeamount[] {
  const inKmLat = 8 / 111.19;
  const inKmLon = 8 / (111.19 * Math.cos((37 * Math.PI) / 180));
  const midLon = (LON0 + LON_E) / 2;
  const midLat = (LAT0 + LAT_S) / 2;
  const at = (lon: number, lat: number, k: number): PlantedSeamount => ({ lon, lat, heightM: 900 + 150 * k, radiusKm: 9 + k });
  return [
    at(LON0, LAT0, 0),
    at(LON_E, LAT0, 1),
    at(LON0, LAT_S, 2),
    at(LON_E, LAT_S, 3),
    at(midLon, LAT0, 4),
    at(midLon, LAT_S, 5),
    at(LON0, midLat, 6),
    at(LON_E, midLat, 7),
    at(midLon + 0.5, LAT0 - inKmLat, 1),
    at(midLon - 0.5, LAT_S + inKmLat, 2),
    at(LON0 + inKmLon, midLat + 0.6, 3),
    at(LON_E - inKmLon, midLat - 0.6, 4),
  ];
}

/** A GridSource that records every window read and fails on one outside the grid. */
class StrictGrid extends MemoryGrid {
  readonly reads: PixelWindow[] = [];
  override async read(win: PixelWindow): Promise<Float32Array> {
    if (win.x0 < 0 || win.y0 < 0 || win.x0 + win.w > this.width || win.y0 + win.h > this.height) {
      throw new Error(`read outside the grid: ${JSON.stringify(win)}`);
    }
    this.reads.push(win);
    return super.read(win);
  }
}

async function grids(): Promise<{ northUp: StrictGrid; southUp: StrictGrid; padded: StrictGrid }> {
  const synth = new SyntheticGrid({
    width: W,
    height: H,
    lon0: LON0,
    dLon: D,
    lat0: LAT0,
    dLat: -D,
    baseDepthM: -4200,
    slopeMPerKm: [1.5, -2],
    fabric: { amplitudeM: 40, wavelengthKm: 11 },
    seamounts: planted(),
  });
  const values = await synth.read({ x0: 0, y0: 0, w: W, h: H });
  const northUp = new StrictGrid({ values: values.slice(), width: W, height: H, lon0: LON0, dLon: D, lat0: LAT0, dLat: -D, path: 'north-up' });
  const southUp = new StrictGrid({ values: flipRows(values.slice(), W, H), width: W, height: H, lon0: LON0, dLon: D, lat0: LAT_S, dLat: D, path: 'south-up' });
  const pw = W + 2 * MARGIN;
  const ph = H + 2 * MARGIN;
  const pv = new Float32Array(pw * ph).fill(NaN);
  for (let j = 0; j < H; j++) pv.set(values.subarray(j * W, (j + 1) * W), (j + MARGIN) * pw + MARGIN);
  const padded = new StrictGrid({ values: pv, width: pw, height: ph, lon0: LON0 - MARGIN * D, dLon: D, lat0: LAT0 + MARGIN * D, dLat: -D, path: 'padded' });
  return { northUp, southUp, padded };
}

/**
 * Deep equality, numbers to 1e-9 relative: the padded grid's origin is another float (lon0 − 60 cells), so
 * the cell longitudes it computes differ in the last bits; anything read beyond the data would differ by far more.
 */
function expectSame(received: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof received === 'number') {
    if (Number.isNaN(expected)) expect(received).toBeNaN();
    else if (Math.abs(received - expected) > 1e-9 * Math.max(1, Math.abs(expected))) throw new Error(`${path}: ${received} ≠ ${expected}`);
    return;
  }
  if (expected && typeof expected === 'object' && received && typeof received === 'object') {
    expect(Object.keys(received).sort()).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) expectSame((received as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(received).toEqual(expected);
}

const measureOpts = { measureRadiusKm: 40, highpassKm: 100, searchRadiusKm: 2.8 };

describe('measurement at the edges of a grid', () => {
  it('gives the same measurement of every edge and corner seamount north-up, south-up and inside a no-data margin', async () => {
    const g = await grids();
    let measured = 0;
    for (const s of planted()) {
      // a start position 3 km off the planted centre, as a window centre would be (clamped into the grid)
      const lon = Math.min(LON_E, Math.max(LON0, s.lon + 0.03));
      const lat = Math.min(LAT0, Math.max(LAT_S, s.lat - 0.02));
      const [a, b, c] = await Promise.all([g.northUp, g.southUp, g.padded].map((grid) => measureSeamount(new CachedGrid(grid), lon, lat, measureOpts)));
      expect(b).toEqual(a);
      expectSame(c, a);
      // the raw grids too (readPatchAround puts rows north-up itself; row latitudes are computed from the other end, so to rounding)
      expectSame(await measureSeamount(g.southUp, lon, lat, measureOpts), await measureSeamount(g.northUp, lon, lat, measureOpts));
      if (a) measured++;
    }
    expect(measured).toBe(planted().length);
    for (const grid of [g.northUp, g.southUp, g.padded]) expect(grid.reads.length).toBeGreaterThan(0);
  });

  it('measures seamounts inside the grid as planted, even cut by an edge (height within 25 %)', async () => {
    const { northUp } = await grids();
    // the 8 km-inside ones keep most of their flanks: their heights must come out right
    for (const s of planted().slice(8)) {
      const m = await measureSeamount(new CachedGrid(northUp), s.lon, s.lat, measureOpts);
      expect(m).not.toBeNull();
      expect(Math.abs((m?.heightM ?? 0) - s.heightM) / s.heightM).toBeLessThan(0.25);
    }
  });

  it('picks the same catalogue from the same values in any row order or margin', async () => {
    const g = await grids();
    const region = { west: LON0, east: LON_E, south: LAT_S, north: LAT0 };
    const windows = distanceErrors(planCentres(region, 4), planted(), { minError: 0.001, maxError: 0.05, rangeKm: 30 });
    const o: PickOptions = {
      threshold: 0.02,
      score: (k) => Math.max(0, 1 - k.evidence.windowErrorMin / 0.05),
      cut: fixedCut(0),
      strideKm: 4,
      picking: loadConfig().picking,
      islands: 'drop',
    };
    const pick = async (grid: GridSource) => (await pickSeamounts(windows, grid, o)).seamounts;
    const [a, b, c] = [await pick(g.northUp), await pick(g.southUp), await pick(g.padded)];
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(b).toEqual(a);
    expectSame(c, a);
  });
});

describe('CachedGrid row order', () => {
  it('presents a south-up grid north-up, cell for cell', async () => {
    const { northUp, southUp } = await grids();
    const view = new CachedGrid(southUp, { tileSize: 64 });
    expect(view.dLat).toBeLessThan(0);
    expect(view.lat0).toBe(LAT0);
    const win = { x0: 50, y0: 100, w: 90, h: 70 };
    expect(await view.read(win)).toEqual(await northUp.read(win));
    const fromSouthUp: GridSource = southUp;
    expect(fromSouthUp.dLat).toBeGreaterThan(0);
  });
});
