/**
 * ESRI ASCII grids (Arc/Info ASCII Grid, `.asc`), as GeoClaw, ArcGIS and GDAL write them: a header of
 * `key value` lines (`ncols`, `nrows`, `xllcorner` or `xllcenter`, `yllcorner` or `yllcenter`,
 * `cellsize` or `dx`/`dy`, optional `NODATA_value`, any order and case), then one line per row of
 * whitespace-separated numbers, northernmost row first.
 *
 * Opening scans the file once, streaming, and keeps only the byte offset of every row (8 bytes a row),
 * so memory does not grow with the file; every row is checked there (value count, characters), and a bad
 * one is reported with its line number before any work starts. Blocks are runs of whole rows, parsed
 * from their bytes when a window needs them.
 *
 * Registration follows the header: `xllcorner`/`yllcorner` give the outer corner of the lower-left cell
 * (cell centres half a cell inside: pixel registration, as GDAL reads it); `xllcenter`/`yllcenter` give
 * the lower-left cell's centre (node, gridline registration).
 */
import { open, readFile } from 'node:fs/promises';
import { BlockGrid, makeInfo, type BlockSource, type FileGrid } from './block-grid.js';
import { geographicGeometry } from './axes.js';
import { FileByteSource, type ByteSource } from './byte-source.js';
import { GridError, asGridError } from './errors.js';

/** Decoded values per block (whole rows): 1 MiB of float32. */
const BLOCK_VALUES = 1 << 18;
/** Bytes read at a time while indexing rows. */
const SCAN_CHUNK = 1 << 22;
/** A header is a handful of short lines; more than this before the first number is not a grid. */
const MAX_HEADER_BYTES = 1 << 16;

export interface EsriAsciiHeader {
  ncols: number;
  nrows: number;
  /** Lower-left reference point and whether it is the cell's corner (true) or its centre. */
  xll: number;
  yll: number;
  xCorner: boolean;
  yCorner: boolean;
  dx: number;
  dy: number;
  nodata: number | null;
  /** Byte offset of the first data line, and its line number (1-based). */
  dataOffset: number;
  dataLine: number;
}

const KEYS = ['ncols', 'nrows', 'xllcorner', 'xllcenter', 'yllcorner', 'yllcenter', 'cellsize', 'dx', 'dy', 'nodata_value'];

/** Parses the header from the first bytes of the file; errors name the line. */
export function parseEsriAsciiHeader(path: string, head: Uint8Array): EsriAsciiHeader {
  const text = Buffer.from(head.buffer, head.byteOffset, head.length).toString('latin1');
  const values = new Map<string, { value: number; line: number }>();
  let offset = text.startsWith('\xEF\xBB\xBF') ? 3 : 0;
  let line = 1;
  let dataOffset = -1;
  while (offset < text.length) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0 && text.length === head.length && head.length >= MAX_HEADER_BYTES) break;
    const end = nl < 0 ? text.length : nl;
    const raw = text.slice(offset, end).trim();
    if (raw !== '') {
      const tokens = raw.split(/\s+/);
      if (/^[-+.\d]/.test(tokens[0]) || /^[-+]?(nan|inf)/i.test(tokens[0])) {
        dataOffset = offset;
        break;
      }
      const key = tokens[0].toLowerCase();
      if (!KEYS.includes(key)) {
        throw new GridError(
          path,
          `line ${line}: unknown header key '${tokens[0]}' (an ESRI ASCII header has ncols, nrows, xllcorner or xllcenter, yllcorner or yllcenter, cellsize, NODATA_value)`,
        );
      }
      if (tokens.length !== 2) throw new GridError(path, `line ${line}: '${raw.slice(0, 80)}': expected '${tokens[0]} <number>'`);
      const value = Number(tokens[1]);
      if (!Number.isFinite(value)) throw new GridError(path, `line ${line}: ${tokens[0]} '${tokens[1]}' is not a number`);
      if (values.has(key)) throw new GridError(path, `line ${line}: ${tokens[0]} given twice (first on line ${values.get(key)?.line})`);
      values.set(key, { value, line });
    }
    if (nl < 0) break;
    offset = nl + 1;
    line++;
  }
  const headerLines = `lines 1–${line - 1}`;
  if (dataOffset < 0) {
    throw new GridError(path, values.size === 0 ? 'no ESRI ASCII header' : `header (${headerLines}) is not followed by any data rows`);
  }
  const need = (key: string): number => {
    const v = values.get(key);
    if (!v) throw new GridError(path, `header (${headerLines}) has no '${key}'`);
    return v.value;
  };
  const either = (a: string, b: string): [number, boolean] => {
    const va = values.get(a);
    const vb = values.get(b);
    if (va && vb) throw new GridError(path, `line ${vb.line}: both ${a} and ${b} given; a header has one of them`);
    if (!va && !vb) throw new GridError(path, `header (${headerLines}) has neither '${a}' nor '${b}'`);
    return va ? [va.value, true] : [(vb as { value: number }).value, false];
  };
  const count = (key: string): number => {
    const v = need(key);
    if (!Number.isInteger(v) || v < 1) throw new GridError(path, `line ${values.get(key)?.line}: ${key} ${v} is not a positive whole number`);
    return v;
  };
  const ncols = count('ncols');
  const nrows = count('nrows');
  const [xll, xCorner] = either('xllcorner', 'xllcenter');
  const [yll, yCorner] = either('yllcorner', 'yllcenter');
  let dx: number;
  let dy: number;
  if (values.has('cellsize')) {
    if (values.has('dx') || values.has('dy')) throw new GridError(path, `line ${values.get('cellsize')?.line}: cellsize and dx/dy both given`);
    dx = dy = need('cellsize');
  } else if (values.has('dx') || values.has('dy')) {
    dx = need('dx');
    dy = need('dy');
  } else {
    throw new GridError(path, `header (${headerLines}) has no 'cellsize'`);
  }
  if (!(dx > 0) || !(dy > 0)) throw new GridError(path, `cell size ${dx} × ${dy} must be positive`);
  const nodata = values.get('nodata_value')?.value ?? null;
  return { ncols, nrows, xll, yll, xCorner, yCorner, dx, dy, nodata, dataOffset, dataLine: line };
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
/** Characters a number may hold: digits, sign, point, exponent, and the letters of nan / inf(inity). */
const NUMBER_CHARS = new Uint8Array(256);
for (const ch of '0123456789+-.eEnNaAiIfFtTyY') NUMBER_CHARS[ch.charCodeAt(0)] = 1;

export interface RowIndex {
  /** Byte offset of each row's line; rowOffset[nrows] is the end of the last row. */
  rowOffset: Float64Array;
  /** Line number (1-based) of each row, for messages. */
  rowLine: Int32Array;
  /** True when some value has a decimal point or exponent (else all are whole numbers). */
  decimals: boolean;
}

/**
 * Scans the data lines once (streaming, SCAN_CHUNK bytes at a time): checks that each non-blank line
 * holds ncols numbers and that there are nrows of them, and records where each row starts.
 */
export async function indexRows(path: string, bytes: ByteSource, h: EsriAsciiHeader): Promise<RowIndex> {
  const rowOffset = new Float64Array(h.nrows + 1);
  const rowLine = new Int32Array(h.nrows);
  let row = 0;
  let line = h.dataLine;
  let tokens = 0;
  let inToken = false;
  let lineStart = h.dataOffset;
  let decimals = false;
  let prev = 0;
  const endLine = (at: number) => {
    if (tokens > 0) {
      if (row >= h.nrows) throw new GridError(path, `line ${line}: more rows than the header's nrows ${h.nrows}`);
      if (tokens !== h.ncols) {
        throw new GridError(path, `line ${line} (row ${row + 1}): ${tokens} values, the header's ncols is ${h.ncols} (one row per line expected)`);
      }
      rowOffset[row] = lineStart;
      rowLine[row] = line;
      row++;
    }
    line++;
    tokens = 0;
    inToken = false;
    lineStart = at;
  };
  for (let pos = h.dataOffset; pos < bytes.size; ) {
    const n = Math.min(SCAN_CHUNK, bytes.size - pos);
    const chunk = await bytes.read(pos, n);
    for (let i = 0; i < n; i++) {
      const c = chunk[i];
      if (c === 10) endLine(pos + i + 1);
      else if (isSpace(c)) inToken = false;
      else {
        if (!inToken) {
          tokens++;
          inToken = true;
          prev = 0;
        }
        // a sign only at the start of a number or of its exponent
        if (NUMBER_CHARS[c] === 0 || ((c === 43 || c === 45) && prev !== 0 && prev !== 101 && prev !== 69)) {
          let s = i;
          while (s > 0 && !isSpace(chunk[s - 1]) && chunk[s - 1] !== 10) s--;
          let e = i;
          while (e < n && !isSpace(chunk[e]) && chunk[e] !== 10) e++;
          const token = Buffer.from(chunk.buffer, chunk.byteOffset + s, Math.min(e - s, 40)).toString('latin1');
          throw new GridError(path, `line ${line}: '${token}' is not a number`);
        }
        if (c === 46 || c === 101 || c === 69) decimals = true;
        prev = c;
      }
    }
    pos += n;
  }
  const end = bytes.size;
  if (tokens > 0) endLine(end);
  if (row < h.nrows) {
    throw new GridError(path, `the file ends at line ${line - 1} after ${row} rows; the header's nrows is ${h.nrows} (truncated file?)`);
  }
  // the last block reads to the end of the file: trailing blank lines do no harm
  rowOffset[h.nrows] = end;
  return { rowOffset, rowLine, decimals };
}

/**
 * Parses `count` numbers from text bytes (whitespace separated) into `out` as metres, NaN for no-data.
 * Whole numbers take a fast path; anything else goes through Number(). Returns how many it found.
 */
export function parseValues(text: Uint8Array, out: Float32Array, nodata: number | null, onBad: (token: string, index: number) => never): number {
  let k = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text[i];
    if (c === 10 || isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    let neg = false;
    let j = i;
    if (c === 45 || c === 43) {
      neg = c === 45;
      j++;
    }
    let v = 0;
    let digits = 0;
    while (j < n) {
      c = text[j];
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      digits++;
      j++;
    }
    let value: number;
    if (digits > 0 && digits < 16 && (j === n || text[j] === 10 || isSpace(text[j]))) {
      value = neg ? -v : v;
    } else {
      while (j < n && text[j] !== 10 && !isSpace(text[j])) j++;
      const token = Buffer.from(text.buffer, text.byteOffset + start, j - start).toString('latin1');
      value = Number(token);
      if (Number.isNaN(value) && !/^[-+]?nan$/i.test(token)) {
        if (/^[-+]?inf(inity)?$/i.test(token)) value = token.startsWith('-') ? -Infinity : Infinity;
        else onBad(token, k);
      }
    }
    if (k < out.length) out[k] = nodata !== null && value === nodata ? NaN : value;
    k++;
    i = j;
  }
  return k;
}

class AsciiRows implements BlockSource {
  readonly blockWidth: number;
  readonly blockHeight: number;

  constructor(
    private readonly path: string,
    private readonly bytes: ByteSource,
    private readonly h: EsriAsciiHeader,
    private readonly index: RowIndex,
  ) {
    this.blockWidth = h.ncols;
    this.blockHeight = Math.max(1, Math.min(h.nrows, Math.floor(BLOCK_VALUES / h.ncols)));
  }

  async readBlock(_bx: number, by: number): Promise<Float32Array> {
    const y0 = by * this.blockHeight;
    const rows = Math.min(this.blockHeight, this.h.nrows - y0);
    const from = this.index.rowOffset[y0];
    const to = this.index.rowOffset[y0 + rows];
    const text = await this.bytes.read(from, to - from);
    const out = new Float32Array(rows * this.h.ncols);
    const ncols = this.h.ncols;
    const lineOf = (k: number) => this.index.rowLine[Math.min(this.h.nrows - 1, y0 + Math.floor(k / ncols))];
    const found = parseValues(text, out, this.h.nodata, (token, k) => {
      throw new GridError(this.path, `line ${lineOf(k)}: '${token.slice(0, 40)}' is not a number`);
    });
    if (found !== out.length) {
      throw new GridError(
        this.path,
        `rows ${y0 + 1}..${y0 + rows} (lines ${lineOf(0)}..): ${found} values where ${out.length} were indexed (file changed while open?)`,
      );
    }
    return out;
  }

  async close(): Promise<void> {
    await this.bytes.close();
  }
}

/** A `.prj` next to the grid that names a projected system: refused, like projected GeoTIFFs. */
async function checkPrj(path: string): Promise<void> {
  const prj = `${path.replace(/\.[^./\\]*$/, '')}.prj`;
  if (prj === path) return;
  let text: string;
  try {
    text = await readFile(prj, 'latin1');
  } catch {
    return;
  }
  if (/^\s*PROJCS|PROJCRS\[/i.test(text)) {
    throw new GridError(path, `${prj} says the grid is projected: reproject it to lon/lat first, e.g. \`gdalwarp -t_srs EPSG:4326\``);
  }
}

/** Opens an ESRI ASCII grid: parses the header, indexes and checks every row (one streaming pass). */
export async function openEsriAscii(path: string, options: { variable?: string | null; cacheBytes: number }): Promise<FileGrid> {
  if (options.variable && !/^(z|band\s*1|1)$/i.test(options.variable.trim())) {
    throw new GridError(path, `an ESRI ASCII file holds one grid: variable '${options.variable}' does not apply`);
  }
  const bytes = await FileByteSource.open(path);
  try {
    const fh = await open(path, 'r');
    const head = new Uint8Array(Math.min(bytes.size, MAX_HEADER_BYTES));
    try {
      await fh.read(head, 0, head.length, 0);
    } finally {
      await fh.close();
    }
    const h = parseEsriAsciiHeader(path, head);
    await checkPrj(path);
    const index = await indexRows(path, bytes, h);
    const warnings = ['ESRI ASCII grids carry no units: values taken as metres, positive up'];
    if (h.xCorner !== h.yCorner)
      warnings.push(
        `mixed header: ${h.xCorner ? 'xllcorner' : 'xllcenter'} with ${h.yCorner ? 'yllcorner' : 'yllcenter'}; read as cell-area (pixel) registration`,
      );
    const registration = h.xCorner || h.yCorner ? 'pixel' : 'gridline';
    const lonStart = h.xll + (h.xCorner ? h.dx / 2 : 0);
    const latSouth = h.yll + (h.yCorner ? h.dy / 2 : 0);
    const geometry = geographicGeometry({
      path,
      lon: { start: lonStart, step: h.dx, n: h.ncols },
      lat: { start: latSouth + (h.nrows - 1) * h.dy, step: -h.dy, n: h.nrows },
      registration,
      warnings,
    });
    const source = new AsciiRows(path, bytes, h, index);
    return new BlockGrid(
      geometry,
      makeInfo(geometry, {
        path,
        format: 'esri-ascii',
        variable: 'z',
        dataType: index.decimals ? 'text (decimal numbers)' : 'text (whole numbers)',
        units: null,
        metresPerStoredUnit: 1,
        positiveDown: false,
        scaleFactor: 1,
        addOffset: 0,
        nodata: h.nodata === null ? [] : [h.nodata],
        layout: `ESRI ASCII, one row per line (${h.xCorner ? 'xllcorner' : 'xllcenter'}), read ${source.blockHeight} rows at a time`,
        blockShape: [source.blockWidth, source.blockHeight],
        warnings,
      }),
      source,
      { cacheBytes: options.cacheBytes },
    );
  } catch (err) {
    await bytes.close();
    throw asGridError(path, err, 'cannot open ESRI ASCII grid');
  }
}
