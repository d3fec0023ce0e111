import { computeMetrics, precisionRecall } from '../../src/evaluation/index.js';

describe('precisionRecall', () => {
  it('computes non-interpolated AP over distinct confidence values, by hand', () => {
    // confidences (TP?): 0.9 T, 0.8 F, 0.7 T, 0.6 F; 4 reference seamounts
    const picks = [{ confidence: 0.7 }, { confidence: 0.9 }, { confidence: 0.6 }, { confidence: 0.8 }];
    const tp = [true, true, false, false];
    const { averagePrecision, curve } = precisionRecall(picks, (k) => tp[k], 4);
    expect(curve).toEqual([
      { threshold: 0.9, precision: 1, recall: 0.25 },
      { threshold: 0.8, precision: 0.5, recall: 0.25 },
      { threshold: 0.7, precision: 2 / 3, recall: 0.5 },
      { threshold: 0.6, precision: 0.5, recall: 0.5 },
    ]);
    // 0.25·1 + 0·0.5 + 0.25·(2/3) + 0
    expect(averagePrecision).toBeCloseTo(0.25 + 0.25 * (2 / 3), 12);
  });

  it('lets tied confidences enter together, so pick order cannot change AP', () => {
    const a = precisionRecall([{ confidence: 0.5 }, { confidence: 0.5 }], (k) => k === 0, 1);
    const b = precisionRecall([{ confidence: 0.5 }, { confidence: 0.5 }], (k) => k === 1, 1);
    expect(a.curve).toEqual([{ threshold: 0.5, precision: 0.5, recall: 1 }]);
    expect(a.averagePrecision).toBe(0.5);
    expect(b.averagePrecision).toBe(0.5);
  });

  it('has no AP when a pick lacks confidence or nothing is to be found', () => {
    expect(precisionRecall([{ confidence: 0.5 }, { confidence: null }], () => true, 2)).toEqual({ averagePrecision: null, curve: [] });
    expect(precisionRecall([{ confidence: 0.5 }], () => false, 0).averagePrecision).toBeNull();
    expect(precisionRecall([], () => false, 3).averagePrecision).toBe(0);
  });
});

describe('computeMetrics', () => {
  // 4 picks (one ignored), 3 references; by hand:
  //   matches: pick 0 ↔ ref 1 (2 km), pick 2 ↔ ref 0 (6 km); pick 3 ignored; pick 1 is a false alarm; ref 2 missed
  const input = {
    picks: [
      { confidence: 0.9, edgeKm: 10 },
      { confidence: 0.95, edgeKm: 30 },
      { confidence: 0.6, edgeKm: 200 },
      { confidence: 0.99, edgeKm: 5 },
    ],
    refs: [
      { heightM: 2500, edgeKm: 210 },
      { heightM: 800, edgeKm: 12 },
      { heightM: null, edgeKm: 60 },
    ],
    matches: [
      { pick: 0, ref: 1, distanceKm: 2 },
      { pick: 2, ref: 0, distanceKm: 6 },
    ],
    ignoredPicks: new Set([3]),
    heightBinsM: [0, 1000, 2000],
    edgeBinsKm: [0, 25, 50, 100],
  };

  it('counts, ratios and position errors', () => {
    const m = computeMetrics(input);
    expect([m.tp, m.fp, m.fn, m.ignored]).toEqual([2, 1, 1, 1]);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(m.positionErrorKm.mean).toBe(4);
    expect(m.positionErrorKm.median).toBe(4);
    expect(m.positionErrorKm.p90).toBeCloseTo(2 + 0.9 * 4, 12);
    expect(m.positionErrorKm.max).toBe(6);
  });

  it('AP leaves ignored picks out of the ranking', () => {
    // ranking: 0.95 F (P 0, R 0), 0.9 T (P 1/2, R 1/3), 0.6 T (P 2/3, R 2/3)
    const m = computeMetrics(input);
    expect(m.prCurve.map((p) => p.threshold)).toEqual([0.95, 0.9, 0.6]);
    expect(m.averagePrecision).toBeCloseTo((1 / 3) * (1 / 2) + (1 / 3) * (2 / 3), 12);
  });

  it('bins by reference height (unknown heights apart) and by distance to the edge', () => {
    const m = computeMetrics(input);
    expect(m.byHeight).toEqual([
      { minM: 0, maxM: 1000, tp: 1, fn: 0, recall: 1 },
      { minM: 1000, maxM: 2000, tp: 0, fn: 0, recall: null },
      { minM: 2000, maxM: null, tp: 1, fn: 0, recall: 1 },
      { minM: null, maxM: null, tp: 0, fn: 1, recall: 0 },
    ]);
    expect(m.byEdgeDistance).toEqual([
      { minKm: 0, maxKm: 25, tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 },
      { minKm: 25, maxKm: 50, tp: 0, fp: 1, fn: 0, precision: 0, recall: null },
      { minKm: 50, maxKm: 100, tp: 0, fp: 0, fn: 1, precision: null, recall: 0 },
      { minKm: 100, maxKm: null, tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 },
    ]);
  });

  it('gives n/a (null) ratios with no picks or no references', () => {
    const none = computeMetrics({ ...input, picks: [], matches: [], ignoredPicks: new Set() });
    expect([none.tp, none.fp, none.fn, none.precision, none.recall, none.f1]).toEqual([0, 0, 3, null, 0, null]);
    expect(none.positionErrorKm).toEqual({ mean: null, median: null, p90: null, max: null });
    const noRefs = computeMetrics({ ...input, refs: [], matches: [], ignoredPicks: new Set() });
    expect([noRefs.fp, noRefs.precision, noRefs.recall, noRefs.averagePrecision]).toEqual([4, 0, null, null]);
  });

  it('refuses bad bin edges', () => {
    expect(() => computeMetrics({ ...input, edgeBinsKm: [0, 50, 25] })).toThrow(/edge distance bin edges/);
  });
});
