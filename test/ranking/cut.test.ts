import { averagePrecision, bestF1Cut } from '../../src/ranking/cut.js';

describe('bestF1Cut', () => {
  it('keeps the prefix of the ranking with the best F1, cutting halfway to the next confidence', () => {
    const outcomes = [
      { confidence: 0.9, tp: true },
      { confidence: 0.8, tp: true },
      { confidence: 0.6, tp: false },
      { confidence: 0.5, tp: false },
      { confidence: 0.4, tp: true },
    ];
    // prefixes: 1 → 2/4, 2 → 4/5, 3 → 4/6, 4 → 4/7, 5 → 6/8 (F1 = 2 TP / (refs + picks), 3 refs)
    const c = bestF1Cut(outcomes, 3);
    expect(c.picks).toBe(2);
    expect(c.f1).toBeCloseTo(0.8, 12);
    expect(c.confidence).toBeCloseTo(0.7, 12);
    expect(c.precision).toBe(1);
    expect(c.recall).toBeCloseTo(2 / 3, 12);
  });

  it('keeps or leaves out equal confidences together', () => {
    const c = bestF1Cut(
      [
        { confidence: 0.7, tp: true },
        { confidence: 0.7, tp: false },
        { confidence: 0.2, tp: false },
      ],
      1,
    );
    expect(c.picks).toBe(2);
    expect(c.confidence).toBeCloseTo(0.45, 12);
  });

  it('with nothing to find, keeps nothing (the cut above every confidence)', () => {
    const c = bestF1Cut([{ confidence: 0.7, tp: false }], 0);
    expect(c.picks).toBe(0);
    expect(c.confidence).toBeGreaterThan(0.7);
  });
});

describe('averagePrecision', () => {
  it('is the mean precision at each hit, over the references', () => {
    const ap = averagePrecision(
      [
        { confidence: 0.9, tp: true },
        { confidence: 0.5, tp: false },
        { confidence: 0.2, tp: true },
      ],
      2,
    );
    expect(ap).toBeCloseTo((1 + 2 / 3) / 2, 12);
    // a reference never found costs the same as a hit ranked last would gain
    expect(averagePrecision([{ confidence: 0.9, tp: true }], 2)).toBeCloseTo(0.5, 12);
    expect(averagePrecision([], 0)).toBeNaN();
  });
});
