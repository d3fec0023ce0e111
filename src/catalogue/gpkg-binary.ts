/**
 * Geometry blobs in the GeoPackage binary format (OGC 12-128r18, clause 2.1.3): a small header then
 * standard WKB. Kept apart from the SQLite writer so the byte layout is pure and checked on its own.
 *
 * Header: magic `GP` (0x47 0x50), version 0, flags, srs_id (int32), envelope. Flags used here: bit 0 = 1
 * (little-endian header), bits 1–3 = 1 (envelope [minx, maxx, miny, maxy], four doubles), bit 4 = 0 (not
 * empty), bit 5 = 0 (standard, not extended, geometry). The WKB that follows is little-endian 2-D
 * (ISO/OGC type codes 1 = Point, 3 = Polygon).
 */
import type { LonLat } from './ellipse.js';

const HEADER_BYTES = 8;
const ENVELOPE_BYTES = 32;
/** Little-endian, envelope type 1 ([minx, maxx, miny, maxy]). */
const FLAGS = 0b0000_0011;
const WKB_POINT = 1;
const WKB_POLYGON = 3;

/** [minX, maxX, minY, maxY] of positions (the GeoPackage envelope order). */
export function envelopeOf(points: readonly LonLat[]): [number, number, number, number] {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  return [minX, maxX, minY, maxY];
}

function header(view: DataView, srsId: number, envelope: [number, number, number, number]): number {
  view.setUint8(0, 0x47); // 'G'
  view.setUint8(1, 0x50); // 'P'
  view.setUint8(2, 0); // version 1 of the format is written as 0
  view.setUint8(3, FLAGS);
  view.setInt32(4, srsId, true);
  envelope.forEach((v, i) => view.setFloat64(HEADER_BYTES + 8 * i, v, true));
  return HEADER_BYTES + ENVELOPE_BYTES;
}

function checkFinite(points: readonly LonLat[]): void {
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`a GeoPackage geometry needs finite coordinates, not (${x}, ${y})`);
  }
}

/**
 * A Point as a GeoPackage geometry blob (with its envelope, a degenerate box).
 *
 * @example gpkgPointBlob(-155.5, 19.4, 4326).length // 8 + 32 + 21 = 61 bytes
 */
export function gpkgPointBlob(lon: number, lat: number, srsId: number): Uint8Array {
  checkFinite([[lon, lat]]);
  const bytes = new Uint8Array(HEADER_BYTES + ENVELOPE_BYTES + 21);
  const view = new DataView(bytes.buffer);
  const o = header(view, srsId, [lon, lon, lat, lat]);
  view.setUint8(o, 1); // little-endian WKB
  view.setUint32(o + 1, WKB_POINT, true);
  view.setFloat64(o + 5, lon, true);
  view.setFloat64(o + 13, lat, true);
  return bytes;
}

/**
 * A Polygon (exterior ring first, then holes; each ring closed) as a GeoPackage geometry blob.
 *
 * @example gpkgPolygonBlob([[[0, 0], [1, 0], [1, 1], [0, 0]]], 4326).length // 40 + 9 + 4 + 4 × 16 = 117
 */
export function gpkgPolygonBlob(rings: ReadonlyArray<readonly LonLat[]>, srsId: number): Uint8Array {
  if (rings.length === 0) throw new RangeError('a polygon needs at least one ring');
  for (const ring of rings) {
    checkFinite(ring);
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (ring.length < 4 || first[0] !== last[0] || first[1] !== last[1])
      throw new RangeError('a polygon ring needs ≥ 4 positions, the last equal to the first');
  }
  const points = rings.reduce((n, r) => n + r.length, 0);
  const bytes = new Uint8Array(HEADER_BYTES + ENVELOPE_BYTES + 9 + 4 * rings.length + 16 * points);
  const view = new DataView(bytes.buffer);
  let o = header(view, srsId, envelopeOf(rings[0]));
  view.setUint8(o, 1);
  view.setUint32(o + 1, WKB_POLYGON, true);
  view.setUint32(o + 5, rings.length, true);
  o += 9;
  for (const ring of rings) {
    view.setUint32(o, ring.length, true);
    o += 4;
    for (const [x, y] of ring) {
      view.setFloat64(o, x, true);
      view.setFloat64(o + 8, y, true);
      o += 16;
    }
  }
  return bytes;
}
