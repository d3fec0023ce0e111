/**
 * The Markdown of results.json: per design, one row per region and picker, then the means, in the
 * README's Accuracy style ("P / R / F1, AP"); and when there are several designs, their means side by side.
 */
import type { ObjectScores } from './pool.js';
import { PICKERS, type Picker, type RegionFigures } from './evaluate.js';

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

export function designMarkdown(name: string, d: DesignResults): string {
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
  return lines.join('\n');
}

export function resultsMarkdown(file: ResultsFile): string {
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
    for (const n of names) parts.push(...rows(`\`${n}\` (${Object.keys(file.designs[n].regions).join(', ')})`, file.designs[n].mean));
    parts.push('');
  }
  for (const n of names) parts.push(designMarkdown(n, file.designs[n]), '');
  return parts.join('\n');
}
