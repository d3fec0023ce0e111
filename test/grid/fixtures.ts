/**
 * Fixture makers for the grid tests: a small netCDF-3 classic writer (any dimensions, attributes,
 * record variables, so every convention and every broken header can be made in code), temp folders,
 * and wrappers around GDAL and GMT for files only they write (COG, LZW, netCDF-4 from GMT).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const DATA = resolve(process.cwd(), '../shared/data');
export const grids = (name: string) => join(DATA, 'grids', name);

export { hasTool } from '../support/skip.js';

export function run(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function tempDir(prefix = 'grid-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

type Nc3Type = 'byte' | 'char' | 'short' | 'int' | 'float' | 'double';
const TYPE_CODE: Record<Nc3Type, number> = { byte: 1, char: 2, short: 3, int: 4, float: 5, double: 6 };
const TYPE_SIZE: Record<Nc3Type, number> = { byte: 1, char: 1, short: 2, int: 4, float: 4, double: 8 };

export type Nc3Attr = string | number | { type: Nc3Type; values: number[] };
export interface Nc3Var {
  name: string;
  dims: string[];
  type: Nc3Type;
  attrs?: Record<string, Nc3Attr>;
  data: ArrayLike<number>;
}
export interface Nc3File {
  /** size null = the unlimited (record) dimension. */
  dims: Array<{ name: string; size: number | null }>;
  numRecs?: number;
  /** 1 classic (default), 2 64-bit offset. */
  version?: 1 | 2;
  globalAttrs?: Record<string, Nc3Attr>;
  variables: Nc3Var[];
}

class Out {
  private parts: Buffer[] = [];
  length = 0;
  push(b: Buffer) {
    this.parts.push(b);
    this.length += b.length;
  }
  u32(v: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v);
    this.push(b);
  }
  name(s: string) {
    const b = Buffer.from(s, 'latin1');
    this.u32(b.length);
    this.push(b);
    this.pad();
  }
  pad() {
    if (this.length % 4) this.push(Buffer.alloc(4 - (this.length % 4)));
  }
  buffer() {
    return Buffer.concat(this.parts);
  }
}

function values(type: Nc3Type, data: ArrayLike<number>): Buffer {
  const b = Buffer.alloc(data.length * TYPE_SIZE[type]);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (type === 'byte' || type === 'char') b.writeInt8(v, i);
    else if (type === 'short') b.writeInt16BE(v, i * 2);
    else if (type === 'int') b.writeInt32BE(v, i * 4);
    else if (type === 'float') b.writeFloatBE(v, i * 4);
    else b.writeDoubleBE(v, i * 8);
  }
  return b;
}

function attrList(out: Out, attrs: Record<string, Nc3Attr> | undefined) {
  const entries = Object.entries(attrs ?? {});
  if (entries.length === 0) {
    out.u32(0);
    out.u32(0);
    return;
  }
  out.u32(12);
  out.u32(entries.length);
  for (const [name, a] of entries) {
    out.name(name);
    if (typeof a === 'string') {
      out.u32(2);
      const b = Buffer.from(a, 'latin1');
      out.u32(b.length);
      out.push(b);
    } else {
      const { type, values: vs } = typeof a === 'number' ? { type: 'double' as Nc3Type, values: [a] } : a;
      out.u32(TYPE_CODE[type]);
      out.u32(vs.length);
      out.push(values(type, vs));
    }
    out.pad();
  }
}

/** Encodes a netCDF-3 classic file (record variables interleaved per record, as the spec says). */
export function encodeNc3(f: Nc3File): Buffer {
  const dimIndex = new Map(f.dims.map((d, i) => [d.name, i]));
  const recordDim = f.dims.find((d) => d.size === null)?.name;
  const numRecs = f.numRecs ?? 0;
  const version = f.version ?? 1;
  const sizeOf = (d: string) => {
    const dim = f.dims[dimIndex.get(d) as number];
    return dim.size === null ? numRecs : dim.size;
  };
  const isRecord = (v: Nc3Var) => v.dims[0] !== undefined && v.dims[0] === recordDim;
  const innerBytes = (v: Nc3Var) => v.dims.slice(isRecord(v) ? 1 : 0).reduce((a, d) => a * sizeOf(d), 1) * TYPE_SIZE[v.type];
  const recVars = f.variables.filter(isRecord);
  const padded = (n: number) => Math.ceil(n / 4) * 4;

  // header twice: first to learn its length, then with the offsets
  const header = (offsets: number[]) => {
    const out = new Out();
    out.push(Buffer.from(`CDF${String.fromCharCode(version)}`, 'latin1'));
    out.u32(numRecs);
    if (f.dims.length) {
      out.u32(10);
      out.u32(f.dims.length);
      for (const d of f.dims) {
        out.name(d.name);
        out.u32(d.size ?? 0);
      }
    } else {
      out.u32(0);
      out.u32(0);
    }
    attrList(out, f.globalAttrs);
    if (f.variables.length) {
      out.u32(11);
      out.u32(f.variables.length);
      f.variables.forEach((v, i) => {
        out.name(v.name);
        out.u32(v.dims.length);
        for (const d of v.dims) out.u32(dimIndex.get(d) as number);
        attrList(out, v.attrs);
        out.u32(TYPE_CODE[v.type]);
        out.u32(padded(innerBytes(v)));
        if (version === 2) out.u32(0); // high word of the 64-bit offset
        out.u32(offsets[i] ?? 0);
      });
    } else {
      out.u32(0);
      out.u32(0);
    }
    return out.buffer();
  };
  const headerLength = header([]).length;
  const offsets: number[] = [];
  let at = headerLength;
  for (const v of f.variables) {
    if (isRecord(v)) continue;
    offsets[f.variables.indexOf(v)] = at;
    at += padded(innerBytes(v));
  }
  const recStart = at;
  let within = 0;
  for (const v of recVars) {
    offsets[f.variables.indexOf(v)] = recStart + within;
    within += recVars.length === 1 ? innerBytes(v) : padded(innerBytes(v));
  }
  const body = new Out();
  body.push(header(offsets));
  for (const v of f.variables) {
    if (isRecord(v)) continue;
    body.push(values(v.type, v.data));
    body.pad();
  }
  for (let r = 0; r < numRecs; r++) {
    for (const v of recVars) {
      const per = innerBytes(v) / TYPE_SIZE[v.type];
      const slice = Array.from({ length: per }, (_, i) => v.data[r * per + i]);
      body.push(values(v.type, slice));
      if (recVars.length > 1) body.pad();
    }
  }
  return body.buffer();
}

export function writeNc3(path: string, f: Nc3File): string {
  writeFileSync(path, encodeNc3(f));
  return path;
}

/** Evenly spaced coordinates. */
export const axis = (start: number, step: number, n: number) => Array.from({ length: n }, (_, i) => start + i * step);

/** A simple lon/lat netCDF-3 grid with z = f(lon, lat), rows in the order of `lats`. */
export function lonLatNc3(
  path: string,
  lons: number[],
  lats: number[],
  f: (lon: number, lat: number) => number,
  o: {
    type?: Nc3Type;
    zAttrs?: Record<string, Nc3Attr>;
    lonName?: string;
    latName?: string;
    lonAttrs?: Record<string, Nc3Attr>;
    latAttrs?: Record<string, Nc3Attr>;
    globalAttrs?: Record<string, Nc3Attr>;
    varName?: string;
  } = {},
): string {
  const lonName = o.lonName ?? 'lon';
  const latName = o.latName ?? 'lat';
  const z: number[] = [];
  for (const lat of lats) for (const lon of lons) z.push(f(lon, lat));
  return writeNc3(path, {
    dims: [
      { name: latName, size: lats.length },
      { name: lonName, size: lons.length },
    ],
    globalAttrs: o.globalAttrs,
    variables: [
      { name: latName, dims: [latName], type: 'double', attrs: o.latAttrs ?? { units: 'degrees_north' }, data: lats },
      { name: lonName, dims: [lonName], type: 'double', attrs: o.lonAttrs ?? { units: 'degrees_east' }, data: lons },
      { name: o.varName ?? 'z', dims: [latName, lonName], type: o.type ?? 'float', attrs: o.zAttrs ?? { units: 'm' }, data: z },
    ],
  });
}

/** Minimal TIFF IFD patcher: sets the value of a SHORT tag of the first IFD (little-endian classic TIFF). */
export function patchTiffShortTag(buf: Buffer, tag: number, value: number): Buffer {
  const out = Buffer.from(buf);
  if (out.toString('latin1', 0, 2) !== 'II' || out.readUInt16LE(2) !== 42) throw new Error('not a little-endian classic TIFF');
  const ifd = out.readUInt32LE(4);
  const n = out.readUInt16LE(ifd);
  for (let i = 0; i < n; i++) {
    const p = ifd + 2 + i * 12;
    if (out.readUInt16LE(p) === tag) {
      out.writeUInt16LE(value, p + 8);
      return out;
    }
  }
  throw new Error(`tag ${tag} not found`);
}
