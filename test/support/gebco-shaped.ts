/**
 * A netCDF-4 file shaped like GEBCO 2024 / SRTM15+ (86,400 × 43,200 int16 `elevation`, 15″ cells, south
 * row first, lat/lon dimension scales, GEBCO's CF attributes, contiguous and uncompressed: 7.46 GB of
 * values) written sparse: only the row bands asked for are written, so the file takes a few MB of disk.
 * Tests use it to read beyond 4 GiB; `write-gebco-shaped.ts` runs the writer in a child process.
 *
 * h5wasm's `create_dataset` wants every value in memory. The dataset is created through its lower-level
 * call with no data instead: HDF5 makes the dataset, refuses the write ("no input buffer", printed on
 * stderr) and carries on; contiguous storage is allocated at the first `write_slice`, which writes only
 * its rows, so the rest of the file stays a hole. In a child process, because that refusal prints its
 * error stack on stderr and h5wasm has no call to turn that off.
 */
import h5wasm, { type Dataset } from 'h5wasm/node';

export const GEBCO_WIDTH = 86_400;
export const GEBCO_HEIGHT = 43_200;
/** Cell size, degrees (15″). */
export const GEBCO_SPACING_DEG = 1 / 240;
/** Bytes of the elevation values: more than 4 GiB, so offsets past 2^32 are read. */
export const GEBCO_VALUE_BYTES = GEBCO_WIDTH * GEBCO_HEIGHT * 2;

/** Latitude of storage row `row` (cell centres, south row first as GEBCO stores them). */
export const gebcoLat = (row: number): number => -90 + (row + 0.5) * GEBCO_SPACING_DEG;
/** Longitude of column `col` (cell centres, −180..180). */
export const gebcoLon = (col: number): number => -180 + (col + 0.5) * GEBCO_SPACING_DEG;

/**
 * An int16 elevation that differs from its neighbours in both directions and between far-apart rows,
 * so a row or column read from the wrong place, or bytes swapped, shows.
 *
 * @example markerElevation(0, 0) // -11000
 */
export const markerElevation = (row: number, col: number): number => ((row * 7919 + col * 104_729) % 20_000) - 11_000;

/** Rows [row0, row0 + rows) of the grid, storage order. */
export interface RowBand {
  row0: number;
  rows: number;
}

type Attrs = Record<string, string | number>;

const COORD_ATTRS: Record<'lat' | 'lon', Attrs> = {
  lat: {
    standard_name: 'latitude',
    long_name: 'latitude',
    units: 'degrees_north',
    axis: 'Y',
    sdn_parameter_urn: 'SDN:P01::ALATZZ01',
    sdn_parameter_name: 'Latitude north',
    sdn_uom_urn: 'SDN:P06::DEGN',
    sdn_uom_name: 'Degrees north',
  },
  lon: {
    standard_name: 'longitude',
    long_name: 'longitude',
    units: 'degrees_east',
    axis: 'X',
    sdn_parameter_urn: 'SDN:P01::ALONZZ01',
    sdn_parameter_name: 'Longitude east',
    sdn_uom_urn: 'SDN:P06::DEGE',
    sdn_uom_name: 'Degrees east',
  },
};

/** As in GEBCO_2024.nc (no _FillValue: every cell has a value). */
const ELEVATION_ATTRS: Attrs = {
  standard_name: 'height_above_mean_sea_level',
  long_name: 'Elevation relative to sea level',
  units: 'm',
  grid_mapping: 'crs',
  sdn_parameter_urn: 'SDN:P01::BATHHGHT',
  sdn_parameter_name: 'Sea floor height (above mean sea level) {bathymetric height}',
  sdn_uom_urn: 'SDN:P06::ULAA',
  sdn_uom_name: 'Metres',
};

const GLOBAL_ATTRS: Attrs = {
  Conventions: 'CF-1.6, ACDD-1.3',
  title: 'The GEBCO_2024 Grid - a continuous terrain model for oceans and land at 15 arc-second intervals (test copy: sparse, marker values)',
  institution: 'seamount-detect tests',
  geospatial_lat_min: -90,
  geospatial_lat_max: 90,
  geospatial_lon_min: -180,
  geospatial_lon_max: 180,
  geospatial_lat_resolution: GEBCO_SPACING_DEG,
  geospatial_lon_resolution: GEBCO_SPACING_DEG,
  geospatial_vertical_positive: 'up',
  node_offset: 1,
};

function setAttrs(target: { create_attribute(name: string, value: string | number | Float64Array): unknown }, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) target.create_attribute(name, typeof value === 'number' ? Float64Array.of(value) : value);
}

/**
 * Writes the sparse GEBCO-shaped file: coordinates, attributes and the rows of `bands` from `elevation`
 * (row and column in storage order, south row first). Call it in a child process (see the header).
 *
 * @example await writeGebcoShaped('/tmp/gebco.nc', [{ row0: 0, rows: 8 }, { row0: 43_192, rows: 8 }], markerElevation);
 */
export async function writeGebcoShaped(path: string, bands: RowBand[], elevation: (row: number, col: number) => number): Promise<void> {
  const Module = await h5wasm.ready;
  const f = new h5wasm.File(path, 'w');
  try {
    setAttrs(f, GLOBAL_ATTRS);
    for (const [name, n, at] of [
      ['lat', GEBCO_HEIGHT, gebcoLat],
      ['lon', GEBCO_WIDTH, gebcoLon],
    ] as const) {
      const axis = f.create_dataset({ name, data: Float64Array.from({ length: n }, (_, i) => at(i)) }) as Dataset;
      setAttrs(axis, COORD_ATTRS[name]);
      axis.make_scale(name);
    }
    const crs = f.create_dataset({ name: 'crs', data: 0, dtype: '<i4' }) as Dataset;
    setAttrs(crs, { grid_mapping_name: 'latitude_longitude', epsg_code: 'EPSG:4326', semi_major_axis: 6_378_137, inverse_flattening: 298.257223563 });

    const shape = [BigInt(GEBCO_HEIGHT), BigInt(GEBCO_WIDTH)];
    // contiguous int16 without data: HDF5 refuses the null write (stderr) and leaves the storage unallocated
    Module.create_dataset(f.file_id, '/elevation', 0n, {
      type: Module.H5T_class_t.H5T_INTEGER.value,
      size: 2,
      signed: true,
      littleEndian: true,
      vlen: false,
      total_size: GEBCO_WIDTH * GEBCO_HEIGHT,
      shape,
      maxshape: shape,
    });
    const z = f.get('elevation') as Dataset;
    z.attach_scale(0, '/lat');
    z.attach_scale(1, '/lon');
    setAttrs(z, ELEVATION_ATTRS);
    for (const band of bands) {
      const values = new Int16Array(band.rows * GEBCO_WIDTH);
      for (let j = 0; j < band.rows; j++) for (let i = 0; i < GEBCO_WIDTH; i++) values[j * GEBCO_WIDTH + i] = elevation(band.row0 + j, i);
      z.write_slice(
        [
          [band.row0, band.row0 + band.rows],
          [0, GEBCO_WIDTH],
        ],
        values,
      );
    }
  } finally {
    f.close();
  }
}
