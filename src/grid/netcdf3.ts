/**
 * netCDF-3 (classic `CDF\x01` and 64-bit offset `CDF\x02`) reader with bounded memory: netcdfjs
 * parses only the header (fed a prefix of the file, grown until it parses); the values of the grid
 * are read block by block with positioned reads at the variable's offset (big-endian, record
 * variables strided by the record size), never the whole file.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { NetCDFReader } from 'netcdfjs';
import type { Header } from 'netcdfjs';
import { BlockGrid, type BlockSource, type FileGrid } from './block-grid.js';
import { ncGridInfo, resolveNetcdfGrid, type AttrValue, type NcModel, type NcVariable, type ResolvedNcGrid } from './cf.js';
import { GridError, asGridError } from './errors.js';
import { readExactly } from './file-read.js';
import { decodeRect, storedTypeBytes, type StoredType } from './values.js';

const NC3_TYPES: Record<string, NcVariable['type']> = {
  byte: 'int8',
  char: 'char',
  short: 'int16',
  int: 'int32',
  float: 'float32',
  double: 'float64',
};

/** Target size of one block read, bytes. */
const BLOCK_BYTES = 1 << 20;

interface Nc3Var extends NcVariable {
  offset: number;
  record: boolean;
}

/** Headers larger than this are taken as corrupt (real ones are kilobytes; this bounds memory). */
const MAX_HEADER_BYTES = 64 << 20;

async function parseHeader(fh: FileHandle, path: string, size: number): Promise<Header> {
  let length = Math.min(size, 1 << 16);
  for (;;) {
    const prefix = await readExactly(fh, path, 0, length);
    try {
      return new NetCDFReader(prefix).header;
    } catch (err) {
      const msg = String((err as { message?: unknown } | null)?.message ?? err);
      // running off the end of the prefix means the header is longer: read more; anything else is corrupt
      const ranOut = /outside the bounds/i.test(msg);
      if (!ranOut || length >= size || length >= MAX_HEADER_BYTES) {
        throw new GridError(path, `corrupt or truncated netCDF-3 header (${msg})`, { cause: err });
      }
      length = Math.min(size, length * 4, MAX_HEADER_BYTES);
    }
  }
}

function attrsOf(list: Array<{ name: string; value: unknown }> | undefined): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const a of list ?? []) {
    const v = a.value;
    if (typeof v === 'string' || typeof v === 'number') out[a.name] = v;
    else if (Array.isArray(v)) out[a.name] = v.map(Number);
  }
  return out;
}

/** Swaps big-endian bytes in place and views them as the stored type. */
function bigEndianView(bytes: Uint8Array, type: StoredType): ArrayLike<number> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / storedTypeBytes(type);
  switch (type) {
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset, n);
    case 'uint8':
      return bytes;
    case 'int16':
      b.swap16();
      return new Int16Array(bytes.buffer, bytes.byteOffset, n);
    case 'uint16':
      b.swap16();
      return new Uint16Array(bytes.buffer, bytes.byteOffset, n);
    case 'int32':
      b.swap32();
      return new Int32Array(bytes.buffer, bytes.byteOffset, n);
    case 'uint32':
      b.swap32();
      return new Uint32Array(bytes.buffer, bytes.byteOffset, n);
    case 'float32':
      b.swap32();
      return new Float32Array(bytes.buffer, bytes.byteOffset, n);
    case 'float64':
      b.swap64();
      return new Float64Array(bytes.buffer, bytes.byteOffset, n);
    default:
      throw new Error(`netCDF-3 cannot hold ${type}`);
  }
}

class Nc3Blocks implements BlockSource {
  readonly blockWidth: number;
  readonly blockHeight: number;
  private readonly bytes: number;
  /** Byte distance between neighbouring rows / columns of the grid. */
  private readonly rowStride: number;
  private readonly colStride: number;
  /** True when a row's cells are adjacent on disk (else a column's are: the variable is stored transposed). */
  private readonly rowMajor: boolean;

  constructor(
    private readonly fh: FileHandle,
    private readonly path: string,
    private readonly base: number,
    private readonly g: ResolvedNcGrid,
    strides: number[],
  ) {
    const { width, height } = g.geometry;
    this.bytes = storedTypeBytes(g.storedType);
    this.rowStride = strides[g.yDim];
    this.colStride = strides[g.xDim];
    this.rowMajor = this.colStride === this.bytes;
    if (this.rowMajor) {
      this.blockWidth = width * this.bytes <= BLOCK_BYTES ? width : Math.max(1, Math.floor(BLOCK_BYTES / 2 / this.bytes));
      this.blockHeight = Math.min(height, Math.max(1, Math.floor(BLOCK_BYTES / (this.blockWidth * this.bytes))));
    } else {
      this.blockHeight = height * this.bytes <= BLOCK_BYTES ? height : Math.max(1, Math.floor(BLOCK_BYTES / 2 / this.bytes));
      this.blockWidth = Math.min(width, Math.max(1, Math.floor(BLOCK_BYTES / (this.blockHeight * this.bytes))));
    }
  }

  async readBlock(bx: number, by: number): Promise<Float32Array> {
    const { width, height } = this.g.geometry;
    const x0 = bx * this.blockWidth;
    const y0 = by * this.blockHeight;
    const w = Math.min(this.blockWidth, width - x0);
    const h = Math.min(this.blockHeight, height - y0);
    const raw = new Uint8Array(w * h * this.bytes);
    const start = this.base + y0 * this.rowStride + x0 * this.colStride;
    if (this.rowMajor) {
      if (w === width && this.rowStride === width * this.bytes) {
        await readExactly(this.fh, this.path, start, raw.byteLength, raw);
      } else {
        const n = w * this.bytes;
        await Promise.all(
          Array.from({ length: h }, (_, r) => readExactly(this.fh, this.path, start + r * this.rowStride, n, raw.subarray(r * n, (r + 1) * n))),
        );
      }
      return decodeRect(bigEndianView(raw, this.g.storedType), 0, w, 1, w, h, this.g.codec);
    }
    // transposed storage: each grid column is a contiguous run of h values
    const n = h * this.bytes;
    await Promise.all(Array.from({ length: w }, (_, c) => readExactly(this.fh, this.path, start + c * this.colStride, n, raw.subarray(c * n, (c + 1) * n))));
    return decodeRect(bigEndianView(raw, this.g.storedType), 0, 1, h, w, h, this.g.codec);
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

export interface Netcdf3Options {
  variable?: string | null;
  cacheBytes: number;
}

/** Opens a netCDF-3 grid: reads the header and coordinates only. */
export async function openNetcdf3(path: string, options: Netcdf3Options): Promise<FileGrid> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const header = await parseHeader(fh, path, size);
    const dims = header.dimensions ?? [];
    const numRecs = header.recordDimension.length;
    const recordId = header.recordDimension.id;
    const vars: Nc3Var[] = (header.variables ?? []).map((v) => {
      const shape = v.dimensions.map((id) => (id === recordId ? numRecs : (dims[id]?.size ?? 0)));
      return {
        name: v.name,
        dims: v.dimensions.map((id) => dims[id]?.name ?? `dim${id}`),
        shape,
        type: NC3_TYPES[v.type] ?? 'other',
        attrs: attrsOf(v.attributes as Array<{ name: string; value: unknown }>),
        offset: v.offset,
        record: v.record,
      };
    });
    const recordVars = vars.filter((v) => v.record);
    const bytesOf = (v: Nc3Var) => (v.type === 'char' ? 1 : storedTypeBytes(v.type as StoredType));
    const innerBytes = (v: Nc3Var) => v.shape.slice(v.record ? 1 : 0).reduce((a, b) => a * b, 1) * bytesOf(v);
    // the record size: one record variable is unpadded, several are each padded to 4 bytes
    const recordSize = recordVars.length === 1 ? innerBytes(recordVars[0]) : recordVars.reduce((s, v) => s + Math.ceil(innerBytes(v) / 4) * 4, 0);
    const stridesOf = (v: Nc3Var, shape: number[]): number[] => {
      const s = new Array<number>(shape.length);
      let acc = bytesOf(v);
      for (let k = shape.length - 1; k >= 0; k--) {
        s[k] = acc;
        acc *= shape[k];
      }
      if (v.record) s[0] = recordSize;
      return s;
    };
    const endOf = (v: Nc3Var): number => (v.record ? v.offset + Math.max(0, numRecs - 1) * recordSize + innerBytes(v) : v.offset + innerBytes(v));

    const model: NcModel = {
      path,
      globalAttrs: attrsOf(header.globalAttributes as Array<{ name: string; value: unknown }>),
      variables: vars,
      async readWhole(name: string): Promise<Float64Array> {
        const v = vars.find((x) => x.name === name);
        if (!v || v.type === 'char' || v.type === 'other') throw new GridError(path, `no numeric variable '${name}'`);
        if (endOf(v) > size) throw new GridError(path, `truncated file: variable '${name}' needs ${endOf(v)} bytes, the file has ${size}`);
        const n = v.shape.reduce((a, b) => a * b, 1);
        const bytes = bytesOf(v);
        const raw = new Uint8Array(n * bytes);
        if (v.record) {
          const per = innerBytes(v);
          for (let r = 0; r < numRecs; r++) await readExactly(fh, path, v.offset + r * recordSize, per, raw.subarray(r * per, (r + 1) * per));
        } else {
          await readExactly(fh, path, v.offset, raw.byteLength, raw);
        }
        return Float64Array.from(bigEndianView(raw, v.type as StoredType));
      },
    };
    const g = await resolveNetcdfGrid(model, options.variable);
    const v = g.variable as Nc3Var;
    if (endOf(v) > size) {
      throw new GridError(path, `truncated file: variable '${v.name}' needs ${endOf(v)} bytes, the file has ${size}`);
    }
    const strides = stridesOf(v, g.storageShape);
    const blocks = new Nc3Blocks(fh, path, v.offset, g, strides);
    return new BlockGrid(
      g.geometry,
      ncGridInfo(path, g, {
        format: 'netcdf3',
        layout: `netCDF-3 ${header.version === 2 ? '64-bit offset' : 'classic'}, ${v.record ? 'record variable' : 'contiguous'}, ${g.xDim < g.yDim ? 'stored transposed (lon slowest)' : 'rows contiguous'}`,
        blockShape: [blocks.blockWidth, blocks.blockHeight],
      }),
      blocks,
      { cacheBytes: options.cacheBytes },
    );
  } catch (err) {
    await fh.close();
    throw asGridError(path, err, 'cannot open netCDF-3 grid');
  }
}
