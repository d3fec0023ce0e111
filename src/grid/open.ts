/**
 * The entry point of the grid stage: detect the container from its bytes, open it lazily (headers
 * and coordinates only) and hand back a GridSource in metres, positive up, NaN for no-data.
 */
import { DEFAULT_CACHE_MB, type FileGrid } from './block-grid.js';
import { detectFormat } from './detect.js';
import { asGridError } from './errors.js';
import { openGeoTiff } from './geotiff.js';
import { openNetcdf3 } from './netcdf3.js';
import { openNetcdf4 } from './netcdf4.js';

export interface OpenGridOptions {
  /** netCDF variable to read (null: the only 2-D lon/lat variable); for GeoTIFF 'band N'. */
  variable?: string | null;
  /** Memory for decoded blocks kept between reads, MB (default 128). */
  cacheMB?: number;
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
  const format = await detectFormat(path);
  const cacheBytes = Math.max(0, (options.cacheMB ?? DEFAULT_CACHE_MB) * 2 ** 20);
  const o = { variable: options.variable ?? null, cacheBytes };
  try {
    if (format === 'geotiff') return await openGeoTiff(path, o);
    if (format === 'netcdf3') return await openNetcdf3(path, o);
    return await openNetcdf4(path, o);
  } catch (err) {
    throw asGridError(path, err, `cannot open ${format} grid`);
  }
}
