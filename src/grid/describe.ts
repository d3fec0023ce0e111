/**
 * What a grid is, for logs and manifests: the reader's own GridInfo for files, the geometry alone for
 * in-memory grids, and a one-line summary.
 */
import type { GridSource } from '../types.js';
import { makeInfo, type GridInfo } from './block-grid.js';

/**
 * Describes any GridSource.
 *
 * @example
 * describeGrid(await openGrid('spac.nc')).layout; // 'netCDF-4 chunked 141×133, shuffle+deflate'
 */
export function describeGrid(grid: GridSource): GridInfo {
  const withInfo = grid as GridSource & { info?: GridInfo };
  if (withInfo.info) return withInfo.info;
  return makeInfo(grid, {
    path: grid.path,
    format: grid.format,
    variable: grid.variable,
    dataType: 'float32',
    units: 'm',
    metresPerStoredUnit: 1,
    positiveDown: false,
    scaleFactor: 1,
    addOffset: 0,
    nodata: [],
    layout: 'in memory',
    blockShape: [grid.width, grid.height],
    warnings: [],
  });
}

/** One line for a log: "spac.nc: netcdf4 'z' int16, 661 × 421 cells of 60″, gridline, lon −118..−107, lat −49..−42". */
export function formatGridInfo(info: GridInfo): string {
  const f = (x: number) => Number(x.toFixed(6)).toString();
  const arc = info.spacingArcSec[0] === info.spacingArcSec[1] ? `${f(info.spacingArcSec[0])}″` : `${f(info.spacingArcSec[0])}″ × ${f(info.spacingArcSec[1])}″`;
  return (
    `${info.path}: ${info.format} '${info.variable}' ${info.dataType}, ${info.width} × ${info.height} cells of ${arc}, ${info.registration}` +
    `, lon ${f(info.centres.west)}..${f(info.centres.east)}${info.periodicLon ? ' (global, wraps)' : ''}, lat ${f(info.centres.south)}..${f(info.centres.north)}` +
    `, ${info.layout}`
  );
}
