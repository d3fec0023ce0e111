/**
 * netCDF conventions shared by the netCDF-3 and netCDF-4 readers: which variable is the grid, which
 * dimensions are longitude and latitude (CF attributes or any common name: lon/lat, x/y,
 * longitude/latitude, ETOPO05_X ...), the old GMT `x_range`/`dimension` layout, registration
 * (`node_offset`), packing, fill values, units and `positive`. Works on a small description of the
 * file (NcModel) so it knows nothing about how bytes are read.
 */
import type { GridGeometry, Registration } from '../types.js';
import { fitRegularAxis, geographicGeometry, type RegularAxis } from './axes.js';
import { makeInfo, type GridInfo, type StoredValues } from './block-grid.js';
import { GridError } from './errors.js';
import { asStoredType, makeCodec, metresPerUnit, type StoredType, type ValueCodec } from './values.js';

export type AttrValue = string | number | number[];

export interface NcVariable {
  name: string;
  /** Dimension names, slowest-varying first. */
  dims: string[];
  shape: number[];
  /** Numeric type, or 'char'/'string'/'other' for variables that can never be a grid. */
  type: StoredType | 'char' | 'string' | 'other';
  attrs: Record<string, AttrValue>;
}

/** What the readers expose of a netCDF file. */
export interface NcModel {
  path: string;
  globalAttrs: Record<string, AttrValue>;
  variables: NcVariable[];
  /** Reads a whole small 1-D numeric variable (coordinates, GMT ranges). */
  readWhole(name: string): Promise<Float64Array>;
}

/** The grid found in a netCDF file and how its cells map to the stored variable. */
export interface ResolvedNcGrid extends StoredValues {
  variable: NcVariable;
  /** Stored type after `_Unsigned` is applied. */
  storedType: StoredType;
  geometry: GridGeometry;
  codec: ValueCodec;
  /**
   * Storage as an n-D array: `shape` (for GMT's 1-D layout, the virtual [ny, nx]) and which of its
   * dimensions are the grid's rows (y) and columns (x); the others have size 1.
   */
  storageShape: number[];
  yDim: number;
  xDim: number;
  warnings: string[];
}

/**
 * The GridInfo of a resolved netCDF grid (both netCDF readers): what the conventions made of the stored
 * variable, plus the reader's own `format`, `layout` and block shape.
 */
export function ncGridInfo(path: string, g: ResolvedNcGrid, reader: { format: 'netcdf3' | 'netcdf4'; layout: string; blockShape: [number, number] }): GridInfo {
  return makeInfo(g.geometry, {
    path,
    format: reader.format,
    variable: g.variable.name,
    dataType: g.storedType,
    units: g.units,
    metresPerStoredUnit: g.metresPerStoredUnit,
    positiveDown: g.positiveDown,
    scaleFactor: g.scaleFactor,
    addOffset: g.addOffset,
    nodata: g.nodata,
    layout: reader.layout,
    blockShape: reader.blockShape,
    warnings: g.warnings,
  });
}

const LON_NAME = /^(lon|lons|long|longs|longitude|longitudes|lng|x|xc|xlon|nav_lon|.*_x)$/i;
const LAT_NAME = /^(lat|lats|latitude|latitudes|y|yc|ylat|nav_lat|.*_y)$/i;
const LON_UNITS = /^degrees?_?(east|e)$/i;
const LAT_UNITS = /^degrees?_?(north|n)$/i;

/** netCDF default fill values (used when a variable has no _FillValue), by stored type. */
const DEFAULT_FILL: Partial<Record<StoredType, number>> = {
  int16: -32767,
  uint16: 65535,
  int32: -2147483647,
  uint32: 4294967295,
  float32: 9.969209968386869e36,
  float64: 9.969209968386869e36,
};

const str = (v: AttrValue | undefined): string | null => (typeof v === 'string' ? v.trim() : null);
const num = (v: AttrValue | undefined): number | null => {
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length > 0) return v[0];
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};
const nums = (v: AttrValue | undefined): number[] => {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v;
  return [];
};

type Axis = 'lon' | 'lat';

function coordinateVariable(model: NcModel, dim: string): NcVariable | undefined {
  return model.variables.find((v) => v.name === dim && v.dims.length === 1 && v.dims[0] === dim);
}

/** Classifies a dimension as longitude or latitude from its coordinate variable's attributes, else its name. */
function classifyDim(model: NcModel, dim: string): Axis | null {
  const cv = coordinateVariable(model, dim);
  if (cv) {
    const sn = str(cv.attrs.standard_name)?.toLowerCase();
    const units = str(cv.attrs.units) ?? '';
    if (sn === 'longitude' || LON_UNITS.test(units)) return 'lon';
    if (sn === 'latitude' || LAT_UNITS.test(units)) return 'lat';
    const axis = str(cv.attrs.axis)?.toUpperCase();
    if (axis === 'X') return 'lon';
    if (axis === 'Y') return 'lat';
  }
  if (LON_NAME.test(dim)) return 'lon';
  if (LAT_NAME.test(dim)) return 'lat';
  return null;
}

const isNumeric = (v: NcVariable): boolean => v.type !== 'char' && v.type !== 'string' && v.type !== 'other';
const isCoordinate = (v: NcVariable): boolean => v.dims.length === 1 && v.dims[0] === v.name;

/** GMT's pre-CF layout: 1-D z(xysize) with x_range, y_range, spacing, dimension. */
function isGmtLegacy(model: NcModel, v: NcVariable): boolean {
  const names = new Set(model.variables.map((x) => x.name));
  return (
    v.dims.length === 1 &&
    names.has('x_range') &&
    names.has('y_range') &&
    names.has('dimension') &&
    !isCoordinate(v) &&
    v.name !== 'x_range' &&
    v.name !== 'y_range' &&
    v.name !== 'z_range' &&
    v.name !== 'spacing' &&
    v.name !== 'dimension'
  );
}

interface Candidate {
  variable: NcVariable;
  kind: 'cf' | 'gmt-legacy';
}

function describeVar(v: NcVariable): string {
  return `${v.name}(${v.dims.map((d, i) => `${d}=${v.shape[i]}`).join(', ')})`;
}

/** Variables that can be the grid: numeric, exactly two non-singleton dimensions, one lon and one lat. */
export function gridCandidates(model: NcModel): Candidate[] {
  const out: Candidate[] = [];
  for (const v of model.variables) {
    if (!isNumeric(v) || isCoordinate(v)) continue;
    if (isGmtLegacy(model, v)) {
      out.push({ variable: v, kind: 'gmt-legacy' });
      continue;
    }
    const big = v.dims.filter((_, i) => v.shape[i] > 1);
    if (big.length !== 2) continue;
    const axes = big.map((d) => classifyDim(model, d));
    if (axes.includes('lon') && axes.includes('lat')) out.push({ variable: v, kind: 'cf' });
  }
  return out;
}

/**
 * Finds the grid variable (the only candidate, or the one named) and everything needed to read it.
 *
 * @example
 * const g = await resolveNetcdfGrid(model, null); // GEBCO: 'elevation' on lat/lon
 */
export async function resolveNetcdfGrid(model: NcModel, variableName: string | null | undefined): Promise<ResolvedNcGrid> {
  const { path } = model;
  const candidates = gridCandidates(model);
  let chosen: Candidate;
  if (variableName) {
    const v = model.variables.find((x) => x.name === variableName);
    if (!v) {
      const list = candidates.length ? candidates.map((c) => describeVar(c.variable)).join(', ') : 'none';
      throw new GridError(
        path,
        `no variable '${variableName}' (grid variables in this file: ${list}; all variables: ${model.variables.map((x) => x.name).join(', ')})`,
      );
    }
    const c = candidates.find((x) => x.variable === v);
    if (!c) {
      throw new GridError(path, `variable ${describeVar(v)} is not a 2-D grid on longitude/latitude dimensions${isNumeric(v) ? '' : ` (type ${v.type})`}`);
    }
    chosen = c;
  } else if (candidates.length === 1) {
    chosen = candidates[0];
  } else if (candidates.length === 0) {
    const twoD = model.variables.filter((v) => isNumeric(v) && v.shape.filter((s) => s > 1).length >= 2);
    const found = twoD.length
      ? `; multi-dimensional variables found: ${twoD.map(describeVar).join(', ')}`
      : `; variables: ${model.variables.map(describeVar).join(', ') || 'none'}`;
    throw new GridError(path, `no 2-D variable on longitude/latitude dimensions${found}`);
  } else {
    throw new GridError(
      path,
      `several grid variables: ${candidates.map((c) => describeVar(c.variable)).join(', ')}; choose one with --variable (config grid.variable)`,
    );
  }
  return chosen.kind === 'gmt-legacy' ? resolveGmtLegacy(model, chosen.variable) : resolveCf(model, chosen.variable);
}

function storedTypeOf(v: NcVariable, path: string): StoredType {
  if (!isNumeric(v)) throw new GridError(path, `variable '${v.name}' has type ${v.type}, not numbers`);
  let t = v.type as StoredType;
  const unsigned = str(v.attrs._Unsigned)?.toLowerCase() === 'true';
  if (unsigned) {
    const map: Partial<Record<StoredType, StoredType>> = { int8: 'uint8', int16: 'uint16', int32: 'uint32' };
    t = map[t] ?? t;
  }
  return t;
}

function registrationOf(model: NcModel, v: NcVariable): Registration {
  const offset = num(v.attrs.node_offset) ?? num(model.globalAttrs.node_offset) ?? 0;
  return offset === 1 ? 'pixel' : 'gridline';
}

const DEPTH_NAMES = new Set([
  'depth',
  'sea_floor_depth',
  'sea_floor_depth_below_sea_level',
  'sea_floor_depth_below_geoid',
  'sea_floor_depth_below_mean_sea_level',
  'sea_floor_depth_below_reference_ellipsoid',
]);

/** Packing, fills, units and sign of a variable. */
function valueConventions(v: NcVariable, storedType: StoredType, path: string, warnings: string[]): StoredValues & { codec: ValueCodec } {
  const units = str(v.attrs.units);
  const perUnit = metresPerUnit(units);
  if (perUnit === null) warnings.push(`units '${units}' of '${v.name}' are not a length we know (m, km, ft): values taken as metres`);
  if (units === null) warnings.push(`'${v.name}' has no units: values taken as metres`);
  const positive = str(v.attrs.positive)?.toLowerCase();
  const standardName = str(v.attrs.standard_name)?.toLowerCase() ?? '';
  const positiveDown = positive === 'down' || (positive !== 'up' && DEPTH_NAMES.has(standardName));
  if (positive && positive !== 'up' && positive !== 'down') throw new GridError(path, `'${v.name}' has positive='${positive}' (expected up or down)`);
  const scaleFactor = num(v.attrs.scale_factor) ?? 1;
  const addOffset = num(v.attrs.add_offset) ?? 0;
  if (!Number.isFinite(scaleFactor) || scaleFactor === 0 || !Number.isFinite(addOffset)) {
    throw new GridError(path, `'${v.name}' has an unusable scale_factor ${scaleFactor} / add_offset ${addOffset}`);
  }
  const fills: number[] = [];
  const fillAttr = num(v.attrs._FillValue);
  if (fillAttr !== null) fills.push(asStoredType(fillAttr, storedType));
  else if (DEFAULT_FILL[storedType] !== undefined) fills.push(asStoredType(DEFAULT_FILL[storedType] as number, storedType));
  for (const m of nums(v.attrs.missing_value)) {
    const s = asStoredType(m, storedType);
    if (!fills.includes(s)) fills.push(s);
  }
  const range = nums(v.attrs.valid_range);
  const validMin = num(v.attrs.valid_min) ?? (range.length === 2 ? range[0] : undefined);
  const validMax = num(v.attrs.valid_max) ?? (range.length === 2 ? range[1] : undefined);
  const codec = makeCodec({
    scaleFactor,
    addOffset,
    unitsToM: perUnit ?? 1,
    positiveDown,
    fills,
    validMin: validMin ?? undefined,
    validMax: validMax ?? undefined,
  });
  return { codec, units, metresPerStoredUnit: perUnit ?? 1, positiveDown, scaleFactor, addOffset, nodata: fills.filter((f) => !Number.isNaN(f)) };
}

/** Refuses grids whose CF grid_mapping is not plain latitude/longitude. */
function checkGridMapping(model: NcModel, v: NcVariable): void {
  const mappingName = str(v.attrs.grid_mapping);
  if (!mappingName) return;
  const mapping = model.variables.find((x) => x.name === mappingName.split(/[\s:]/)[0]);
  const kind = mapping ? str(mapping.attrs.grid_mapping_name) : null;
  if (kind && kind !== 'latitude_longitude') {
    throw new GridError(
      model.path,
      `'${v.name}' is on a '${kind}' projection (grid_mapping '${mappingName}'): reproject to lon/lat first, e.g. \`gdalwarp -t_srs EPSG:4326\``,
    );
  }
}

async function axisFromCoordinate(model: NcModel, dim: string, axis: Axis, n: number, warnings: string[]): Promise<RegularAxis> {
  const cv = coordinateVariable(model, dim);
  if (!cv) throw new GridError(model.path, `dimension '${dim}' has no coordinate variable, so its ${axis === 'lon' ? 'longitudes' : 'latitudes'} are unknown`);
  const units = str(cv.attrs.units);
  if (units !== null) {
    const lower = units.toLowerCase();
    const isDegrees = /^degrees?(_?(east|west|north|south|e|w|n|s))?$/.test(lower) || lower === 'deg' || lower === 'arc_degree';
    if (!isDegrees) {
      if (metresPerUnit(units) !== null && units !== '') {
        throw new GridError(
          model.path,
          `coordinate '${dim}' is in '${units}', not degrees: a projected grid; reproject to lon/lat first, e.g. \`gdalwarp -t_srs EPSG:4326\``,
        );
      }
      warnings.push(`coordinate '${dim}' has units '${units}': taken as degrees`);
    }
  } else {
    warnings.push(`coordinate '${dim}' has no units: taken as degrees`);
  }
  const values = await model.readWhole(dim);
  if (values.length !== n) throw new GridError(model.path, `coordinate '${dim}' has ${values.length} values for a dimension of ${n}`);
  return fitRegularAxis(values, dim, model.path);
}

async function resolveCf(model: NcModel, v: NcVariable): Promise<ResolvedNcGrid> {
  const { path } = model;
  const warnings: string[] = [];
  checkGridMapping(model, v);
  const bigDims = v.dims.map((d, i) => ({ d, i })).filter(({ i }) => v.shape[i] > 1);
  const axes = bigDims.map(({ d }) => classifyDim(model, d));
  const xAt = bigDims[axes.indexOf('lon')];
  const yAt = bigDims[axes.indexOf('lat')];
  const lon = await axisFromCoordinate(model, xAt.d, 'lon', v.shape[xAt.i], warnings);
  const lat = await axisFromCoordinate(model, yAt.d, 'lat', v.shape[yAt.i], warnings);
  const geometry = geographicGeometry({ path, lon, lat, registration: registrationOf(model, v), warnings });
  const storedType = storedTypeOf(v, path);
  return {
    variable: v,
    storedType,
    geometry,
    storageShape: v.shape.slice(),
    yDim: yAt.i,
    xDim: xAt.i,
    ...valueConventions(v, storedType, path, warnings),
    warnings,
  };
}

async function resolveGmtLegacy(model: NcModel, v: NcVariable): Promise<ResolvedNcGrid> {
  const { path } = model;
  const warnings: string[] = [];
  const [xr, yr, dim] = await Promise.all(['x_range', 'y_range', 'dimension'].map((n) => model.readWhole(n)));
  if (xr.length !== 2 || yr.length !== 2 || dim.length !== 2) throw new GridError(path, 'GMT grid with malformed x_range / y_range / dimension');
  const nx = Math.round(dim[0]);
  const ny = Math.round(dim[1]);
  if (nx * ny !== v.shape[0]) throw new GridError(path, `GMT grid: dimension ${nx} × ${ny} does not match ${v.shape[0]} values of '${v.name}'`);
  const registration = registrationOf(model, v);
  const cellsX = registration === 'pixel' ? nx : nx - 1;
  const cellsY = registration === 'pixel' ? ny : ny - 1;
  const dx = (xr[1] - xr[0]) / cellsX;
  const dy = (yr[1] - yr[0]) / cellsY;
  if (!(dx > 0) || !(dy > 0)) throw new GridError(path, `GMT grid: x_range ${xr[0]}..${xr[1]} / y_range ${yr[0]}..${yr[1]} are not increasing`);
  const xUnits = model.variables.find((x) => x.name === 'x_range')?.attrs.units;
  if (typeof xUnits === 'string' && /\b(m|meters?|metres?|km)\b/i.test(xUnits)) {
    throw new GridError(path, `GMT grid x_range is in '${xUnits}', not degrees: a projected grid; reproject to lon/lat first`);
  }
  const half = registration === 'pixel' ? 0.5 : 0;
  // rows are stored from the north
  const lon: RegularAxis = { start: xr[0] + half * dx, step: dx, n: nx };
  const lat: RegularAxis = { start: yr[1] - half * dy, step: -dy, n: ny };
  const geometry = geographicGeometry({ path, lon, lat, registration, warnings });
  const storedType = storedTypeOf(v, path);
  return {
    variable: v,
    storedType,
    geometry,
    storageShape: [ny, nx],
    yDim: 0,
    xDim: 1,
    ...valueConventions(v, storedType, path, warnings),
    warnings,
  };
}
