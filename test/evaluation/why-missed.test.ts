/**
 * Why a catalogue seamount was missed: from the candidate ledger (the nearest candidate's fate) and the
 * error raster (the windows near it). Hand cases whose every reason is known.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { explainMisses, readLedger, compareCatalogues, whyMissedTable, type LedgerCandidate } from '../../src/evaluation/index.js';
import { CandidateLedger } from '../../src/pipeline/candidate-ledger.js';
import { writeSeamountsGeoJson } from '../../src/catalogue/index.js';
import { writeFloat32GeoTiff } from '../../src/grid/index.js';
import type { CandidateDecision, Candidate } from '../../src/picking/index.js';
import type { Seamount } from '../../src/types.js';
import { MemoryGrid } from '../support/memory-grid.js';
import { tempDir } from '../support/temp-dir.js';
import { MORPHOMETRY } from '../support/morphometry-fixture.js';

const dir = tempDir('why-missed-');

/** An error raster over 10–12°E, 0–2°N (0.05° cells): 0.9 everywhere, 0.2 around (11.5, 0.5), no-data east of 11.8°E. */
function raster(): MemoryGrid {
  const n = 41;
  const values = new Float32Array(n * n).fill(0.9);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const lon = 10 + x * 0.05;
      const lat = y * 0.05;
      if (Math.hypot(lon - 11.5, lat - 0.5) < 0.06) values[y * n + x] = 0.2;
      if (lon >= 11.8 - 1e-9) values[y * n + x] = NaN;
    }
  }
  return new MemoryGrid({ width: n, height: n, lon0: 10, dLon: 0.05, lat0: 0, dLat: 0.05, values, path: 'error.tif' });
}

const candidate = (id: string, lon: number, lat: number, fate: string, rule: string | null = null, pickId: string | null = null): LedgerCandidate => ({
  id,
  lon,
  lat,
  fate,
  rule,
  confidence: 0.3,
  pickId,
  mergedIntoPick: null,
  heightM: 700,
  prominenceM: 600,
});

describe('explainMisses', () => {
  const ledger = [
    candidate('C1_1', 10.52, 1.0, 'dropped', 'below_cut'),
    candidate('C2_2', 10.5, 1.5, 'merged'),
    candidate('C3_3', 11.0, 1.5, 'picked', null, 'SMT-000001'),
    candidate('C4_4', 10.2, 0.2, 'dropped', 'island'),
  ];
  const missed = [
    { lon: 10.5, lat: 1.0 }, // 2.2 km from a candidate under the cut
    { lon: 10.55, lat: 1.5 }, // merged
    { lon: 11.05, lat: 1.5 }, // its candidate was picked (and matched another seamount)
    { lon: 10.22, lat: 0.2 }, // an island
    { lon: 11.5, lat: 0.5 }, // no candidate, windows score 0.2 < 0.6
    { lon: 10.8, lat: 0.3 }, // no candidate, windows score 0.9
    { lon: 11.95, lat: 0.3 }, // no candidate, no window (no-data)
  ];

  it('names the nearest candidate and its fate, else what the windows say', async () => {
    const why = await explainMisses(missed, { ledger, raster: raster(), threshold: 0.6, toleranceKm: 25, evidenceRadiusKm: 6 });
    expect(why.map((w) => w.reason)).toEqual([
      'below_cut',
      'merged',
      'matched_elsewhere',
      'island',
      'no_candidate',
      'no_window_under_threshold',
      'no_window_scored',
    ]);
    expect(why[0].candidate?.id).toBe('C1_1');
    expect(why[0].candidateKm).toBeCloseTo(2.22, 1);
    expect(why[4].windowErrorMin).toBeCloseTo(0.2, 6);
    expect(why[5].windowErrorMin).toBeCloseTo(0.9, 6);
    expect(why[6].windowErrorMin).toBeNull();
  });

  it('says "unknown" without a ledger, and "no candidate" without a raster', async () => {
    const none = await explainMisses(missed, { ledger: null, raster: null, threshold: null, toleranceKm: 25, evidenceRadiusKm: 6 });
    expect(new Set(none.map((w) => w.reason))).toEqual(new Set(['unknown']));
    const noRaster = await explainMisses(missed.slice(4), { ledger, raster: null, threshold: null, toleranceKm: 25, evidenceRadiusKm: 6 });
    expect(noRaster.map((w) => w.reason)).toEqual(['no_candidate', 'no_candidate', 'no_candidate']);
  });

  it('tabulates reasons by catalogue height', async () => {
    const why = await explainMisses(missed, { ledger, raster: raster(), threshold: 0.6, toleranceKm: 25, evidenceRadiusKm: 6 });
    const t = whyMissedTable(why, [400, 1200, 1600, null, 2500, 800, 300], [0, 1000, 1500, 2000], { ledger: 'l', errorRaster: 'r' });
    expect(t.byReason.below_cut).toBe(1);
    expect(t.byReason.no_candidate).toBe(1);
    expect(t.byHeight).toHaveLength(5); // four bins and the unknown-height one
    expect(t.byHeight[0].byReason.below_cut).toBe(1);
    expect(t.byHeight[0].byReason.no_window_under_threshold).toBe(1);
    expect(t.byHeight[3].byReason.no_candidate).toBe(1);
    expect(t.byHeight[4]).toMatchObject({ minM: null, maxM: null });
    expect(t.byHeight[4].byReason.island).toBe(1);
  });
});

/** A decision as picking makes it, for the ledger writer. */
function decision(id: string, lon: number, lat: number, fate: CandidateDecision['fate'], extra: Partial<CandidateDecision> = {}): CandidateDecision {
  const c: Candidate = {
    id,
    source: 'walk',
    lon,
    lat,
    m: null,
    island: false,
    gate: null,
    evidence: {
      windowErrorMin: 0.3,
      windowErrorSummit: 0.3,
      ringError: 0.8,
      windowsNear: 9,
      hits: 2,
      prominenceM: 900,
      heightM: 1000,
      radiusKm: 8,
      fitR2: 0.8,
      axisRatio: 0.7,
      summitDepthM: -3000,
    },
  };
  return { candidate: c, score: 0.5, confidence: NaN, fate, mergedInto: null, rule: null, ...extra };
}

describe('the candidate ledger, written and read back', () => {
  it('streams decisions to candidates.geojson with pick ids filled in, counts fates, leaves no scratch file', async () => {
    const out = join(dir, 'ledger');
    const ledger = await CandidateLedger.create(out);
    // survivors arrive `kept`; the job's cut (here: score ≥ 0.4, confidence = score / 2) settles them at the end
    await ledger.add([decision('C1_1', 10.52, 1.0, 'kept', { score: 0.9 }), decision('C2_2', 10.6, 1.0, 'merged', { mergedInto: 'C1_1', score: 0.7 })]);
    await ledger.add([
      decision('C3_3', 11.0, 1.5, 'kept', { score: 0.2 }),
      decision('C4_4', 11.5, 1.5, 'dropped', { score: NaN, rule: { rule: 'island', value: 120, limit: 0 } }),
    ]);
    await ledger.finish(new Map([['C1_1', 'SMT-000007']]), { confidence: (s) => s / 2, cut: 0.2 }, { grid: 'g.tif' });
    expect(ledger.counts).toEqual({ candidates: 4, picked: 1, merged: 1, dropped: { below_cut: 1, island: 1 }, islands: 0 });
    const text = readFileSync(join(out, 'candidates.geojson'), 'utf8');
    const doc = JSON.parse(text);
    expect(doc.seamount_detect).toEqual({ grid: 'g.tif' });
    expect(
      doc.features.map((f: { properties: { pick_id: string | null; merged_into_pick: string | null } }) => [
        f.properties.pick_id,
        f.properties.merged_into_pick,
      ]),
    ).toEqual([
      ['SMT-000007', null],
      [null, 'SMT-000007'],
      [null, null],
      [null, null],
    ]);
    expect(doc.features[0].properties).toMatchObject({ fate: 'picked', confidence: 0.45, ranker_score: 0.9 });
    expect(doc.features[1].properties).toMatchObject({ fate: 'merged', confidence: 0.35 });
    expect(doc.features[2].properties).toMatchObject({
      fate: 'dropped',
      rule: 'below_cut',
      rule_value: 0.1,
      rule_limit: 0.2,
      confidence: 0.1,
      hits: 2,
      height_m: 1000,
    });
    expect(doc.features[3].properties).toMatchObject({ fate: 'dropped', rule: 'island', confidence: null, ranker_score: null });
    expect(text).not.toMatch(/"score"/);
    const back = await readLedger(join(out, 'candidates.geojson'));
    expect(back.map((c) => [c.id, c.fate, c.pickId])).toEqual([
      ['C1_1', 'picked', 'SMT-000007'],
      ['C2_2', 'merged', null],
      ['C3_3', 'dropped', null],
      ['C4_4', 'dropped', null],
    ]);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(out)).toEqual(['candidates.geojson']);
  });

  it('an aborted ledger leaves nothing behind', async () => {
    const out = join(dir, 'aborted');
    const ledger = await CandidateLedger.create(out);
    await ledger.add([decision('C1_1', 10.52, 1.0, 'kept')]);
    await ledger.abort();
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('compare with a ledger and an error raster beside the picks', () => {
  it('says why each missed seamount was missed (missed.geojson, metrics.json, report.md) and draws the map', async () => {
    const out = join(dir, 'detect');
    const picks: Seamount[] = [
      {
        id: 'SMT-000001',
        lon: 11.0,
        lat: 1.5,
        summitDepthM: -3000,
        baseDepthM: -4000,
        heightM: 1000,
        radiusKm: 8,
        ellipse: { azimuthDeg: 0, majorKm: 8, minorKm: 8 },
        fitR2: 0.9,
        reconstructionError: 0.2,
        confidence: 0.8,
        windows: 3,
        ...MORPHOMETRY,
      },
    ];
    await writeSeamountsGeoJson(join(out, 'seamounts.geojson'), picks, { threshold: 0.6, region: '10/12/0/2' });
    const ledger = await CandidateLedger.create(out);
    await ledger.add([decision('C1_1', 10.52, 1.0, 'kept', { score: 0.2 }), decision('C3_3', 11.0, 1.5, 'kept', { score: 0.8 })]);
    await ledger.finish(new Map([['C3_3', 'SMT-000001']]), { confidence: (x) => x, cut: 0.4 }, {});
    const r = raster();
    await writeFloat32GeoTiff(join(out, 'error.tif'), await r.read({ x0: 0, y0: 0, w: r.width, h: r.height }), r, -9999);
    const cat = join(dir, 'refs.csv');
    // matched; under the cut; no candidate but windows pass; no candidate, no window passes
    const { writeFileSync } = await import('node:fs');
    writeFileSync(cat, 'id,lon,lat,height\nA,11.0,1.52,2500\nB,10.5,1.0,1200\nC,11.5,0.5,1700\nD,10.8,0.3,600\n');
    const bathymetry = new MemoryGrid({
      width: 41,
      height: 41,
      lon0: 10,
      dLon: 0.05,
      lat0: 0,
      dLat: 0.05,
      values: new Float32Array(41 * 41).fill(-4000),
      path: 'bathy.nc',
    });
    const cmp = join(dir, 'compare');
    const { metrics } = await compareCatalogues({
      picksPath: join(out, 'seamounts.geojson'),
      cataloguePath: cat,
      toleranceKm: 25,
      minHeightM: 0,
      region: null,
      grid: bathymetry,
      outDir: cmp,
    });
    expect([metrics.tp, metrics.fn]).toEqual([1, 3]);
    expect(metrics.whyMissed?.byReason).toMatchObject({ below_cut: 1, no_candidate: 1, no_window_under_threshold: 1 });
    const missed = JSON.parse(readFileSync(join(cmp, 'missed.geojson'), 'utf8')).features.map((f: { properties: Record<string, unknown> }) => f.properties);
    expect(missed.map((p: Record<string, unknown>) => [p.ref_id, p.why])).toEqual([
      ['B', 'below_cut'],
      ['C', 'no_candidate'],
      ['D', 'no_window_under_threshold'],
    ]);
    expect(missed[0]).toMatchObject({ candidate_id: 'C1_1', candidate_fate: 'dropped', candidate_rule: 'below_cut', candidate_confidence: 0.2 });
    // the catalogue's height beside the grid's own measure of the summit (the ledger's evidence)
    expect(missed[0]).toMatchObject({ height_m: 1200, candidate_height_m: 1000, candidate_prominence_m: 900 });
    // no candidate: nothing measured
    expect(missed[1]).toMatchObject({ candidate_height_m: null, candidate_prominence_m: null });
    const report = readFileSync(join(cmp, 'report.md'), 'utf8');
    expect(report).toContain('## Why seamounts were missed');
    expect(report).toMatch(/\| `below_cut` \| 0 \| 0 \| 1 \| 0 \| 0 \| 0 \| 1 \|/);
    expect(report).toContain('![Matched, missed and new picks](compare_map.png)');
    const png = decode(readFileSync(join(cmp, 'compare_map.png')));
    // the three layers' colours are on the map
    const colours = new Set<string>();
    for (let k = 0; k < png.data.length; k += png.channels) colours.add(`${png.data[k]},${png.data[k + 1]},${png.data[k + 2]}`);
    expect(colours.has('255,215,0')).toBe(true);
    expect(colours.has('255,0,255')).toBe(true);
  });
});
