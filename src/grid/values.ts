/**
 * Stored numbers → metres, positive up, NaN for no-data. Pure functions over typed arrays: the packing
 * (scale_factor / add_offset), the units (m, km, ft), the sign (`positive: down` depths) and the
 * no-data markers are folded into one linear map applied once per block.
 */

/** How raw stored values become metres. */
export interface ValueCodec {
  /** metres = raw × factor + offset (packing, unit and sign folded in). */
  factor: number;
  offset: number;
  /** Raw values meaning no-data (compared before unpacking, as CF says). */
  fills: number[];
  /** Raw values outside [validMin, validMax] are no-data (CF valid_range). */
  validMin: number;
  validMax: number;
}

export const IDENTITY_CODEC: ValueCodec = { factor: 1, offset: 0, fills: [], validMin: -Infinity, validMax: Infinity };

/** Metres per unit for a units string; null when it is not a length we know. Missing units: metres. */
export function metresPerUnit(units: string | null | undefined): number | null {
  if (units === null || units === undefined) return 1;
  const u = units.trim().toLowerCase();
  if (u === '') return 1;
  // first word only: "meters above sea level", "m (positive up)"
  const word = u.split(/[\s,(;[]/)[0];
  if (/^(m|meters?|metres?)$/.test(word)) return 1;
  if (/^(km|kilometers?|kilometres?)$/.test(word)) return 1000;
  if (/^(ft|feet|foot)$/.test(word)) return 0.3048;
  if (/^(fathoms?|fm)$/.test(word)) return 1.8288;
  return null;
}

/**
 * Builds a codec from CF/GDAL-style attributes.
 *
 * @example
 * // GMT int16 grid in km with scale_factor 0.001: stored -3420 → -3420 m
 * const c = makeCodec({ scaleFactor: 0.001, unitsToM: 1000, fills: [-32768] });
 * decodeArray(Int16Array.of(-3420, -32768), c); // Float32Array [-3420, NaN]
 */
export function makeCodec(o: {
  scaleFactor?: number;
  addOffset?: number;
  unitsToM?: number;
  positiveDown?: boolean;
  fills?: number[];
  validMin?: number;
  validMax?: number;
}): ValueCodec {
  const scale = o.scaleFactor ?? 1;
  const add = o.addOffset ?? 0;
  const unit = (o.unitsToM ?? 1) * (o.positiveDown ? -1 : 1);
  return {
    factor: scale * unit,
    offset: add * unit,
    fills: (o.fills ?? []).filter((f) => !Number.isNaN(f)),
    validMin: o.validMin ?? -Infinity,
    validMax: o.validMax ?? Infinity,
  };
}

type NumericArray = ArrayLike<number>;

/**
 * Decodes a rectangle of raw values into metres.
 * `raw[start + row * rowStride + col * colStride]` for row < h, col < w; output is row-major w × h.
 */
export function decodeRect(
  raw: NumericArray,
  start: number,
  rowStride: number,
  colStride: number,
  w: number,
  h: number,
  codec: ValueCodec,
  out: Float32Array = new Float32Array(w * h),
): Float32Array {
  const { factor, offset, validMin, validMax } = codec;
  // two fills cover _FillValue + missing_value; more are rare and take the slow path
  const f0 = codec.fills.length > 0 ? codec.fills[0] : NaN;
  const f1 = codec.fills.length > 1 ? codec.fills[1] : NaN;
  const more = codec.fills.length > 2 ? codec.fills.slice(2) : null;
  const ranged = validMin !== -Infinity || validMax !== Infinity;
  const identity = factor === 1 && offset === 0;
  let o = 0;
  for (let r = 0; r < h; r++) {
    let i = start + r * rowStride;
    for (let c = 0; c < w; c++, i += colStride, o++) {
      const v = raw[i];
      if (v === f0 || v === f1 || (ranged && (v < validMin || v > validMax)) || more?.includes(v)) {
        out[o] = NaN;
      } else {
        out[o] = identity ? v : v * factor + offset;
      }
    }
  }
  return out;
}

/** Decodes a whole contiguous array. */
export const decodeArray = (raw: NumericArray, codec: ValueCodec): Float32Array => decodeRect(raw, 0, raw.length, 1, raw.length, 1, codec);

/** A fill value as the stored type holds it (a double attribute −1e34 on a float32 variable is fround(−1e34)). */
export function asStoredType(value: number, type: StoredType): number {
  if (type === 'float32') return Math.fround(value);
  return value;
}

export type StoredType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float16' | 'float32' | 'float64';

/** Bytes per stored value. */
export function storedTypeBytes(t: StoredType): number {
  switch (t) {
    case 'int8':
    case 'uint8':
      return 1;
    case 'int16':
    case 'uint16':
    case 'float16':
      return 2;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 4;
    default:
      return 8;
  }
}
