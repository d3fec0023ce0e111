/**
 * The Kim & Wessel-style table (read back by our own catalogue reader, header as in the census) and the
 * GMT `plot -SE` table, drawn by GMT itself to check the axis convention (skipped where GMT is missing).
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KM_PER_DEG } from '../../src/base/geodesy.js';
import { readCatalogue } from '../../src/catalogue/read.js';
import { KW_COLUMNS, seamountsToGmtTable, seamountsToKwTable, writeSeamountsGmtTable, writeSeamountsKwTable } from '../../src/catalogue/tables.js';
import { describeWhen, runs } from '../support/skip.js';
import { tempDir } from '../support/temp-dir.js';
import { FIXTURES, pick } from './export-fixtures.js';

const KW_FILE = resolve(process.cwd(), '../shared/data/catalogues/KWSMTSv01.txt');
const haveGmt = runs('gmt', ['--version']);
if (!haveGmt) console.warn('gmt (Debian gmt) not found: drawing seamounts_gmt.txt with gmt plot -SE is skipped');

const dir = tempDir('seamount-tables-');
const dataRows = (text: string): string[][] => {
  const lines = text.trimEnd().split('\n');
  const h = lines.findIndex((l) => l.startsWith('Longitude\t'));
  return lines.slice(h + 1).map((l) => l.split('\t'));
};

describe('Kim & Wessel-style table', () => {
  it('has the census header (tab-separated, same order) after a free-text preamble and a blank line', () => {
    const lines = seamountsToKwTable(FIXTURES).split('\n');
    const h = lines.indexOf(KW_COLUMNS.join('\t'));
    expect(h).toBeGreaterThan(5);
    expect(lines[h - 1]).toBe('');
    expect(lines[h]).toBe('Longitude\tLatitude\tAzimuth\tMajor\tMinor\tHeight\tFAA\tVGG\tDepth\tCrustAge\tID');
    const preamble = lines.slice(0, h).join('\n');
    expect(preamble).toMatch(/FAA: not measured by seamount-detect, always NaN/);
    expect(preamble).toMatch(/VGG: not measured/);
    expect(preamble).toMatch(/CrustAge: not measured/);
    expect(preamble).toMatch(/semi-axis/);
    expect(preamble).toMatch(/contains 5 seamounts/);
  });

  (existsSync(KW_FILE) ? it : it.skip)('matches the header line of the real census file', () => {
    const census = readFileSync(KW_FILE, 'latin1')
      .split(/\r?\n/)
      .find((l) => l.startsWith('Longitude'));
    expect(seamountsToKwTable([]).split('\n')).toContain(census);
  });

  it('writes semi-axes as they are, base depth as Depth, NaN for what we do not measure or lack', () => {
    const rows = dataRows(seamountsToKwTable(FIXTURES));
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(r).toHaveLength(11);
    expect(rows[0]).toEqual(['-155.12346', '19.5', '30', '15', '9', '3086.5', 'NaN', 'NaN', '-4321', 'NaN', 'SMT-000001']);
    expect(rows[3].slice(2, 6)).toEqual(['135', '25', '10', '3200.2']);
    expect(rows[4].slice(2, 5)).toEqual(['NaN', 'NaN', 'NaN']); // the failed fit
  });

  it('reads back through readCatalogue: ids, positions, heights, base depths, radius = sqrt(Major × Minor)', async () => {
    const path = join(dir, 'seamounts_kw.txt');
    // notes that would read as a header or a data row are made comments
    await writeSeamountsKwTable(path, FIXTURES, { notes: ['Grid: spac_33.nc4.nc', 'lon lat', '12 34 not data'] });
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(readFileSync(path, 'utf8')).toMatch(/^# lon lat$/m);
    const entries = await readCatalogue(path);
    expect(entries.map((e) => e.id)).toEqual(FIXTURES.map((s) => s.id));
    entries.forEach((e, k) => {
      const s = FIXTURES[k];
      expect(e.lon).toBeCloseTo(s.lon, 5);
      expect(e.lat).toBeCloseTo(s.lat, 5);
      expect(e.heightM).toBeCloseTo(s.heightM, 1);
      expect(e.baseDepthM).toBeCloseTo(s.baseDepthM, 1);
      expect(e.confidence).toBeNull();
      if (Number.isFinite(s.radiusKm)) expect(e.radiusKm).toBeCloseTo(s.radiusKm, 2);
      else expect(e.radiusKm).toBeNull();
    });
  });

  it('keeps an id with blanks one field', async () => {
    const path = join(dir, 'blank-id.txt');
    await writeSeamountsKwTable(path, [pick('my pick 1', 10, 10)]);
    expect((await readCatalogue(path)).map((e) => e.id)).toEqual(['my_pick_1']);
  });
});

describe('GMT plot -SE table', () => {
  it('writes lon lat azimuth and FULL axes (2 × our semi-axes), the id as trailing text, and names what it leaves out', () => {
    const { text, ellipses, withoutEllipse } = seamountsToGmtTable(FIXTURES);
    expect(ellipses).toBe(4);
    expect(withoutEllipse).toEqual(['SMT-000005']);
    const lines = text.trimEnd().split('\n');
    const header = lines.filter((l) => l.startsWith('#'));
    expect(header.join('\n')).toMatch(/FULL axis/);
    expect(header.join('\n')).toMatch(/left out: SMT-000005/);
    const rows = lines.filter((l) => !l.startsWith('#')).map((l) => l.split('\t'));
    expect(rows).toEqual([
      ['-155.12346', '19.5', '30', '30', '18', 'SMT-000001'],
      ['179.95', '-20', '90', '60', '24', 'SMT-000002'],
      ['-179.97', '10', '80', '40', '20', 'SMT-000003'],
      ['10', '80', '135', '50', '20', 'SMT-000004'],
    ]);
  });

  it('writes atomically and reports what it wrote', async () => {
    const path = join(dir, 'seamounts_gmt.txt');
    expect(await writeSeamountsGmtTable(path, FIXTURES)).toEqual({ ellipses: 4, withoutEllipse: ['SMT-000005'] });
    expect(readFileSync(path, 'utf8')).toBe(seamountsToGmtTable(FIXTURES).text);
  });
});

/**
 * Extents (PostScript units) of the distinct closed, stroked paths GMT drew: `x y M` then relative
 * `dx dy D` steps, ended by `P S` (GMT 6.4 strokes each geographic ellipse twice). GMT's PostScript is in
 * 1/1200 inch.
 */
function strokedPathExtents(ps: string): Array<{ x: number; y: number; width: number; height: number }> {
  const out: Array<{ x: number; y: number; width: number; height: number }> = [];
  const lines = ps.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(-?\d+) (-?\d+) M$/.exec(lines[i]);
    if (!m) continue;
    let [x, y] = [Number(m[1]), Number(m[2])];
    const xs = [x];
    const ys = [y];
    let j = i + 1;
    for (let d: RegExpExecArray | null; (d = /^(-?\d+) (-?\d+) D$/.exec(lines[j])); j++) {
      x += Number(d[1]);
      y += Number(d[2]);
      xs.push(x);
      ys.push(y);
    }
    const path = { x: Number(m[1]), y: Number(m[2]), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
    const seen = out.some((p) => p.x === path.x && p.y === path.y && p.width === path.width && p.height === path.height);
    if (lines[j] === 'P S' && !seen) out.push(path);
  }
  return out;
}

describeWhen(haveGmt)('GMT draws seamounts_gmt.txt (gmt psxy -SE, i.e. gmt plot -SE in classic mode)', () => {
  // classic mode (psxy) writes PostScript without Ghostscript, which modern mode's `gmt end` needs
  const gmt = (args: string[], out: string): string => {
    const ps = execFileSync('gmt', args, {
      cwd: dir,
      encoding: 'latin1',
      env: { ...process.env, GMT_TMPDIR: dir, GMT_USERDIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    writeFileSync(join(dir, out), ps, 'latin1');
    return ps;
  };

  it('reads every row (trailing ids included) and draws the two ellipses by the antimeridian', async () => {
    const table = join(dir, 'all_gmt.txt');
    await writeSeamountsGmtTable(table, FIXTURES);
    const ps = gmt(['psxy', table, '-R170/190/-30/30', '-JM15c', '-SE', '-W0.5p', '-P'], 'all.ps');
    expect(ps.startsWith('%!PS-Adobe')).toBe(true);
    const paths = strokedPathExtents(ps);
    expect(paths).toHaveLength(2); // SMT-000002 at 179.95° E, SMT-000003 at 179.97° W; the others lie outside -R
    // SMT-000002: 60 km full major axis east–west at 20° S, SMT-000003: 40 km at azimuth 80°, on 20° per 15 cm
    const unitsPerDeg = ((15 / 2.54) * 1200) / 20;
    const widthsDeg = paths.map((p) => p.width / unitsPerDeg).sort((a, b) => a - b);
    // (east–west extents: 60 km / (111.2 km × cos 20°) = 0.574°; 2·sqrt(20² sin² 80° + 10² cos² 80°) km at 10° N = 0.361°)
    expect(widthsDeg[0]).toBeGreaterThan(0.34);
    expect(widthsDeg[0]).toBeLessThan(0.38);
    expect(widthsDeg[1]).toBeGreaterThan(0.55);
    expect(widthsDeg[1]).toBeLessThan(0.6);
  });

  it.each([
    [90, 'east-west'],
    [0, 'north-south'],
  ])('a 50 × 20 km (semi-axes) ellipse at azimuth %p° is drawn 100 km long %s: GMT takes full axes and azimuths from north', async (azimuthDeg) => {
    const table = join(dir, `one_${azimuthDeg}.txt`);
    await writeSeamountsGmtTable(table, [pick('SMT-1', 0, 0, { ellipse: { azimuthDeg, majorKm: 50, minorKm: 20 } })]);
    // 2° of longitude on 10 cm (4724 PostScript units); Mercator is true to scale at the equator
    const ps = gmt(['psxy', table, '-R-1/1/-1/1', '-JM10c', '-SE', '-W0.25p', '-P'], `one_${azimuthDeg}.ps`);
    const paths = strokedPathExtents(ps);
    expect(paths).toHaveLength(1);
    const unitsPerKm = ((10 / 2.54) * 1200) / (2 * KM_PER_DEG);
    const [alongKm, acrossKm] = azimuthDeg === 90 ? [paths[0].width, paths[0].height] : [paths[0].height, paths[0].width];
    expect(alongKm / unitsPerKm).toBeGreaterThan(98);
    expect(alongKm / unitsPerKm).toBeLessThan(102);
    expect(acrossKm / unitsPerKm).toBeGreaterThan(38);
    expect(acrossKm / unitsPerKm).toBeLessThan(42);
  });
});
