/**
 * Writes a float32 single-band GeoTIFF that GDAL, QGIS and GMT read: EPSG:4326, north-up, deflate
 * with the floating-point predictor, strips of about 256 KB, GDAL_NODATA. Pixel-registered grids are
 * written PixelIsArea with the tie point on the outer corner; gridline grids PixelIsPoint with the tie
 * point on the first node, so both put cell centres where the geometry says. Written to a temporary
 * name beside the target and renamed, so the target never holds a partial file.
 */
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { GridGeometry } from '../types.js';
import { tempPathFor } from '../base/atomic.js';
import { GridError, asGridError } from './errors.js';

const STRIP_BYTES = 256 * 1024;

// TIFF field types
const SHORT = 3;
const LONG = 4;
const ASCII = 2;
const DOUBLE = 12;

interface Entry {
  tag: number;
  type: number;
  values: number[] | string;
}

/** Floating-point predictor (TIFF tech note 3) on one row: byte planes, most significant first, then byte differences. */
export function encodeFloatRow(row: Float32Array): Uint8Array {
  const n = row.length;
  const le = new Uint8Array(row.buffer, row.byteOffset, n * 4);
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    out[i] = le[i * 4 + 3];
    out[n + i] = le[i * 4 + 2];
    out[2 * n + i] = le[i * 4 + 1];
    out[3 * n + i] = le[i * 4];
  }
  for (let j = out.length - 1; j > 0; j--) out[j] = (out[j] - out[j - 1]) & 0xff;
  return out;
}

function entryBytes(e: Entry): Buffer {
  if (e.type === ASCII) return Buffer.from(`${e.values as string}\0`, 'latin1');
  const vals = e.values as number[];
  const size = e.type === SHORT ? 2 : e.type === LONG ? 4 : 8;
  const b = Buffer.alloc(vals.length * size);
  vals.forEach((v, i) => {
    if (e.type === SHORT) b.writeUInt16LE(v, i * 2);
    else if (e.type === LONG) b.writeUInt32LE(v, i * 4);
    else b.writeDoubleLE(v, i * 8);
  });
  return b;
}

/** The IFD (entries sorted by tag, values over 4 bytes placed after it) for a directory at `at`. */
function buildIfd(entries: Entry[], at: number): Buffer {
  entries.sort((a, b) => a.tag - b.tag);
  const head = Buffer.alloc(2 + entries.length * 12 + 4);
  head.writeUInt16LE(entries.length, 0);
  const extras: Buffer[] = [];
  let extraAt = at + head.length;
  entries.forEach((e, i) => {
    const data = entryBytes(e);
    const count = e.type === ASCII ? data.length : (e.values as number[]).length;
    const p = 2 + i * 12;
    head.writeUInt16LE(e.tag, p);
    head.writeUInt16LE(e.type, p + 2);
    head.writeUInt32LE(count, p + 4);
    if (data.length <= 4) {
      data.copy(head, p + 8);
    } else {
      head.writeUInt32LE(extraAt, p + 8);
      const padded = data.length % 2 ? Buffer.concat([data, Buffer.alloc(1)]) : data;
      extras.push(padded);
      extraAt += padded.length;
    }
  });
  head.writeUInt32LE(0, head.length - 4); // no next IFD
  return Buffer.concat([head, ...extras]);
}

/** Checks what a writer is given, naming the file. */
function checkGeometry(path: string, geometry: GridGeometry, nodata: number): void {
  const { width, height, dLon, dLat } = geometry;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new GridError(path, `cannot write a ${width} × ${height} grid`);
  }
  if (!(dLon > 0) || !(dLat !== 0) || !Number.isFinite(dLat)) throw new GridError(path, `cannot write cell size ${dLon} × ${dLat}`);
  if (!Number.isFinite(nodata) && !Number.isNaN(nodata)) throw new GridError(path, `nodata must be a number or NaN, not ${nodata}`);
}

/**
 * A float32 GeoTIFF written row by row, north first, so a raster never has to be in memory whole: it
 * holds one strip (about 256 KB) at a time. The file is built under a temporary name; `finish` completes
 * it and renames it to `path`, `abort` removes it. Same file as `writeFloat32GeoTiff` writes.
 *
 * @example
 * const w = await Float32GeoTiffWriter.create('out/error.tif', geometry, -9999);
 * for (const row of rowsNorthFirst) await w.writeRow(row);
 * await w.finish();
 */
export class Float32GeoTiffWriter {
  private readonly rowsPerStrip: number;
  private readonly strip: Float32Array;
  private rowsInStrip = 0;
  private rowsWritten = 0;
  private at = 8;
  private readonly offsets: number[] = [];
  private readonly counts: number[] = [];
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly fh: FileHandle,
    readonly geometry: GridGeometry,
    private readonly nodata: number,
  ) {
    const { width, height } = geometry;
    this.rowsPerStrip = Math.max(1, Math.min(height, Math.floor(STRIP_BYTES / (width * 4))));
    this.strip = new Float32Array(this.rowsPerStrip * width);
  }

  /** Opens the temporary file beside `path` (whose folder is created). */
  static async create(path: string, geometry: GridGeometry, nodata: number): Promise<Float32GeoTiffWriter> {
    checkGeometry(path, geometry, nodata);
    try {
      await mkdir(dirname(path), { recursive: true });
      const tmp = tempPathFor(path);
      return new Float32GeoTiffWriter(path, tmp, await open(tmp, 'w'), geometry, nodata);
    } catch (err) {
      throw asGridError(path, err, 'cannot write GeoTIFF');
    }
  }

  /** Appends the next row (north to south, `width` values; NaN is written as the no-data value). */
  async writeRow(row: Float32Array): Promise<void> {
    const { width, height } = this.geometry;
    if (this.closed) throw new GridError(this.path, 'write after the GeoTIFF was finished or aborted');
    if (row.length !== width) throw new GridError(this.path, `a row of ${row.length} values for a grid ${width} wide`);
    if (this.rowsWritten + this.rowsInStrip >= height) throw new GridError(this.path, `more than ${height} rows`);
    this.strip.set(row, this.rowsInStrip * width);
    this.rowsInStrip++;
    if (this.rowsInStrip === this.rowsPerStrip) await this.flushStrip();
  }

  private async flushStrip(): Promise<void> {
    const { width } = this.geometry;
    const planes: Uint8Array[] = [];
    const nodata32 = Math.fround(this.nodata);
    for (let r = 0; r < this.rowsInStrip; r++) {
      const row = this.strip.subarray(r * width, (r + 1) * width);
      if (!Number.isNaN(this.nodata)) for (let i = 0; i < width; i++) if (Number.isNaN(row[i])) row[i] = nodata32;
      planes.push(encodeFloatRow(row));
    }
    const packed = deflateSync(Buffer.concat(planes), { level: 6 });
    try {
      await this.fh.write(packed, 0, packed.length, this.at);
    } catch (err) {
      await this.abort();
      throw asGridError(this.path, err, 'cannot write GeoTIFF');
    }
    this.offsets.push(this.at);
    this.counts.push(packed.length);
    this.at += packed.length;
    this.rowsWritten += this.rowsInStrip;
    this.rowsInStrip = 0;
    if (this.at > 0xfff00000) {
      await this.abort();
      throw new GridError(this.path, 'GeoTIFF over 4 GB: write a smaller region');
    }
  }

  /** Writes the last strip, the directory and the header, and renames the file into place. */
  async finish(): Promise<void> {
    const { width, height, dLon, dLat, registration } = this.geometry;
    if (this.closed) throw new GridError(this.path, 'the GeoTIFF was already finished or aborted');
    if (this.rowsInStrip > 0) await this.flushStrip();
    if (this.rowsWritten !== height) {
      await this.abort();
      throw new GridError(this.path, `${this.rowsWritten} rows written of ${height}`);
    }
    const latTop = dLat < 0 ? this.geometry.lat0 : this.geometry.lat0 + (height - 1) * dLat;
    const cellLat = Math.abs(dLat);
    const pixel = registration === 'pixel';
    try {
      let at = this.at;
      if (at % 2) at += 1; // the IFD starts on a word boundary
      const geoKeys = [1, 1, 0, 4, 1024, 0, 1, 2, 1025, 0, 1, pixel ? 1 : 2, 2048, 0, 1, 4326, 2054, 0, 1, 9102];
      const ifd = buildIfd(
        [
          { tag: 256, type: LONG, values: [width] },
          { tag: 257, type: LONG, values: [height] },
          { tag: 258, type: SHORT, values: [32] },
          { tag: 259, type: SHORT, values: [8] },
          { tag: 262, type: SHORT, values: [1] },
          { tag: 273, type: LONG, values: this.offsets },
          { tag: 277, type: SHORT, values: [1] },
          { tag: 278, type: LONG, values: [this.rowsPerStrip] },
          { tag: 279, type: LONG, values: this.counts },
          { tag: 284, type: SHORT, values: [1] },
          { tag: 317, type: SHORT, values: [3] },
          { tag: 339, type: SHORT, values: [3] },
          { tag: 33550, type: DOUBLE, values: [dLon, cellLat, 0] },
          {
            tag: 33922,
            type: DOUBLE,
            values: [0, 0, 0, pixel ? this.geometry.lon0 - dLon / 2 : this.geometry.lon0, pixel ? latTop + cellLat / 2 : latTop, 0],
          },
          { tag: 34735, type: SHORT, values: geoKeys },
          { tag: 42113, type: ASCII, values: Number.isNaN(this.nodata) ? 'nan' : String(Math.fround(this.nodata)) },
        ],
        at,
      );
      await this.fh.write(ifd, 0, ifd.length, at);
      const header = Buffer.alloc(8);
      header.write('II', 0, 'latin1');
      header.writeUInt16LE(42, 2);
      header.writeUInt32LE(at, 4);
      await this.fh.write(header, 0, 8, 0);
      await this.fh.sync();
      this.closed = true;
      await this.fh.close();
      await rename(this.tmp, this.path);
    } catch (err) {
      await this.abort();
      throw asGridError(this.path, err, 'cannot write GeoTIFF');
    }
  }

  /** Closes and removes the temporary file; the target is left as it was. Does nothing after `finish`. */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.fh.close().catch(() => undefined);
    }
    await rm(this.tmp, { force: true });
  }
}

/**
 * Writes a float32 single-band georeferenced GeoTIFF (EPSG:4326, cell-centre geometry honoured via
 * PixelIsArea/PixelIsPoint), GDAL_NODATA tag, to `path` atomically (temp + rename). NaN values are
 * written as `nodata`.
 *
 * @example
 * await writeFloat32GeoTiff('out/error.tif', values, { width, height, lon0, dLon, lat0, dLat: -dLon,
 *   registration: 'gridline', periodicLon: false }, -9999);
 */
export async function writeFloat32GeoTiff(path: string, values: Float32Array, geometry: GridGeometry, nodata: number): Promise<void> {
  checkGeometry(path, geometry, nodata);
  const { width, height } = geometry;
  if (values.length !== width * height) throw new GridError(path, `${values.length} values for a ${width} × ${height} grid`);
  const writer = await Float32GeoTiffWriter.create(path, geometry, nodata);
  try {
    const northUp = geometry.dLat < 0;
    for (let r = 0; r < height; r++) {
      const src = northUp ? r : height - 1 - r;
      await writer.writeRow(values.subarray(src * width, (src + 1) * width));
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  await writer.finish();
}
