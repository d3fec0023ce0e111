import { MemoryGrid } from '../support/memory-grid.js';
import { SyntheticGrid } from '../support/synthetic-grid.js';
import type { WindowSpec } from '../../src/types.js';
import { extractWindow, resampleWindow, readSourcePatch, taperWeights, windowFootprint, windowLattice } from '../../src/tiling/index.js';
import path from 'node:path';
import { openGrid } from '../../src/grid/index.js';
import { baseSpec, correlation, maxAbsDifference, rmsDifference } from './helpers.js';
import { EARTH_RADIUS_KM } from '../../src/base/geodesy.js';

const DEG = Math.PI / 180;

function distanceKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const a = Math.sin(((lat2 - lat1) * DEG) / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(((lon2 - lon1) * DEG) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A grid of a circular Gaussian seamount, exact on the sphere (great-circle distance). */
function gaussianGrid(o: {
  lon0: number;
  lat0: number;
  dLon: number;
  dLat: number;
  width: number;
  height: number;
  smtLon: number;
  smtLat: number;
  sigmaKm: number;
  heightM?: number;
  baseM?: number;
}): MemoryGrid {
  const values = new Float32Array(o.width * o.height);
  for (let j = 0; j < o.height; j++) {
    for (let i = 0; i < o.width; i++) {
      const r = distanceKm(o.smtLon, o.smtLat, o.lon0 + i * o.dLon, o.lat0 + j * o.dLat);
      values[j * o.width + i] = (o.baseM ?? -4500) + (o.heightM ?? 2000) * Math.exp((-0.5 * r * r) / (o.sigmaKm * o.sigmaKm));
    }
  }
  return new MemoryGrid({ values, width: o.width, height: o.height, lon0: o.lon0, lat0: o.lat0, dLon: o.dLon, dLat: o.dLat });
}

/** Grid of 1′ cells centred on (lon, lat), wide enough for a 64 km window at that latitude. */
function gaussianAt(lon: number, lat: number, sigmaKm = 7): MemoryGrid {
  const d = 1 / 60;
  const halfLat = 0.8;
  const halfLon = Math.min(179, halfLat / Math.cos(lat * DEG));
  const width = Math.round((2 * halfLon) / d) + 1;
  const height = Math.round((2 * halfLat) / d) + 1;
  return gaussianGrid({ lon0: lon - halfLon, lat0: lat + halfLat, dLon: d, dLat: -d, width, height, smtLon: lon, smtLat: lat, sigmaKm });
}

const n = baseSpec.samples;

describe('window shape does not depend on latitude', () => {
  test('a circular Gaussian seamount at 0°, 60° and 80° gives the same window (r > 0.999)', async () => {
    const w0 = await extractWindow(gaussianAt(0, 0), { lon: 0, lat: 0 }, baseSpec, 0);
    const w60 = await extractWindow(gaussianAt(10, 60), { lon: 10, lat: 60 }, baseSpec, 0);
    const w80 = await extractWindow(gaussianAt(-150, 80), { lon: -150, lat: 80 }, baseSpec, 0);
    expect(correlation(w0.data, w60.data)).toBeGreaterThan(0.999);
    expect(correlation(w0.data, w80.data)).toBeGreaterThan(0.999);
    expect(maxAbsDifference(w0.data, w60.data)).toBeLessThan(0.03);
    expect(w0.nodataFraction).toBe(0);
    expect(w60.nodataFraction).toBe(0);
  });

  test('the metric can fail: a seamount squashed 2:1 at 60° does not pass (r < 0.99)', async () => {
    const w0 = await extractWindow(gaussianAt(0, 0), { lon: 0, lat: 0 }, baseSpec, 0);
    const grid = new SyntheticGrid({
      width: 193,
      height: 97,
      lon0: 8.4,
      dLon: 1 / 60,
      lat0: 60.8,
      dLat: -1 / 60,
      baseDepthM: -4500,
      seamounts: [{ lon: 10, lat: 60, heightM: 2000, radiusKm: 21, aspect: 0.5, azimuthDeg: 90 }],
    });
    const squashed = await extractWindow(grid, { lon: 10, lat: 60 }, baseSpec, 0);
    expect(correlation(w0.data, squashed.data)).toBeLessThan(0.99);
  });

  test('near the pole: a seamount 45 km from the North Pole still looks the same; a window over the pole is refused', async () => {
    const grid = gaussianGrid({ lon0: -180, lat0: 90, dLon: 0.1, dLat: -0.05, width: 3600, height: 41, smtLon: 45, smtLat: 89.6, sigmaKm: 7 });
    const wPolar = await extractWindow(grid, { lon: 45, lat: 89.6 }, baseSpec, 0);
    const w0 = await extractWindow(gaussianAt(0, 0), { lon: 0, lat: 0 }, baseSpec, 0);
    expect(wPolar.nodataFraction).toBe(0);
    expect(correlation(w0.data, wPolar.data)).toBeGreaterThan(0.995);
    await expect(extractWindow(grid, { lon: 0, lat: 89.9 }, baseSpec, 0)).rejects.toThrow(/reaches the North Pole/);
  });
});

describe('antimeridian', () => {
  const smt = [
    { lon: 180, lat: 10, heightM: 2500, radiusKm: 25, aspect: 0.6, azimuthDeg: 30 },
    { lon: 0, lat: -20, heightM: 2500, radiusKm: 25, aspect: 0.6, azimuthDeg: 30 },
    { lon: 90, lat: 10, heightM: 2500, radiusKm: 25, aspect: 0.6, azimuthDeg: 30 },
  ];
  // global 0.05° grids in both conventions (values computed on demand)
  const g360 = new SyntheticGrid({ width: 7200, height: 1201, lon0: 0, dLon: 0.05, lat0: 30, dLat: -0.05, baseDepthM: -4000, seamounts: smt });
  const g180 = new SyntheticGrid({ width: 7200, height: 1201, lon0: -180, dLon: 0.05, lat0: 30, dLat: -0.05, baseDepthM: -4000, seamounts: smt });

  test('grids are periodic', () => {
    expect(g360.periodicLon).toBe(true);
    expect(g180.periodicLon).toBe(true);
  });

  test('a window across the seam of a 0..360 grid equals the same window cut where it is interior', async () => {
    const seam = await extractWindow(g360, { lon: 0, lat: -20 }, baseSpec, 0);
    const seam360 = await extractWindow(g360, { lon: 360, lat: -20 }, baseSpec, 0);
    const interior = await extractWindow(g180, { lon: 0, lat: -20 }, baseSpec, 0);
    expect(seam.nodataFraction).toBe(0);
    expect(maxAbsDifference(seam.data, interior.data)).toBeLessThan(1e-4);
    expect(maxAbsDifference(seam360.data, interior.data)).toBeLessThan(1e-4);
  });

  test('a window across 180° of a −180..180 grid is continuous (equals the 0..360 grid and a twin at 90°E)', async () => {
    const seam = await extractWindow(g180, { lon: 180, lat: 10 }, baseSpec, 0);
    const seamWest = await extractWindow(g180, { lon: -180, lat: 10 }, baseSpec, 0);
    const interior = await extractWindow(g360, { lon: 180, lat: 10 }, baseSpec, 0);
    const twin = await extractWindow(g180, { lon: 90, lat: 10 }, baseSpec, 0);
    expect(maxAbsDifference(seam.data, interior.data)).toBeLessThan(1e-4);
    expect(maxAbsDifference(seamWest.data, interior.data)).toBeLessThan(1e-4);
    expect(correlation(seam.data, twin.data)).toBeGreaterThan(0.9999);
  });

  test('a regional 160..220 grid answers for a centre named −180 or 180', async () => {
    const hi = new SyntheticGrid({ width: 1201, height: 401, lon0: 160, dLon: 0.05, lat0: 20, dLat: -0.05, baseDepthM: -4000, seamounts: smt });
    expect(hi.periodicLon).toBe(false);
    const a = await extractWindow(hi, { lon: 180, lat: 10 }, baseSpec, 0);
    const b = await extractWindow(hi, { lon: -180, lat: 10 }, baseSpec, 0);
    const ref = await extractWindow(g180, { lon: 180, lat: 10 }, baseSpec, 0);
    expect(maxAbsDifference(a.data, b.data)).toBeLessThan(1e-5);
    expect(maxAbsDifference(a.data, ref.data)).toBeLessThan(1e-4);
  });
});

describe('pose: rotation and shift', () => {
  const grid = new SyntheticGrid({
    width: 181,
    height: 181,
    lon0: -1.5,
    dLon: 1 / 60,
    lat0: 1.5,
    dLat: -1 / 60,
    baseDepthM: -4000,
    seamounts: [{ lon: 0.05, lat: -0.03, heightM: 2000, radiusKm: 24, aspect: 0.5, azimuthDeg: 30 }],
  });

  test('rotating the lattice by 90° rotates the window array', async () => {
    const w0 = await extractWindow(grid, { lon: 0, lat: 0 }, baseSpec, 0);
    const w90 = await extractWindow(grid, { lon: 0, lat: 0, rotationDeg: 90 }, baseSpec, 0);
    const rotated = new Float32Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) rotated[j * n + i] = w0.data[(n - 1 - i) * n + j];
    expect(maxAbsDifference(w90.data, rotated)).toBeLessThan(1e-4);
    expect(maxAbsDifference(w90.data, w0.data)).toBeGreaterThan(0.1);
  });

  test('shifting the centre 2 samples east moves the content 2 columns west', async () => {
    const spec: WindowSpec = { ...baseSpec, taper: 'none', normalisation: 'median-scale' };
    const d = spec.sizeKm / n;
    const w0 = await extractWindow(grid, { lon: 0, lat: 0 }, spec, 0);
    const ws = await extractWindow(grid, { lon: 0, lat: 0, shiftEastKm: 2 * d }, spec, 0);
    const a: number[] = [];
    const b: number[] = [];
    const same: number[] = [];
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n - 2; i++) {
        a.push(ws.data[j * n + i]);
        b.push(w0.data[j * n + i + 2]);
        same.push(w0.data[j * n + i]);
      }
    }
    expect(maxAbsDifference(a, b)).toBeLessThan(2e-3);
    expect(maxAbsDifference(a, same)).toBeGreaterThan(0.05);
  });
});

describe('normalisation and taper', () => {
  const grid = gaussianAt(0, 0, 5);

  test('median-maxabs: median removed is the regional depth, values reach ±1', async () => {
    const spec: WindowSpec = { ...baseSpec, taper: 'none' };
    const w = await extractWindow(grid, { lon: 0, lat: 0 }, spec, 0);
    expect(w.medianM).toBeGreaterThan(-4500);
    expect(w.medianM).toBeLessThan(-4499);
    let max = -Infinity;
    let min = Infinity;
    for (const v of w.data) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    expect(max).toBeCloseTo(1, 6);
    expect(min).toBeGreaterThanOrEqual(-1e-3);
  });

  test('median-scale keeps relative heights (constant ratio to median-maxabs) and clips at ±1', async () => {
    const maxabs = await extractWindow(grid, { lon: 0, lat: 0 }, { ...baseSpec, taper: 'none' }, 0);
    const scaled = await extractWindow(grid, { lon: 0, lat: 0 }, { ...baseSpec, taper: 'none', normalisation: 'median-scale', scaleM: 4000 }, 0);
    // summit sample ≈ 2000 m above the median: 0.5 on a 4000 m scale
    let peak = 0;
    let ratio = NaN;
    for (let k = 0; k < n * n; k++) {
      peak = Math.max(peak, scaled.data[k]);
      if (Math.abs(maxabs.data[k]) > 0.05) {
        if (Number.isNaN(ratio)) ratio = scaled.data[k] / maxabs.data[k];
        expect(scaled.data[k] / maxabs.data[k]).toBeCloseTo(ratio, 5);
      }
    }
    expect(ratio).toBeCloseTo(peak, 5);
    expect(peak).toBeGreaterThan(0.45);
    expect(peak).toBeLessThan(0.5);
    const clipped = await extractWindow(grid, { lon: 0, lat: 0 }, { ...baseSpec, taper: 'none', normalisation: 'median-scale', scaleM: 500 }, 0);
    const ones = Array.from(clipped.data).filter((v) => v === 1).length;
    expect(ones).toBeGreaterThan(4);
    expect(Math.max(...clipped.data)).toBe(1);
  });

  test('cosine taper: unchanged inside taperStart, zero at the edge and in the corners', async () => {
    const flat = await extractWindow(grid, { lon: 0, lat: 0 }, { ...baseSpec, taper: 'none' }, 0);
    const tapered = await extractWindow(grid, { lon: 0, lat: 0 }, baseSpec, 0);
    const weights = taperWeights(baseSpec);
    let inner = 0;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const k = j * n + i;
        const r = Math.hypot(i + 0.5 - n / 2, j + 0.5 - n / 2) / (n / 2);
        if (r <= baseSpec.taperStart) {
          expect(tapered.data[k]).toBe(flat.data[k]);
          inner++;
        } else if (r >= 1) {
          expect(Math.abs(tapered.data[k])).toBe(0);
        } else {
          expect(weights[k]).toBeGreaterThan(0);
          expect(weights[k]).toBeLessThan(1);
          expect(Math.abs(tapered.data[k])).toBeLessThanOrEqual(Math.abs(flat.data[k]));
        }
      }
    }
    expect(inner).toBeGreaterThan(300);
    expect(Math.abs(tapered.data[0])).toBe(0);
  });
});

describe('land and no-data fractions', () => {
  // 0.5′ cells around (0, 0): no-data east of the meridian 0°, land (+100 m) north of 10 km
  const d = 1 / 120;
  const width = 481;
  const lon0 = -2 - d / 2; // the 0° meridian falls on a cell boundary
  const kmPerDeg = (EARTH_RADIUS_KM * Math.PI) / 180;
  const values = new Float32Array(width * width);
  for (let j = 0; j < width; j++) {
    const lat = 2 - j * d;
    for (let i = 0; i < width; i++) {
      const lon = lon0 + i * d;
      values[j * width + i] = lon > 0 ? NaN : lat * kmPerDeg > 10 ? 100 : -3000;
    }
  }
  const grid = new MemoryGrid({ values, width, height: width, lon0, dLon: d, lat0: 2, dLat: -d });

  test('counts samples by their nearest cell', async () => {
    const w = await extractWindow(grid, { lon: 0, lat: 0 }, baseSpec, 0);
    expect(w.nodataFraction).toBe(0.5);
    // north of 10 km: sample rows at 11..31 km (11 of 32), west half only
    expect(w.landFraction).toBe((11 * 16) / (n * n));
    // no-data samples take the median: 0 after normalising
    for (let j = 0; j < n; j++) for (let i = n / 2; i < n; i++) expect(w.data[j * n + i]).toBe(0);
    const higher = await extractWindow(grid, { lon: 0, lat: 0 }, baseSpec, 200);
    expect(higher.landFraction).toBe(0);
  });

  test('a window off the grid is all no-data', async () => {
    const w = await extractWindow(grid, { lon: 10, lat: 0 }, baseSpec, 0);
    expect(w.nodataFraction).toBe(1);
    expect(Number.isNaN(w.medianM)).toBe(true);
    expect(Array.from(w.data).every((v) => v === 0)).toBe(true);
  });
});

describe('anti-alias', () => {
  const smt = [{ lon: 0, lat: 0, heightM: 2000, radiusKm: 24 }];
  const fabric = { amplitudeM: 300, wavelengthKm: 1.5 }; // finer than the 2 km window spacing can carry
  const cache = new Map<boolean, MemoryGrid>();
  /** 3″ (93 m) grid of the seamount with or without the fabric, computed once into memory. */
  const fine = (withFabric: boolean): MemoryGrid => {
    const hit = cache.get(withFabric);
    if (hit) return hit;
    const o = { width: 865, height: 865, lon0: -0.36, dLon: 1 / 1200, lat0: 0.36, dLat: -1 / 1200 };
    // the same surface as SyntheticGrid (Gaussian, sigma = radius / 3; fabric striking north-south), computed
    // here with local aliases: global lookups are slow under jest and this is 750k cells
    const kmPerDeg = (EARTH_RADIUS_KM * Math.PI) / 180;
    const { sin, exp, PI } = Math;
    const sigmaKm = smt[0].radiusKm / 3;
    const values = new Float32Array(o.width * o.height);
    for (let j = 0; j < o.height; j++) {
      const north = (o.lat0 + j * o.dLat) * kmPerDeg;
      for (let i = 0; i < o.width; i++) {
        const east = (o.lon0 + i * o.dLon) * kmPerDeg;
        const fab = withFabric ? fabric.amplitudeM * sin((2 * PI * east) / fabric.wavelengthKm) : 0;
        values[j * o.width + i] = -4000 + smt[0].heightM * exp((-0.5 * (east * east + north * north)) / (sigmaKm * sigmaKm)) + fab;
      }
    }
    const grid = new MemoryGrid({ ...o, values });
    cache.set(withFabric, grid);
    return grid;
  };

  test('fabric finer than the window spacing is filtered out instead of aliased', async () => {
    const spec = { ...baseSpec, taper: 'none' } as const;
    const on = rmsDifference(
      (await extractWindow(fine(true), { lon: 0, lat: 0 }, spec, 0)).data,
      (await extractWindow(fine(false), { lon: 0, lat: 0 }, spec, 0)).data,
    );
    const off = rmsDifference(
      (await extractWindow(fine(true), { lon: 0, lat: 0 }, { ...spec, antiAlias: false }, 0)).data,
      (await extractWindow(fine(false), { lon: 0, lat: 0 }, { ...spec, antiAlias: false }, 0)).data,
    );
    expect(on).toBeLessThan(0.005);
    expect(off).toBeGreaterThan(0.03);
  });

  test('a 93 m and a 463 m source give the same window', async () => {
    const coarse = new SyntheticGrid({ width: 173, height: 173, lon0: -0.36, dLon: 1 / 240, lat0: 0.36, dLat: -1 / 240, baseDepthM: -4000, seamounts: smt });
    const a = await extractWindow(fine(false), { lon: 0, lat: 0 }, baseSpec, 0);
    const b = await extractWindow(coarse, { lon: 0, lat: 0 }, baseSpec, 0);
    expect(correlation(a.data, b.data)).toBeGreaterThan(0.9999);
    expect(maxAbsDifference(a.data, b.data)).toBeLessThan(0.01);
  });

  test('real data: Balanus Seamount from GEBCO (460 m) and GMRT (47 m) agree, better with anti-aliasing', async () => {
    const shared = (name: string): string => path.resolve(process.cwd(), '../shared/data/grids', name);
    const gebco = await openGrid(shared('balanus_gebco2024.nc3.nc'));
    const gmrt = await openGrid(shared('balanus_gmrt.nc4.nc'));
    // GMRT covers ~51 × 63 km: a 40 km window at 1.25 km spacing fits
    const spec: WindowSpec = { ...baseSpec, sizeKm: 40, samples: 32, taper: 'none' };
    const pose = { lon: -65.392, lat: 39.409 };
    const on = [await extractWindow(gebco, pose, spec, 0), await extractWindow(gmrt, pose, spec, 0)];
    const off = [await extractWindow(gebco, pose, { ...spec, antiAlias: false }, 0), await extractWindow(gmrt, pose, { ...spec, antiAlias: false }, 0)];
    expect(on[0].nodataFraction).toBe(0);
    expect(on[1].nodataFraction).toBe(0);
    expect(correlation(on[0].data, on[1].data)).toBeGreaterThan(0.998);
    expect(rmsDifference(on[0].data, on[1].data)).toBeLessThan(rmsDifference(off[0].data, off[1].data));
    expect(Math.abs(on[0].medianM - on[1].medianM)).toBeLessThan(20);
    await gebco.close();
    await gmrt.close();
  });
});

describe('resampleWindow (pure)', () => {
  test('equals extractWindow on the same patch and does not modify the patch', async () => {
    const grid = gaussianAt(0, 30);
    const lattice = windowLattice(baseSpec, 30);
    const patch = await readSourcePatch(grid, windowFootprint(grid, baseSpec, 0, lattice));
    const copy = patch.values.slice();
    const a = resampleWindow(patch, { lon: 0, lat: 30 }, baseSpec, 0);
    const b = await extractWindow(grid, { lon: 0, lat: 30 }, baseSpec, 0);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(patch.values)).toEqual(Array.from(copy));
  });
});

describe('relief shown by a window', () => {
  it('measures the edifice above the median at the centre, and nothing on a flat floor', async () => {
    // 2000 m Gaussian with sigma 7 km: the 64 km window's median lies on the floor, after the anti-alias blur
    const smt = await extractWindow(gaussianAt(-110, -45), { lon: -110, lat: -45 }, baseSpec, 0);
    expect(smt.reliefM).toBeGreaterThan(1800);
    expect(smt.reliefM).toBeLessThan(2050);
    // 47 km east of the seamount the window sees only the floor
    const flat = await extractWindow(gaussianAt(-110, -45), { lon: -109.4, lat: -45 }, baseSpec, 0);
    expect(flat.nodataFraction).toBe(0);
    expect(flat.reliefM).toBeLessThan(150);
  });
});
