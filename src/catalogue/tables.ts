/**
 * Text tables of our picks for the tools seamount people already use:
 * - `seamounts_kw.txt`: the Kim & Wessel (2011) census layout (`KWSMTSv01.txt`), so scripts written for
 *   the census read our picks unchanged, and so does our own `readCatalogue`;
 * - `seamounts_gmt.txt`: basal ellipses for `gmt plot -SE` (GMT 6).
 *
 * Axis conventions, the trap between the two: our `majorKm`/`minorKm` are SEMI-axes (of the basal ellipse,
 * docs/measurement.md), as are the census's Major/Minor (see read-table.ts), so the KW table writes them as they are;
 * `gmt plot -SE` draws an ellipse from its FULL axis lengths (km by default) and an azimuth in degrees east
 * of north (the GMT 6 manual of `-SE`; checked by drawing one in the tests), so the GMT table writes
 * twice the semi-axes. Our azimuth (clockwise from north, 0..180) is already a GMT azimuth.
 */
import type { Seamount } from '../types.js';
import { writeFileAtomic } from '../base/atomic.js';
import { drawableEllipse } from './ellipse.js';
import { checkExportPosition, type EllipseExportSummary } from './export-fields.js';
import { headerColumns, looksLikeData } from './read-table.js';
import { outputLon, roundTo } from './write.js';

/** The census's header, in its order (tab-separated in the file). */
export const KW_COLUMNS = ['Longitude', 'Latitude', 'Azimuth', 'Major', 'Minor', 'Height', 'FAA', 'VGG', 'Depth', 'CrustAge', 'ID'] as const;

/** A number as table text: rounded to `decimals`, `NaN` when missing (what the census writes and our reader takes as missing). */
const num = (value: number, decimals: number): string => {
  const r = roundTo(value, decimals);
  return r === null ? 'NaN' : String(r);
};

/** Ids are one whitespace-separated field: any blank inside becomes `_`. */
const field = (id: string): string => id.replace(/\s+/g, '_') || '_';

/** A preamble line our reader would take for a header or a data row is made a `#` comment instead. */
const safeNote = (line: string): string => (headerColumns(line) || looksLikeData(line) ? `# ${line}` : line);

export interface KwTableOptions {
  /** Extra free-text lines for the preamble (e.g. the grid searched and the program version). */
  notes?: readonly string[];
}

/**
 * Our picks as a Kim & Wessel-style table (pure): a free-text preamble, a blank line, the tab-separated
 * header `Longitude Latitude Azimuth Major Minor Height FAA VGG Depth CrustAge ID`, one row per seamount
 * in the input's order. Longitude −180..180 and latitude in degrees (5 decimals); Azimuth of the major
 * axis in degrees clockwise from north; Major/Minor the basal ellipse's semi-axes in km; Height in m; Depth
 * the base (regional) depth in m, negative below sea level; ID our id. FAA, VGG and CrustAge are gravity
 * and crustal-age values we do not measure: always NaN. Values we lack (a failed fit) are NaN.
 *
 * @example
 * seamountsToKwTable([smt]).split('\n').find((l) => l.startsWith('Longitude')) // 'Longitude\tLatitude\t…\tID'
 */
export function seamountsToKwTable(seamounts: readonly Seamount[], options: KwTableOptions = {}): string {
  const preamble = [
    'Seamounts picked by seamount-detect, in the layout of the Kim & Wessel (2011) census KWSMTSv01.txt.',
    `This file contains ${seamounts.length} seamounts. The columns are:`,
    'Col 1: Longitude (-180/+180) of the summit (in degrees)',
    'Col 2: Latitude (-90/+90) of the summit (in degrees)',
    'Col 3: Azimuth of the major axis of the basal ellipse (in degrees clockwise from north, 0 to 180)',
    'Col 4: Major semi-axis of the basal ellipse, 3 sigma of the fitted Gaussian (in km)',
    'Col 5: Minor semi-axis of the basal ellipse, 3 sigma of the fitted Gaussian (in km)',
    'Col 6: Seamount height above its base (in m)',
    'Col 7: FAA: not measured by seamount-detect, always NaN',
    'Col 8: VGG: not measured by seamount-detect, always NaN',
    'Col 9: Regional (base) depth of each seamount (in m, negative below sea level)',
    'Col 10: CrustAge: not measured by seamount-detect, always NaN',
    'Col 11: ID of each seamount in this run',
    'NaN marks a value that is missing (e.g. where the Gaussian fit failed).',
    ...(options.notes ?? []),
  ].map(safeNote);
  const rows = seamounts.map((s, k) => {
    checkExportPosition(s, k);
    return [
      String(outputLon(s.lon)),
      num(s.lat, 5),
      num(s.ellipse.azimuthDeg, 1),
      num(s.ellipse.majorKm, 2),
      num(s.ellipse.minorKm, 2),
      num(s.heightM, 1),
      'NaN',
      'NaN',
      num(s.baseDepthM, 1),
      'NaN',
      field(s.id),
    ].join('\t');
  });
  return `${[...preamble, '', KW_COLUMNS.join('\t'), ...rows].join('\n')}\n`;
}

/**
 * Writes `seamounts_kw.txt` atomically.
 *
 * @example await writeSeamountsKwTable(join(outDir, 'seamounts_kw.txt'), seamounts, { notes: [`Grid: ${gridPath}`] });
 */
export async function writeSeamountsKwTable(path: string, seamounts: readonly Seamount[], options: KwTableOptions = {}): Promise<void> {
  await writeFileAtomic(path, seamountsToKwTable(seamounts, options));
}

/** The GMT table's text and which seamounts it leaves out. */
export interface GmtTable extends EllipseExportSummary {
  text: string;
}

/**
 * Our basal ellipses as a table for `gmt plot -SE` (pure): `#` header lines, then per seamount with a
 * drawable ellipse `lon lat azimuth major minor id`, tab-separated: lon −180..180 and lat in degrees,
 * azimuth in degrees east of north, major and minor the FULL axis lengths in km (2 × our semi-axes), and
 * the id as GMT trailing text. Seamounts without a drawable ellipse are left out (and named in a header line).
 *
 * @example
 * seamountsToGmtTable([smt]).text // '# …\n-155.12346\t19.5\t45.3\t30.86\t19.75\tSMT-000001\n'
 * // gmt plot seamounts_gmt.txt -R-160/-150/15/25 -JM15c -SE -W0.5p,red
 */
export function seamountsToGmtTable(seamounts: readonly Seamount[]): GmtTable {
  const rows: string[] = [];
  const withoutEllipse: string[] = [];
  seamounts.forEach((s, k) => {
    checkExportPosition(s, k);
    if (!drawableEllipse(s)) {
      withoutEllipse.push(s.id);
      return;
    }
    const e = s.ellipse;
    rows.push([String(outputLon(s.lon)), num(s.lat, 5), num(e.azimuthDeg, 1), num(2 * e.majorKm, 2), num(2 * e.minorKm, 2), field(s.id)].join('\t'));
  });
  const header = [
    '# Basal ellipses of seamounts picked by seamount-detect, for: gmt plot FILE -SE -W0.5p (GMT 6)',
    '# lon(deg) lat(deg) azimuth(deg east of north) major(km, FULL axis = 2 x semi-axis) minor(km, FULL axis) id',
  ];
  if (withoutEllipse.length > 0) header.push(`# ${withoutEllipse.length} seamounts without a basal ellipse left out: ${withoutEllipse.map(field).join(' ')}`);
  return { text: `${[...header, ...rows].join('\n')}\n`, ellipses: rows.length, withoutEllipse };
}

/**
 * Writes `seamounts_gmt.txt` atomically; returns how many ellipses it holds and which seamounts it left out.
 *
 * @example const { withoutEllipse } = await writeSeamountsGmtTable(join(outDir, 'seamounts_gmt.txt'), seamounts);
 */
export async function writeSeamountsGmtTable(path: string, seamounts: readonly Seamount[]): Promise<EllipseExportSummary> {
  const { text, ellipses, withoutEllipse } = seamountsToGmtTable(seamounts);
  await writeFileAtomic(path, text);
  return { ellipses, withoutEllipse };
}
