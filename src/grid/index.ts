/**
 * Grid input and output: one GridSource over GeoTIFF/COG (local, or over HTTP(S)/S3 by range requests),
 * netCDF-3, netCDF-4 and ESRI ASCII files, read window by window in bounded memory; and the float32
 * GeoTIFF writer for error grids.
 */
export { GridError } from './errors.js';
export { detectFormat, type GridFileFormat } from './sniff-format.js';
export { openGrid, type OpenGridOptions } from './open.js';
export { isRemotePath, type ByteSource, type RemoteObject, type TransferStats } from './byte-source.js';
export { openRemote, resolveRemoteUrl, type RemoteOptions } from './remote.js';
export { inspectGrid, gridTransfer, type GridInspection, type ValueRange } from './inspect.js';
export { describeGrid, formatGridInfo } from './describe.js';
export { gridFingerprint, type GridFingerprint } from './fingerprint.js';
export { DEFAULT_CACHE_MB, decodedBlockBytes, type FileGrid, type GridInfo, type Overview } from './block-grid.js';
export { Float32GeoTiffWriter, writeFloat32GeoTiff } from './write-geotiff.js';
export * from './geometry.js';
