/**
 * Scenes made into grids: `gmt grdseamount` plants the seamounts (an independent generator: GMT's C code,
 * not ours), then a background is added — flat, a regional slope, or real residual sea floor (a GEBCO
 * 15″ tile of the Indian Ocean with no catalogued seamount, its trend removed by `gmt grdfilter`,
 * block-averaged to the cell size and mirrored to cover the scene).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryGrid } from '../../test/support/memory-grid.js';
import { KM_PER_DEG } from '../../src/base/geodesy.js';
import type { PlantedSeamount, Scene } from './scenes.js';
const { cos, floor, PI, round } = Math;

/** Regional depth of the flat and noisy scenes, m. */
export const BASE_DEPTH_M = -5000;
/** The sloping scenes' depth at their centre, m (deeper, so their shallow corner's seamounts stay below sea level). */
export const SLOPING_CENTRE_DEPTH_M = -6000;
/** Regional slope of the sloping scenes, m/km east and north (0.29°, a ridge flank's). */
export const SLOPE_M_PER_KM: [number, number] = [4, -3];

/** The residual tile: GEBCO 2020 15″, 84.9°E–87.1°E, 7.9°S–5.7°S, no KW or Gevorgian seamount in it. */
export const RESIDUAL_TILE = '../shared/data/grids/gebco2020_15s_tiles/Tile_-6.82_86.01_EPSG4326_Gebco.tif';
/** Full width of the Gaussian low-pass removed from the tile, km (`grdfilter -Fg`): keeps abyssal hills. */
export const RESIDUAL_FILTER_KM = 60;

export function haveGmt(): boolean {
  try {
    execFileSync('gmt', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** A GMT grid as float32 rows from the north-west corner, with its size. */
function readGmtGrid(path: string): { values: Float32Array; width: number; height: number } {
  const info = execFileSync('gmt', ['grdinfo', path, '-C'], { encoding: 'utf8' }).trim().split(/\s+/);
  const width = Number(info[9]);
  const height = Number(info[10]);
  const raw = execFileSync('gmt', ['grd2xyz', path, '-ZTLf'], { maxBuffer: 1 << 30 });
  const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  if (values.length !== width * height) throw new Error(`${path}: ${values.length} values for ${width} x ${height}`);
  return { values, width, height };
}

/** The seamounts alone on a zero sea floor (gridline-registered, the scene's region and cell). */
export function plantRelief(scene: Scene, workDir: string): Float32Array {
  mkdirSync(workDir, { recursive: true });
  const table = join(workDir, `${scene.name}.txt`);
  // -E: lon lat azimuth semi-major semi-minor height; -F: flattening column; -C: shape code last
  writeFileSync(
    table,
    `${scene.seamounts.map((s) => `${s.lon} ${s.lat} ${s.azimuthDeg} ${s.majorKm} ${s.minorKm} ${s.heightM} ${s.flattening} ${s.shape}`).join('\n')}\n`,
  );
  const out = join(workDir, `${scene.name}.nc`);
  const region = `-R${dm(scene.westMin)}/${dm(scene.eastMin)}/${dm(scene.southMin)}/${dm(scene.northMin)}`;
  execFileSync('gmt', ['grdseamount', table, region, `-I${scene.cellArcSec}s`, '-C', '-E', '-F', '-Z0', '-fg', `-G${out}`], { stdio: 'pipe' });
  const g = readGmtGrid(out);
  const { width, height } = sceneSize(scene);
  if (g.width !== width || g.height !== height) throw new Error(`${scene.name}: GMT made ${g.width} x ${g.height}, expected ${width} x ${height}`);
  return g.values;
}

/** Whole arc minutes as GMT's dd:mm (exact, unlike a decimal of 1/60). */
const dm = (minutes: number): string => `${minutes < 0 ? '-' : ''}${floor(Math.abs(minutes) / 60)}:${Math.abs(minutes) % 60}`;

export function sceneSize(scene: Scene): { width: number; height: number } {
  const perMin = 60 / scene.cellArcSec;
  return { width: round((scene.eastMin - scene.westMin) * perMin) + 1, height: round((scene.northMin - scene.southMin) * perMin) + 1 };
}

/** The high-passed residual tile at 15″ (cached in workDir). */
function residualTile(workDir: string): { values: Float32Array; width: number; height: number } {
  const res = join(workDir, 'residual_15s.nc');
  if (!existsSync(res)) {
    mkdirSync(workDir, { recursive: true });
    const low = join(workDir, 'residual_low.nc');
    execFileSync('gmt', ['grdfilter', RESIDUAL_TILE, `-Fg${RESIDUAL_FILTER_KM}`, '-D4', `-G${low}`], { stdio: 'pipe' });
    execFileSync('gmt', ['grdmath', RESIDUAL_TILE, low, 'SUB', '=', res], { stdio: 'pipe' });
  }
  return readGmtGrid(res);
}

/** Mirror index into 0..n-1 (reflecting at both ends, period 2n). */
function mirror(i: number, n: number): number {
  const p = ((i % (2 * n)) + 2 * n) % (2 * n);
  return p < n ? p : 2 * n - 1 - p;
}

/** The residual block-averaged to k × k cells of 15″ (k = cell / 15″), mirrored over the scene. */
function residualBackground(scene: Scene, workDir: string): Float32Array {
  const tile = residualTile(workDir);
  const k = Math.max(1, round(scene.cellArcSec / 15));
  const bw = floor(tile.width / k);
  const bh = floor(tile.height / k);
  const blocks = new Float32Array(bw * bh);
  for (let j = 0; j < bh; j++) {
    for (let i = 0; i < bw; i++) {
      let s = 0;
      for (let dj = 0; dj < k; dj++) for (let di = 0; di < k; di++) s += tile.values[(j * k + dj) * tile.width + i * k + di];
      blocks[j * bw + i] = s / (k * k);
    }
  }
  const { width, height } = sceneSize(scene);
  const out = new Float32Array(width * height);
  for (let j = 0; j < height; j++) for (let i = 0; i < width; i++) out[j * width + i] = blocks[mirror(j, bh) * bw + mirror(i, bw)];
  return out;
}

/** The regional surface (without residual) at a point of the scene, m. */
export function regionalDepthAt(scene: Scene, lon: number, lat: number): number {
  if (scene.background !== 'sloping') return BASE_DEPTH_M;
  const lonC = (scene.west + scene.east) / 2;
  const latC = (scene.south + scene.north) / 2;
  const eastKm = (lon - lonC) * KM_PER_DEG * cos((latC * PI) / 180);
  const northKm = (lat - latC) * KM_PER_DEG;
  return SLOPING_CENTRE_DEPTH_M + SLOPE_M_PER_KM[0] * eastKm + SLOPE_M_PER_KM[1] * northKm;
}

export interface PlantedGrid {
  grid: MemoryGrid;
  /** The background alone (regional surface + residual), for the truth of summit depths. */
  background: Float32Array;
  /** The seamounts alone. */
  relief: Float32Array;
}

/** The scene as a grid: planted relief + background. */
export function plantScene(scene: Scene, workDir: string): PlantedGrid {
  const relief = plantRelief(scene, workDir);
  const { width, height } = sceneSize(scene);
  const d = scene.cellArcSec / 3600;
  const background = scene.background === 'noisy' ? residualBackground(scene, workDir) : new Float32Array(width * height);
  for (let j = 0; j < height; j++) {
    const lat = scene.north - j * d;
    for (let i = 0; i < width; i++) background[j * width + i] += regionalDepthAt(scene, scene.west + i * d, lat);
  }
  const values = new Float32Array(width * height);
  for (let k = 0; k < values.length; k++) values[k] = relief[k] + background[k];
  const grid = new MemoryGrid({ values, width, height, lon0: scene.west, dLon: d, lat0: scene.north, dLat: -d, path: `bench:${scene.name}` });
  return { grid, background, relief };
}

/** Value of a north-up scene array at the cell nearest (lon, lat). */
export function nearestValue(scene: Scene, values: Float32Array, lon: number, lat: number): number {
  const { width } = sceneSize(scene);
  const d = scene.cellArcSec / 3600;
  return values[round((scene.north - lat) / d) * width + round((lon - scene.west) / d)];
}

/** The planted summit's elevation: background under the centre + height. */
export function trueSummitDepthM(scene: Scene, background: Float32Array, s: PlantedSeamount): number {
  return nearestValue(scene, background, s.lon, s.lat) + s.heightM;
}
