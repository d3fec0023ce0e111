/**
 * The fields every GridSource carries (what it is and where its cells lie), set once from a geometry;
 * readers, caches and synthetic grids extend it and add `read` / `close`.
 */
import type { GridFormat, GridGeometry, GridSource, PixelWindow } from '../types.js';

export interface GridIdentity {
  path: string;
  format: GridFormat;
  variable: string;
}

export abstract class GridSourceBase implements GridSource {
  readonly path: string;
  readonly format: GridFormat;
  readonly variable: string;
  readonly width: number;
  readonly height: number;
  readonly lon0: number;
  readonly dLon: number;
  readonly lat0: number;
  readonly dLat: number;
  readonly registration: GridGeometry['registration'];
  readonly periodicLon: boolean;

  protected constructor(identity: GridIdentity, g: GridGeometry) {
    this.path = identity.path;
    this.format = identity.format;
    this.variable = identity.variable;
    this.width = g.width;
    this.height = g.height;
    this.lon0 = g.lon0;
    this.dLon = g.dLon;
    this.lat0 = g.lat0;
    this.dLat = g.dLat;
    this.registration = g.registration;
    this.periodicLon = g.periodicLon;
  }

  abstract read(win: PixelWindow): Promise<Float32Array>;
  abstract close(): Promise<void>;
}
