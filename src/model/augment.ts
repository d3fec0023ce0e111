/**
 * Dihedral augmentation of square windows: the 8 combinations of a rotation by a multiple of 90° and an
 * optional mirror. A seamount has no preferred orientation, so each is as valid a training example as the
 * original; none needs resampling (exact, no smoothing).
 */

/** A dihedral transform: rotate `quarterTurns` × 90° counter-clockwise after an optional left-right mirror. */
export interface Dihedral {
  quarterTurns: 0 | 1 | 2 | 3;
  mirror: boolean;
}

export const IDENTITY: Dihedral = { quarterTurns: 0, mirror: false };

/** The transform number `code` in 0..7 (bits: two for the quarter turns, one for the mirror). */
export const dihedral = (code: number): Dihedral => ({ quarterTurns: (code & 3) as Dihedral['quarterTurns'], mirror: (code & 4) !== 0 });

/**
 * Writes the transformed `n × n` window `src` (row-major) into `dst` (a different array or a different
 * region of one). Row 0 is north; a counter-clockwise quarter turn moves the east edge to the north.
 * @example
 * const out = new Float32Array(4);
 * transformWindow(Float32Array.of(1, 2, 3, 4), 2, { quarterTurns: 1, mirror: false }, out); // [2, 4, 1, 3]
 */
export function transformWindow(src: Float32Array, n: number, t: Dihedral, dst: Float32Array): void {
  if (src.length < n * n || dst.length < n * n) throw new Error(`transformWindow: arrays shorter than ${n} x ${n}`);
  if (src === dst && (t.quarterTurns !== 0 || t.mirror)) throw new Error('transformWindow: src and dst must differ');
  const last = n - 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // source cell of destination (i, j): undo the rotation, then the mirror
      let si: number;
      let sj: number;
      switch (t.quarterTurns) {
        case 0:
          si = i;
          sj = j;
          break;
        case 1:
          si = j;
          sj = last - i;
          break;
        case 2:
          si = last - i;
          sj = last - j;
          break;
        default:
          si = last - j;
          sj = i;
          break;
      }
      if (t.mirror) sj = last - sj;
      dst[i * n + j] = src[si * n + sj];
    }
  }
}

/** Which transforms augmentation may draw from, given the config switches. */
export function allowedTransforms(rotations: boolean, flips: boolean): number[] {
  const codes: number[] = [];
  for (let code = 0; code < 8; code++) {
    const t = dihedral(code);
    if ((!rotations && t.quarterTurns !== 0) || (!flips && t.mirror)) continue;
    codes.push(code);
  }
  return codes;
}
