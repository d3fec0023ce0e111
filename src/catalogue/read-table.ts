/**
 * Readers for text catalogues: tables with a header line (the Kim & Wessel census, CSV with lon/lat
 * columns, any whitespace table with named columns) and the headerless 7-column `xyhrdnc` format of
 * Gevorgian et al. (2023).
 *
 * KW Major/Minor are *semi-axes* (basal radii), so radiusKm = sqrt(Major × Minor):
 * - the KW column order lon, lat, azimuth, major, minor, height is exactly the input of
 *   `gmt grdseamount -E`, which documents those columns as "semi-major, semi-minor";
 * - for the 24,365 KW ids that Gevorgian et al. re-measured, sqrt(Major × Minor) is 1.20× their radius
 *   (median), whereas half of it (the full-axis reading) would be 0.60×.
 */
import { CatalogueError, RowProblems, type CatalogueEntry } from './entry.js';
import { normaliseLon } from '../base/geodesy.js';

export type Role = 'lon' | 'lat' | 'id' | 'heightM' | 'radiusKm' | 'majorKm' | 'minorKm' | 'baseDepthM' | 'confidence';

/** Column names (lower case) recognised for each role, most specific first. KW `Depth` is its regional (base) depth. */
export const COLUMN_NAMES: Record<Role, readonly string[]> = {
  lon: ['longitude', 'lon', 'lng', 'long', 'x'],
  lat: ['latitude', 'lat', 'y'],
  id: ['id', 'name', 'seamount_id'],
  heightM: ['height_m', 'height'],
  radiusKm: ['radius_km', 'radius'],
  majorKm: ['major_km', 'major'],
  minorKm: ['minor_km', 'minor'],
  baseDepthM: ['base_depth_m', 'base_depth', 'basedepth', 'depth'],
  confidence: ['confidence'],
};

export type ColumnMap = Partial<Record<Role, number>>;

const unquote = (s: string): string =>
  s
    .trim()
    .replace(/^"(.*)"$/s, '$1')
    .trim();

/** Maps header names to column indices by role; null when lon or lat is missing. */
export function columnMapOf(names: readonly string[]): ColumnMap | null {
  const lower = names.map((n) => unquote(n).toLowerCase());
  const map: ColumnMap = {};
  for (const role of Object.keys(COLUMN_NAMES) as Role[]) {
    for (const name of COLUMN_NAMES[role]) {
      const i = lower.indexOf(name);
      if (i >= 0) {
        map[role] = i;
        break;
      }
    }
  }
  return map.lon !== undefined && map.lat !== undefined ? map : null;
}

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  out.push(field.trim());
  return out;
}

export const splitWhitespace = (line: string): string[] => line.trim().split(/\s+/);

const isNumeric = (s: string): boolean => s.trim() !== '' && Number.isFinite(Number(s));
const MISSING = new Set(['', 'nan', 'na', 'null', 'none', '-']);

/** A line to skip everywhere: blank, comment (`#`) or GMT segment header (`>`). */
export const isSkippable = (line: string): boolean => {
  const t = line.trimStart();
  return t === '' || t[0] === '#' || t[0] === '>';
};

/** A line whose first two fields are numbers (a data row of any of our text formats). */
export const looksLikeData = (line: string): boolean => {
  const f = line.trim().split(/[\s,;]+/);
  return f.length >= 2 && isNumeric(f[0]) && isNumeric(f[1]);
};

/** A header line: no numeric field, and names for longitude and latitude among the fields. */
export function headerColumns(line: string): { names: string[]; csv: boolean; map: ColumnMap } | null {
  const csv = line.includes(',');
  const names = csv ? splitCsvLine(line) : splitWhitespace(line);
  if (names.some(isNumeric)) return null;
  const map = columnMapOf(names);
  return map ? { names, csv, map } : null;
}

interface RowContext {
  problems: RowProblems;
  line: number;
}

function requiredNumber(text: string | undefined, what: string, ctx: RowContext): number | null {
  const v = text === undefined ? NaN : Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(v)) {
    ctx.problems.add(ctx.line, `${what} "${text ?? ''}" is not a number`);
    return null;
  }
  return v;
}

function optionalNumber(text: string | undefined, what: string, ctx: RowContext): number | null {
  if (text === undefined || MISSING.has(unquote(text).toLowerCase())) return null;
  const v = Number(unquote(text));
  if (!Number.isFinite(v)) {
    ctx.problems.add(ctx.line, `${what} "${text}" is not a number`);
    return null;
  }
  return v;
}

/** Checks and wraps a position; null (and a problem noted) when out of range. */
function position(lonText: string | undefined, latText: string | undefined, ctx: RowContext): [number, number] | null {
  const lon = requiredNumber(lonText, 'longitude', ctx);
  const lat = requiredNumber(latText, 'latitude', ctx);
  if (lon === null || lat === null) return null;
  if (lat < -90 || lat > 90) {
    ctx.problems.add(ctx.line, `latitude ${lat} outside -90..90`);
    return null;
  }
  if (lon < -360 || lon > 360) {
    ctx.problems.add(ctx.line, `longitude ${lon} outside -360..360`);
    return null;
  }
  return [normaliseLon(lon), lat];
}

/**
 * Reads the rows after a header line. `lines` is the whole file; `headerIndex` the 0-based index of
 * the header. Rows must have as many fields as the header.
 */
export function readHeaderTable(
  path: string,
  lines: readonly string[],
  headerIndex: number,
  header: { names: string[]; csv: boolean; map: ColumnMap },
): CatalogueEntry[] {
  const { names, csv, map } = header;
  const problems = new RowProblems();
  const out: CatalogueEntry[] = [];
  const at = (f: string[], role: Role): string | undefined => (map[role] === undefined ? undefined : f[map[role]!]);
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const text = lines[i];
    if (isSkippable(text)) continue;
    const ctx: RowContext = { problems, line: i + 1 };
    const f = csv ? splitCsvLine(text) : splitWhitespace(text);
    if (f.length !== names.length) {
      problems.add(i + 1, `${f.length} fields where the header has ${names.length}`);
      continue;
    }
    const before = problems.count;
    const pos = position(at(f, 'lon'), at(f, 'lat'), ctx);
    const heightM = optionalNumber(at(f, 'heightM'), 'height', ctx);
    let radiusKm = optionalNumber(at(f, 'radiusKm'), 'radius', ctx);
    const majorKm = optionalNumber(at(f, 'majorKm'), 'major axis', ctx);
    const minorKm = optionalNumber(at(f, 'minorKm'), 'minor axis', ctx);
    if (radiusKm === null && majorKm !== null && minorKm !== null) radiusKm = Math.sqrt(majorKm * minorKm);
    const baseDepthM = optionalNumber(at(f, 'baseDepthM'), 'base depth', ctx);
    const confidence = optionalNumber(at(f, 'confidence'), 'confidence', ctx);
    if (pos === null || problems.count > before) continue;
    const idText = at(f, 'id');
    out.push({
      id: idText !== undefined && unquote(idText) !== '' ? unquote(idText) : `line ${i + 1}`,
      lon: pos[0],
      lat: pos[1],
      heightM,
      radiusKm,
      baseDepthM,
      confidence,
      source: path,
      line: i + 1,
    });
  }
  problems.throwIfAny(path);
  return out;
}

/** Reads the headerless `xyhrdnc` format: lon lat height(m) radius(km) base-depth(m) id charted(0/1). */
export function readXyhrdnc(path: string, lines: readonly string[]): CatalogueEntry[] {
  const problems = new RowProblems();
  const out: CatalogueEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    if (isSkippable(text)) continue;
    const ctx: RowContext = { problems, line: i + 1 };
    const f = splitWhitespace(text);
    if (f.length !== 7) {
      problems.add(i + 1, `${f.length} fields, expected 7 (lon lat height radius base_depth id charted)`);
      continue;
    }
    const before = problems.count;
    const pos = position(f[0], f[1], ctx);
    const heightM = requiredNumber(f[2], 'height', ctx);
    const radiusKm = requiredNumber(f[3], 'radius', ctx);
    const baseDepthM = requiredNumber(f[4], 'base depth', ctx);
    if (pos === null || problems.count > before) continue;
    out.push({ id: f[5], lon: pos[0], lat: pos[1], heightM, radiusKm, baseDepthM, confidence: null, source: path, line: i + 1 });
  }
  problems.throwIfAny(path);
  return out;
}

/** Error for a file none of the readers recognises. */
export const unknownFormat = (path: string, why: string): CatalogueError =>
  new CatalogueError(
    `${path}: not a catalogue this program reads (${why}). Expected the Kim & Wessel text format, ` +
      `7-column xyhrdnc, GeoJSON, or CSV with a header naming lon and lat columns`,
  );
