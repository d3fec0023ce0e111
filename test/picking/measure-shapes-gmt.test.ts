/**
 * Issue 28's targets on an independent generator: a cone, a paraboloid, a Gaussian and GMT's polynomial
 * (and a flat-topped cone, a guyot) planted by `gmt grdseamount` on a 1′ grid with a regional slope are
 * measured within 10 % of their height, 15 % of their basal radius (GMT's r0: the foot of a cone, 3 σ of
 * a Gaussian) and one cell of their position, with their volume and class. The Gaussian fit alone put the
 * cone's and the paraboloid's base 33–48 % too far out. Skipped where GMT is not installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryGrid } from '../support/memory-grid.js';
import { measureSeamount, type Measurement } from '../../src/picking/measure.js';
import { greatCircleKm, KM_PER_DEG } from '../../src/base/geodesy.js';
import { describeWhen, hasTool } from '../support/skip.js';

const hasGmt = hasTool('gmt');

interface Planted {
  name: string;
  lon: number;
  lat: number;
  azimuthDeg: number;
  majorKm: number;
  minorKm: number;
  heightM: number;
  flattening: number;
  shape: 'g' | 'c' | 'p' | 'o';
  /** Volume above the base inside the basal ellipse, km³ (the shapes' own formulas). */
  volumeKm3: number;
  seamountClass: string;
}

const ab = (a: number, b: number) => a * b;
/** lon, lat, azimuth, semi-axes, height, flattening, shape: rows of `gmt grdseamount -E -F -C`. */
const PLANTED: Planted[] = [
  {
    name: 'cone',
    lon: -112.6,
    lat: -44.4,
    azimuthDeg: 0,
    majorKm: 12,
    minorKm: 12,
    heightM: 1500,
    flattening: 0,
    shape: 'c',
    volumeKm3: (Math.PI * ab(12, 12) * 1.5) / 3,
    seamountClass: 'seamount',
  },
  {
    name: 'paraboloid',
    lon: -111.9,
    lat: -44.4,
    azimuthDeg: 0,
    majorKm: 10,
    minorKm: 10,
    heightM: 900,
    flattening: 0,
    shape: 'p',
    volumeKm3: (Math.PI * ab(10, 10) * 0.9) / 2,
    seamountClass: 'knoll',
  },
  {
    name: 'Gaussian',
    lon: -112.6,
    lat: -45.1,
    azimuthDeg: 0,
    majorKm: 14,
    minorKm: 14,
    heightM: 2000,
    flattening: 0,
    shape: 'g',
    volumeKm3: ((2 * Math.PI * ab(14, 14) * 2) / 9) * (1 - Math.exp(-4.5)),
    seamountClass: 'seamount',
  },
  {
    name: 'elliptical cone',
    lon: -111.9,
    lat: -45.1,
    azimuthDeg: 50,
    majorKm: 15,
    minorKm: 8,
    heightM: 1200,
    flattening: 0,
    shape: 'c',
    volumeKm3: (Math.PI * ab(15, 8) * 1.2) / 3,
    seamountClass: 'seamount',
  },
  {
    name: 'polynomial',
    lon: -112.6,
    lat: -45.8,
    azimuthDeg: 0,
    majorKm: 12,
    minorKm: 12,
    heightM: 1100,
    flattening: 0,
    shape: 'o',
    volumeKm3: NaN,
    seamountClass: 'seamount',
  },
  {
    name: 'guyot (flat cone)',
    lon: -111.9,
    lat: -45.8,
    azimuthDeg: 0,
    majorKm: 15,
    minorKm: 15,
    heightM: 2000,
    flattening: 0.4,
    shape: 'c',
    volumeKm3: (Math.PI * ab(15, 15) * 2 * (1 + 0.4 + 0.16)) / 3,
    seamountClass: 'guyot',
  },
];

const WEST = -114;
const NORTH = -43.5;
const N = 181; // 3° × 3° of 1′ cells
const SLOPE: [number, number] = [3, -2]; // m/km east and north

describeWhen(hasGmt)('measureSeamount on gmt grdseamount cones, paraboloids, Gaussians and guyots', () => {
  let grid: MemoryGrid;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'seamount-gmt-shapes-'));
    try {
      writeFileSync(
        join(dir, 'in.txt'),
        `${PLANTED.map((s) => `${s.lon} ${s.lat} ${s.azimuthDeg} ${s.majorKm} ${s.minorKm} ${s.heightM} ${s.flattening} ${s.shape}`).join('\n')}\n`,
      );
      const nc = join(dir, 'sm.nc');
      execFileSync(
        'gmt',
        ['grdseamount', join(dir, 'in.txt'), `-R${WEST}/${WEST + 3}/${NORTH - 3}/${NORTH}`, '-I1m', '-C', '-E', '-F', '-Z0', '-fg', `-G${nc}`],
        { stdio: 'pipe' },
      );
      const raw = execFileSync('gmt', ['grd2xyz', nc, '-ZTLf'], { maxBuffer: 1 << 26 });
      const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      // a regional slope under the seamounts (−4500 m at the grid centre)
      for (let j = 0; j < N; j++) {
        for (let i = 0; i < N; i++) {
          const east = (i - 90) * (KM_PER_DEG / 60) * Math.cos((45 * Math.PI) / 180);
          const north = (90 - j) * (KM_PER_DEG / 60);
          values[j * N + i] += -4500 + SLOPE[0] * east + SLOPE[1] * north;
        }
      }
      grid = new MemoryGrid({ values, width: N, height: N, lon0: WEST, dLon: 1 / 60, lat0: NORTH, dLat: -1 / 60, path: 'grdseamount shapes' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const cellKm = KM_PER_DEG / 60;
  const measure = async (s: Planted): Promise<Measurement> => {
    // start 2 km off the centre, as a candidate's summit search would
    const m = await measureSeamount(grid, s.lon + 0.02, s.lat - 0.01, { measureRadiusKm: 30, highpassKm: 100, searchRadiusKm: 1.5 * cellKm });
    expect(m).not.toBeNull();
    return m as Measurement;
  };

  it.each(PLANTED.map((s) => [s.name, s] as [string, Planted]))('%s: height within 10 %%, radius within 15 %%, position within a cell', async (_name, s) => {
    const m = await measure(s);
    expect(greatCircleKm(m.lon, m.lat, s.lon, s.lat)).toBeLessThanOrEqual(cellKm);
    expect(Math.abs(m.heightM - s.heightM) / s.heightM).toBeLessThan(0.1);
    const radius = Math.sqrt(s.majorKm * s.minorKm);
    expect(Math.abs(m.radiusKm - radius) / radius).toBeLessThan(0.15);
    expect(m.radiusKm).toBeCloseTo(Math.sqrt(m.ellipse.majorKm * m.ellipse.minorKm), 9);
    expect(m.seamountClass).toBe(s.seamountClass);
    expect(m.heightSdM).toBeGreaterThan(0);
    expect(m.radiusSdKm).toBeGreaterThan(0);
    if (Number.isFinite(s.volumeKm3)) expect(Math.abs(m.volumeKm3 - s.volumeKm3) / s.volumeKm3).toBeLessThan(0.05);
  });

  it("finds the shape of each, the guyot flat-topped with its plateau, and the elliptical cone's axes and azimuth", async () => {
    const by = Object.fromEntries(await Promise.all(PLANTED.map(async (s) => [s.name, await measure(s)] as const)));
    expect(by.cone.profileShape).toBe('cone');
    expect(by.paraboloid.profileShape).toBe('parabolic');
    expect(by.Gaussian.profileShape).toBe('gaussian');
    const guyot = by['guyot (flat cone)'];
    expect(guyot.flatTopped).toBe(true);
    expect(Math.sqrt(guyot.plateauShare)).toBeCloseTo(0.4, 1);
    expect(guyot.plateauAreaKm2 / (Math.PI * 6 * 6)).toBeCloseTo(1, 1);
    for (const n of ['cone', 'paraboloid', 'Gaussian', 'elliptical cone']) expect(by[n].flatTopped).toBe(false);
    // the cone's flanks: atan(H / R), 7.1°, within 10 % (central differences over 2 cells blunt the apex and the foot)
    const slope = (Math.atan(1.5 / 12) * 180) / Math.PI;
    expect(Math.abs(by.cone.flankSlopeDeg - slope) / slope).toBeLessThan(0.1);
    const e = by['elliptical cone'];
    expect(Math.abs(e.ellipse.majorKm - 15) / 15).toBeLessThan(0.1);
    expect(Math.abs(e.ellipse.minorKm - 8) / 8).toBeLessThan(0.1);
    const dAz = Math.abs(((((e.ellipse.azimuthDeg - 50 + 90) % 180) + 180) % 180) - 90);
    expect(dAz).toBeLessThan(3);
    // the Gaussian fit alone puts the cone's base a third further out: the evidence the ranker used before issue 28
    expect(by.cone.gaussianRadiusKm / 12).toBeGreaterThan(1.25);
  });
});
