/**
 * Radius queries over lon/lat points in km, correct across the antimeridian and near the poles: a kdbush
 * box query on degrees (split at ±180°), then an exact great-circle filter.
 */
import KDBush from 'kdbush';
import { KM_PER_DEG, greatCircleKm, wrapLon180 } from '../base/geodesy.js';
const { abs, cos, max, min } = Math;

const DEG = Math.PI / 180;

/**
 * @example
 * const index = new GeoIndex([179.9, -179.9], [0, 0]);
 * index.within(180, 0, 20); // [0, 1]: both lie ~11 km from the antimeridian
 */
export class GeoIndex {
  private readonly lons: Float64Array;
  private readonly lats: Float64Array;
  private readonly tree: KDBush | null;

  constructor(lons: ArrayLike<number>, lats: ArrayLike<number>) {
    const n = lons.length;
    this.lons = new Float64Array(n);
    this.lats = Float64Array.from(lats);
    for (let i = 0; i < n; i++) this.lons[i] = wrapLon180(lons[i]);
    if (n === 0) {
      this.tree = null;
      return;
    }
    const tree = new KDBush(n);
    for (let i = 0; i < n; i++) tree.add(this.lons[i], this.lats[i]);
    this.tree = tree.finish();
  }

  get size(): number {
    return this.lons.length;
  }

  /** Indices of the points within `radiusKm` of (lon, lat), in increasing index order. */
  within(lon: number, lat: number, radiusKm: number): number[] {
    if (!this.tree) return [];
    const dLat = radiusKm / KM_PER_DEG;
    const south = lat - dLat;
    const north = lat + dLat;
    const maxAbsLat = max(abs(south), abs(north));
    const out: number[] = [];
    const c = wrapLon180(lon);
    let boxes: Array<[number, number]>;
    if (maxAbsLat >= 89.999) boxes = [[-180, 180]];
    else {
      const dLon = radiusKm / (KM_PER_DEG * cos(maxAbsLat * DEG));
      if (dLon >= 180) boxes = [[-180, 180]];
      else {
        boxes = [[max(-180, c - dLon), min(180, c + dLon)]];
        if (c - dLon < -180) boxes.push([c - dLon + 360, 180]);
        if (c + dLon > 180) boxes.push([-180, c + dLon - 360]);
      }
    }
    for (const [w, e] of boxes) {
      for (const i of this.tree.range(w, south, e, north)) {
        if (greatCircleKm(c, lat, this.lons[i], this.lats[i]) <= radiusKm) out.push(i);
      }
    }
    // boxes do not overlap, but sort so callers see a deterministic order
    return out.sort((a, b) => a - b);
  }
}
