/** The whole error raster of windows given in plan order, collected from ErrorRasterStream's rows (small test plans only). */
import { ErrorRasterStream } from '../../src/pipeline/error-raster.js';
import type { GridGeometry } from '../../src/types.js';

export async function collectErrorRaster(
  plan: ConstructorParameters<typeof ErrorRasterStream>[0],
  nodata: number,
  windows: Iterable<{ lon: number; lat: number; error: number }>,
): Promise<{ values: Float32Array; geometry: GridGeometry }> {
  const rows: Float32Array[] = [];
  const stream = new ErrorRasterStream(plan, nodata, async (row) => {
    rows.push(row.slice());
  });
  for (const w of windows) stream.add(w.lon, w.lat, w.error);
  await stream.end();
  const { width, height } = stream.geometry;
  if (rows.length !== height) throw new Error(`${rows.length} rows for a raster ${height} high`);
  const values = new Float32Array(width * height);
  rows.forEach((r, i) => values.set(r, i * width));
  return { values, geometry: stream.geometry };
}
