/**
 * netCDF-4 / HDF5 reader via h5wasm: attributes, dimension scales and coordinates are read at open;
 * values are read one block (a whole number of HDF5 chunks) at a time with hyperslab selections, so
 * HDF5 decompresses only the chunks a window touches.
 */
import { open } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import h5wasm from 'h5wasm/node';
import type { Dataset, File as H5File, Group as H5Group, Attribute as H5Attribute } from 'h5wasm/node';
import { BlockGrid, type BlockSource, type FileGrid } from './block-grid.js';
import { ncGridInfo, resolveNetcdfGrid, type AttrValue, type NcModel, type NcVariable, type ResolvedNcGrid } from './cf.js';
import { findHdf5Superblock } from './sniff-format.js';
import { GridError, asGridError } from './errors.js';
import { decodeRect, type StoredType } from './values.js';

/** HDF5 filters built into h5wasm's HDF5: deflate, shuffle, fletcher32, nbit, scaleoffset. */
const SUPPORTED_FILTERS = new Set([1, 2, 3, 5, 6]);
const FILTER_NAMES: Record<number, string> = { 4: 'szip', 307: 'bzip2', 32001: 'blosc', 32004: 'lz4', 32015: 'zstd', 32017: 'sz', 32013: 'zfp' };

/** Target decoded size of one block, bytes. */
const BLOCK_BYTES = 1 << 20;

/** HDF5 bookkeeping attributes that are not netCDF attributes. */
const HIDDEN_ATTRS = new Set(['DIMENSION_LIST', 'REFERENCE_LIST', 'CLASS', 'NAME', '_Netcdf4Dimid', '_Netcdf4Coordinates', '_NCProperties', '_nc3_strict']);
const PHONY_DIMENSION = 'This is a netCDF dimension but not a netCDF variable';

/**
 * The superblock's end-of-file address: a file shorter than that was cut short. Checked before HDF5
 * opens the file, which would otherwise print its error stack to stderr.
 */
async function checkNotTruncated(path: string, superblock: number): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const b = Buffer.alloc(96);
    const { bytesRead } = await fh.read(b, 0, 96, superblock);
    if (bytesRead < 48) throw new GridError(path, `truncated file: HDF5 superblock cut off (file is ${size} bytes)`);
    const version = b[8];
    let sizeOfOffsets: number;
    let baseAt: number;
    if (version === 0 || version === 1) {
      sizeOfOffsets = b[13];
      baseAt = version === 0 ? 24 : 28;
    } else if (version === 2 || version === 3) {
      sizeOfOffsets = b[9];
      baseAt = 12;
    } else {
      throw new GridError(path, `unknown HDF5 superblock version ${version}`);
    }
    if (sizeOfOffsets !== 4 && sizeOfOffsets !== 8) throw new GridError(path, `corrupt HDF5 superblock (offset size ${sizeOfOffsets})`);
    const readOffset = (at: number) => (sizeOfOffsets === 8 ? Number(b.readBigUInt64LE(at)) : b.readUInt32LE(at));
    const base = readOffset(baseAt);
    const eof = readOffset(baseAt + 2 * sizeOfOffsets);
    if (eof !== 2 ** 64 - 1 && base + eof > size) {
      throw new GridError(path, `truncated file: HDF5 says it is ${base + eof} bytes long, it has ${size}`);
    }
  } finally {
    await fh.close();
  }
}

function attrValue(raw: unknown): AttrValue | undefined {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return Number(raw);
  if (ArrayBuffer.isView(raw) && !(raw instanceof DataView)) {
    const arr = Array.from(raw as unknown as ArrayLike<number | bigint>, Number);
    return arr.length === 1 ? arr[0] : arr;
  }
  if (Array.isArray(raw)) {
    if (raw.every((x) => typeof x === 'string')) return raw.join('');
    if (raw.every((x) => typeof x === 'number' || typeof x === 'bigint')) {
      const arr = raw.map(Number);
      return arr.length === 1 ? arr[0] : arr;
    }
  }
  return undefined;
}

function attrsOf(ds: Dataset | H5Group): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const [name, attr] of Object.entries(ds.attrs) as Array<[string, H5Attribute]>) {
    if (HIDDEN_ATTRS.has(name)) continue;
    try {
      const v = attrValue(attr.value);
      if (v !== undefined) out[name] = v;
    } catch {
      // attributes of exotic types (references, compounds) are not conventions we use
    }
  }
  return out;
}

function storedTypeOf(ds: Dataset): NcVariable['type'] {
  const m = ds.metadata;
  if (m.type === 0) {
    const bits = m.size * 8;
    if (![8, 16, 32, 64].includes(bits)) return 'other';
    return `${m.signed ? 'int' : 'uint'}${bits}` as StoredType;
  }
  if (m.type === 1) {
    if (m.size === 2) return 'float16';
    if (m.size === 4) return 'float32';
    if (m.size === 8) return 'float64';
    return 'other';
  }
  if (m.type === 3) return 'string';
  return 'other';
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** Reinterprets a typed array h5wasm returned as the stored type (for `_Unsigned`) and as plain numbers. */
function asNumbers(values: unknown, type: StoredType): ArrayLike<number> {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return Float64Array.from(values, Number);
  const a = values as Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;
  switch (type) {
    case 'uint8':
      return a instanceof Uint8Array ? a : new Uint8Array(a.buffer, a.byteOffset, a.length);
    case 'uint16':
      return a instanceof Uint16Array ? a : new Uint16Array(a.buffer, a.byteOffset, a.length);
    case 'uint32':
      return a instanceof Uint32Array ? a : new Uint32Array(a.buffer, a.byteOffset, a.length);
    default:
      return a;
  }
}

class Nc4Blocks implements BlockSource {
  readonly blockWidth: number;
  readonly blockHeight: number;

  constructor(
    private file: H5File | null,
    private readonly ds: Dataset,
    private readonly g: ResolvedNcGrid,
    chunks: number[] | null,
  ) {
    const { width, height } = g.geometry;
    const rowMajor = g.xDim > g.yDim;
    let ch: number;
    let cw: number;
    if (chunks) {
      ch = chunks[g.yDim];
      cw = chunks[g.xDim];
    } else if (rowMajor) {
      ch = 1;
      cw = width;
    } else {
      ch = height;
      cw = 1;
    }
    // grow by whole chunks towards ~1 MB decoded, favouring the shorter side
    let bw = Math.min(cw, width);
    let bh = Math.min(ch, height);
    while (bw * bh * 4 < BLOCK_BYTES) {
      const canW = bw < width;
      const canH = bh < height;
      if (canW && (!canH || bw <= bh)) bw = Math.min(width, bw + cw);
      else if (canH) bh = Math.min(height, bh + ch);
      else break;
    }
    this.blockWidth = bw;
    this.blockHeight = bh;
  }

  async readBlock(bx: number, by: number): Promise<Float32Array> {
    if (!this.file) throw new Error('read after close');
    const { width, height } = this.g.geometry;
    const x0 = bx * this.blockWidth;
    const y0 = by * this.blockHeight;
    const w = Math.min(this.blockWidth, width - x0);
    const h = Math.min(this.blockHeight, height - y0);
    const ranges = this.g.storageShape.map((_, k): [number, number] => (k === this.g.yDim ? [y0, y0 + h] : k === this.g.xDim ? [x0, x0 + w] : [0, 1]));
    const raw = asNumbers(this.ds.slice(ranges), this.g.storedType);
    if (raw.length !== w * h) throw new Error(`HDF5 returned ${raw.length} values for a ${w} × ${h} block`);
    return this.g.xDim > this.g.yDim ? decodeRect(raw, 0, w, 1, w, h, this.g.codec) : decodeRect(raw, 0, 1, h, w, h, this.g.codec);
  }

  async close(): Promise<void> {
    const f = this.file;
    this.file = null;
    f?.close();
  }
}

export interface Netcdf4Options {
  variable?: string | null;
  cacheBytes: number;
}

/** Opens a netCDF-4/HDF5 grid: reads attributes and coordinates only. */
export async function openNetcdf4(path: string, options: Netcdf4Options): Promise<FileGrid> {
  const superblock = await findHdf5Superblock(path);
  if (superblock === null) throw new GridError(path, 'not an HDF5 file');
  await checkNotTruncated(path, superblock);
  await h5wasm.ready;
  const file = new h5wasm.File(resolvePath(path), 'r');
  if (!(file.file_id > 0n)) throw new GridError(path, 'HDF5 could not open the file (corrupt?)');
  try {
    const datasets = new Map<string, Dataset>();
    const variables: NcVariable[] = [];
    for (const name of file.keys()) {
      const entity = file.get(name);
      if (!(entity instanceof h5wasm.Dataset)) continue;
      const shape = entity.shape;
      if (!shape || shape.length === 0) continue;
      const attrs = attrsOf(entity);
      const isScale = entity.attrs.CLASS !== undefined && String(entity.attrs.CLASS.value) === 'DIMENSION_SCALE';
      if (isScale && String(entity.attrs.NAME?.value ?? '').startsWith(PHONY_DIMENSION)) continue;
      let dims: string[];
      if (isScale && shape.length === 1) {
        dims = [name];
      } else {
        dims = shape.map((_, i) => {
          try {
            const scales = entity.get_attached_scales(i);
            if (scales.length > 0) return baseName(scales[0]);
          } catch {
            // no dimension scale attached: plain HDF5
          }
          return `phony_dim_${i}`;
        });
      }
      datasets.set(name, entity);
      variables.push({ name, dims, shape: shape.slice(), type: storedTypeOf(entity), attrs });
    }
    const model: NcModel = {
      path,
      globalAttrs: attrsOf(file),
      variables,
      async readWhole(name: string): Promise<Float64Array> {
        const ds = datasets.get(name);
        if (!ds) throw new GridError(path, `no variable '${name}'`);
        const v = ds.value;
        if (!ArrayBuffer.isView(v)) throw new GridError(path, `variable '${name}' is not numeric`);
        return Float64Array.from(v as unknown as ArrayLike<number | bigint>, Number);
      },
    };
    const g = await resolveNetcdfGrid(model, options.variable);
    const ds = datasets.get(g.variable.name) as Dataset;
    const filters = ds.filters;
    for (const f of filters) {
      if (!SUPPORTED_FILTERS.has(f.id)) {
        const name = f.name || FILTER_NAMES[f.id] || 'unknown';
        throw new GridError(
          path,
          `'${g.variable.name}' is compressed with HDF5 filter '${name}' (id ${f.id}), which this reader cannot decode; rewrite it with deflate, e.g. \`nccopy -d 4 in out\``,
        );
      }
    }
    const chunks = ds.metadata.chunks;
    const blocks = new Nc4Blocks(file, ds, g, chunks);
    const filterText = filters.length ? filters.map((f) => f.name || `filter ${f.id}`).join('+') : 'uncompressed';
    const layout = chunks ? `netCDF-4 chunked ${chunks.join('×')}, ${filterText}` : `netCDF-4 contiguous, ${filterText}`;
    return new BlockGrid(g.geometry, ncGridInfo(path, g, { format: 'netcdf4', layout, blockShape: [blocks.blockWidth, blocks.blockHeight] }), blocks, {
      cacheBytes: options.cacheBytes,
    });
  } catch (err) {
    file.close();
    throw asGridError(path, err, 'cannot open netCDF-4 grid');
  }
}
