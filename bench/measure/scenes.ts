/**
 * What the measurement benchmark plants: seamounts of every shape `gmt grdseamount` makes, circular and
 * elliptical, flat-topped, alone, in overlapping pairs and chains, laid out on one grid per cell size and
 * background. Pure: the same options give the same scenes, so two runs compare seamount by seamount.
 *
 * Sizes follow real seamounts' height / basal radius of 0.1–0.15 (Smith 1988: 0.21 ± 0.08 for surveyed
 * Pacific seamounts; satellite-era censuses are flatter): "tiny" is below the benchmark's targets (300 m),
 * the others are the targets' seamounts (≥ 500 m).
 */
import { KM_PER_DEG } from '../../src/base/geodesy.js';
import type { ShapeCode } from './shapes.js';
const { ceil, cos, max, PI, sin } = Math;
const DEG = PI / 180;

export type Background = 'flat' | 'sloping' | 'noisy';
export type SizeClass = 'tiny' | 'small' | 'medium' | 'large' | 'guyot';
/** How a seamount stands: alone, or in a group whose members' centres are `spacingR0` basal radii apart. */
export type Arrangement = 'isolated' | 'pair' | 'chain';

export interface PlantedSeamount {
  /** Unique within the benchmark: `<scene>/<group>.<member>`. */
  id: string;
  shape: ShapeCode;
  lon: number;
  lat: number;
  /** Azimuth of the major axis, degrees clockwise from north. */
  azimuthDeg: number;
  /** Semi-axes of the basal ellipse (GMT's r0 along and across the major axis), km. */
  majorKm: number;
  minorKm: number;
  heightM: number;
  /** Plateau radius / basal radius (GMT -F), 0 for a pointed or rounded top. */
  flattening: number;
  size: SizeClass;
  arrangement: Arrangement;
  /** Centre-to-centre distance to the nearest member of its group, in basal radii; null when isolated. */
  spacingR0: number | null;
  /** Ids of the other members of its group. */
  neighbours: string[];
}

export interface Scene {
  name: string;
  /** Cell size, arc seconds (15, 30, 60, 120). */
  cellArcSec: number;
  background: Background;
  /** Edges in whole (even) arc minutes, so every cell size divides the region exactly. */
  westMin: number;
  eastMin: number;
  southMin: number;
  northMin: number;
  west: number;
  east: number;
  south: number;
  north: number;
  seamounts: PlantedSeamount[];
}

export interface SceneOptions {
  cellsArcSec: number[];
  backgrounds: Background[];
  /** Fewer seamounts per grid (one of each kind that the targets judge, one pair, one chain). */
  quick: boolean;
}

/** A group before it is placed: members in km about the group centre. */
interface Group {
  name: string;
  members: Array<Omit<PlantedSeamount, 'id' | 'lon' | 'lat' | 'neighbours'> & { xKm: number; yKm: number }>;
}

const SIZES: Record<Exclude<SizeClass, 'guyot'>, { heightM: number; radiusKm: number }> = {
  tiny: { heightM: 300, radiusKm: 3 },
  small: { heightM: 500, radiusKm: 6 },
  medium: { heightM: 1500, radiusKm: 12 },
  large: { heightM: 3000, radiusKm: 20 },
};
const SHAPES: ShapeCode[] = ['g', 'c', 'p', 'o'];
/** Minor / major axis and azimuth of the elliptical seamounts. */
const ASPECT = 0.55;
const ELLIPSE_AZIMUTH_DEG = 35;
/** Clear sea floor between the footprints of two groups, km: more than the measuring disc (30–40 km). */
const CLEARANCE_KM = 40;
/** Sea floor around the groups, km (the high-pass and the measuring discs stay inside the grid). */
const MARGIN_KM = 70;
/** Latitude of the scenes' centre: cells are 0.87 as wide as tall there, as on most of the ocean. */
const CENTRE_LAT = -30;
const CENTRE_LON = -150;

function single(
  name: string,
  shape: ShapeCode,
  size: SizeClass,
  heightM: number,
  radiusKm: number,
  aspect: number,
  azimuthDeg: number,
  flattening: number,
): Group {
  return {
    name,
    members: [
      { shape, size, heightM, majorKm: radiusKm, minorKm: radiusKm * aspect, azimuthDeg, flattening, arrangement: 'isolated', spacingR0: null, xKm: 0, yKm: 0 },
    ],
  };
}

/** Members in a row along azimuth 70°, `spacingR0` basal radii apart, heights alternating. */
function row(name: string, arrangement: Arrangement, shape: ShapeCode, count: number, radiusKm: number, heights: number[], spacingR0: number): Group {
  const step = spacingR0 * radiusKm;
  const az = 70 * DEG;
  return {
    name,
    members: Array.from({ length: count }, (_, k) => {
      const t = (k - (count - 1) / 2) * step;
      return {
        shape,
        size: 'medium' as SizeClass,
        heightM: heights[k % heights.length],
        majorKm: radiusKm,
        minorKm: radiusKm,
        azimuthDeg: 0,
        flattening: 0,
        arrangement,
        spacingR0,
        xKm: t * sin(az),
        yKm: t * cos(az),
      };
    }),
  };
}

/** The groups planted on every grid. */
function groups(quick: boolean): Group[] {
  const out: Group[] = [];
  const sizes: Array<Exclude<SizeClass, 'guyot'>> = quick ? ['small', 'medium'] : ['tiny', 'small', 'medium', 'large'];
  for (const size of sizes) {
    for (const shape of SHAPES) {
      const { heightM, radiusKm } = SIZES[size];
      out.push(single(`${shape}-${size}`, shape, size, heightM, radiusKm, 1, 0, 0));
      if (size !== 'tiny' && (!quick || size === 'medium'))
        out.push(single(`${shape}-${size}-ell`, shape, size, heightM, radiusKm, ASPECT, ELLIPSE_AZIMUTH_DEG, 0));
    }
  }
  // guyots: GMT flattens the Gaussian, the cone and the parabola (not its polynomial)
  for (const shape of ['g', 'c', 'p'] as ShapeCode[]) {
    for (const f of quick ? [0.4] : [0.3, 0.5]) out.push(single(`${shape}-guyot-${f}`, shape, 'guyot', 2000, 15, 1, 0, f));
  }
  if (!quick) {
    out.push(single('c-guyot-ell', 'c', 'guyot', 2000, 15, ASPECT, 120, 0.4));
    out.push(single('g-guyot-ell', 'g', 'guyot', 2000, 15, ASPECT, 120, 0.4));
  }
  for (const shape of quick ? (['c'] as ShapeCode[]) : (['g', 'c'] as ShapeCode[])) {
    for (const s of quick ? [1.5] : [1, 1.5, 2]) out.push(row(`${shape}-pair-${s}`, 'pair', shape, 2, 10, [1200, 900], s));
    out.push(row(`${shape}-chain-1.5`, 'chain', shape, 4, 8, [1000, 1400, 800, 1200], 1.5));
  }
  return out;
}

/** Radius of a group's footprint about its centre, km. */
const footprintKm = (g: Group): number => max(...g.members.map((m) => Math.hypot(m.xKm, m.yKm) + m.majorKm));

/**
 * The benchmark's scenes: one grid per cell size and background, each with every group laid out in rows
 * (shelf packing, in the order of `groups`), footprints `CLEARANCE_KM` apart.
 *
 * @example buildScenes({ cellsArcSec: [60], backgrounds: ['flat'], quick: true })[0].seamounts.length
 */
export function buildScenes(o: SceneOptions): Scene[] {
  const gs = groups(o.quick);
  // shelf packing in km, x east from the west margin, y south from the north margin
  const rowWidthKm = o.quick ? 420 : 640;
  const placed: Array<{ g: Group; xKm: number; yKm: number }> = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const g of gs) {
    const side = 2 * footprintKm(g) + CLEARANCE_KM;
    if (x > 0 && x + side > rowWidthKm) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    placed.push({ g, xKm: x + side / 2, yKm: y + side / 2 });
    x += side;
    rowHeight = max(rowHeight, side);
  }
  const widthKm = max(...placed.map((p) => p.xKm + footprintKm(p.g) + CLEARANCE_KM / 2)) + 2 * MARGIN_KM;
  const heightKm = y + rowHeight + 2 * MARGIN_KM;
  const kmPerLon = KM_PER_DEG * cos(CENTRE_LAT * DEG);
  const scenes: Scene[] = [];
  // edges on even arc minutes: every cell size (15″ to 2′) divides the region, the same for all scenes
  const westMin = 2 * Math.round((CENTRE_LON - widthKm / 2 / kmPerLon) * 30);
  const northMin = 2 * Math.round((CENTRE_LAT + heightKm / 2 / KM_PER_DEG) * 30);
  const eastMin = westMin + 2 * ceil((widthKm / kmPerLon) * 30);
  const southMin = northMin - 2 * ceil((heightKm / KM_PER_DEG) * 30);
  const [west, east, south, north] = [westMin / 60, eastMin / 60, southMin / 60, northMin / 60];
  for (const background of o.backgrounds) {
    for (const cell of o.cellsArcSec) {
      const name = `${background}-${cell}s`;
      const seamounts: PlantedSeamount[] = [];
      for (const p of placed) {
        const ids = p.g.members.map((_, k) => `${name}/${p.g.name}.${k + 1}`);
        p.g.members.forEach((m, k) => {
          const { xKm, yKm, ...rest } = m;
          const eastKm = MARGIN_KM + p.xKm + xKm;
          const northKm = -(MARGIN_KM + p.yKm) + yKm;
          seamounts.push({
            ...rest,
            id: ids[k],
            lon: west + eastKm / kmPerLon,
            lat: north + northKm / KM_PER_DEG,
            neighbours: ids.filter((_, j) => j !== k),
          });
        });
      }
      scenes.push({ name, cellArcSec: cell, background, westMin, eastMin, southMin, northMin, west, east, south, north, seamounts });
    }
  }
  return scenes;
}
