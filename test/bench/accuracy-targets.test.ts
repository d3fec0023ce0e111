/**
 * Issue 27's targets with their bootstrap intervals (bench/accuracy/targets.ts): the resampling itself on
 * samples whose spread is known, the pairing of the figures region by region, and the table results.md
 * shows for the committed results.
 */
import { readFileSync } from 'node:fs';
import { meanFigures, type PickerFigures, type RegionFigures } from '../../bench/accuracy/evaluate.js';
import { coarseRegionNames } from '../../bench/accuracy/regions.js';
import { resultsMarkdown, type ResultsFile } from '../../bench/accuracy/table.js';
import {
  betterBaseline,
  bootstrapMean,
  bootstrapRatio,
  designComparisonMarkdown,
  designDifference,
  regionsBelow,
  targetFigures,
  targetsMarkdown,
} from '../../bench/accuracy/targets.js';

const scores = (f1: number, ap = 0.5) => ({ precision: f1, recall: f1, f1, ap, tp: 0, fp: 0, fn: 0 });
const tall = (found: number, of: number) => [
  { minM: 0, maxM: 1000, tp: 7, fn: 3, recall: 0.7 },
  { minM: 1500, maxM: 2000, tp: found, fn: of - found, recall: of ? found / of : null },
];

/** A region whose three pickers score the given F1 against both catalogues; a fine-tune on KW's labels alone lifts KW by `kwLift` (null: not run). */
function region(ours: number, gaussian: number, peaks: number, extra: Partial<PickerFigures> = {}, lift?: number, kwLift: number | null = null): RegionFigures {
  const picker = (f1: number, more: Partial<PickerFigures> = {}) => ({ picks: 10, kw: scores(f1), gevorgian: scores(f1), ...more }) as PickerFigures;
  return {
    grids: 1,
    windows: { positives: 1, negatives: 1, auc: 0.9, controlAuc: 0.7 },
    threshold: { target: 0.9, realised: 0.9, seamounts: 10, realisedAll: 0.9, seamountsAll: 10 },
    pickers: { autoencoder: picker(ours, extra), baseline: picker(gaussian), peaks: picker(peaks) },
    ...(lift === undefined
      ? {}
      : {
          retrain: {
            directions: [],
            f1: { kw: { before: 0.5, after: 0.5 + lift, lift }, gevorgian: { before: 0.5, after: 0.5 + lift, lift } },
            both: { before: 0.5, after: 0.5 + lift, lift },
            kwLabels: kwLift === null ? null : { before: 0.5, after: 0.5 + kwLift, lift: kwLift },
          } as unknown as RegionFigures['retrain'],
        }),
  };
}

describe('bootstrap intervals', () => {
  it('have no width when every region gives the same figure', () => {
    expect(bootstrapMean([0.1, 0.1, 0.1, 0.1])).toEqual({ estimate: 0.1, low: 0.1, high: 0.1 });
  });

  it('match the normal approximation on a sample of known spread', () => {
    // 0..19: mean 9.5, standard error sd/√n = 5.77/4.47 = 1.29, so a 90 % interval of about ±2.1
    const values = Array.from({ length: 20 }, (_, i) => i);
    const m = bootstrapMean(values)!;
    expect(m.estimate).toBeCloseTo(9.5, 10);
    expect(m.low).toBeCloseTo(9.5 - 1.645 * 1.29, 0);
    expect(m.high).toBeCloseTo(9.5 + 1.645 * 1.29, 0);
    // a wider level gives a wider interval
    const wide = bootstrapMean(values, { level: 0.99 })!;
    expect(wide.low).toBeLessThan(m.low);
    expect(wide.high).toBeGreaterThan(m.high);
  });

  it('are the same run to run (seeded), and move a little with another seed', () => {
    const values = [0.07, 0.04, 0.16, 0.13, -0.02, 0.09, -0.01, 0.08, 0.22, 0];
    expect(bootstrapMean(values)).toEqual(bootstrapMean(values));
    const other = bootstrapMean(values, { seed: 7 })!;
    expect(other).not.toEqual(bootstrapMean(values));
    expect(Math.abs(other.low - bootstrapMean(values)!.low)).toBeLessThan(0.01);
  });

  it('divide sums for a pooled ratio, so a region with many seamounts weighs more', () => {
    const r = bootstrapRatio([27, 1], [27, 3])!;
    expect(r.estimate).toBeCloseTo(28 / 30, 12);
    // resamples range from the small region alone (1/3) to the large one alone (1)
    expect(r.low).toBeGreaterThanOrEqual(1 / 3);
    expect(r.high).toBeLessThanOrEqual(1);
    expect(bootstrapRatio([0], [0])).toBeNull();
    expect(() => bootstrapRatio([1], [1, 2])).toThrow(/1 numerators, 2 denominators/);
  });
});

describe("issue 27's targets", () => {
  const regions = [
    region(0.6, 0.5, 0.4, { byHeight: { kw: tall(9, 10), gevorgian: tall(9, 10) } }, 0.1, 0.3),
    region(0.5, 0.45, 0.48, { byHeight: { kw: tall(1, 2), gevorgian: tall(1, 2) } }, 0),
    region(0.7, 0.6, 0.3, {}, undefined),
  ];

  it('take the better baseline by its mean F1 over the regions', () => {
    expect(betterBaseline(regions, 'kw')).toBe('baseline');
    expect(betterBaseline([region(0.5, 0.3, 0.4), region(0.5, 0.3, 0.4)], 'gevorgian')).toBe('peaks');
  });

  it('pair each region with itself: F1 differences, pooled tall recall and lifts where the regions have them', () => {
    const t = targetFigures(regions);
    const f1 = t.find((x) => x.target.startsWith('F1') && x.against === 'KW')!;
    expect(f1.target).toContain('(Gaussian)');
    expect(f1.measured!.estimate).toBeCloseTo((0.1 + 0.05 + 0.1) / 3, 12);
    // resampled means: 0.05 only when all three draws are the middle region (1 in 27, under 5 %), two of
    // three draws of it (0.2 / 3) 22 % of the time; all three of the others (0.1) 30 %
    expect(f1.measured!.low).toBeCloseTo(0.2 / 3, 10);
    expect(f1.measured!.high).toBeCloseTo(0.1, 12);
    const recall = t.find((x) => x.target.startsWith('recall') && x.against === 'KW')!;
    // the third region has no tall seamounts: it does not enter
    expect(recall.regions).toBe(2);
    expect(recall.measured!.estimate).toBeCloseTo(10 / 12, 12);
    const lift = t.find((x) => x.target.startsWith('retraining') && x.against === 'KW, fine-tuned on both')!;
    expect(lift.regions).toBe(2);
    expect(lift.measured!.estimate).toBeCloseTo(0.05, 12);
    // the fine-tune on KW's labels alone: only the first region ran it (the second's halves hold too few KW seamounts)
    const kwLabels = t.find((x) => x.target.startsWith('retraining') && x.against === 'KW, fine-tuned on KW')!;
    expect(kwLabels.regions).toBe(1);
    expect(kwLabels.measured!.estimate).toBeCloseTo(0.3, 12);
    // no ranked list in these results: measured null, and the table leaves the row out
    expect(t.find((x) => x.target.includes('ranked list'))!.measured).toBeNull();
    expect(targetsMarkdown([['a', regions[0]]], 'one region').join('\n')).not.toContain('ranked list');
  });

  it('average the fine-tune on KW’s labels over the regions that ran it, and say how many', () => {
    const retrain = (rs: RegionFigures[]) =>
      (meanFigures(rs) as { retrain: { kwLabels?: { before: number; after: number; lift: number; regions: number } } }).retrain;
    expect(retrain(regions).kwLabels).toEqual({ before: 0.5, after: 0.8, lift: 0.3, regions: 1 });
    // designs measured before it (or regions whose halves hold too few KW seamounts): no figure at all
    expect(retrain(regions.slice(1)).kwLabels).toBeUndefined();
  });

  it('list a region only when it is more than 0.03 below the better of the two baselines there', () => {
    const below = regionsBelow([
      ['close', region(0.47, 0.5, 0.2)],
      ['far', region(0.4, 0.44, 0.5)],
      ['ahead', region(0.6, 0.5, 0.5)],
    ]);
    expect(below.kw).toEqual(['far (−0.10 vs peak picker)']);
  });

  it('are a table of results.md for the committed default design, met or short as its figures say', () => {
    const file = JSON.parse(readFileSync('bench/accuracy/results.json', 'utf8')) as ResultsFile;
    const md = resultsMarkdown(file, coarseRegionNames());
    const section = md.slice(md.indexOf('## Design `default`'));
    const table = section.slice(section.indexOf('| issue 27 target (the 10 15″–1′ regions)'));
    const d = file.designs.default;
    const fine = Object.values(d.regions).filter((_, i) => Object.keys(d.regions)[i] !== 'hawaii_5m');
    const ours = fine.reduce((s, r) => s + r.pickers.autoencoder.kw.f1!, 0) / fine.length;
    const theirs = fine.reduce((s, r) => s + r.pickers.baseline.kw.f1!, 0) / fine.length;
    const row = table.split('\n').find((l) => l.startsWith('| F1') && l.includes('| KW |'))!;
    const shown = `${ours - theirs >= 0 ? '+' : '−'}${Math.abs(ours - theirs).toFixed(3)}`;
    expect(row).toContain(`| ${shown} (10 regions) |`);
    expect(row).toMatch(ours - theirs >= 0.08 ? /\| met/ : /\| short/);
  });
});

describe('a design against the current one', () => {
  const judged = (r: string) => r !== 'coarse';
  const reference = { a: region(0.5, 0.4, 0.3), b: region(0.6, 0.4, 0.3), coarse: region(0.2, 0.4, 0.3) };
  const design = { a: region(0.55, 0.4, 0.3), b: region(0.58, 0.4, 0.3), c: region(0.9, 0.4, 0.3), coarse: region(0.9, 0.4, 0.3) };

  it('pairs the regions both ran, the coarse grid and regions only one ran left out', () => {
    const d = designDifference(design, reference, judged, 'kw');
    expect(d.regions).toBe(2);
    expect(d.f1!.estimate).toBeCloseTo((0.05 - 0.02) / 2, 12);
    expect([d.better, d.worse]).toEqual([1, 1]);
    expect(designDifference({ z: region(0.5, 0.4, 0.3) }, reference, judged, 'kw').f1).toBeNull();
  });

  it('is a row per other design with at least two regions in common', () => {
    const lines = designComparisonMarkdown(
      { default: { regions: reference }, tried: { regions: design }, tiny: { regions: { a: region(0.9, 0.4, 0.3) } } },
      'default',
      judged,
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^\| `tried` \| 2 \| \+0\.015 \(−0\.020 to \+0\.050\); better in 1, worse in 1 \|/);
    expect(designComparisonMarkdown({ tried: { regions: design } }, 'default', judged)).toEqual([]);
  });
});

describe('docs/accuracy.md', () => {
  it("quotes the intervals of design default's targets as results.json gives them", () => {
    const file = JSON.parse(readFileSync('bench/accuracy/results.json', 'utf8')) as ResultsFile;
    const fine = Object.entries(file.designs.default.regions)
      .filter(([n]) => !coarseRegionNames().has(n))
      .map(([, r]) => r);
    const t = targetFigures(fine);
    const interval = (prefix: string, against: string) => {
      const m = t.find((x) => x.target.startsWith(prefix) && x.against.startsWith(against))!.measured!;
      const s = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;
      return `${s(m.low)} to ${s(m.high)}`;
    };
    const docs = readFileSync('docs/accuracy.md', 'utf8');
    const row = (start: string) => docs.split('\n').find((l) => l.startsWith(start))!;
    expect(row('| F1 ≥ the better baseline + 0.08 |')).toContain(`KW ${interval('F1', 'KW')}; Gev. ${interval('F1', 'Gev')}`);
    expect(row('| AP ≥ the peak picker + 0.05 |')).toContain(`picks: KW ${interval('AP of the picks', 'KW')}, Gev. ${interval('AP of the picks', 'Gev')}`);
    expect(row('| AP ≥ the peak picker + 0.05 |')).toContain(
      `ranked list: KW ${interval('AP of the ranked', 'KW')}, Gev. ${interval('AP of the ranked', 'Gev')}`,
    );
    expect(row('| retraining on half the labels')).toContain(
      `KW on KW's labels ${interval('retraining', 'KW, fine-tuned on KW')}; on both: KW ${interval('retraining', 'KW, fine-tuned on both')}, Gev. ${interval('retraining', 'Gev')}, both ${interval('retraining', 'both')}`,
    );
  });
});
