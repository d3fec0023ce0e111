/**
 * Which points lie on valid sea-floor cells of a grid: not no-data (NaN), not land. Reads the grid in
 * blocks around the points, one block at a time, so memory stays bounded whatever the grid's size.
 */
import type { GridSource } from '../types.js';
import { latToRow, lonPeriodColumns, lonToColumn } from '../grid/geometry.js';
import type { LonLat } from './match.js';

/** Side of the blocks read, cells (256² float32 = 256 KiB). */
const BLOCK = 256;

/** The value of the cell nearest each point (NaN off the grid or on no-data). */
export async function cellValuesAt(grid: GridSource, points: readonly LonLat[]): Promise<Float32Array> {
  const values = new Float32Array(points.length).fill(NaN);
  const period = grid.periodicLon ? lonPeriodColumns(grid) : 0;
  // group points by block so each block is read once
  const blocks = new Map<string, Array<{ k: number; col: number; row: number }>>();
  points.forEach((p, k) => {
    let col = Math.round(lonToColumn(grid, p.lon));
    const row = Math.round(latToRow(grid, p.lat));
    if (period) col = ((col % period) + period) % period;
    if (row < 0 || row >= grid.height || col < 0 || col >= grid.width) return;
    const key = `${Math.floor(col / BLOCK)},${Math.floor(row / BLOCK)}`;
    let list = blocks.get(key);
    if (!list) blocks.set(key, (list = []));
    list.push({ k, col, row });
  });
  for (const [key, list] of blocks) {
    const [bx, by] = key.split(',').map(Number);
    const x0 = bx * BLOCK;
    const y0 = by * BLOCK;
    const w = Math.min(BLOCK, grid.width - x0);
    const h = Math.min(BLOCK, grid.height - y0);
    const block = await grid.read({ x0, y0, w, h });
    for (const { k, col, row } of list) values[k] = block[(row - y0) * w + (col - x0)];
  }
  return values;
}

/**
 * True for each point whose nearest cell holds sea floor: a number at or below `landLevelM`
 * (0 = sea level).
 */
export async function onValidSeaFloor(grid: GridSource, points: readonly LonLat[], landLevelM = 0): Promise<boolean[]> {
  const v = await cellValuesAt(grid, points);
  return Array.from(v, (z) => Number.isFinite(z) && z <= landLevelM);
}
