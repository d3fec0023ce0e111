/**
 * The Markdown of results.json: per design, one row per region and picker, then the means (and, when some
 * regions are coarse grids, the mean of the others), in the README's Accuracy style ("P / R / F1, AP");
 * and when there are several designs, their means side by side.
 */
import type { ObjectScores } from './pool.js';
import { meanFigures, PICKERS, type Picker, type RegionFigures } from './evaluate.js';

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
    pickers: Record<Picker, { picks: number | null; kw: Partial<ObjectScores>; gevorgian: Partial<ObjectScores> }>;
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
  '| region | picker | picks | window AUC, model / control | recall at threshold (target) | vs KW: P / R / F1, AP | vs Gevorgian: P / R / F1, AP |\n' +
  '| --- | --- | --- | --- | --- | --- | --- |';

function rows(name: string, r: {
  windows: { auc: number | null; controlAuc: number | null };
  threshold: { target: number | null; realised: number | null };
  pickers: Record<Picker, { picks: number | null; kw: Partial<ObjectScores>; gevorgian: Partial<ObjectScores> }>;
}): string[] {
  return PICKERS.map((p, i) => {
    const first = i === 0;
    const auc = first ? `${f2(r.windows.auc)} / ${f2(r.windows.controlAuc)}` : '';
    const thr = first ? `${f2(r.threshold.realised)} (${f2(r.threshold.target)})` : '';
    return `| ${first ? name : ''} | ${p} | ${count(r.pickers[p].picks)} | ${auc} | ${thr} | ${prfa(r.pickers[p].kw)} | ${prfa(r.pickers[p].gevorgian)} |`;
  });
}

/** Means over the regions not in `coarse`, or null when the design has no coarse region (or only coarse ones). */
export function fineMean(d: DesignResults, coarse: ReadonlySet<string>): { regions: number; mean: DesignResults['mean'] } | null {
  const names = Object.keys(d.regions);
  const fine = names.filter((n) => !coarse.has(n));
  if (fine.length === names.length || fine.length === 0) return null;
  return { regions: fine.length, mean: meanFigures(fine.map((n) => d.regions[n])) as DesignResults['mean'] };
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
  return lines.join('\n');
}

/** `coarse`: names of the regions on coarse grids (regions.ts), left out of a second mean. */
export function resultsMarkdown(file: ResultsFile, coarse: ReadonlySet<string> = new Set()): string {
  const parts = [
    '# Leave-region-out accuracy',
    '',
    file.about,
    '',
  ];
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
  }
  for (const n of names) parts.push(designMarkdown(n, file.designs[n], coarse), '');
  return parts.join('\n');
}
