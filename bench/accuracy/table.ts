/**
 * The Markdown of results.json: per design, one row per region and picker, then the means (and, when some
 * regions are coarse grids, the mean of the others), in docs/accuracy.md's style ("P / R / F1, AP");
 * and when there are several designs, their means side by side.
 */
import type { ObjectScores } from './pool.js';
import { meanFigures, PICKERS, type Picker, type RegionFigures } from './evaluate.js';
import { designComparisonMarkdown, targetsMarkdown } from './targets.js';

/** One picker's figures as the region rows show them (a region's, or a mean over regions). */
type PickerMeans = { picks: number | null; kw: Partial<ObjectScores>; gevorgian: Partial<ObjectScores>; union?: Partial<ObjectScores> };

export interface DesignResults {
  /** `--set` settings passed to train and detect. */
  settings: string[];
  epochs: number;
  seed: number;
  quick: boolean;
  code: { commit: string | null; dist: string };
  updatedAt: string;
  regions: Record<string, RegionFigures & { seconds: Record<string, number> }>;
  mean: Record<string, unknown> & {
    windows: { auc: number | null; controlAuc: number | null };
    threshold: { target: number | null; realised: number | null; realisedAll: number | null };
    pickers: Record<Picker, PickerMeans>;
  };
}

export interface ResultsFile {
  about: string;
  designs: Record<string, DesignResults>;
}

const f2 = (v: number | null | undefined): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(2) : '–');
const prfa = (s: Partial<ObjectScores>): string => `${f2(s.precision)} / ${f2(s.recall)} / ${f2(s.f1)}, ${f2(s.ap)}`;
const count = (v: number | null | undefined): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : '–');

const HEADER =
  '| region | picker | picks | window AUC, model / control | recall at threshold (target) | vs KW: P / R / F1, AP | vs Gevorgian: P / R / F1, AP | vs KW ∪ Gevorgian |\n' +
  '| --- | --- | --- | --- | --- | --- | --- | --- |';

function rows(
  name: string,
  r: {
    windows: { auc: number | null; controlAuc: number | null };
    threshold: { target: number | null; realised: number | null };
    pickers: Record<Picker, PickerMeans>;
  },
): string[] {
  return PICKERS.map((p, i) => {
    const first = i === 0;
    const auc = first ? `${f2(r.windows.auc)} / ${f2(r.windows.controlAuc)}` : '';
    const thr = first ? `${f2(r.threshold.realised)} (${f2(r.threshold.target)})` : '';
    const union = r.pickers[p].union;
    return `| ${first ? name : ''} | ${p} | ${count(r.pickers[p].picks)} | ${auc} | ${thr} | ${prfa(r.pickers[p].kw)} | ${prfa(r.pickers[p].gevorgian)} | ${union ? prfa(union) : '–'} |`;
  });
}

/** Means over the regions not in `coarse`, or null when the design has no coarse region (or only coarse ones). */
export function fineMean(d: DesignResults, coarse: ReadonlySet<string>): { regions: number; mean: DesignResults['mean'] } | null {
  const names = Object.keys(d.regions);
  const fine = names.filter((n) => !coarse.has(n));
  if (fine.length === names.length || fine.length === 0) return null;
  return { regions: fine.length, mean: meanFigures(fine.map((n) => d.regions[n])) as DesignResults['mean'] };
}

type TallRecall = { kw: number | null; gevorgian: number | null };
type Pooled = { found: number; of: number; recall: number | null };
type PickerExtras = {
  recallTall?: TallRecall;
  recallTallPooled?: { kw: Pooled; gevorgian: Pooled };
  byHeight?: { kw: Array<{ recall: number | null }>; gevorgian: Array<{ recall: number | null }> };
};
type Lift = { before: number | null; after: number | null; lift: number | null };
type Retrain = {
  regions?: number;
  kw: Lift;
  gevorgian: Lift;
  /** Against both catalogues together (designs measured before it existed lack it). */
  both?: Lift;
  /** Fine-tuned on KW's labels alone, judged against KW (null: too few KW seamounts in a half; absent: before it existed). */
  kwLabels?: (Lift & { regions?: number }) | null;
};

const HEIGHT_HEADER =
  '| region | picker | recall by catalogue height vs KW: < 1 / 1–1.5 / 1.5–2 / ≥ 2 km | vs Gevorgian | recall ≥ 1.5 km, KW / Gevorgian |\n' +
  '| --- | --- | --- | --- | --- |';

function heightRows(name: string, pickers: Record<string, PickerExtras>): string[] {
  return PICKERS.map((p, i) => {
    const x = pickers[p] ?? {};
    const bins = (list?: Array<{ recall: number | null }>) => (list ? list.map((b) => f2(b.recall)).join(' / ') : '–');
    // mean rows: the regions' mean, then the seamounts of all regions counted together
    const pooled = (q: Pooled) => `${q.found} of ${q.of}, ${f2(q.recall)}`;
    const all = x.recallTallPooled ? `; all regions together ${pooled(x.recallTallPooled.kw)} / ${pooled(x.recallTallPooled.gevorgian)}` : '';
    return `| ${i === 0 ? name : ''} | ${p} | ${bins(x.byHeight?.kw)} | ${bins(x.byHeight?.gevorgian)} | ${f2(x.recallTall?.kw)} / ${f2(x.recallTall?.gevorgian)}${all} |`;
  });
}

/** The height, why-missed and retraining tables of a design (absent figures: none). */
function extraTables(d: DesignResults, coarse: ReadonlySet<string>): string[] {
  const lines: string[] = ['', HEIGHT_HEADER];
  for (const [region, r] of Object.entries(d.regions)) lines.push(...heightRows(region, r.pickers as unknown as Record<string, PickerExtras>));
  lines.push(...heightRows(`**mean of ${Object.keys(d.regions).length}**`, d.mean.pickers as unknown as Record<string, PickerExtras>));
  const fine = fineMean(d, coarse);
  if (fine) lines.push(...heightRows(`**mean of the ${fine.regions} 15″–1′ regions**`, fine.mean.pickers as unknown as Record<string, PickerExtras>));

  const whyRows = Object.entries(d.regions).filter(([, r]) => (r.pickers.autoencoder as PickerExtras & { whyMissed?: unknown }).whyMissed);
  if (whyRows.length) {
    const reasons = new Set<string>();
    for (const [, r] of whyRows) {
      const w = (r.pickers.autoencoder as { whyMissed: Record<string, Record<string, number>> }).whyMissed;
      for (const cat of Object.values(w)) for (const k of Object.keys(cat)) reasons.add(k);
    }
    const list = [...reasons].sort();
    lines.push('', `| region | why the autoencoder missed KW seamounts: ${list.join(' / ')} | Gevorgian: same order |`, '| --- | --- | --- |');
    for (const [region, r] of whyRows) {
      const w = (r.pickers.autoencoder as { whyMissed: Record<string, Record<string, number>> }).whyMissed;
      lines.push(`| ${region} | ${list.map((k) => w.kw[k] ?? 0).join(' / ')} | ${list.map((k) => w.gevorgian[k] ?? 0).join(' / ')} |`);
    }
  }

  type Ranked = { kw: { recall: number | null; ap: number | null }; gevorgian: { recall: number | null; ap: number | null } };
  const rankedOf = (x: unknown): Ranked | undefined => (x as { autoencoder?: { ranked?: Ranked } }).autoencoder?.ranked;
  const peaksAp = (x: unknown) => (x as { peaks: { kw: { ap: number | null }; gevorgian: { ap: number | null } } }).peaks;
  const rankedRows = Object.entries(d.regions).filter(([, r]) => rankedOf(r.pickers));
  if (rankedRows.length) {
    lines.push(
      '',
      "| region | the autoencoder's ranked candidates (picks and those below the cut) vs KW: AP (recall) | vs Gevorgian | peak picker AP, KW / Gevorgian |",
      '| --- | --- | --- | --- |',
    );
    const row = (name: string, pickers: unknown) => {
      const k = rankedOf(pickers) as Ranked;
      const pk = peaksAp(pickers);
      return `| ${name} | ${f2(k.kw.ap)} (${f2(k.kw.recall)}) | ${f2(k.gevorgian.ap)} (${f2(k.gevorgian.recall)}) | ${f2(pk.kw.ap)} / ${f2(pk.gevorgian.ap)} |`;
    };
    for (const [region, r] of rankedRows) lines.push(row(region, r.pickers));
    if (rankedOf(d.mean.pickers)) lines.push(row(`**mean of ${Object.keys(d.regions).length}**`, d.mean.pickers));
    if (fine && rankedOf(fine.mean.pickers)) lines.push(row(`**mean of the ${fine.regions} 15″–1′ regions**`, fine.mean.pickers));
  }

  const retrained = Object.entries(d.regions).filter(([, r]) => (r as { retrain?: unknown }).retrain);
  if (retrained.length) {
    type RegionRetrain = { retrain: { f1: Retrain; both?: Retrain['both']; kwLabels?: Retrain['kwLabels'] } };
    const withBoth = retrained.some(([, r]) => (r as unknown as RegionRetrain).retrain.both);
    const withKw = retrained.some(([, r]) => (r as unknown as RegionRetrain).retrain.kwLabels);
    lines.push(
      '',
      `| region | retraining on half the labels${withKw ? ' (KW ∪ Gevorgian)' : ''}, F1 on the other half vs KW: fold model → fine-tuned (lift) | vs Gevorgian |${withBoth ? ' vs both (the labels fine-tuned on) |' : ''}${withKw ? ' fine-tuned on KW’s labels alone, vs KW |' : ''}`,
      `| --- | --- | --- |${withBoth ? ' --- |' : ''}${withKw ? ' --- |' : ''}`,
    );
    const cell = (t: Lift | null | undefined) => (t ? `${f2(t.before)} → ${f2(t.after)} (${f2(t.lift)})` : '–');
    const row = (name: string, t: Retrain, kwRegions = '') =>
      `| ${name} | ${cell(t.kw)} | ${cell(t.gevorgian)} |${withBoth ? ` ${cell(t.both)} |` : ''}${withKw ? ` ${cell(t.kwLabels)}${t.kwLabels ? kwRegions : ''} |` : ''}`;
    for (const [region, r] of retrained) {
      const x = (r as unknown as RegionRetrain).retrain;
      lines.push(row(region, { ...x.f1, both: x.both, kwLabels: x.kwLabels }));
    }
    const mean = (d.mean as unknown as { retrain?: Retrain }).retrain;
    // fewer regions hold enough KW seamounts in each half: say over how many the KW column's mean is
    if (mean) lines.push(row(`**mean of ${mean.regions ?? retrained.length}**`, mean, mean.kwLabels?.regions ? `, ${mean.kwLabels.regions} regions` : ''));
  }
  return lines;
}

export function designMarkdown(name: string, d: DesignResults, coarse: ReadonlySet<string> = new Set()): string {
  const settings = d.settings.length ? d.settings.map((s) => `\`${s}\``).join(', ') : 'none (the defaults)';
  const lines = [
    `## Design \`${name}\`${d.quick ? ' (quick run: short training, a few regions)' : ''}`,
    '',
    `Settings: ${settings}; ${d.epochs} epochs at most; seed ${d.seed}; code ${d.code.commit ?? 'unknown commit'} (dist ${d.code.dist.slice(0, 12)}); ${d.updatedAt}.`,
    '',
    HEADER,
  ];
  for (const [region, r] of Object.entries(d.regions)) lines.push(...rows(region, r));
  lines.push(...rows(`**mean of ${Object.keys(d.regions).length}**`, d.mean));
  const fine = fineMean(d, coarse);
  if (fine) lines.push(...rows(`**mean of the ${fine.regions} 15″–1′ regions**`, fine.mean));
  lines.push(...extraTables(d, coarse));
  // the targets apply to the 15″–1′ regions: the coarse grid is reported, not targeted
  const judged = Object.entries(d.regions).filter(([n]) => !coarse.has(n));
  if (judged.length > 1) {
    const label = fine ? `the ${judged.length} 15″–1′ regions` : `the ${judged.length} regions`;
    lines.push('', ...targetsMarkdown(judged, label));
  }
  return lines.join('\n');
}

/** `coarse`: names of the regions on coarse grids (regions.ts), left out of a second mean. */
export function resultsMarkdown(file: ResultsFile, coarse: ReadonlySet<string> = new Set()): string {
  const parts = ['# Leave-region-out accuracy', '', file.about, ''];
  const names = Object.keys(file.designs);
  if (names.length > 1) {
    // a mean is only comparable over the same regions: say which each design's mean covers
    parts.push('## Designs side by side (means over regions)', '', HEADER.replace('| region |', '| design (regions) |'));
    for (const n of names) {
      parts.push(...rows(`\`${n}\` (${Object.keys(file.designs[n].regions).join(', ')})`, file.designs[n].mean));
      const fine = fineMean(file.designs[n], coarse);
      if (fine) parts.push(...rows(`\`${n}\`, the ${fine.regions} 15″–1′ regions only`, fine.mean));
    }
    parts.push('');
    // each design against the current one, region by region (the 15″–1′ regions: the coarse grid is reported, not targeted)
    const against = designComparisonMarkdown(file.designs, 'default', (r) => !coarse.has(r));
    if (against.length) parts.push(...against, '');
  }
  for (const n of names) parts.push(designMarkdown(n, file.designs[n], coarse), '');
  return parts.join('\n');
}
