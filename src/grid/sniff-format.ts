/**
 * Which container a grid file is, from its first bytes (never its name: GMT `.grd` files are netCDF-3
 * or netCDF-4, GEBCO ships `.nc` in both; ESRI ASCII grids come as `.asc`, `.txt` or `.grd`).
 */
import { open, stat } from 'node:fs/promises';
import { GridError } from './errors.js';

export type GridFileFormat = 'geotiff' | 'netcdf3' | 'netcdf4' | 'esri-ascii';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Byte offset of the HDF5 superblock: 0, or after a user block of 512, 1024, 2048 ... bytes. */
export async function findHdf5Superblock(path: string): Promise<number | null> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const sig = Buffer.alloc(8);
    for (let offset = 0; offset + 8 <= size && offset <= 1 << 20; offset = offset === 0 ? 512 : offset * 2) {
      const { bytesRead } = await fh.read(sig, 0, 8, offset);
      if (bytesRead === 8 && HDF5_SIGNATURE.every((b, i) => sig[i] === b)) return offset;
    }
    return null;
  } finally {
    await fh.close();
  }
}

/** Header keys of an ESRI ASCII grid (any order, any case); the file starts with one of them. */
export const ESRI_ASCII_KEYS = ['ncols', 'nrows', 'xllcorner', 'xllcenter', 'yllcorner', 'yllcenter', 'cellsize', 'nodata_value', 'dx', 'dy'];

/** True when the bytes start (after a byte-order mark and blanks) with an ESRI ASCII header key and a value. */
export function looksLikeEsriAscii(head: Uint8Array): boolean {
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 256))
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  const m = /^\s*([A-Za-z_]+)[ \t]+\S/.exec(text);
  return m !== null && ESRI_ASCII_KEYS.includes(m[1].toLowerCase());
}

function describeBytes(head: Uint8Array): string {
  const hex = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = [...head.subarray(0, 8)].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
  return `${hex} "${text}"`;
}

/**
 * Detects the container of a grid file from its magic bytes.
 *
 * @example
 * await detectFormat('GEBCO_2024.nc'); // 'netcdf4'
 * await detectFormat('spac.grd');      // 'netcdf3' (GMT classic netCDF)
 */
export async function detectFormat(path: string): Promise<GridFileFormat> {
  try {
    return await sniff(path);
  } catch (err) {
    if (err instanceof GridError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : `cannot read file (${code ?? String(err)})`;
    throw new GridError(path, why, { cause: err });
  }
}

async function sniff(path: string): Promise<GridFileFormat> {
  const st = await stat(path);
  if (st.isDirectory()) throw new GridError(path, 'is a directory, not a grid file');
  const size = st.size;
  if (size === 0) throw new GridError(path, 'empty file (0 bytes)');
  const head = Buffer.alloc(Math.min(size, 256));
  const fh = await open(path, 'r');
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  return sniffHead(path, head, size, () => findHdf5Superblock(path));
}

/**
 * The format from a file's first bytes (at least 8; 256 to recognise ESRI ASCII headers).
 * `hdf5` looks for an HDF5 superblock after a user block.
 */
export async function sniffHead(path: string, head: Uint8Array, size: number, hdf5: () => Promise<number | null>): Promise<GridFileFormat> {
  if (size >= 4) {
    const b = head;
    if (
      (b[0] === 0x49 && b[1] === 0x49 && (b[2] === 42 || b[2] === 43) && b[3] === 0) ||
      (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && (b[3] === 42 || b[3] === 43))
    ) {
      return 'geotiff';
    }
    if (b[0] === 0x43 && b[1] === 0x44 && b[2] === 0x46) {
      if (b[3] === 1 || b[3] === 2) return 'netcdf3';
      if (b[3] === 5) {
        throw new GridError(path, 'netCDF-3 CDF-5 (64-bit data) files are not supported; convert with `nccopy -k nc4 in out` or `gmt grdconvert`');
      }
      throw new GridError(path, `unknown netCDF-3 version byte ${b[3]}`);
    }
  }
  if (looksLikeEsriAscii(head)) return 'esri-ascii';
  if ((await hdf5()) !== null) return 'netcdf4';
  if (head[0] === 0x1f && head[1] === 0x8b) throw new GridError(path, 'gzip-compressed file: decompress it first (gunzip)');
  if (head[0] === 0x50 && head[1] === 0x4b) throw new GridError(path, 'zip archive: extract the grid first');
  throw new GridError(path, `not a GeoTIFF, netCDF-3, netCDF-4/HDF5 or ESRI ASCII grid file (first bytes ${describeBytes(head)})`);
}
