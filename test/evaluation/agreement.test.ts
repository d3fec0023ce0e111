import { agreementStats, matchedAgreement } from '../../src/evaluation/agreement.js';

describe('agreementStats', () => {
  it('gives bias (median difference), mean difference, median absolute difference, correlation and median ratio', () => {
    const a = agreementStats([
      { ours: 1100, ref: 1000 },
      { ours: 900, ref: 800 },
      { ours: 1550, ref: 1500 },
      { ours: 2400, ref: 2000 },
    ]);
    expect(a).not.toBeNull();
    expect(a!.n).toBe(4);
    expect(a!.oursMedian).toBe(1325);
    expect(a!.refMedian).toBe(1250);
    expect(a!.bias).toBe(100); // differences 50, 100, 100, 400
    expect(a!.meanDifference).toBe(162.5);
    expect(a!.medianAbsDifference).toBe(100);
    expect(a!.medianRatio).toBeCloseTo((1.1 + 1.125) / 2, 12); // ratios 1.0333, 1.1, 1.125, 1.2
    // Pearson r from its definition
    const x = [1100, 900, 1550, 2400];
    const y = [1000, 800, 1500, 2000];
    const mx = x.reduce((s, v) => s + v) / 4;
    const my = y.reduce((s, v) => s + v) / 4;
    const r =
      x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0) / Math.sqrt(x.reduce((s, v) => s + (v - mx) ** 2, 0) * y.reduce((s, v) => s + (v - my) ** 2, 0));
    expect(a!.correlation).toBeCloseTo(r, 12);
  });

  it('leaves out pairs missing a side, and is null when none is left', () => {
    expect(
      agreementStats([
        { ours: 1, ref: null },
        { ours: NaN, ref: 2 },
      ]),
    ).toBeNull();
    expect(
      agreementStats([
        { ours: 5, ref: 4 },
        { ours: null, ref: 3 },
      ]),
    ).toMatchObject({ n: 1, bias: 1, correlation: null });
  });

  it('has no ratio for a quantity that is not positive (depths) and no correlation without spread', () => {
    const depths = agreementStats([
      { ours: -4100, ref: -4000 },
      { ours: -3900, ref: -3800 },
      { ours: -5000, ref: -5100 },
    ]);
    expect(depths!.medianRatio).toBeNull();
    expect(depths!.bias).toBe(-100);
    expect(
      agreementStats([
        { ours: 1, ref: 2 },
        { ours: 2, ref: 2 },
        { ours: 3, ref: 2 },
      ])!.correlation,
    ).toBeNull();
  });
});

describe('matchedAgreement', () => {
  it('pairs picks and references by the matches, quantity by quantity', () => {
    const picks = [
      { heightM: 1200, radiusKm: 10, baseDepthM: -4000 },
      { heightM: 800, radiusKm: null, baseDepthM: -4500 },
    ];
    const refs = [
      { heightM: 700, radiusKm: 6, baseDepthM: -4400 },
      { heightM: 1000, radiusKm: 8, baseDepthM: null },
    ];
    const a = matchedAgreement(picks, refs, [
      { pick: 0, ref: 1, distanceKm: 2 },
      { pick: 1, ref: 0, distanceKm: 3 },
    ]);
    expect(a.heightM).toMatchObject({ n: 2, bias: 150, medianRatio: (1.2 + 800 / 700) / 2 });
    expect(a.radiusKm).toMatchObject({ n: 1, bias: 2, medianRatio: 1.25 });
    expect(a.baseDepthM).toMatchObject({ n: 1, bias: -100 });
    expect(matchedAgreement(picks, refs, []).heightM).toBeNull();
  });
});
