/**
 * Procedural grids whose truth is known: planted Gaussian (or flat-topped) seamounts on a sloping or
 * rough sea floor. Values are computed on demand in `read`, so a grid of any size costs no memory —
 * tests plant seamounts, benchmarks sweep global-size grids.
 */
import type { GridGeometry, PixelWindow } from '../../src/types.js';
import { GridSourceBase } from '../../src/grid/base.js';
import { assertReadable, coversAllLongitudes, lonPeriodColumns } from '../../src/grid/geometry.js';
import { KM_PER_DEG } from '../../src/base/geodesy.js';

const DEG = Math.PI / 180;
const { cos, sin, exp, min, round, PI } = Math;

/** A planted seamount: circular or elliptical Gaussian, optionally truncated flat at `flatTopFraction`. */
export interface PlantedSeamount {
  lon: number;
  lat: number;
  heightM: number;
  /** Basal radius, km (along the major axis for an ellipse): sigma = radiusKm / RADIUS_IN_SIGMAS. */
  radiusKm: number;
  /** Ellipse: ratio minor/major (1 = circular) and azimuth of the major axis, degrees from north. */
  aspect?: number;
  azimuthDeg?: number;
  /** Truncate the Gaussian at this fraction of its height to make a flat-topped guyot (0..1; 1 = none). */
  flatTopFraction?: number;
}

/** The basal radius is this many standard deviations of the Gaussian (the flank is ~1.1 % of the height there). */
export const RADIUS_IN_SIGMAS = 3;

export interface SyntheticGridOptions extends Omit<GridGeometry, 'periodicLon' | 'registration'> {
  registration?: GridGeometry['registration'];
  periodicLon?: boolean;
  /** Regional depth at the grid centre, m (negative). */
  baseDepthM: number;
  /** Regional slope, m per km, eastward and northward. */
  slopeMPerKm?: [number, number];
  seamounts?: PlantedSeamount[];
  /** Amplitude (m) and wavelength (km) of an abyssal-hill-like sinusoidal fabric striking north-south. */
  fabric?: { amplitudeM: number; wavelengthKm: number };
  /** Cells set to no-data: a predicate over (lon, lat). */
  nodata?: (lon: number, lat: number) => boolean;
  path?: string;
}

/**
 * The 1′ sea floor of the picking and baseline tests: 301 × 241 cells, 114.5°W–109.5°W, 43.5°S–47.5°S
 * (spac_33's latitudes), 4000 m deep; spread it and add a slope, fabric and seamounts.
 */
export const TEST_FLOOR_1M = { width: 301, height: 241, lon0: -114.5, dLon: 1 / 60, lat0: -43.5, dLat: -1 / 60, baseDepthM: -4000 } as const;

/** Elevation (m) of a planted seamount alone at (lon, lat). */
export function seamountElevation(s: PlantedSeamount, lon: number, lat: number): number {
  const sigmaMajor = s.radiusKm / RADIUS_IN_SIGMAS;
  const sigmaMinor = sigmaMajor * (s.aspect ?? 1);
  // local east/north offsets in km (equirectangular is exact enough within a seamount's footprint)
  let dLon = lon - s.lon;
  dLon -= 360 * round(dLon / 360);
  const east = dLon * KM_PER_DEG * cos(s.lat * DEG);
  const north = (lat - s.lat) * KM_PER_DEG;
  const az = (s.azimuthDeg ?? 0) * DEG;
  // major axis unit vector at azimuth az (clockwise from north): (sin az, cos az)
  const along = east * sin(az) + north * cos(az);
  const across = east * cos(az) - north * sin(az);
  const q = (along * along) / (sigmaMajor * sigmaMajor) + (across * across) / (sigmaMinor * sigmaMinor);
  if (q > 50) return 0;
  const h = s.heightM * exp(-0.5 * q);
  const cap = s.heightM * (s.flatTopFraction ?? 1);
  return min(h, cap);
}

export class SyntheticGrid extends GridSourceBase {
  private readonly o: SyntheticGridOptions;
  private readonly centreLon: number;
  private readonly centreLat: number;
  private closed = false;

  constructor(o: SyntheticGridOptions) {
    super(
      { path: o.path ?? '(synthetic)', format: 'memory', variable: 'z' },
      { ...o, registration: o.registration ?? 'gridline', periodicLon: o.periodicLon ?? coversAllLongitudes(o.width, o.dLon) },
    );
    this.o = o;
    this.centreLon = o.lon0 + ((o.width - 1) / 2) * o.dLon;
    this.centreLat = o.lat0 + ((o.height - 1) / 2) * o.dLat;
  }

  /** Elevation (m) at a point: regional surface + fabric + seamounts; NaN where no-data. */
  valueAt(lon: number, lat: number): number {
    const o = this.o;
    if (o.nodata?.(lon, lat)) return NaN;
    let dLon = lon - this.centreLon;
    dLon -= 360 * round(dLon / 360);
    const eastKm = dLon * KM_PER_DEG * cos(lat * DEG);
    const northKm = (lat - this.centreLat) * KM_PER_DEG;
    let z = o.baseDepthM;
    if (o.slopeMPerKm) z += o.slopeMPerKm[0] * eastKm + o.slopeMPerKm[1] * northKm;
    if (o.fabric) z += o.fabric.amplitudeM * sin((2 * PI * eastKm) / o.fabric.wavelengthKm);
    if (o.seamounts) for (const s of o.seamounts) z += seamountElevation(s, lon, lat);
    return z;
  }

  async read(win: PixelWindow): Promise<Float32Array> {
    if (this.closed) throw new Error(`${this.path}: read after close`);
    assertReadable(this, win);
    const period = this.periodicLon ? lonPeriodColumns(this) : Infinity;
    const out = new Float32Array(win.w * win.h);
    for (let j = 0; j < win.h; j++) {
      const lat = this.lat0 + (win.y0 + j) * this.dLat;
      for (let i = 0; i < win.w; i++) {
        let x = win.x0 + i;
        if (Number.isFinite(period)) x = ((x % period) + period) % period;
        out[j * win.w + i] = this.valueAt(this.lon0 + x * this.dLon, lat);
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
