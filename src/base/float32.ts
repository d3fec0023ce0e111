/** Typed arrays laid back to back. */

/** Copies `parts` one after another into `out` (sized to their total length) and returns it. */
function concatInto<T extends Float32Array | Float64Array | Int32Array>(out: T, parts: readonly T[]): T {
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const totalLength = (parts: ReadonlyArray<{ length: number }>): number => parts.reduce((n, p) => n + p.length, 0);

/** One Float32Array holding `parts` back to back. */
export const concatFloat32 = (parts: readonly Float32Array[]): Float32Array => concatInto(new Float32Array(totalLength(parts)), parts);

/** One Float64Array holding `parts` back to back. */
export const concatFloat64 = (parts: readonly Float64Array[]): Float64Array => concatInto(new Float64Array(totalLength(parts)), parts);

/** One Int32Array holding `parts` back to back. */
export const concatInt32 = (parts: readonly Int32Array[]): Int32Array => concatInto(new Int32Array(totalLength(parts)), parts);
