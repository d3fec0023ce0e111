/**
 * The human side of a comparison: `report.md` (summary, tables, how to reproduce) and the
 * precision–recall figure `pr_curve.png`. Pure text/pixels; compare.ts writes them.
 */
import { basename } from 'node:path';
import { lineChart, type ChartSeries } from '../plot/index.js';
import type { CompareMetrics } from './metrics.js';
import { MISS_REASONS, MISS_REASON_TEXT } from './why-missed.js';
import type { WhyMissed } from './why-missed-table.js';
import type { Agreement, AgreementStats } from './agreement.js';

/** What was compared and what was left out, as the report tells it. */
export interface ReportContext {
  title: string;
  picksPath: string;
  /** The reference catalogue, or several taken as their union (one entry per id). */
  cataloguePaths: readonly string[];
  gridPath: string | null;
  toleranceKm: number;
  minHeightM: number;
  /** The searched area, e.g. `-118/-107/-49/-42`, and where it came from. */
  area: string;
  areaSource: string;
  picksRead: number;
  picksOutsideArea: number;
  refsRead: number;
  refsCounted: number;
  refsOutsideArea: number;
  refsBelowMinHeight: number;
  refsOnInvalidCells: number;
  command: string;
  /** compare_map.png was drawn (a grid was at hand). */
  map?: boolean;
}

const fmtRatio = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));
const fmtKm = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(2));
const range = (lo: number | null, hi: number | null): string => (lo === null ? 'unknown' : hi === null ? `≥ ${lo}` : `${lo}–${hi}`);

/** Citations for the reference catalogues shipped with the project, recognised by file name. */
function citation(cataloguePath: string): string | null {
  const name = basename(cataloguePath).toLowerCase();
  const kw = 'Kim, S.-S. & Wessel, P. (2011), New global seamount census from altimetry-derived gravity data, Geophys. J. Int. 186, 615–631.';
  if (name.includes('gevorgian')) {
    return `${kw} Gevorgian, J., Sandwell, D. T., Yu, Y., Kim, S.-S. & Wessel, P. (2023), Global distribution and morphology of small seamounts, Earth and Space Science (Zenodo 7718512, CC BY 4.0).`;
  }
  if (name.includes('kwsmts')) return kw;
  return null;
}

/** "the catalogue `a`", or "the union of the catalogues `a` and `b` (…)". */
function referenceName(paths: readonly string[]): string {
  const quoted = paths.map((p) => `\`${p}\``);
  if (quoted.length === 1) return `the catalogue ${quoted[0]}`;
  const list = `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
  return `the union of the catalogues ${list} (a seamount they list under one id counts once)`;
}

export function reportMarkdown(m: CompareMetrics, c: ReportContext): string {
  const L: string[] = [];
  L.push(`# ${c.title}`, '');
  L.push(
    `Picks \`${c.picksPath}\` compared with ${referenceName(c.cataloguePaths)}: a pick and a catalogue seamount match ` +
      `when they are at most ${c.toleranceKm} km apart (great circle), each used once, nearest pairs first.`,
    '',
  );
  L.push('| matched (TP) | new (FP) | missed (FN) | ignored | precision | recall | F1 | average precision |');
  L.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  L.push(
    `| ${m.tp} | ${m.fp} | ${m.fn} | ${m.ignored} | ${fmtRatio(m.precision)} | ${fmtRatio(m.recall)} | ${fmtRatio(m.f1)} | ${fmtRatio(m.averagePrecision)} |`,
    '',
  );
  const e = m.positionErrorKm;
  L.push(
    `Position error of matched pairs: mean ${fmtKm(e.mean)} km, median ${fmtKm(e.median)} km, 90th percentile ${fmtKm(e.p90)} km, max ${fmtKm(e.max)} km.`,
    '',
  );

  L.push('## What was compared', '');
  L.push(`- Searched area: ${c.area} (${c.areaSource}).`);
  if (c.gridPath) L.push(`- Grid: \`${c.gridPath}\`; catalogue seamounts on no-data or land cells do not count.`);
  L.push(`- Picks: ${c.picksRead} read, ${c.picksOutsideArea} outside the searched area left out.`);
  const tooLow = c.minHeightM > 0 ? `${c.refsBelowMinHeight} lower than ${c.minHeightM} m or of unknown height, ` : '';
  L.push(
    `- Catalogue: ${c.refsRead} seamounts read, ${c.refsCounted} count; left out: ${c.refsOutsideArea} outside the searched area, ` +
      `${tooLow}${c.refsOnInvalidCells} on no-data or land cells.`,
  );
  L.push(
    `- Ignored picks (${m.ignored}) match only a catalogue seamount that does not count (too low, outside the area, ` +
      'on an invalid cell): they are neither hits nor false alarms.',
    '',
  );

  L.push('## By height of the catalogue seamount', '');
  L.push('| height (m) | matched | missed | recall |', '| --- | ---: | ---: | ---: |');
  for (const b of m.byHeight) L.push(`| ${range(b.minM, b.maxM)} | ${b.tp} | ${b.fn} | ${fmtRatio(b.recall)} |`);
  L.push('');

  if (m.whyMissed) whyMissedSection(L, m.whyMissed);
  if (m.agreement) agreementSection(L, m.agreement);

  L.push('## By distance to the edge of the searched area', '');
  L.push(
    'Windows near the edge are truncated, so picks there are less reliable. Matched and missed seamounts are binned by the ' +
      "catalogue position, new picks by the pick's position.",
    '',
  );
  L.push('| distance (km) | matched | new | missed | precision | recall |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const b of m.byEdgeDistance) L.push(`| ${range(b.minKm, b.maxKm)} | ${b.tp} | ${b.fp} | ${b.fn} | ${fmtRatio(b.precision)} | ${fmtRatio(b.recall)} |`);
  L.push('');

  L.push('## Precision and recall by confidence', '');
  L.push('![Precision–recall curve](pr_curve.png)', '');
  L.push(
    m.averagePrecision === null
      ? 'No average precision: some picks have no `confidence` (or no catalogue seamount counts); the figure shows the single operating point.'
      : 'Each point keeps the picks at or above one confidence value. Average precision is the non-interpolated sum ' +
          'Σ (R_k − R_{k−1}) P_k over those points, highest confidence first, with the matching above held fixed.',
    '',
  );

  if (c.map) L.push('## Map', '', '![Matched, missed and new picks](compare_map.png)', '');

  L.push('## Layers', '');
  L.push(
    '- `matched.geojson`: picks matched to a catalogue seamount (at the pick; the catalogue seamount, the distance and `counted` in the properties; `counted: false` are the ignored picks).',
  );
  L.push(
    '- `missed.geojson`: catalogue seamounts that count and that no pick matched (at the catalogue position), with `why` ' +
      'and the nearest candidate of the ledger (`candidate_id`, `candidate_fate`, `candidate_rule`, `candidate_confidence`).',
  );
  L.push(
    '- `new.geojson`: picks with no catalogue seamount within the tolerance: candidate new seamounts or false alarms. ' +
      '`nearest_ref_km` tells near misses (a catalogue seamount just beyond the tolerance) from isolated picks.',
    '',
  );

  L.push('## Reproduce', '', '```sh', c.command, '```', '');
  const cites = [...new Set(c.cataloguePaths.map(citation).filter((x): x is string => x !== null))];
  // Gevorgian et al.'s citation includes Kim & Wessel's: cite a reference once
  const cite = cites.filter((x) => !cites.some((y) => y !== x && y.includes(x))).join(' ');
  if (cite) L.push(`Catalogue: ${cite}`, '');
  return L.join('\n');
}

/** "Why seamounts were missed": the reasons, what they mean, counts by catalogue height. */
function whyMissedSection(L: string[], w: WhyMissed): void {
  L.push('## Why seamounts were missed', '');
  if (!w.sources.ledger) {
    L.push('No candidate ledger (`candidates.geojson`) beside the picks: the reasons are unknown (run `detect`, or pass the ledger).', '');
    return;
  }
  L.push(
    `From the candidate ledger \`${w.sources.ledger}\`${w.sources.errorRaster ? ` and the error raster \`${w.sources.errorRaster}\`` : ''}: ` +
      'the nearest candidate within the tolerance, and its fate; without one, the windows near the seamount.',
    '',
  );
  const reasons = MISS_REASONS.filter((r) => w.byReason[r] > 0);
  if (reasons.length === 0) {
    L.push('No seamount was missed.', '');
    return;
  }
  L.push(`| reason | ${w.byHeight.map((b) => `${range(b.minM, b.maxM)} m`).join(' | ')} | all |`);
  L.push(`| --- | ${w.byHeight.map(() => '---:').join(' | ')} | ---: |`);
  for (const r of reasons) L.push(`| \`${r}\` | ${w.byHeight.map((b) => b.byReason[r]).join(' | ')} | ${w.byReason[r]} |`);
  L.push('');
  for (const r of reasons) L.push(`- \`${r}\`: ${MISS_REASON_TEXT[r]}.`);
  L.push('');
}

/** "Measurements of matched seamounts": our height, radius and base depth against the catalogue's. */
function agreementSection(L: string[], a: Agreement): void {
  const rows: Array<[string, AgreementStats | null, number]> = [
    ['height (m)', a.heightM, 0],
    ['basal radius (km)', a.radiusKm, 2],
    ['base depth (m)', a.baseDepthM, 0],
  ];
  const present = rows.filter(([, s]) => s !== null) as Array<[string, AgreementStats, number]>;
  if (present.length === 0) return;
  L.push('## Measurements of matched seamounts', '');
  L.push(
    "Ours against the catalogue's over the matched pairs where both give the figure: bias is the median of ours − catalogue. " +
      'The catalogues measure otherwise (Kim & Wessel: heights from altimetry-predicted bathymetry, radii from their basal ' +
      'ellipse; Gevorgian et al.: radius = 7.28 km per km of height); docs/measurement.md says how ours relate to theirs.',
    '',
  );
  L.push('| quantity | pairs | ours (median) | catalogue (median) | bias | mean difference | median abs. difference | correlation | median ratio |');
  L.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, s, d] of present) {
    L.push(
      `| ${name} | ${s.n} | ${s.oursMedian.toFixed(d)} | ${s.refMedian.toFixed(d)} | ${s.bias.toFixed(d)} | ${s.meanDifference.toFixed(d)} | ` +
        `${s.medianAbsDifference.toFixed(d)} | ${fmtRatio(s.correlation)} | ${s.medianRatio === null ? 'n/a' : s.medianRatio.toFixed(3)} |`,
    );
  }
  L.push('');
}

/** The precision–recall figure: the curve over confidence thresholds, and the all-picks operating point. */
export function prCurvePng(m: CompareMetrics): Uint8Array {
  const series: ChartSeries[] = [];
  if (m.prCurve.length) {
    series.push({ label: 'by confidence', x: m.prCurve.map((p) => p.recall), y: m.prCurve.map((p) => p.precision), colour: [31, 90, 180] });
  }
  if (m.precision !== null && m.recall !== null) {
    series.push({ label: 'all picks', x: [m.recall], y: [m.precision], colour: [200, 60, 30], marker: true });
  }
  const ap = m.averagePrecision === null ? '' : ` AP ${m.averagePrecision.toFixed(3)}`;
  const chart = lineChart(series, {
    title: `Precision-recall${ap}`,
    xLabel: 'recall',
    yLabel: 'precision',
    xRange: [0, 1],
    yRange: [0, 1],
  });
  return chart.toPng();
}
