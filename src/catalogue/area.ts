/**
 * The searched area of a comparison: a latitude band times one or more longitude arcs (region ∩ grid
 * bounds), with point-in-area tests and the distance from a point to the area's edge.
 */
import type { GridGeometry, Region } from '../types.js';
import { gridBounds } from '../grid/geometry.js';
import { EARTH_RADIUS_KM, KM_PER_DEG, normaliseLon } from '../base/geodesy.js';

const RAD = Math.PI / 180;

/** A longitude arc: from `west` eastward over `widthDeg` (360 = every longitude). */
export interface LonArc {
  west: number;
  widthDeg: number;
}

/** Offset of `lon` east of `west`, in [0, 360). */
const eastOf = (lon: number, west: number): number => (((lon - west) % 360) + 360) % 360;

export class SearchArea {
  /** Disjoint arcs; one in all but contrived cases. */
  readonly arcs: readonly LonArc[];
  readonly south: number;
  readonly north: number;

  constructor(arcs: readonly LonArc[], south: number, north: number) {
    this.arcs = arcs;
    this.south = south;
    this.north = north;
  }

  /** Every point on Earth. */
  static world(): SearchArea {
    return new SearchArea([{ west: -180, widthDeg: 360 }], -90, 90);
  }

  /** A W/E/S/N region; west > east crosses the antimeridian. */
  static fromRegion(r: Region): SearchArea {
    let width = r.east - r.west;
    if (width <= 0) width += 360;
    return new SearchArea([{ west: r.west, widthDeg: Math.min(360, width) }], r.south, r.north);
  }

  /** The cell centres of a grid (all longitudes when it wraps). */
  static fromGrid(g: GridGeometry): SearchArea {
    const b = gridBounds(g);
    const width = g.periodicLon ? 360 : Math.min(360, b.east - b.west);
    return new SearchArea([{ west: b.west, widthDeg: width }], b.south, b.north);
  }

  get isEmpty(): boolean {
    return this.arcs.length === 0 || this.south > this.north;
  }

  /** The part of both areas. */
  intersect(o: SearchArea): SearchArea {
    const arcs: LonArc[] = [];
    for (const a of this.arcs) {
      for (const b of o.arcs) {
        if (a.widthDeg >= 360) arcs.push(b);
        else if (b.widthDeg >= 360) arcs.push(a);
        else {
          // b's start relative to a's start; b may overlap a's start from the west (wrap) as well
          const start = eastOf(b.west, a.west);
          for (const s of [start, start - 360]) {
            const lo = Math.max(0, s);
            const hi = Math.min(a.widthDeg, s + b.widthDeg);
            if (hi > lo) arcs.push({ west: a.west + lo, widthDeg: hi - lo });
          }
        }
      }
    }
    return new SearchArea(arcs, Math.max(this.south, o.south), Math.min(this.north, o.north));
  }

  /** The arc holding `lon`, or null. Boundaries count as inside. */
  private arcOf(lon: number): LonArc | null {
    for (const a of this.arcs) {
      if (a.widthDeg >= 360) return a;
      const e = eastOf(lon, a.west);
      if (e <= a.widthDeg + 1e-9 || e >= 360 - 1e-9) return a;
    }
    return null;
  }

  contains(lon: number, lat: number): boolean {
    return lat >= this.south - 1e-9 && lat <= this.north + 1e-9 && this.arcOf(lon) !== null;
  }

  /**
   * Great-circle distance (km) from a point inside the area to its nearest edge: the bounding
   * parallels (a pole is no edge) and meridians (none when the arc is all longitudes). Distance to a
   * meridian is R·asin(sin Δλ · cos φ), exact for Δλ ≤ 90° (beyond, it is capped there: far from any
   * edge anyway). Infinity for the whole world; 0 for points outside.
   */
  edgeDistanceKm(lon: number, lat: number): number {
    const arc = this.arcOf(lon);
    if (!arc || !this.contains(lon, lat)) return 0;
    let d = Infinity;
    if (this.south > -90) d = Math.min(d, (lat - this.south) * KM_PER_DEG);
    if (this.north < 90) d = Math.min(d, (this.north - lat) * KM_PER_DEG);
    if (arc.widthDeg < 360) {
      let e = eastOf(lon, arc.west);
      if (e > arc.widthDeg) e = 0; // on the west edge within rounding
      const cosLat = Math.cos(lat * RAD);
      for (const dLonDeg of [e, arc.widthDeg - e]) {
        const dl = Math.min(90, Math.max(0, dLonDeg)) * RAD;
        d = Math.min(d, EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sin(dl) * cosLat)));
      }
    }
    return Math.max(0, d);
  }

  /** "W/E/S/N" text of each arc, for reports. */
  describe(): string {
    if (this.isEmpty) return '(empty)';
    return this.arcs
      .map((a) => {
        const fmt = (v: number) => String(Math.round(v * 1e5) / 1e5);
        const lon = a.widthDeg >= 360 ? '-180/180' : `${fmt(normaliseLon(a.west))}/${fmt(normaliseLon(a.west + a.widthDeg))}`;
        return `${lon}/${fmt(this.south)}/${fmt(this.north)}`;
      })
      .join(' + ');
  }
}
