/**
 * Grid input and output: one GridSource over GeoTIFF/COG, netCDF-3 and netCDF-4 files, read window
 * by window in bounded memory; and the float32 GeoTIFF writer for error grids.
 */
export { GridError } from './errors.js';
export { detectFormat, type GridFileFormat } from './detect.js';
export { openGrid, type OpenGridOptions } from './open.js';
export { describeGrid, formatGridInfo } from './describe.js';
export { DEFAULT_CACHE_MB, type FileGrid, type GridInfo } from './block-grid.js';
export { writeFloat32GeoTiff } from './write-geotiff.js';
export { MemoryGrid, type MemoryGridOptions } from './memory.js';
export * from './geometry.js';
