/**
 * Spatial folds for out-of-fold scores: candidates are grouped by tiles of a few degrees and each tile
 * goes to one fold, so a ranker is judged on sea floor its fit did not see nearby (neighbouring candidates
 * share windows and relief; random folds would flatter it).
 */
const { floor } = Math;

/** Side of a fold tile, degrees. */
export const FOLD_TILE_DEG = 2;

/**
 * The fold (0..folds−1) of a position: its FOLD_TILE_DEG tile hashed (deterministically) into the folds.
 *
 * @example spatialFold(-112.3, -45.1, 5) // the same fold for every point of that 2° tile
 */
export function spatialFold(lon: number, lat: number, folds: number): number {
  const tx = floor((((lon % 360) + 360) % 360) / FOLD_TILE_DEG);
  const ty = floor((lat + 90) / FOLD_TILE_DEG);
  // integer mix (a 32-bit multiplicative hash) so adjacent tiles spread over the folds
  let h = Math.imul(tx + 1, 0x9e3779b1) ^ Math.imul(ty + 1, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae3d);
  h ^= h >>> 13;
  return (h >>> 0) % folds;
}
