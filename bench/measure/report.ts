/**
 * The measurement benchmark's summaries: pass / fail of the issue's targets per shape and where they fail,
 * and the errors by shape, size, background, cell size and spacing, for the direct measurement and each
 * picker. Pure (outcomes in, JSON-ready summaries and Markdown out).
 */
import { missedTargets, TARGETS, type Errors, type Method, type Outcome } from './score.js';
import { SHAPE_NAMES, type ShapeCode } from './shapes.js';

/** A shape passes when at least this share of its target seamounts meets each target. */
export const PASS_SHARE = 0.9;

export interface ErrorStats {
  n: number;
  /** Median of the signed error (bias). */
  median: number | null;
  /** Median of the absolute error. */
  medianAbs: number | null;
  /** 90th percentile of the absolute error. */
  p90Abs: number | null;
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function errorStats(values: Array<number | null>): ErrorStats {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  const s = [...v].sort((a, b) => a - b);
  const a = v.map(Math.abs).sort((x, y) => x - y);
  return { n: v.length, median: quantile(s, 0.5), medianAbs: quantile(a, 0.5), p90Abs: quantile(a, 0.9) };
}

type ErrorKey = keyof Errors;
const ERROR_KEYS: ErrorKey[] = [
  'positionCells',
  'heightRel',
  'radiusRel',
  'majorRel',
  'minorRel',
  'azimuthDeg',
  'summitDepthM',
  'volumeRel',
  'flankSlopeDeg',
  'flatness',
];

export interface GroupSummary {
  key: string;
  planted: number;
  found: number;
  errors: Partial<Record<ErrorKey, ErrorStats>>;
}

export function summarise(key: string, list: Outcome[]): GroupSummary {
  const found = list.filter((o) => o.errors);
  const errors: Partial<Record<ErrorKey, ErrorStats>> = {};
  for (const k of ERROR_KEYS) errors[k] = errorStats(found.map((o) => (o.errors as Errors)[k]));
  return { key, planted: list.length, found: found.length, errors };
}

export function groupBy(list: Outcome[], key: (o: Outcome) => string): Map<string, Outcome[]> {
  const m = new Map<string, Outcome[]>();
  for (const o of list) {
    const k = key(o);
    const g = m.get(k);
    if (g) g.push(o);
    else m.set(k, [o]);
  }
  return m;
}

export interface ShapeVerdict {
  shape: ShapeCode;
  name: string;
  method: Method;
  targets: number;
  found: number;
  heightWithin: number;
  radiusWithin: number;
  positionWithin: number;
  heightRel: ErrorStats;
  radiusRel: ErrorStats;
  positionCells: ErrorStats;
  pass: boolean;
  /** The target seamounts missing a target, counted by background, cell size and size class, most first. */
  failures: Array<{ where: string; count: number; of: number; missed: string[] }>;
  /** A few of the failing seamounts with their errors. */
  examples: Array<{ id: string; missed: string[]; heightRel: number | null; radiusRel: number | null; positionCells: number | null }>;
}

/** Pass / fail of the targets for one shape and method, and where it fails. */
export function verdict(shape: ShapeCode, method: Method, outcomes: Outcome[]): ShapeVerdict {
  const t = outcomes.filter((o) => o.target && o.shape === shape && o.method === method);
  const share = (f: (o: Outcome) => boolean) => (t.length ? t.filter(f).length / t.length : 0);
  const heightWithin = share((o) => o.errors !== null && Math.abs(o.errors.heightRel) <= TARGETS.heightRel);
  const radiusWithin = share((o) => o.errors !== null && Math.abs(o.errors.radiusRel) <= TARGETS.radiusRel);
  const positionWithin = share((o) => o.errors !== null && o.errors.positionCells <= TARGETS.positionCells);
  const failing = t.filter((o) => missedTargets(o).length > 0);
  const byWhere = groupBy(
    t,
    (o) => `${o.background}, ${o.cellArcSec}″, ${o.size}${o.elliptical ? ' elliptical' : ''}${o.flattening > 0 ? ` F=${o.flattening}` : ''}`,
  );
  const failures = [...byWhere.entries()]
    .map(([where, list]) => {
      const bad = list.filter((o) => missedTargets(o).length > 0);
      const missed = [...new Set(bad.flatMap(missedTargets))].sort();
      return { where, count: bad.length, of: list.length, missed };
    })
    .filter((f) => f.count > 0)
    .sort((a, b) => b.count - a.count || a.where.localeCompare(b.where));
  return {
    shape,
    name: SHAPE_NAMES[shape],
    method,
    targets: t.length,
    found: t.filter((o) => o.found).length,
    heightWithin,
    radiusWithin,
    positionWithin,
    heightRel: errorStats(t.map((o) => o.errors?.heightRel ?? null)),
    radiusRel: errorStats(t.map((o) => o.errors?.radiusRel ?? null)),
    positionCells: errorStats(t.map((o) => o.errors?.positionCells ?? null)),
    pass: t.length > 0 && heightWithin >= PASS_SHARE && radiusWithin >= PASS_SHARE && positionWithin >= PASS_SHARE,
    failures,
    examples: failing.slice(0, 6).map((o) => ({
      id: o.id,
      missed: missedTargets(o),
      heightRel: o.errors?.heightRel ?? null,
      radiusRel: o.errors?.radiusRel ?? null,
      positionCells: o.errors?.positionCells ?? null,
    })),
  };
}

export interface Calibration {
  /** Share of found seamounts whose |error| is within 1 and 2 reported σ (NaN σ left out). */
  height: { n: number; within1: number | null; within2: number | null };
  radius: { n: number; within1: number | null; within2: number | null };
}

export function calibration(list: Outcome[]): Calibration {
  const part = (zs: number[]) => ({
    n: zs.length,
    within1: zs.length ? zs.filter((z) => z <= 1).length / zs.length : null,
    within2: zs.length ? zs.filter((z) => z <= 2).length / zs.length : null,
  });
  const found = list.filter((o) => o.errors);
  return {
    height: part(found.map((o) => o.errors!.heightZ).filter(Number.isFinite)),
    radius: part(found.map((o) => o.errors!.radiusZ).filter(Number.isFinite)),
  };
}

export interface ClassCheck {
  /** Planted guyots (F > 0) flagged flat-topped, and pointed / rounded tops flagged (false alarms). */
  guyotsFlagged: number;
  guyots: number;
  othersFlagged: number;
  others: number;
  /** Share of seamounts given the class their true height and top call for. */
  classRight: number | null;
}

/** The class the planted truth calls for (none of them is an island). */
export function trueClass(o: Outcome): string {
  if (o.flattening > 0 && o.truth.heightM >= 1000) return 'guyot';
  return o.truth.heightM >= 1000 ? 'seamount' : o.truth.heightM >= 500 ? 'knoll' : 'hill';
}

export function classCheck(list: Outcome[]): ClassCheck {
  const found = list.filter((o) => o.found && o.guyot !== null);
  const guyots = found.filter((o) => o.flattening > 0);
  const others = found.filter((o) => o.flattening === 0);
  const classed = found.filter((o) => o.seamountClass !== null);
  return {
    guyotsFlagged: guyots.filter((o) => o.guyot).length,
    guyots: guyots.length,
    othersFlagged: others.filter((o) => o.guyot).length,
    others: others.length,
    classRight: classed.length ? classed.filter((o) => o.seamountClass === trueClass(o)).length / classed.length : null,
  };
}

// ---------------------------------------------------------------- Markdown

const pct = (v: number | null, d = 0): string => (v === null || !Number.isFinite(v) ? '–' : `${(100 * v).toFixed(d)} %`);
const signedPct = (v: number | null): string => (v === null || !Number.isFinite(v) ? '–' : `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)} %`);
const num = (v: number | null, d = 1): string => (v === null || !Number.isFinite(v) ? '–' : v.toFixed(d));

export interface BenchReport {
  command: string;
  settings: Record<string, unknown>;
  methods: Method[];
  verdicts: ShapeVerdict[];
  byShapeSize: GroupSummary[];
  byBackground: GroupSummary[];
  byCell: GroupSummary[];
  bySpacing: GroupSummary[];
  guyots: GroupSummary[];
  byMethod: Array<{ method: Method; recall500: number | null; summary: GroupSummary; calibration: Calibration; classes: ClassCheck }>;
  timing: Record<string, number>;
}

/** The errors of one group as a table row: medians (bias) and median absolute errors. */
function errorCells(g: GroupSummary): string[] {
  const e = g.errors;
  const pair = (k: ErrorKey, f: (v: number | null) => string) => `${f(e[k]?.median ?? null)} / ${f(e[k]?.medianAbs ?? null)}`;
  return [
    `${g.found}/${g.planted}`,
    pair('heightRel', signedPct),
    pair('radiusRel', signedPct),
    pair('majorRel', signedPct),
    pair('minorRel', signedPct),
    num(e.azimuthDeg?.medianAbs ?? null, 1),
    num(e.positionCells?.medianAbs ?? null, 2),
    pair('summitDepthM', (v) => num(v, 0)),
    pair('volumeRel', signedPct),
    pair('flankSlopeDeg', (v) => num(v, 2)),
    pair('flatness', (v) => num(v, 2)),
  ];
}

const ERROR_HEADER = '| found | height | radius | major | minor | azimuth (°) | position (cells) | summit depth (m) | volume | flank slope (°) | flatness |';

function errorTable(L: string[], first: string, groups: GroupSummary[]): void {
  L.push(`| ${first} ${ERROR_HEADER}`);
  L.push(`| --- ${'| ---: '.repeat(11)}|`);
  for (const g of groups) L.push(`| ${g.key} | ${errorCells(g).join(' | ')} |`);
  L.push('');
}

export function reportMarkdown(r: BenchReport, before?: BenchReport): string {
  const L: string[] = [];
  L.push('# Measurement benchmark: planted seamounts (GMT grdseamount) measured', '');
  L.push('Reproduce:', '', '```sh', r.command, '```', '');
  L.push(
    `Seamounts planted by \`gmt grdseamount\` (Gaussian, cone, parabolic, polynomial; circular and elliptical; flat-topped; alone, ` +
      `in pairs and chains) on flat, sloping and real residual sea floor, at ${(r.settings.cellsArcSec as number[]).map((c) => `${c}″`).join(', ')} cells. ` +
      '`measure` is `measureSeamount` called at the planted position (neighbours of a pair or chain passed as `neighbours`); ' +
      '`gaussian` and `peak` are the baselines run on the whole grid, their picks matched one-to-one to the planted seamounts ' +
      `within ${r.settings.matchToleranceKm} km or two cells.`,
    '',
  );
  L.push('## Targets', '');
  L.push(
    `Isolated seamounts ≥ 500 m tall with a basal radius of ≥ 3 cells: height within ${100 * TARGETS.heightRel} %, radius ` +
      `(sqrt(major × minor)) within ${100 * TARGETS.radiusRel} %, position within one cell (north–south size). A shape passes when ` +
      `at least ${100 * PASS_SHARE} % of its target seamounts (every background and cell size) meet each target.`,
    '',
  );
  for (const method of r.methods) {
    const vs = r.verdicts.filter((v) => v.method === method);
    if (vs.length === 0) continue;
    L.push(`### ${method}`, '');
    const b = before?.verdicts.filter((v) => v.method === method) ?? [];
    L.push(
      `| shape | targets | found | height ≤ 10 % | radius ≤ 15 % | position ≤ 1 cell | median height error | median radius error | verdict |${b.length ? ' before: height / radius ≤ target, median radius error |' : ''}`,
    );
    L.push(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |${b.length ? ' --- |' : ''}`);
    for (const v of vs) {
      const old = b.find((x) => x.shape === v.shape);
      const oldCell = old
        ? ` ${pct(old.heightWithin)} / ${pct(old.radiusWithin)}, ${signedPct(old.radiusRel.median)} (${old.pass ? 'pass' : 'fail'}) |`
        : b.length
          ? ' – |'
          : '';
      L.push(
        `| ${v.name} | ${v.targets} | ${v.found} | ${pct(v.heightWithin)} | ${pct(v.radiusWithin)} | ${pct(v.positionWithin)} | ` +
          `${signedPct(v.heightRel.median)} | ${signedPct(v.radiusRel.median)} | **${v.pass ? 'PASS' : 'FAIL'}** |${oldCell}`,
      );
    }
    L.push('');
    const failing = vs.filter((v) => v.failures.length > 0);
    if (failing.length) {
      L.push('Where targets are missed (background, cell, size: seamounts missing a target of those there, which targets):', '');
      for (const v of failing) {
        L.push(
          `- ${v.name}: ${v.failures
            .slice(0, 8)
            .map((f) => `${f.where}: ${f.count}/${f.of} (${f.missed.join(', ')})`)
            .join('; ')}${v.failures.length > 8 ? '; …' : ''}`,
        );
      }
      L.push('');
    }
  }
  L.push('## Errors of the direct measurement', '');
  L.push('Each cell: median signed error (bias) / median absolute error. Relative errors for height, radius, axes and volume.', '');
  L.push('### Isolated seamounts by shape and size (all backgrounds and cells)', '');
  errorTable(L, 'shape, size', r.byShapeSize);
  L.push('### Isolated seamounts ≥ 500 m by background', '');
  errorTable(L, 'background', r.byBackground);
  L.push('### Isolated seamounts ≥ 500 m by cell size', '');
  errorTable(L, 'cell', r.byCell);
  L.push('### Pairs and chains by spacing (centre to centre, in basal radii; 2 = bases touching)', '');
  errorTable(L, 'group', r.bySpacing);
  L.push('### Flat-topped seamounts (guyots) by flattening (plateau radius / basal radius)', '');
  errorTable(L, 'flattening', r.guyots);
  L.push('## Pickers', '');
  L.push(
    'Recall: planted seamounts ≥ 500 m a pick matched. Errors over every matched seamount (all arrangements). σ: share of errors within one and two reported standard deviations. Guyots: planted flat tops flagged, and pointed or rounded tops flagged by mistake. Class: share given the class their true height and top call for.',
    '',
  );
  L.push(
    '| method | recall ≥ 500 m | found | height | radius | position (cells) | height within 1σ / 2σ | radius within 1σ / 2σ | guyots flagged | false flags | class right |',
  );
  L.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const m of r.byMethod) {
    const e = m.summary.errors;
    const c = m.calibration;
    L.push(
      `| ${m.method} | ${pct(m.recall500)} | ${m.summary.found}/${m.summary.planted} | ${signedPct(e.heightRel?.median ?? null)} / ${pct(e.heightRel?.medianAbs ?? null, 1)} | ` +
        `${signedPct(e.radiusRel?.median ?? null)} / ${pct(e.radiusRel?.medianAbs ?? null, 1)} | ${num(e.positionCells?.medianAbs ?? null, 2)} | ` +
        `${pct(c.height.within1)} / ${pct(c.height.within2)} | ${pct(c.radius.within1)} / ${pct(c.radius.within2)} | ` +
        `${m.classes.guyots ? `${m.classes.guyotsFlagged}/${m.classes.guyots}` : '–'} | ${m.classes.others ? `${m.classes.othersFlagged}/${m.classes.others}` : '–'} | ${pct(m.classes.classRight)} |`,
    );
  }
  L.push('');
  L.push('## Timing', '');
  for (const [k, v] of Object.entries(r.timing)) L.push(`- ${k}: ${num(v, 2)}`);
  L.push('');
  return L.join('\n');
}
