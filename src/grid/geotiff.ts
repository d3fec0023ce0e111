/**
 * GeoTIFF / COG reader: geotiff.js parses the image file directories and provides the decoders;
 * this module fetches and decodes one tile or group of strips per block with ranged reads from a
 * ByteSource (a local file, or an HTTP(S)/S3 object), so only the blocks a window touches are read.
 * Full-resolution image (index 0) of a COG; the smallest overview serves `seamount info`'s value
 * range. Deflate is decoded with Node's zlib (faster than the JavaScript inflate, and reports corrupt
 * streams).
 */
import { inflateSync } from 'node:zlib';
import { BaseDecoder, GeoTIFF, addDecoder, getDecoder, type GeoTIFFImage } from 'geotiff';
import type { GridGeometry } from '../types.js';
import { BlockGrid, makeInfo, type BlockSource, type FileGrid, type Overview } from './block-grid.js';
import { geographicGeometry } from './axes.js';
import { BlockCachedBytes, FileByteSource, type ByteSource, type RemoteObject, type TransferStats } from './byte-source.js';
import { GridError, asGridError } from './errors.js';
import { asStoredType, decodeRect, makeCodec, metresPerUnit, storedTypeBytes, type StoredType, type ValueCodec } from './values.js';

class NodeInflateDecoder extends BaseDecoder {
  override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
    const out = inflateSync(new Uint8Array(buffer));
    return out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out.buffer : out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
  }
}
addDecoder([8, 32946], () => Promise.resolve(NodeInflateDecoder));

const COMPRESSION_NAMES: Record<number, string> = {
  1: 'none',
  2: 'CCITT RLE',
  3: 'CCITT fax3',
  4: 'CCITT fax4',
  5: 'LZW',
  6: 'old JPEG',
  7: 'JPEG',
  8: 'deflate',
  32946: 'deflate',
  32773: 'PackBits',
  34887: 'LERC',
  34925: 'LZMA',
  50000: 'ZSTD',
  50001: 'WebP',
  50002: 'JPEG-XL',
};

/** Target decoded size of one block (strips are grouped up to it), bytes. */
const BLOCK_BYTES = 1 << 20;

type Decoder = Awaited<ReturnType<typeof getDecoder>>;

/**
 * Horizontal differencing (predictor 2) of a big-endian file, undone here: geotiff.js adds the
 * differences in the machine's (little-endian) byte order, which corrupts multi-byte samples.
 * Swaps to little-endian first, then integer typed arrays wrap the sums exactly as the encoder did.
 */
function undoBigEndianDifferencing(buf: ArrayBufferLike, type: StoredType, rowValues: number, spp: number): ArrayLike<number> {
  const b = Buffer.from(buf as ArrayBuffer);
  let v: Int16Array | Uint16Array | Int32Array | Uint32Array;
  switch (type) {
    case 'int16':
      b.swap16();
      v = new Int16Array(buf, 0, b.length >> 1);
      break;
    case 'uint16':
      b.swap16();
      v = new Uint16Array(buf, 0, b.length >> 1);
      break;
    case 'int32':
      b.swap32();
      v = new Int32Array(buf, 0, b.length >> 2);
      break;
    case 'uint32':
      b.swap32();
      v = new Uint32Array(buf, 0, b.length >> 2);
      break;
    default:
      throw new Error(`predictor 2 on big-endian ${type} samples is not supported`);
  }
  for (let row = 0; row + rowValues <= v.length; row += rowValues) {
    for (let i = row + spp; i < row + rowValues; i++) v[i] += v[i - spp];
  }
  return v;
}

interface TiffLayout {
  tiled: boolean;
  tileWidth: number;
  tileHeight: number;
  samplesPerPixel: number;
  planar: 1 | 2;
  band: number;
  type: StoredType;
  littleEndian: boolean;
  /** Big-endian multi-byte samples with predictor 2: the decoder leaves the differences to us. */
  manualPredictor: boolean;
  offsets: number[];
  byteCounts: number[];
}

function storedTypeOf(path: string, format: number, bits: number): StoredType {
  const t = format === 3 ? `float${bits}` : format === 2 ? `int${bits}` : format === 1 ? `uint${bits}` : null;
  const ok: string[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float16', 'float32', 'float64'];
  if (!t || !ok.includes(t)) throw new GridError(path, `unsupported sample type (SampleFormat ${format}, ${bits} bits)`);
  return t as StoredType;
}

/** Views decoded bytes as numbers of the stored type (byte order of the file). */
function typedView(buf: ArrayBufferLike, type: StoredType, littleEndian: boolean): ArrayLike<number> {
  const bytes = storedTypeBytes(type);
  const n = Math.floor(buf.byteLength / bytes);
  if (littleEndian && type !== 'float16') {
    switch (type) {
      case 'int8':
        return new Int8Array(buf, 0, n);
      case 'uint8':
        return new Uint8Array(buf, 0, n);
      case 'int16':
        return new Int16Array(buf, 0, n);
      case 'uint16':
        return new Uint16Array(buf, 0, n);
      case 'int32':
        return new Int32Array(buf, 0, n);
      case 'uint32':
        return new Uint32Array(buf, 0, n);
      case 'float32':
        return new Float32Array(buf, 0, n);
      case 'float64':
        return new Float64Array(buf, 0, n);
      default:
        break;
    }
  }
  const view = new DataView(buf);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * bytes;
    switch (type) {
      case 'int8':
        out[i] = view.getInt8(at);
        break;
      case 'uint8':
        out[i] = view.getUint8(at);
        break;
      case 'int16':
        out[i] = view.getInt16(at, littleEndian);
        break;
      case 'uint16':
        out[i] = view.getUint16(at, littleEndian);
        break;
      case 'int32':
        out[i] = view.getInt32(at, littleEndian);
        break;
      case 'uint32':
        out[i] = view.getUint32(at, littleEndian);
        break;
      case 'float16':
        out[i] = float16(view.getUint16(at, littleEndian));
        break;
      case 'float32':
        out[i] = view.getFloat32(at, littleEndian);
        break;
      default:
        out[i] = view.getFloat64(at, littleEndian);
        break;
    }
  }
  return out;
}

function float16(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

class TiffBlocks implements BlockSource {
  readonly blockWidth: number;
  readonly blockHeight: number;
  /** Strips per block (1 for tiles). */
  private readonly group: number;
  private readonly blocksAcross: number;
  private readonly blocksDown: number;

  constructor(
    private readonly bytes: ByteSource,
    private readonly tiff: GeoTIFF,
    private readonly path: string,
    private readonly size: number,
    private readonly width: number,
    private readonly height: number,
    private readonly l: TiffLayout,
    private readonly decoder: Decoder,
    private readonly codec: ValueCodec,
  ) {
    if (l.tiled) {
      this.group = 1;
      this.blockWidth = l.tileWidth;
      this.blockHeight = l.tileHeight;
    } else {
      this.group = Math.max(1, Math.floor(BLOCK_BYTES / (width * l.tileHeight * 4)));
      this.blockWidth = width;
      this.blockHeight = Math.min(height, l.tileHeight * this.group);
    }
    this.blocksAcross = Math.ceil(width / l.tileWidth);
    this.blocksDown = Math.ceil(height / l.tileHeight);
  }

  /** Decoded raw values of tile or strip (tx, ty), or null when it is sparse (not written). */
  private async tileOrStrip(tx: number, ty: number): Promise<ArrayLike<number> | null> {
    const l = this.l;
    let index = ty * this.blocksAcross + tx;
    if (l.planar === 2) index += l.band * this.blocksAcross * this.blocksDown;
    const offset = l.offsets[index];
    const count = l.byteCounts[index];
    if (offset === undefined || count === undefined) throw new GridError(this.path, `no offset for block ${index} (corrupt directory)`);
    if (count === 0) return null;
    if (offset + count > this.size) {
      throw new GridError(
        this.path,
        `truncated file: ${l.tiled ? 'tile' : 'strip'} ${index} needs bytes ${offset}..${offset + count - 1}, the file has ${this.size}`,
      );
    }
    const bytes = await this.bytes.read(offset, count);
    let decoded: ArrayBufferLike;
    try {
      decoded = await this.decoder.decode(bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer);
    } catch (err) {
      throw asGridError(this.path, err, `corrupt ${l.tiled ? 'tile' : 'strip'} ${index} (decompression failed)`);
    }
    if (l.manualPredictor)
      return undoBigEndianDifferencing(decoded, l.type, l.tileWidth * (l.planar === 1 ? l.samplesPerPixel : 1), l.planar === 1 ? l.samplesPerPixel : 1);
    return typedView(decoded, l.type, l.littleEndian);
  }

  async readBlock(bx: number, by: number): Promise<Float32Array> {
    const l = this.l;
    const x0 = bx * this.blockWidth;
    const y0 = by * this.blockHeight;
    const w = Math.min(this.blockWidth, this.width - x0);
    const h = Math.min(this.blockHeight, this.height - y0);
    const out = new Float32Array(w * h);
    const spp = l.planar === 1 ? l.samplesPerPixel : 1;
    const sample = l.planar === 1 ? l.band : 0;
    const parts = l.tiled
      ? [{ tx: bx, ty: by, row: 0 }]
      : Array.from({ length: Math.ceil(h / l.tileHeight) }, (_, k) => ({ tx: 0, ty: by * this.group + k, row: k * l.tileHeight }));
    await Promise.all(
      parts.map(async ({ tx, ty, row }) => {
        const rows = Math.min(l.tileHeight, h - row);
        const target = out.subarray(row * w, (row + rows) * w);
        const raw = await this.tileOrStrip(tx, ty);
        if (raw === null) {
          target.fill(NaN);
          return;
        }
        const need = ((rows - 1) * l.tileWidth + w) * spp;
        if (raw.length < need) throw new GridError(this.path, `corrupt block (${tx}, ${ty}): ${raw.length} values decoded, ${need} needed`);
        decodeRect(raw, sample, l.tileWidth * spp, spp, w, rows, this.codec, target);
      }),
    );
    return out;
  }

  /** The smallest reduced-resolution image (a COG's last overview) decoded to metres, or null when there is none. */
  async overview(): Promise<Overview | null> {
    const count = await this.tiff.getImageCount();
    if (count < 2) return null;
    const image = await this.tiff.getImage(count - 1);
    const width = image.getWidth();
    const height = image.getHeight();
    const raster = (await image.readRasters({ samples: [this.l.band], interleave: true })) as unknown as ArrayLike<number>;
    const values = decodeRect(raster, 0, width, 1, width, height, this.codec);
    return { width, height, values, level: count - 1 };
  }

  transferStats(): TransferStats | null {
    const s = (this.bytes as ByteSource & { stats?: TransferStats }).stats;
    return s ? { ...s } : null;
  }

  async close(): Promise<void> {
    await this.bytes.close();
    await this.tiff.close();
  }
}

/** geotiff.js's view of a ByteSource: the `fetch` of its BaseSource, through a small header cache for remote objects. */
function tiffSource(bytes: ByteSource, cached: BlockCachedBytes | null): ConstructorParameters<typeof GeoTIFF>[0] {
  const toBuffer = (u: Uint8Array): ArrayBuffer => (u.byteOffset === 0 && u.byteLength === u.buffer.byteLength ? u.buffer : u.slice().buffer) as ArrayBuffer;
  const sliceOf = async ({ offset, length }: { offset: number; length: number }): Promise<ArrayBuffer> => {
    if (cached) return toBuffer(await cached.read(offset, length));
    const end = Math.min(bytes.size, offset + length);
    return end > offset ? toBuffer(await bytes.read(offset, end - offset)) : new ArrayBuffer(0);
  };
  const source = {
    fetch: (slices: Array<{ offset: number; length: number }>) => Promise.all(slices.map(sliceOf)),
    fetchSlice: async (slice: { offset: number; length: number }) => ({ ...slice, data: await sliceOf(slice) }),
    get fileSize() {
      return bytes.size;
    },
    close: async () => undefined,
  };
  return source as unknown as ConstructorParameters<typeof GeoTIFF>[0];
}

/** Items of GDAL's band metadata that carry meaning (role scale, offset, unittype). */
export function gdalBandRoles(xml: string | undefined, band: number): { scale?: number; offset?: number; unitType?: string } {
  const out: { scale?: number; offset?: number; unitType?: string } = {};
  if (!xml) return out;
  for (const m of xml.matchAll(/<Item\s+([^>]*)>([^<]*)<\/Item>/g)) {
    const attrs = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    if (attrs.sample !== undefined && Number(attrs.sample) !== band) continue;
    if (attrs.sample === undefined) continue;
    const role = (attrs.role ?? '').toLowerCase();
    const text = m[2].trim();
    if (role === 'scale') out.scale = Number(text);
    else if (role === 'offset') out.offset = Number(text);
    else if (role === 'unittype') out.unitType = text;
  }
  return out;
}

function parseBand(path: string, variable: string | null | undefined, samples: number): number {
  if (!variable) return 0;
  const m = /^(?:band\s*)?(\d+)$/i.exec(variable.trim());
  if (!m) throw new GridError(path, `GeoTIFF variables are bands: use 'band 1' .. 'band ${samples}', not '${variable}'`);
  const band = Number(m[1]);
  if (band < 1 || band > samples) throw new GridError(path, `band ${band} does not exist (the file has ${samples})`);
  return band - 1;
}

const toNumbers = (v: unknown): number[] => (v === undefined || v === null ? [] : Array.from(v as ArrayLike<number | bigint>, Number));

/** Lon/lat geometry from the tie point and pixel scale (or an unrotated transformation matrix). */
async function tiffGeometry(path: string, image: GeoTIFFImage, width: number, height: number, warnings: string[]): Promise<GridGeometry> {
  const fd = image.fileDirectory;
  const keys = (fd.parseGeoKeyDirectory() ?? {}) as Record<string, unknown>;
  const modelType = keys.GTModelTypeGeoKey as number | undefined;
  const projected = keys.ProjectedCSTypeGeoKey as number | undefined;
  if (modelType === 1 || (projected !== undefined && modelType !== 2)) {
    const epsg = projected && projected !== 32767 ? ` (EPSG:${projected})` : '';
    throw new GridError(path, `projected coordinate system${epsg}: reproject to lon/lat first, e.g. \`gdalwarp -t_srs EPSG:4326 in.tif out.tif\``);
  }
  if (modelType === 3) throw new GridError(path, 'geocentric coordinate system: not a lon/lat grid');
  const angular = keys.GeogAngularUnitsGeoKey as number | undefined;
  if (angular !== undefined && angular !== 9102 && angular !== 9122) {
    throw new GridError(path, `angular unit code ${angular} is not degrees (EPSG 9102)`);
  }
  if (modelType === undefined) warnings.push('no coordinate system in the file: coordinates taken as lon/lat degrees');
  const pointRaster = keys.GTRasterTypeGeoKey === 2;
  const scale = toNumbers(fd.getValue('ModelPixelScale'));
  const ties = toNumbers(fd.getValue('ModelTiepoint'));
  const matrix = toNumbers(fd.getValue('ModelTransformation'));
  let originX: number;
  let originY: number;
  let sx: number;
  let sy: number; // degrees per row, positive going down the image
  if (ties.length > 6) throw new GridError(path, 'georeferenced by ground control points: warp it to a regular lon/lat grid first (gdalwarp)');
  if (scale.length >= 2 && ties.length >= 6) {
    [sx, sy] = scale;
    originX = ties[3] - ties[0] * sx;
    originY = ties[4] + ties[1] * sy;
  } else if (matrix.length >= 16) {
    if (matrix[1] !== 0 || matrix[4] !== 0) throw new GridError(path, 'rotated or sheared raster: warp it to a regular lon/lat grid first (gdalwarp)');
    sx = matrix[0];
    sy = -matrix[5];
    originX = matrix[3];
    originY = matrix[7];
  } else {
    throw new GridError(path, 'not georeferenced (no tie point and pixel scale, no transformation)');
  }
  if (!(sx > 0) || sy === 0 || !Number.isFinite(sy)) throw new GridError(path, `unusable pixel size ${sx} × ${sy}`);
  // the origin is a pixel corner for PixelIsArea, a pixel centre for PixelIsPoint
  const half = pointRaster ? 0 : 0.5;
  return geographicGeometry({
    path,
    lon: { start: originX + half * sx, step: sx, n: width },
    lat: { start: originY - half * sy, step: -sy, n: height },
    registration: pointRaster ? 'gridline' : 'pixel',
    warnings,
  });
}

export interface GeoTiffOptions {
  /** 'band N' (1-based); default band 1. */
  variable?: string | null;
  cacheBytes: number;
  /** Where the bytes come from (default: the local file `path`); closed with the grid. */
  bytes?: ByteSource;
  /** Set for remote objects: recorded in the grid's info; header reads then go through a bounded block cache. */
  remote?: RemoteObject;
  /** Bytes already read from offset 0 (a remote probe), seeding the header cache. */
  head?: Uint8Array;
}

/** Opens a GeoTIFF grid: parses the first image file directory only. */
export async function openGeoTiff(path: string, options: GeoTiffOptions): Promise<FileGrid> {
  const bytes = options.bytes ?? (await FileByteSource.open(path));
  let tiff: GeoTIFF | null = null;
  try {
    const size = bytes.size;
    let cached: BlockCachedBytes | null = null;
    if (options.remote) {
      // header, directories and tile offset arrays: 16 KiB blocks, at most 4 MiB kept
      cached = new BlockCachedBytes(bytes, 1 << 14, 256);
      if (options.head) cached.seed(options.head);
    }
    try {
      tiff = await GeoTIFF.fromSource(tiffSource(bytes, cached));
    } catch (err) {
      throw asGridError(path, err, 'corrupt TIFF header');
    }
    let image: GeoTIFFImage;
    try {
      image = await tiff.getImage(0);
    } catch (err) {
      throw asGridError(path, err, 'corrupt or truncated TIFF directory');
    }
    const fd = image.fileDirectory;
    const width = image.getWidth();
    const height = image.getHeight();
    if (!(width > 0 && height > 0)) throw new GridError(path, `image is ${width} × ${height} pixels`);
    const samples = image.getSamplesPerPixel();
    const band = parseBand(path, options.variable, samples);
    const warnings: string[] = [];
    if (samples > 1 && !options.variable) warnings.push(`${samples} bands: reading band 1`);
    const bits = image.getBitsPerSample(band);
    const type = storedTypeOf(path, image.getSampleFormat(band), bits);
    const compression = (fd.getValue('Compression') as number | undefined) ?? 1;
    const tiled = image.isTiled;
    const tileWidth = image.getTileWidth();
    const tileHeight = image.getTileHeight();
    const predictor = ((await fd.loadValue('Predictor')) as number | undefined) ?? 1;
    const manualPredictor = !image.littleEndian && predictor === 2 && bits > 8;
    if (manualPredictor && type.startsWith('float'))
      throw new GridError(path, `big-endian ${type} with predictor 2 is not supported: rewrite with PREDICTOR=3 or little-endian`);
    let decoder: Decoder;
    try {
      decoder = await getDecoder(compression, {
        tileWidth,
        tileHeight,
        planarConfiguration: image.planarConfiguration,
        bitsPerSample: toNumbers(fd.getValue('BitsPerSample')),
        predictor: manualPredictor ? 1 : predictor,
        samplesPerPixel: samples,
        ...(fd.hasTag('JPEGTables') ? { JPEGTables: await fd.loadValue('JPEGTables') } : {}),
        ...(fd.hasTag('LercParameters') ? { LercParameters: await fd.loadValue('LercParameters') } : {}),
      } as Parameters<typeof getDecoder>[1]);
    } catch (err) {
      const name = COMPRESSION_NAMES[compression] ?? 'unknown';
      throw new GridError(path, `unsupported compression ${compression} (${name}): rewrite with deflate or LZW, e.g. \`gdal_translate -co COMPRESS=DEFLATE\``, {
        cause: err,
      });
    }
    if (predictor !== 1 && predictor !== 2 && predictor !== 3) throw new GridError(path, `unsupported predictor ${predictor}`);
    const offsets = toNumbers(await fd.loadValue(tiled ? 'TileOffsets' : 'StripOffsets'));
    const byteCounts = toNumbers(await fd.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts'));
    const blocksPerBand = Math.ceil(width / tileWidth) * Math.ceil(height / tileHeight);
    const expected = blocksPerBand * (image.planarConfiguration === 2 ? samples : 1);
    if (offsets.length < expected || byteCounts.length < expected) {
      throw new GridError(path, `corrupt directory: ${offsets.length} ${tiled ? 'tile' : 'strip'} offsets for ${expected} blocks`);
    }
    const geometry = await tiffGeometry(path, image, width, height, warnings);

    const roles = gdalBandRoles((await fd.loadValue('GDAL_METADATA')) as string | undefined, band);
    const perUnit = metresPerUnit(roles.unitType);
    if (perUnit === null) warnings.push(`band unit '${roles.unitType}' is not a length we know: values taken as metres`);
    const nodataRaw = image.getGDALNoData();
    const nodata = nodataRaw === null || Number.isNaN(nodataRaw) ? [] : [asStoredType(nodataRaw, type === 'float16' ? 'float32' : type)];
    const codec = makeCodec({ scaleFactor: roles.scale, addOffset: roles.offset, unitsToM: perUnit ?? 1, fills: nodata });
    const layout: TiffLayout = {
      tiled,
      tileWidth,
      tileHeight,
      samplesPerPixel: samples,
      planar: image.planarConfiguration,
      band,
      type,
      littleEndian: image.littleEndian,
      manualPredictor,
      offsets,
      byteCounts,
    };
    const blocks = new TiffBlocks(bytes, tiff, path, size, width, height, layout, decoder, codec);
    const overviews = await tiff.getImageCount().catch(() => 1);
    const layoutText = `${tiled ? `tiled ${tileWidth}×${tileHeight}` : `striped, ${tileHeight} rows per strip`}, ${COMPRESSION_NAMES[compression] ?? compression}${predictor > 1 ? ` (predictor ${predictor})` : ''}${overviews > 1 ? `, ${overviews - 1} overviews (full resolution read)` : ''}`;
    return new BlockGrid(
      geometry,
      makeInfo(geometry, {
        path,
        format: 'geotiff',
        variable: `band ${band + 1}`,
        dataType: type,
        units: roles.unitType ?? null,
        metresPerStoredUnit: perUnit ?? 1,
        positiveDown: false,
        scaleFactor: roles.scale ?? 1,
        addOffset: roles.offset ?? 0,
        nodata,
        layout: layoutText,
        blockShape: [blocks.blockWidth, blocks.blockHeight],
        warnings,
        ...(options.remote ? { remote: options.remote } : {}),
      }),
      blocks,
      { cacheBytes: options.cacheBytes },
    );
  } catch (err) {
    await bytes.close();
    await tiff?.close();
    throw asGridError(path, err, 'cannot open GeoTIFF');
  }
}
