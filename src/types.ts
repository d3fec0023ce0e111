/**
 * Small types shared between pipeline stages. A stage depends only on the stages before it and on
 * these; everything richer lives in the stage's own folder.
 *
 * Units are in the names: `...Km`, `...M` (metres), `...Deg`.
 */

/** A rectangle of grid cells: columns x0..x0+w-1, rows y0..y0+h-1 (row 0 is the first stored row). */
export interface PixelWindow {
  x0: number;
  y0: number;
  w: number;
  h: number;
}

/** Geographic box in degrees. `west > east` means the box crosses the antimeridian. */
export interface Region {
  west: number;
  east: number;
  south: number;
  north: number;
}

export type GridFormat = 'geotiff' | 'netcdf3' | 'netcdf4' | 'esri-ascii' | 'memory';

/** gridline: values sit on the nodes (GMT default); pixel: values are cell averages (GeoTIFF `Area`). */
export type Registration = 'gridline' | 'pixel';

/**
 * Where the cells of a grid lie. Coordinates are of cell *centres* (for a gridline grid, the nodes),
 * whatever the registration, so `lon(x) = lon0 + x * dLon` holds for both.
 */
export interface GridGeometry {
  width: number;
  height: number;
  /** Longitude of column 0's centre, degrees east, in the file's own convention (may exceed 180). */
  lon0: number;
  /** Degrees per column, always > 0. */
  dLon: number;
  /** Latitude of row 0's centre, degrees north. */
  lat0: number;
  /** Degrees per row: negative when row 0 is the northernmost (north-up), positive when ascending. */
  dLat: number;
  registration: Registration;
  /** True when the columns cover all 360° of longitude, so reads may wrap across the seam. */
  periodicLon: boolean;
}

/**
 * A bathymetry/topography grid that is read window by window, never whole.
 * Values are metres, positive up (sea floor negative); no-data is NaN.
 */
export interface GridSource extends GridGeometry {
  /** The file this grid came from (for messages and manifests). */
  readonly path: string;
  readonly format: GridFormat;
  /** The variable / band read, e.g. `z`, `elevation`, `band 1`. */
  readonly variable: string;
  /**
   * Reads a rectangle of cells, row-major, `w * h` values. Rows must lie inside 0..height-1;
   * columns may lie outside 0..width-1 only when `periodicLon` (they wrap).
   */
  read(win: PixelWindow): Promise<Float32Array>;
  /** Releases file handles. Reading after close is an error. */
  close(): Promise<void>;
}

/** How windows are cut and normalised. Stored in the model bundle: detection refuses a different one. */
export interface WindowSpec {
  /** Side of the square window on the local plane, km. */
  sizeKm: number;
  /** Samples per side (the window is samples × samples). */
  samples: number;
  /** Local map projection of each window, centred on the window centre. */
  projection: 'laea';
  /** Interpolation from the source grid onto the window's points. */
  interpolation: 'bilinear';
  /** Low-pass the source before sampling when its cells are finer than the window spacing. */
  antiAlias: boolean;
  /** Radial taper applied after normalisation: 1 inside `taperStart` of the half-width, cosine to 0 at the edge. */
  taper: 'none' | 'cosine';
  /** Fraction (0..1) of the half-width where the taper starts. */
  taperStart: number;
  /**
   * `median-maxabs`: subtract the median, divide by the largest |value| (Valentine et al. 2013: [−1, 1]).
   * `median-scale`: subtract the median, divide by `scaleM` and clip to [−1, 1] (keeps relative heights).
   */
  normalisation: 'median-maxabs' | 'median-scale';
  /** Metres per unit for `median-scale`. */
  scaleM: number;
  /**
   * Regional trend removed from the window before normalising: `none`, or `plane` (the least-squares plane
   * of its samples), so a seamount on a regional slope looks like one on flat sea floor.
   */
  detrend: 'none' | 'plane';
  /**
   * The window's score from its reconstruction x̂: `mse` = mean (x̂ − x)²; `relative` = Σ w (x̂ − x)² / Σ w x²,
   * the share of the window's relief the model fails to reproduce (free of the window's amplitude and
   * complexity, which plain error rewards; issue 15).
   */
  misfit: 'mse' | 'relative';
  /**
   * Weights w of the misfit: a Gaussian of this σ, as a fraction of the half-width, centred on the window
   * (0: uniform). Centre weighting scores what stands at the centre, not a neighbour at the edge.
   */
  centreWeight: number;
}

/** One scored window: its deterministic id in the plan, its centre and its reconstruction error. */
export interface ScoredWindow {
  id: number;
  lon: number;
  lat: number;
  error: number;
}

/**
 * Basal ellipse of a seamount: where its fitted shape meets the base — a cone or paraboloid's foot, a
 * Gaussian's 3 σ (1.1 % of its height; `gmt grdseamount`'s r0 for each shape) — with the orientation and
 * axis ratio of the elliptical Gaussian fitted to it (docs/measurement.md).
 */
export interface BasalEllipse {
  /** Azimuth of the major axis, degrees clockwise from north, 0..180. */
  azimuthDeg: number;
  /** Semi-major axis, km. */
  majorKm: number;
  /** Semi-minor axis, km. */
  minorKm: number;
}

/** A detected seamount, measured on the source grid. */
export interface Seamount {
  /** Stable id within a run: `SMT-000001`, ordered by confidence then position. */
  id: string;
  /** Summit position, lon in −180..180. */
  lon: number;
  lat: number;
  /** Summit elevation (negative below sea level), m. */
  summitDepthM: number;
  /** Regional (base) depth around the seamount, m. */
  baseDepthM: number;
  /** summit − base, m. */
  heightM: number;
  /** Basal radius, km: sqrt(majorKm × minorKm) of the basal ellipse's semi-axes (the equal-area circle). */
  radiusKm: number;
  ellipse: BasalEllipse;
  /**
   * Coefficient of determination of the Gaussian fit: the share of the relief left after the regional
   * plane (in a disc of twice the basal radius) that the Gaussian explains; ≤ 1, negative when the bump
   * fits worse than none, NaN where the fit failed.
   */
  fitR2: number;
  /** Lowest reconstruction error of the windows centred near the summit (`picking.evidenceRadiusKm`). */
  reconstructionError: number;
  /** 0..1: the model bundle's ranker's probability that a catalogue lists a seamount here (baselines: their own score). */
  confidence: number;
  /** Number of scored windows that support this pick (windows under the threshold that climbed to its summit). */
  windows: number;
  /** True for a summit above sea level (an island), kept only with `islands: keep`. */
  island?: boolean;
  /** Volume above the base inside the basal ellipse, km³. */
  volumeKm3: number;
  /** Mean slope of the flanks (plateau edge to base), degrees. */
  flankSlopeDeg: number;
  /** Area of the summit plateau, km² (0 for a pointed or rounded top). */
  plateauAreaKm2: number;
  /** Plateau area / basal ellipse area, 0..1: the square of Smith (1988)'s flatness (plateau radius / basal radius). */
  plateauShare: number;
  /** Flat-topped: the plateau reaches a quarter of the basal radius (and 1.5 cells); a guyot when ≥ 1000 m tall. */
  flatTopped: boolean;
  /** One standard deviation of heightM and radiusKm from the fit (residuals' correlation allowed for), m and km. */
  heightSdM: number;
  radiusSdKm: number;
  /** The radial shape that fits best (docs/measurement.md). */
  profileShape: 'gaussian' | 'cone' | 'parabolic' | 'polynomial';
  /**
   * IHO (2008) / Harris et al. (2014): `island` (summit above sea level), `guyot` (flat-topped, ≥ 1000 m),
   * `seamount` (≥ 1000 m), `knoll` (500–1000 m), `hill` (< 500 m).
   */
  seamountClass: 'seamount' | 'knoll' | 'hill' | 'guyot' | 'island';
}
