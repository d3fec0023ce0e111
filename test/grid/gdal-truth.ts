/**
 * What GDAL reads from a grid file, as an independent reference for the readers: the raw band as
 * float64 (gdal_translate to ENVI), its geotransform, scale/offset and no-data value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './fixtures.js';

export interface GdalGrid {
  width: number;
  height: number;
  /** [originX, pixelWidth, 0, originY, 0, pixelHeight] of the pixel corners. */
  geoTransform: number[];
  /** Values as GDAL reads them (scale and offset applied), NaN where GDAL's no-data. North-up when gt[5] < 0. */
  values: Float64Array;
}

export function gdalRead(file: string, tmp: string, name = 'truth'): GdalGrid {
  const info = JSON.parse(run('gdalinfo', ['-json', file])) as {
    size: [number, number];
    geoTransform: number[];
    bands: Array<{ noDataValue?: number | string; scale?: number; offset?: number; type: string }>;
  };
  const out = join(tmp, `${name}.bin`);
  run('gdal_translate', ['-q', '-of', 'ENVI', '-ot', 'Float64', file, out]);
  const buf = readFileSync(out);
  // copied into this realm's array: element access across jest's VM realms is slow
  const raw = new Float64Array(buf.byteLength / 8);
  raw.set(new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8));
  const band = info.bands[0];
  const nd = band.noDataValue === undefined ? null : Number(band.noDataValue);
  const isFloat32 = band.type === 'Float32';
  const scale = band.scale ?? 1;
  const offset = band.offset ?? 0;
  const values = new Float64Array(raw.length);
  const ndNaN = nd !== null && Number.isNaN(nd);
  const ndValue = nd === null ? NaN : isFloat32 ? Math.fround(nd) : nd;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    // float32 cells are exact in float64: compare with the float32 no-data as is (no Math.* in hot loops: slow under jest)
    const isNodata = ndNaN ? v !== v : v === ndValue;
    values[i] = isNodata ? NaN : v * scale + offset;
  }
  return { width: info.size[0], height: info.size[1], geoTransform: info.geoTransform, values };
}
