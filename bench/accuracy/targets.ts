/**
 * Issue 27's targets judged on a design's results, each with how far it could move with another draw of
 * regions like these. The hidden grids the team judges releases on are such a draw, so a figure whose
 * interval straddles its target is not yet told apart from it. Pure.
 *
 * The interval is a paired bootstrap over regions: regions are resampled with replacement, and a
 * difference (ours minus a baseline, after minus before) is taken region by region before resampling, so
 * it keeps its pairing. A pooled recall resamples the regions' counts and divides their sums.
 */
import { createPrng } from '../../src/model/prng.js';
import { PICKERS, TALL_M, type Picker, type RegionFigures } from './evaluate.js';

/** A figure and its bootstrap interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface BootstrapOptions {
  /** Resamples drawn (default 10,000). */
  resamples?: number;
  /** Share of the resampled figures the interval holds, two-sided (default 0.9). */
  level?: number;
  /** Seed of the generator: results.md stays byte-identical run to run (default 1). */
  seed?: number;
}

/** Percentile of sorted values, linear between ranks. */
function percentile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * A ratio of sums over units (Σ numerator / Σ denominator) and its percentile bootstrap interval, the
 * units resampled with replacement. A resample whose denominators sum to 0 is left out. Null when the
 * units' denominators sum to 0.
 *
 * @example
 * bootstrapRatio([3, 5], [4, 5]) // { estimate: 8 / 9, low: 0.75, high: 1 }
 */
export function bootstrapRatio(numerators: readonly number[], denominators: readonly number[], o: BootstrapOptions = {}): Interval | null {
  if (numerators.length !== denominators.length) throw new Error(`bootstrapRatio: ${numerators.length} numerators, ${denominators.length} denominators`);
  const sum = (a: readonly number[]) => a.reduce((s, v) => s + v, 0);
  const total = sum(denominators);
  if (!(total > 0)) return null;
  const n = numerators.length;
  const resamples = o.resamples ?? 10_000;
  const level = o.level ?? 0.9;
  const random = createPrng(o.seed ?? 1);
  const figures: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      const k = random.int(n);
      num += numerators[k];
      den += denominators[k];
    }
    if (den > 0) figures.push(num / den);
  }
  const sorted = Float64Array.from(figures).sort();
  return { estimate: sum(numerators) / total, low: percentile(sorted, (1 - level) / 2), high: percentile(sorted, 1 - (1 - level) / 2) };
}

/**
 * The mean of per-unit values and its percentile bootstrap interval (a ratio with every denominator 1).
 *
 * @example
 * bootstrapMean([0.1, 0.1, 0.1]) // { estimate: 0.1, low: 0.1, high: 0.1 }
 */
export function bootstrapMean(values: readonly number[], o: BootstrapOptions = {}): Interval | null {
  return bootstrapRatio(
    values,
    values.map(() => 1),
    o,
  );
}

/** One of issue 27's targets as measured. */
export interface TargetFigure {
  /** The target, in the words. */
  target: string;
  /** Which catalogue (or both together; for the retraining lift also the labels fine-tuned on). */
  against: string;
  /** What is compared with the goal: a difference, a recall or a lift, with its interval; null: no data. */
  measured: Interval | null;
  /** The value the target asks at least. */
  goal: number;
  /** A difference or lift (printed signed) or a share (a recall). */
  kind: 'difference' | 'share';
  /** Regions that entered (for the pooled recall: those holding tall seamounts). */
  regions: number;
}

/** Regions more than this far below the better baseline break issue 27's "no region" target. */
export const REGION_SLACK = 0.03;

type Catalogue = 'kw' | 'gevorgian';
const CATALOGUES: ReadonlyArray<[Catalogue, string]> = [
  ['kw', 'KW'],
  ['gevorgian', 'Gevorgian'],
];

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const signed = (v: number, digits = 3) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;
const plain = (v: number) => v.toFixed(3);
/** The baselines by the names results.md's readers know. */
const BASELINE_NAMES: Record<Picker, string> = { autoencoder: 'autoencoder', baseline: 'Gaussian', peaks: 'peak picker' };

/** Mean of one picker's F1 over the regions that have it. */
function meanF1(regions: readonly RegionFigures[], p: Picker, c: Catalogue): number {
  const v = regions.map((r) => r.pickers[p]?.[c]?.f1).filter(finite);
  return v.length ? v.reduce((s, x) => s + x, 0) / v.length : Number.NEGATIVE_INFINITY;
}

/** The baseline (Gaussian or peak picker) with the higher mean F1 against a catalogue: "the better baseline". */
export function betterBaseline(regions: readonly RegionFigures[], c: Catalogue): Picker {
  const baselines = PICKERS.filter((p) => p !== 'autoencoder');
  return baselines.reduce((best, p) => (meanF1(regions, p, c) > meanF1(regions, best, c) ? p : best));
}

/** Region-by-region differences of two figures, regions lacking either left out. */
function paired<R>(regions: readonly R[], ours: (r: R) => number | null | undefined, theirs: (r: R) => number | null | undefined): number[] {
  const out: number[] = [];
  for (const r of regions) {
    const a = ours(r);
    const b = theirs(r);
    if (finite(a) && finite(b)) out.push(a - b);
  }
  return out;
}

/**
 * Issue 27's targets over the given regions (the 15″–1′ ones: the targets apply there): F1 over the better
 * baseline, AP of the picks and of the whole ranked list over the peak picker's, recall of catalogue
 * seamounts ≥ 1.5 km counted over all regions together, and the retraining lift. Figures a design's
 * results lack (older designs) come out with `measured` null.
 */
export function targetFigures(regions: readonly RegionFigures[], o: BootstrapOptions = {}): TargetFigure[] {
  const out: TargetFigure[] = [];
  const mean = (target: string, against: string, goal: number, values: number[]) =>
    out.push({ target, against, goal, kind: 'difference', measured: bootstrapMean(values, o), regions: values.length });
  for (const [c, name] of CATALOGUES) {
    const b = betterBaseline(regions, c);
    mean(
      `F1 ≥ the better baseline (${BASELINE_NAMES[b]}) + 0.08`,
      name,
      0.08,
      paired(
        regions,
        (r) => r.pickers.autoencoder?.[c]?.f1,
        (r) => r.pickers[b]?.[c]?.f1,
      ),
    );
  }
  for (const [c, name] of CATALOGUES) {
    mean(
      'AP of the picks ≥ the peak picker + 0.05',
      name,
      0.05,
      paired(
        regions,
        (r) => r.pickers.autoencoder?.[c]?.ap,
        (r) => r.pickers.peaks?.[c]?.ap,
      ),
    );
  }
  for (const [c, name] of CATALOGUES) {
    mean(
      'AP of the ranked list ≥ the peak picker + 0.05',
      name,
      0.05,
      paired(
        regions,
        (r) => r.pickers.autoencoder?.ranked?.[c]?.ap,
        (r) => r.pickers.peaks?.[c]?.ap,
      ),
    );
  }
  for (const [c, name] of CATALOGUES) {
    const found: number[] = [];
    const of: number[] = [];
    for (const r of regions) {
      const bins = r.pickers.autoencoder?.byHeight?.[c]?.filter((x) => x.minM >= TALL_M) ?? [];
      const n = bins.reduce((s, x) => s + x.tp + x.fn, 0);
      if (n === 0) continue;
      found.push(bins.reduce((s, x) => s + x.tp, 0));
      of.push(n);
    }
    out.push({
      target: 'recall of catalogue seamounts ≥ 1.5 km tall, the regions’ seamounts pooled, ≥ 0.90',
      against: name,
      goal: 0.9,
      kind: 'share',
      measured: bootstrapRatio(found, of, o),
      regions: of.length,
    });
  }
  const lift = (against: string, f: (r: RegionFigures) => number | null | undefined) => {
    const v = regions.map(f).filter(finite);
    mean('retraining on half the labels lifts the other half’s F1 by ≥ 0.05', against, 0.05, v);
  };
  // each catalogue judges the fine-tune on its own labels; the KW ∪ Gevorgian fine-tune judged against KW alone
  // says what labels of another catalogue do to it
  lift('KW, fine-tuned on KW', (r) => r.retrain?.kwLabels?.lift);
  lift('KW, fine-tuned on both', (r) => r.retrain?.f1.kw.lift);
  lift('Gevorgian, fine-tuned on both', (r) => r.retrain?.f1.gevorgian.lift);
  lift('both, fine-tuned on both', (r) => r.retrain?.both?.lift);
  return out;
}

/**
 * The regions more than REGION_SLACK below the better of the two baselines there in F1, per catalogue:
 * "spac_west (−0.11 vs peak picker)".
 */
export function regionsBelow(named: ReadonlyArray<[string, RegionFigures]>): Record<Catalogue, string[]> {
  const out: Record<Catalogue, string[]> = { kw: [], gevorgian: [] };
  for (const [c] of CATALOGUES) {
    for (const [name, r] of named) {
      const ours = r.pickers.autoencoder?.[c]?.f1;
      let best: { p: Picker; f1: number } | null = null;
      for (const p of PICKERS) {
        const f1 = r.pickers[p]?.[c]?.f1;
        if (p !== 'autoencoder' && finite(f1) && (!best || f1 > best.f1)) best = { p, f1 };
      }
      if (finite(ours) && best && ours < best.f1 - REGION_SLACK) out[c].push(`${name} (${signed(ours - best.f1, 2)} vs ${BASELINE_NAMES[best.p]})`);
    }
  }
  return out;
}

/** The verdict on a figure: met, or short; and whether another draw of regions could tell it apart. */
function verdict(t: TargetFigure): string {
  const m = t.measured;
  if (!m) return '–';
  if (m.estimate >= t.goal) return m.low >= t.goal ? 'met' : 'met; the interval reaches below';
  return m.high >= t.goal ? 'short; the interval reaches it' : 'short';
}

/**
 * The targets table of a design (Markdown lines): each figure, its 90 % interval with the regions
 * resampled, the goal and the verdict, then the regions below the better baseline. `label` names the
 * regions in the header ("the 10 15″–1′ regions").
 */
export function targetsMarkdown(named: ReadonlyArray<[string, RegionFigures]>, label: string, o: BootstrapOptions = {}): string[] {
  const level = Math.round((o.level ?? 0.9) * 100);
  const figures = targetFigures(
    named.map(([, r]) => r),
    o,
  );
  const lines = [
    `| issue 27 target (${label}) | against | measured | ${level} % interval, regions resampled | goal | |`,
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const t of figures) {
    if (!t.measured) continue;
    const fmt = (v: number) => (t.kind === 'share' ? plain(v) : signed(v));
    lines.push(
      `| ${t.target} | ${t.against} | ${fmt(t.measured.estimate)} (${t.regions} regions) | ${fmt(t.measured.low)} to ${fmt(t.measured.high)} | ${fmt(t.goal)} | ${verdict(t)} |`,
    );
  }
  const below = regionsBelow(named);
  lines.push(
    `| no region more than ${REGION_SLACK} below the better baseline | KW / Gevorgian | ${below.kw.length ? below.kw.join(', ') : 'none'} / ${below.gevorgian.length ? below.gevorgian.join(', ') : 'none'} | | 0 | ${below.kw.length + below.gevorgian.length ? 'short' : 'met'} |`,
  );
  return lines;
}

/** One design's F1 against a reference design's, region by region. */
export interface DesignDifference {
  /** Mean of (design − reference) over the regions both ran, with its interval; null: none in common. */
  f1: Interval | null;
  regions: number;
  /** Regions where the design scores higher, and lower. */
  better: number;
  worse: number;
}

/**
 * The F1 of a design minus a reference design's against one catalogue, over the regions both ran and
 * `judged` admits (the 15″–1′ ones), paired region by region: whether a change is better is decided
 * region by region, not by two means that each move with the draw of regions.
 */
export function designDifference(
  design: Readonly<Record<string, RegionFigures>>,
  reference: Readonly<Record<string, RegionFigures>>,
  judged: (region: string) => boolean,
  c: Catalogue,
  o: BootstrapOptions = {},
): DesignDifference {
  const common = Object.keys(design).filter((n) => reference[n] && judged(n));
  const d = paired(
    common,
    (n) => design[n].pickers.autoencoder?.[c]?.f1,
    (n) => reference[n].pickers.autoencoder?.[c]?.f1,
  );
  return { f1: bootstrapMean(d, o), regions: d.length, better: d.filter((v) => v > 0).length, worse: d.filter((v) => v < 0).length };
}

/**
 * The designs against a reference design (Markdown lines): the autoencoder's F1 difference against each
 * catalogue over the regions in common, its interval, and in how many regions it is better or worse.
 */
export function designComparisonMarkdown(
  designs: Readonly<Record<string, { regions: Record<string, RegionFigures> }>>,
  referenceName: string,
  judged: (region: string) => boolean,
  o: BootstrapOptions = {},
): string[] {
  const reference = designs[referenceName];
  if (!reference) return [];
  const level = Math.round((o.level ?? 0.9) * 100);
  const cell = (x: DesignDifference) =>
    x.f1 ? `${signed(x.f1.estimate)} (${signed(x.f1.low)} to ${signed(x.f1.high)}); better in ${x.better}, worse in ${x.worse}` : '–';
  const lines = [
    `| design | regions in common with \`${referenceName}\` | autoencoder F1 minus \`${referenceName}\`'s vs KW (${level} % interval); regions better / worse | vs Gevorgian |`,
    '| --- | --- | --- | --- |',
  ];
  for (const [name, d] of Object.entries(designs)) {
    if (name === referenceName) continue;
    const kw = designDifference(d.regions, reference.regions, judged, 'kw', o);
    const gev = designDifference(d.regions, reference.regions, judged, 'gevorgian', o);
    if (kw.regions < 2) continue;
    lines.push(`| \`${name}\` | ${kw.regions} | ${cell(kw)} | ${cell(gev)} |`);
  }
  return lines.length > 2 ? lines : [];
}
