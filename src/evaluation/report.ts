/**
 * The human side of a comparison: `report.md` (summary, tables, how to reproduce) and the
 * precision–recall figure `pr_curve.png`. Pure text/pixels; compare.ts writes them.
 */
import { basename } from 'node:path';
import { lineChart, type ChartSeries } from '../plot/index.js';
import type { CompareMetrics } from './metrics.js';

/** What was compared and what was left out, as the report tells it. */
export interface ReportContext {
  title: string;
  picksPath: string;
  cataloguePath: string;
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

export function reportMarkdown(m: CompareMetrics, c: ReportContext): string {
  const L: string[] = [];
  L.push(`# ${c.title}`, '');
  L.push(
    `Picks \`${c.picksPath}\` compared with the catalogue \`${c.cataloguePath}\`: a pick and a catalogue seamount match ` +
      `when they are at most ${c.toleranceKm} km apart (great circle), each used once, nearest pairs first.`,
    '',
  );
  L.push('| matched (TP) | new (FP) | missed (FN) | ignored | precision | recall | F1 | average precision |');
  L.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  L.push(`| ${m.tp} | ${m.fp} | ${m.fn} | ${m.ignored} | ${fmtRatio(m.precision)} | ${fmtRatio(m.recall)} | ${fmtRatio(m.f1)} | ${fmtRatio(m.averagePrecision)} |`, '');
  const e = m.positionErrorKm;
  L.push(`Position error of matched pairs: mean ${fmtKm(e.mean)} km, median ${fmtKm(e.median)} km, 90th percentile ${fmtKm(e.p90)} km, max ${fmtKm(e.max)} km.`, '');

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

  L.push('## Layers', '');
  L.push('- `matched.geojson`: picks matched to a catalogue seamount (at the pick; the catalogue seamount, the distance and `counted` in the properties; `counted: false` are the ignored picks).');
  L.push('- `missed.geojson`: catalogue seamounts that count and that no pick matched (at the catalogue position).');
  L.push(
    '- `new.geojson`: picks with no catalogue seamount within the tolerance: candidate new seamounts or false alarms. ' +
      '`nearest_ref_km` tells near misses (a catalogue seamount just beyond the tolerance) from isolated picks.',
    '',
  );

  L.push('## Reproduce', '', '```sh', c.command, '```', '');
  const cite = citation(c.cataloguePath);
  if (cite) L.push(`Catalogue: ${cite}`, '');
  return L.join('\n');
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
