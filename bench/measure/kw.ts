/**
 * Our measurements against Kim & Wessel's (2011) on the seamounts both catalogues have, on the shared 1′
 * grids: the Gaussian baseline's picks matched to the KW census within 10 km (as issue 28 did), each pick
 * re-measured at its position, then height, radius, axes and base depth compared — with the parts of the
 * height difference (our summit against KW's summit = their regional depth + height, our base against
 * their regional depth) and the σ multiple their radius is of our Gaussian's. Writes
 * bench/measure/kw-agreement.json and .md.
 *
 *   node --import tsx bench/measure/kw.ts [--out DIR] [--at-kw]
 *
 * --at-kw: measure at every KW seamount's position (summit looked for within 5 km) instead of at matched
 * picks: the same seamounts whatever the measuring code, to compare two versions of it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { gaussianBaseline } from '../../src/baseline/index.js';
import { measureSeamount, type Measurement } from '../../src/picking/measure.js';
import { matchOneToOne } from '../../src/evaluation/match.js';
import { agreementStats, type AgreementStats } from '../../src/evaluation/agreement.js';
import { openGrid } from '../../src/grid/index.js';
import { KM_PER_DEG } from '../../src/base/geodesy.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const DATA = path.resolve(ROOT, '../shared/data');

const GRIDS = [
  'grids/spac_33.nc4.nc',
  'grids/regions_1m/hatteras_plain_etopo.nc4.nc',
  'grids/regions_1m/arabian_sea_etopo.nc4.nc',
  'grids/regions_1m/mariana_trench_etopo.nc4.nc',
  'grids/regions_1m/south_china_sea_etopo.nc4.nc',
  'grids/regions_1m/japan_trench_etopo1.tif',
  'grids/regions_1m/gorda_etopo1.tif',
];
const MATCH_KM = 10;

interface KwRow {
  lon: number;
  lat: number;
  azimuthDeg: number;
  majorKm: number;
  minorKm: number;
  heightM: number;
  depthM: number;
}

/** The KW census's rows (by its header line: Longitude Latitude Azimuth Major Minor Height FAA VGG Depth CrustAge ID). */
function readKw(file: string): KwRow[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const head = lines.findIndex((l) => l.startsWith('Longitude'));
  const out: KwRow[] = [];
  for (const line of lines.slice(head + 1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 11 || line.startsWith('>') || line.startsWith('#')) continue;
    out.push({ lon: +f[0], lat: +f[1], azimuthDeg: +f[2], majorKm: +f[3], minorKm: +f[4], heightM: +f[5], depthM: +f[8] });
  }
  return out;
}

interface Pair {
  grid: string;
  m: Measurement;
  kw: KwRow;
  distanceKm: number;
}

async function main(): Promise<void> {
  const outDir = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : HERE;
  const atKw = process.argv.includes('--at-kw');
  const config = loadConfig();
  const kw = readKw(path.join(DATA, 'catalogues/KWSMTSv01.txt'));
  const pairs: Pair[] = [];
  const perGrid: Record<string, { kwInGrid: number; picks: number; matched: number }> = {};
  for (const rel of GRIDS) {
    const file = path.join(DATA, rel);
    if (!existsSync(file)) continue;
    const grid = await openGrid(file);
    try {
      const west = grid.lon0;
      const east = grid.lon0 + (grid.width - 1) * grid.dLon;
      const lats = [grid.lat0, grid.lat0 + (grid.height - 1) * grid.dLat];
      const [south, north] = [Math.min(...lats), Math.max(...lats)];
      const wrap = (lon: number) => (lon < west ? lon + 360 : lon);
      const inside = kw.filter((s) => wrap(s.lon) >= west && wrap(s.lon) <= east && s.lat >= south && s.lat <= north);
      // --at-kw: measure at every KW position instead (the same seamounts whatever the measurement code)
      const seamounts = atKw ? inside.map((s) => ({ lon: s.lon, lat: s.lat })) : (await gaussianBaseline(grid, null, { ...config.baseline })).seamounts;
      const matches = atKw ? inside.map((_, i) => ({ pick: i, ref: i, distanceKm: 0 })) : matchOneToOne(seamounts, inside, MATCH_KM);
      const cellKm = Math.abs(grid.dLat) * KM_PER_DEG;
      for (const mt of matches) {
        const s = seamounts[mt.pick];
        const m = await measureSeamount(grid, s.lon, s.lat, {
          measureRadiusKm: config.baseline.measureRadiusKm,
          highpassKm: config.baseline.highpassKm,
          searchRadiusKm: atKw ? 5 : 1.5 * cellKm,
        });
        if (m) pairs.push({ grid: path.basename(rel), m, kw: inside[mt.ref], distanceKm: mt.distanceKm });
      }
      perGrid[path.basename(rel)] = { kwInGrid: inside.length, picks: seamounts.length, matched: matches.length };
      console.error(`${rel}: ${inside.length} KW seamounts, ${seamounts.length} picks, ${matches.length} matched`);
    } finally {
      await grid.close();
    }
  }
  const stats = (f: (p: Pair) => [number, number]) =>
    agreementStats(
      pairs.map((p) => {
        const [ours, ref] = f(p);
        return { ours, ref };
      }),
    );
  const kwRadius = (p: Pair) => Math.sqrt(p.kw.majorKm * p.kw.minorKm);
  const table: Array<[string, AgreementStats | null]> = [
    ['height (m)', stats((p) => [p.m.heightM, p.kw.heightM])],
    ['summit depth (m): ours vs KW depth + height', stats((p) => [p.m.summitDepthM, p.kw.depthM + p.kw.heightM])],
    ['base depth (m): ours vs KW regional depth', stats((p) => [p.m.baseDepthM, p.kw.depthM])],
    ['height above KW regional depth (m)', stats((p) => [p.m.summitDepthM - p.kw.depthM, p.kw.heightM])],
    ['basal radius (km): ours vs sqrt(Major × Minor)', stats((p) => [p.m.radiusKm, kwRadius(p)])],
    ['Gaussian 3σ radius (km) vs sqrt(Major × Minor)', stats((p) => [p.m.gaussianRadiusKm, kwRadius(p)])],
    ['semi-major axis (km): ours vs Major', stats((p) => [p.m.ellipse.majorKm, p.kw.majorKm])],
    ['semi-minor axis (km): ours vs Minor', stats((p) => [p.m.ellipse.minorKm, p.kw.minorKm])],
    ['KW sqrt(Major × Minor) in our Gaussian σ (ours: 3)', stats((p) => [kwRadius(p) / (p.m.gaussianRadiusKm / 3), 3])],
  ];
  // KW's azimuths run −90..90: clockwise from north (as gmt grdseamount -E reads them), or counter-clockwise
  // from east (a mathematician's angle)? Compare with ours on clearly elongated seamounts (both axis ratios < 0.7).
  const axisDeg = (a: number, b: number) => {
    const d = (((a - b) % 180) + 180) % 180;
    return Math.min(d, 180 - d);
  };
  const elongated = pairs.filter((p) => p.m.ellipse.minorKm < 0.7 * p.m.ellipse.majorKm && p.kw.minorKm < 0.7 * p.kw.majorKm);
  const medianOf = (v: number[]) => {
    const x = [...v].sort((a, b) => a - b);
    return x.length ? x[Math.floor((x.length - 1) / 2)] : NaN;
  };
  const azimuth = {
    elongatedPairs: elongated.length,
    medianDifferenceIfClockwiseFromNorthDeg: medianOf(elongated.map((p) => axisDeg(p.m.ellipse.azimuthDeg, p.kw.azimuthDeg))),
    medianDifferenceIfCounterClockwiseFromEastDeg: medianOf(elongated.map((p) => axisDeg(p.m.ellipse.azimuthDeg, 90 - p.kw.azimuthDeg))),
  };
  const shapes: Record<string, number> = {};
  for (const p of pairs) shapes[p.m.profileShape] = (shapes[p.m.profileShape] ?? 0) + 1;
  const result = { matchKm: MATCH_KM, pairs: pairs.length, perGrid, shapes, azimuth, table: Object.fromEntries(table) };
  mkdirSync(outDir, { recursive: true });
  const name = atKw ? 'kw-agreement-at-kw' : 'kw-agreement';
  writeFileSync(
    path.join(outDir, `${name}.json`),
    `${JSON.stringify(result, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(5)) : v), 1)}\n`,
  );
  const L: string[] = [];
  L.push(`# Our measurements against Kim & Wessel (2011) on ${pairs.length} matched seamounts`, '');
  L.push(
    atKw
      ? 'Measured at every KW seamount of the shared 1′ grids (summit looked for within 5 km); `node --import tsx bench/measure/kw.ts --at-kw`.'
      : `Gaussian-baseline picks on the shared 1′ grids matched to the KW census within ${MATCH_KM} km; \`node --import tsx bench/measure/kw.ts\`.`,
    '',
  );
  L.push('| grid | KW seamounts | picks | matched |', '| --- | ---: | ---: | ---: |');
  for (const [g, v] of Object.entries(perGrid)) L.push(`| ${g} | ${v.kwInGrid} | ${v.picks} | ${v.matched} |`);
  L.push(
    '',
    `Best-fitting radial shape of the matched picks: ${Object.entries(shapes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
  );
  L.push('| quantity | pairs | ours (median) | KW (median) | bias (median of ours − KW) | median abs. difference | correlation | median ratio |');
  L.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, s] of table) {
    if (!s) continue;
    L.push(
      `| ${name} | ${s.n} | ${s.oursMedian.toFixed(1)} | ${s.refMedian.toFixed(1)} | ${s.bias.toFixed(1)} | ${s.medianAbsDifference.toFixed(1)} | ${s.correlation === null ? 'n/a' : s.correlation.toFixed(2)} | ${s.medianRatio === null ? 'n/a' : s.medianRatio.toFixed(3)} |`,
    );
  }
  L.push('');
  L.push(
    `Azimuth, on the ${azimuth.elongatedPairs} pairs both call elongated (minor < 0.7 major): median angle between the axes ` +
      `${azimuth.medianDifferenceIfClockwiseFromNorthDeg.toFixed(0)}° reading KW's azimuth clockwise from north, ` +
      `${azimuth.medianDifferenceIfCounterClockwiseFromEastDeg.toFixed(0)}° reading it counter-clockwise from east (random axes: 45°).`,
    '',
  );
  writeFileSync(path.join(outDir, `${name}.md`), L.join('\n'));
  console.log(L.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
