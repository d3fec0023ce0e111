/**
 * The entry point of the grid stage: detect the container from its bytes, open it lazily (headers
 * and coordinates only) and hand back a GridSource in metres, positive up, NaN for no-data. Local
 * paths and remote objects (`https://…`, `s3://bucket/key`: GeoTIFF/COG, read by range requests).
 */
import { DEFAULT_CACHE_MB, type FileGrid } from './block-grid.js';
import { isRemotePath } from './byte-source.js';
import { detectFormat, sniffHead } from './sniff-format.js';
import { openEsriAscii } from './esri-ascii.js';
import { GridError, asGridError } from './errors.js';
import { openGeoTiff } from './geotiff.js';
import { openNetcdf3 } from './netcdf3.js';
import { openNetcdf4 } from './netcdf4.js';
import { openRemote, type RemoteOptions } from './remote.js';

export interface OpenGridOptions {
  /** netCDF variable to read (null: the only 2-D lon/lat variable); for GeoTIFF 'band N'. */
  variable?: string | null;
  /** Memory for decoded blocks kept between reads, MB (default 128). */
  cacheMB?: number;
  /** Retries, concurrency and timeouts for remote grids. */
  remote?: RemoteOptions;
}

const FORMAT_NAMES = { geotiff: 'GeoTIFF', netcdf3: 'netCDF-3', netcdf4: 'netCDF-4', 'esri-ascii': 'ESRI ASCII' } as const;

async function openRemoteGrid(location: string, o: { variable: string | null; cacheBytes: number }, remote: RemoteOptions | undefined): Promise<FileGrid> {
  const bytes = await openRemote(location, remote);
  try {
    const head = bytes.head;
    // an HDF5 superblock after a user block would lie within the probe's bytes or beyond: only offset 0 is checked remotely
    const isHdf5 = async () => ([0x89, 0x48, 0x44, 0x46].every((b, i) => head[i] === b) ? 0 : null);
    const format = await sniffHead(location, head, bytes.size, isHdf5);
    if (format !== 'geotiff') {
      throw new GridError(
        location,
        `${FORMAT_NAMES[format]} over HTTP(S) is not supported (only GeoTIFF/COG is read by ranges): convert it to a Cloud-Optimized GeoTIFF ` +
          '(`gdal_translate -of COG in out.tif`) or download it first',
      );
    }
    return await openGeoTiff(location, { ...o, bytes, remote: bytes.object, head });
  } catch (err) {
    await bytes.close();
    throw asGridError(location, err, 'cannot open remote grid');
  }
}

/**
 * Detects the format from magic bytes, opens lazily (reads only headers), returns a GridSource:
 * values in metres positive up, NaN for no-data, cell-centre geometry, wrap when periodicLon.
 *
 * @example
 * const grid = await openGrid('GEBCO_2024.nc');
 * const patch = await grid.read({ x0: 1000, y0: 2000, w: 256, h: 256 });
 * await grid.close();
 */
export async function openGrid(path: string, options: OpenGridOptions = {}): Promise<FileGrid> {
  const cacheBytes = Math.max(0, (options.cacheMB ?? DEFAULT_CACHE_MB) * 2 ** 20);
  const o = { variable: options.variable ?? null, cacheBytes };
  if (isRemotePath(path)) return openRemoteGrid(path, o, options.remote);
  const format = await detectFormat(path);
  try {
    if (format === 'geotiff') return await openGeoTiff(path, o);
    if (format === 'netcdf3') return await openNetcdf3(path, o);
    if (format === 'esri-ascii') return await openEsriAscii(path, o);
    return await openNetcdf4(path, o);
  } catch (err) {
    throw asGridError(path, err, `cannot open ${format} grid`);
  }
}
