/**
 * An independent generator: seamounts planted by GMT's `grdseamount` (Gaussian, r0 = 3 σ, azimuth of the
 * major axis clockwise from north — the conventions our measurement claims to share). Skipped where GMT
 * is not installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryGrid } from '../support/memory-grid.js';
import { measureSeamount } from '../../src/picking/measure.js';
import { describeWhen, hasTool } from '../support/skip.js';

const hasGmt = hasTool('gmt');

/** lon lat azimuth semi-major semi-minor height flattening */
const table: Array<[number, number, number, number, number, number, number]> = [
  [-113.2, -44.3, 0, 12, 12, 1500, 0],
  [-111.9, -44.4, 60, 15, 8, 1200, 0],
  [-112.5, -45.6, 0, 14, 14, 1000, 0.3],
];

describeWhen(hasGmt)('measureSeamount on gmt grdseamount grids', () => {
  let grid: MemoryGrid;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'seamount-gmt-'));
    try {
      writeFileSync(join(dir, 'in.txt'), `${table.map((r) => r.join(' ')).join('\n')}\n`);
      const nc = join(dir, 'sm.nc');
      execFileSync('gmt', ['grdseamount', join(dir, 'in.txt'), '-R-114/-111/-46.5/-43.5', '-I1m', '-Cg', '-E', '-F', '-Z-4200', `-G${nc}`], { stdio: 'pipe' });
      // float32 rows from the top-left (north-west) corner
      const raw = execFileSync('gmt', ['grd2xyz', nc, '-ZTLf'], { maxBuffer: 1 << 26 });
      const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      grid = new MemoryGrid({ values, width: 181, height: 181, lon0: -114, dLon: 1 / 60, lat0: -43.5, dLat: -1 / 60, path: 'grdseamount' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(table)('seamount at %f, %f (az %f, %f × %f km, %f m, flattening %f)', async (lon, lat, az, major, minor, height, flat) => {
    const m = await measureSeamount(grid, lon + 0.02, lat - 0.015, { measureRadiusKm: 40, highpassKm: 100, searchRadiusKm: 5 });
    expect(m).not.toBeNull();
    if (!m) return;
    expect(Math.abs(m.lon - lon)).toBeLessThanOrEqual(1 / 60);
    expect(Math.abs(m.lat - lat)).toBeLessThanOrEqual(1 / 60);
    expect(Math.abs(m.heightM - height) / height).toBeLessThan(0.1);
    const radius = Math.sqrt(major * minor);
    expect(Math.abs(m.radiusKm - radius) / radius).toBeLessThan(0.2);
    if (flat === 0) expect(Math.abs(m.ellipse.majorKm - major) / major).toBeLessThan(0.1);
    if (major > minor) {
      const dAz = Math.abs(((((m.ellipse.azimuthDeg - az + 90) % 180) + 180) % 180) - 90);
      expect(dAz).toBeLessThan(5);
    }
  });
});
