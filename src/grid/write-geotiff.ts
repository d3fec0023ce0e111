/**
 * Writes a float32 single-band GeoTIFF that GDAL, QGIS and GMT read: EPSG:4326, north-up, deflate
 * with the floating-point predictor, strips of about 256 KB, GDAL_NODATA. Pixel-registered grids are
 * written PixelIsArea with the tie point on the outer corner; gridline grids PixelIsPoint with the tie
 * point on the first node, so both put cell centres where the geometry says. Written to a temporary
 * name beside the target and renamed, so the target never holds a partial file.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
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
  const { width, height, dLon, dLat, registration } = geometry;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new GridError(path, `cannot write a ${width} × ${height} grid`);
  }
  if (values.length !== width * height) throw new GridError(path, `${values.length} values for a ${width} × ${height} grid`);
  if (!(dLon > 0) || !(dLat !== 0) || !Number.isFinite(dLat)) throw new GridError(path, `cannot write cell size ${dLon} × ${dLat}`);
  if (!Number.isFinite(nodata) && !Number.isNaN(nodata)) throw new GridError(path, `nodata must be a number or NaN, not ${nodata}`);
  const northUp = dLat < 0;
  const latTop = northUp ? geometry.lat0 : geometry.lat0 + (height - 1) * dLat;
  const cellLat = Math.abs(dLat);
  const pixel = registration === 'pixel';
  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(STRIP_BYTES / (width * 4))));
  const strips = Math.ceil(height / rowsPerStrip);
  const replaceNaN = !Number.isNaN(nodata);
  const nodata32 = Math.fround(nodata);

  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    const fh = await open(tmp, 'w');
    try {
      let at = 8;
      const offsets: number[] = [];
      const counts: number[] = [];
      const row = new Float32Array(width);
      for (let s = 0; s < strips; s++) {
        const r0 = s * rowsPerStrip;
        const r1 = Math.min(height, r0 + rowsPerStrip);
        const planes: Uint8Array[] = [];
        for (let r = r0; r < r1; r++) {
          const src = northUp ? r : height - 1 - r;
          row.set(values.subarray(src * width, (src + 1) * width));
          if (replaceNaN) for (let i = 0; i < width; i++) if (Number.isNaN(row[i])) row[i] = nodata32;
          planes.push(encodeFloatRow(row));
        }
        const packed = deflateSync(Buffer.concat(planes), { level: 6 });
        await fh.write(packed, 0, packed.length, at);
        offsets.push(at);
        counts.push(packed.length);
        at += packed.length;
        if (at > 0xfff00000) throw new GridError(path, 'GeoTIFF over 4 GB: write a smaller region');
      }
      if (at % 2) at += 1; // the IFD starts on a word boundary
      const geoKeys = [1, 1, 0, 4, 1024, 0, 1, 2, 1025, 0, 1, pixel ? 1 : 2, 2048, 0, 1, 4326, 2054, 0, 1, 9102];
      const ifd = buildIfd(
        [
          { tag: 256, type: LONG, values: [width] },
          { tag: 257, type: LONG, values: [height] },
          { tag: 258, type: SHORT, values: [32] },
          { tag: 259, type: SHORT, values: [8] },
          { tag: 262, type: SHORT, values: [1] },
          { tag: 273, type: LONG, values: offsets },
          { tag: 277, type: SHORT, values: [1] },
          { tag: 278, type: LONG, values: [rowsPerStrip] },
          { tag: 279, type: LONG, values: counts },
          { tag: 284, type: SHORT, values: [1] },
          { tag: 317, type: SHORT, values: [3] },
          { tag: 339, type: SHORT, values: [3] },
          { tag: 33550, type: DOUBLE, values: [dLon, cellLat, 0] },
          {
            tag: 33922,
            type: DOUBLE,
            values: [0, 0, 0, pixel ? geometry.lon0 - dLon / 2 : geometry.lon0, pixel ? latTop + cellLat / 2 : latTop, 0],
          },
          { tag: 34735, type: SHORT, values: geoKeys },
          { tag: 42113, type: ASCII, values: Number.isNaN(nodata) ? 'nan' : String(nodata32) },
        ],
        at,
      );
      await fh.write(ifd, 0, ifd.length, at);
      const header = Buffer.alloc(8);
      header.write('II', 0, 'latin1');
      header.writeUInt16LE(42, 2);
      header.writeUInt32LE(at, 4);
      await fh.write(header, 0, 8, 0);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw asGridError(path, err, 'cannot write GeoTIFF');
  }
}
