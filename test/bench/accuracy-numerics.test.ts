/**
 * The leave-region-out harness's numerics (bench/accuracy): window AUC with ties, windows recovered from
 * an error raster, window labels by distance, pooled object scores and the recall at a threshold.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lowerScoreAuc } from '../../bench/accuracy/auc.js';
import { concatScores, labelWindows, nearestWindowScores, windowsOfRaster } from '../../bench/accuracy/windows.js';
import { meanOf, pooledRecall, pooledScores, recallAtThreshold, type Comparison } from '../../bench/accuracy/pool.js';
import { detectThreshold } from '../../bench/accuracy/evaluate.js';
import { collectErrorRaster } from '../support/error-raster.js';
import { tempDir } from '../support/temp-dir.js';
import { KM_PER_DEG, greatCircleKm } from '../../src/base/geodesy.js';
import { createPrng } from '../../src/model/prng.js';

/** Brute force over all pairs: P(pos < neg) + ½ P(tie). */
function bruteAuc(pos: number[], neg: number[]): number {
  let w = 0;
  for (const p of pos) for (const n of neg) w += p < n ? 1 : p === n ? 0.5 : 0;
  return w / (pos.length * neg.length);
}

describe('lowerScoreAuc', () => {
  it('is 1 when every positive scores lower, 0 when every one scores higher', () => {
    expect(lowerScoreAuc([1, 2], [3, 4])).toBe(1);
    expect(lowerScoreAuc([3, 4], [1, 2])).toBe(0);
  });

  it('counts ties half', () => {
    expect(lowerScoreAuc([1], [1])).toBe(0.5);
    expect(lowerScoreAuc([1, 2, 3], [2, 4])).toBeCloseTo(4.5 / 6, 15);
    expect(lowerScoreAuc([5, 5, 5], [5, 5])).toBe(0.5);
  });

  it('equals the brute-force pair count on random scores with many ties', () => {
    const r = createPrng(7).next;
    for (let trial = 0; trial < 20; trial++) {
      const pos = Array.from({ length: 1 + Math.floor(r() * 60) }, () => Math.floor(r() * 10));
      const neg = Array.from({ length: 1 + Math.floor(r() * 60) }, () => Math.floor(r() * 10) + (trial % 3));
      expect(lowerScoreAuc(pos, neg)).toBeCloseTo(bruteAuc(pos, neg), 12);
    }
  });

  it('leaves non-finite scores out and is null without positives or negatives', () => {
    expect(lowerScoreAuc([1, NaN, Infinity], [2])).toBe(1);
    expect(lowerScoreAuc([], [1])).toBeNull();
    expect(lowerScoreAuc([1], [NaN])).toBeNull();
  });
});

/** A window plan like src/tiling's: km-regular rows, longitude step growing with latitude. */
function plan(strideKm: number, south: number, north: number, west: number, east: number, jitter = 0) {
  const rowLatDeg: number[] = [];
  const rowLon0Deg: number[] = [];
  const rowStepDeg: number[] = [];
  const rowFirstId: number[] = [0];
  const centres: Array<{ lon: number; lat: number }> = [];
  for (let lat = north; lat >= south; lat -= strideKm / KM_PER_DEG) {
    const step = strideKm / (KM_PER_DEG * Math.cos((lat * Math.PI) / 180));
    // rows start at different phases, as the plan's rows do
    const lon0 = west + ((rowLatDeg.length * jitter) % 1) * step;
    rowLatDeg.push(lat);
    rowLon0Deg.push(lon0);
    rowStepDeg.push(step);
    let n = 0;
    for (let lon = lon0; lon <= east; lon += step, n++) centres.push({ lon, lat });
    rowFirstId.push(rowFirstId[rowFirstId.length - 1] + n);
  }
  return {
    layout: {
      rows: rowLatDeg.length,
      rowLatDeg: Float64Array.from(rowLatDeg),
      rowLon0Deg: Float64Array.from(rowLon0Deg),
      rowStepDeg: Float64Array.from(rowStepDeg),
      rowFirstId: Int32Array.from(rowFirstId),
      strideKm,
    },
    centres,
  };
}

describe('windows of an error raster', () => {
  // 38°N–52°N: a window spans 1 to 1.6 raster cells, so many windows fill two cells
  const { layout, centres } = plan(4, 38, 52, 10, 11.5, 0.37);
  const seamounts = [
    { lon: 10.4, lat: 40.2 },
    { lon: 11.1, lat: 45.05 },
    { lon: 10.7, lat: 50.5 },
  ];

  const raster = (score: (i: number) => number) =>
    collectErrorRaster(
      layout as never,
      -9999,
      centres.map((c, i) => ({ lon: c.lon, lat: c.lat, error: score(i) })),
    );

  it('gives back one entry per window, at its centre, though windows fill several cells', async () => {
    const { values, geometry } = await raster((i) => i + 1); // distinct scores name the windows
    expect(values.length).toBeGreaterThan(centres.length * 1.1); // duplicated cells exist
    const w = windowsOfRaster(values, geometry);
    expect(w.score.length).toBe(centres.length);
    const errorCells: number[] = [];
    for (let i = 0; i < w.score.length; i++) {
      const c = centres[w.score[i] - 1];
      expect(Math.abs(c.lat - w.lat[i])).toBeLessThan(1e-9);
      errorCells.push(Math.abs(c.lon - w.lon[i]) / geometry.dLon);
    }
    errorCells.sort((a, b) => a - b);
    expect(errorCells[errorCells.length - 1]).toBeLessThan(0.5); // never beyond half a cell
    expect(errorCells[Math.floor(errorCells.length / 2)]).toBeLessThan(0.05); // the row lattice pins most down
  });

  it('recovers the windows beside gaps (unscored windows)', async () => {
    const { values, geometry } = await raster((i) => (i % 7 === 3 ? -9999 : i + 1));
    const w = windowsOfRaster(values, geometry);
    expect(w.score.length).toBe(centres.filter((_, i) => i % 7 !== 3).length);
    for (let i = 0; i < w.score.length; i++) {
      const c = centres[w.score[i] - 1];
      expect(Math.abs(c.lon - w.lon[i]) / geometry.dLon).toBeLessThan(1);
    }
  });

  it('splits a run of equal scores into the windows it holds', async () => {
    const { values, geometry } = await raster(() => 0.5);
    const w = windowsOfRaster(values, geometry);
    // a run's length says how many windows it holds only roughly (a window fills 1 or 2 cells here)
    expect(w.score.length).toBeLessThanOrEqual(centres.length);
    expect(w.score.length).toBeGreaterThan(centres.length * 0.5);
  });

  it('gives the AUC of the true windows: positives within 6 km, negatives beyond 30 km', async () => {
    const r = createPrng(11).next;
    // seamount windows score lower on the whole, with overlap
    const truth = centres.map((c) => Math.min(...seamounts.map((s) => greatCircleKm(c.lon, c.lat, s.lon, s.lat))));
    const scores = truth.map((d, i) => (d <= 6 ? 0.3 : 0.6) + 0.5 * r() + i * 1e-6); // distinct
    const { values, geometry } = await raster((i) => scores[i]);
    const labelled = labelWindows(windowsOfRaster(values, geometry), seamounts);
    const pos = scores.filter((_, i) => truth[i] <= 6).map(Math.fround);
    const neg = scores.filter((_, i) => truth[i] > 30).map(Math.fround);
    expect(pos.length).toBeGreaterThan(10);
    // labels from the recovered centres may differ from the true ones only for windows at the 6 / 30 km edges
    expect(Math.abs(labelled.positive.length - pos.length)).toBeLessThanOrEqual(1);
    expect(Math.abs(labelled.negative.length - neg.length)).toBeLessThanOrEqual(3);
    const expected = bruteAuc(pos, neg);
    expect(expected).toBeGreaterThan(0.7);
    expect(expected).toBeLessThan(0.95);
    expect(lowerScoreAuc(labelled.positive, labelled.negative)).toBeCloseTo(expected, 2);
  });

  it('labels by great-circle distance across the antimeridian and any longitude convention', () => {
    const w = { lon: Float64Array.from([179.99, 180.1, 180.5, -170]), lat: Float64Array.from([0, 0, 0, 0]), score: Float64Array.from([1, 2, 3, 4]) };
    const l = labelWindows(w, [{ lon: -179.98, lat: 0 }]);
    expect(Array.from(l.positive)).toEqual([1]); // 3.3 km away across 180°
    expect(Array.from(l.negative)).toEqual([3, 4]); // 180.5 = -179.5: 53 km away; 180.1: 8.9 km, neither
  });

  it('finds the score of the window nearest each seamount, null beyond 6 km', () => {
    const w = { lon: Float64Array.from([0, 0.05, 1]), lat: Float64Array.from([0, 0, 0]), score: Float64Array.from([1, 2, 3]) };
    expect(
      nearestWindowScores(
        [
          { lon: 0.04, lat: 0 },
          { lon: 0.5, lat: 0 },
          { lon: 360, lat: 0.01 },
        ],
        w,
      ),
    ).toEqual([2, null, 1]);
  });

  it('pools regions by concatenation: the pooled AUC is not the mean of the AUCs', () => {
    const a = { positive: Float64Array.from([1, 2]), negative: Float64Array.from([3]) }; // AUC 1
    const b = { positive: Float64Array.from([5]), negative: Float64Array.from([4, 6, 7]) }; // AUC 2/3
    const pooled = concatScores([a, b]);
    expect(pooled.positive.length).toBe(3);
    expect(lowerScoreAuc(pooled.positive, pooled.negative)).toBeCloseTo(bruteAuc([1, 2, 5], [3, 4, 6, 7]), 15);
    expect(lowerScoreAuc(pooled.positive, pooled.negative)).toBeCloseTo(10 / 12, 15);
    expect(meanOf([lowerScoreAuc(a.positive, a.negative), lowerScoreAuc(b.positive, b.negative)])).toBeCloseTo(5 / 6, 15);
  });
});

describe('pooled object scores', () => {
  const picks = (...spec: Array<[number, boolean]>) => spec.map(([confidence, tp]) => ({ confidence, tp }));

  it('gives P, R, F1 and the non-interpolated AP of one comparison', () => {
    // ranked: TP, FP, TP; 4 counted seamounts
    const one: Comparison = { tp: 2, fp: 1, fn: 2, picks: picks([0.9, true], [0.8, false], [0.7, true]) };
    const s = pooledScores([one]);
    expect(s).toMatchObject({ tp: 2, fp: 1, fn: 2 });
    expect(s.precision).toBeCloseTo(2 / 3, 15);
    expect(s.recall).toBeCloseTo(0.5, 15);
    expect(s.f1).toBeCloseTo(4 / 7, 15);
    expect(s.ap).toBeCloseTo(0.25 * 1 + 0.25 * (2 / 3), 15);
  });

  it('sums counts and ranks all picks together when pooling', () => {
    const a: Comparison = { tp: 1, fp: 1, fn: 0, picks: picks([0.9, true], [0.2, false]) };
    const b: Comparison = { tp: 1, fp: 0, fn: 1, picks: picks([0.5, true]) };
    const s = pooledScores([a, b]);
    expect(s).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(s.precision).toBeCloseTo(2 / 3, 15);
    expect(s.recall).toBeCloseTo(2 / 3, 15);
    // pooled ranking 0.9 TP, 0.5 TP, 0.2 FP over 3 seamounts: AP = 1/3·1 + 1/3·1
    expect(s.ap).toBeCloseTo(2 / 3, 15);
    // not the mean of the two regions' APs (1 and 0.5)
    expect(meanOf([pooledScores([a]).ap, pooledScores([b]).ap])).toBeCloseTo(0.75, 15);
  });

  it('lets picks of equal confidence enter together', () => {
    const s = pooledScores([{ tp: 1, fp: 1, fn: 0, picks: picks([0.5, false], [0.5, true]) }]);
    expect(s.ap).toBeCloseTo(0.5, 15);
  });

  it('gives null precision without picks and null recall without seamounts', () => {
    expect(pooledScores([{ tp: 0, fp: 0, fn: 3, picks: [] }])).toMatchObject({ precision: null, recall: 0, f1: null });
    expect(pooledScores([{ tp: 0, fp: 2, fn: 0, picks: picks([1, false], [1, false]) }])).toMatchObject({ precision: 0, recall: null, ap: null });
  });

  it('refuses ranked picks that disagree with the counts', () => {
    expect(() => pooledScores([{ tp: 2, fp: 0, fn: 0, picks: picks([1, true]) }])).toThrow(/ranked picks/);
  });
});

describe('means and the recall at a threshold', () => {
  it('averages the known values only', () => {
    expect(meanOf([0.5, null, 1, undefined])).toBe(0.75);
    expect(meanOf([null])).toBeNull();
  });

  it('counts seamounts at or below the threshold among those with a window', () => {
    expect(recallAtThreshold([0.1, 0.2, 0.3, null, 0.5], 0.3)).toEqual({ recall: 0.75, passed: 3, counted: 4 });
    expect(recallAtThreshold([null], 1)).toEqual({ recall: null, passed: 0, counted: 0 });
  });

  it('pools grids judged at different thresholds by their counts, not by averaging their recalls', () => {
    const a = recallAtThreshold([0.1, 0.5, 0.9, 0.2], 0.3); // 2 of 4
    const b = recallAtThreshold([0.6], 0.7); // 1 of 1
    expect(pooledRecall([a, b])).toEqual({ recall: 0.6, passed: 3, counted: 5 });
    expect(pooledRecall([])).toEqual({ recall: null, passed: 0, counted: 0 });
  });

  it('judges at the threshold detect picked with (run.json), and says which folder lacks one', () => {
    const dir = tempDir('detect-threshold-');
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ kind: 'detect', threshold: { threshold: 0.72, source: 'targetRecall', calibrationRecall: 0.95 } }));
    expect(detectThreshold(dir)).toBe(0.72);
    const unfinished = tempDir('detect-threshold-');
    writeFileSync(join(unfinished, 'run.json'), JSON.stringify({ kind: 'detect' }));
    expect(() => detectThreshold(unfinished)).toThrow(`${join(unfinished, 'run.json')}: no threshold`);
  });
});
