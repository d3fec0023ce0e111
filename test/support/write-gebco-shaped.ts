/**
 * Child-process entry of `writeGebcoShaped` (its header says why a child):
 *   node --import tsx test/support/write-gebco-shaped.ts OUT.nc ROW0:ROWS [ROW0:ROWS ...]
 * writes those row bands with `markerElevation` values and leaves the rest of the file a hole.
 */
import { markerElevation, writeGebcoShaped, type RowBand } from './gebco-shaped.js';

const [path, ...bandArgs] = process.argv.slice(2);
const bands: RowBand[] = bandArgs.map((a) => {
  const m = /^(\d+):(\d+)$/.exec(a);
  if (!m) throw new Error(`band "${a}": expected ROW0:ROWS`);
  return { row0: Number(m[1]), rows: Number(m[2]) };
});
if (!path || bands.length === 0) throw new Error('usage: write-gebco-shaped.ts OUT.nc ROW0:ROWS [ROW0:ROWS ...]');
await writeGebcoShaped(path, bands, markerElevation);
