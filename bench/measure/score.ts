/**
 * One planted seamount against what a method measured there: the truth (from the table GMT planted and
 * the shape's own formulas), the measured figures and their errors. Pure.
 *
 * Conventions of the errors: heights, radii, axes and volumes as signed relative errors (measured / true −
 * 1); position as great-circle km and in cells (north–south cell size); azimuth as the smallest angle
 * between the axes (elliptical seamounts only); summit depth in m; flank slope in degrees; flatness as the
 * difference of plateau radius / basal radius.
 */
import { greatCircleKm, KM_PER_DEG } from '../../src/base/geodesy.js';
import type { PlantedSeamount, Scene } from './scenes.js';
import { shapeTruth } from './shapes.js';

export type Method = 'measure' | 'gaussian' | 'peak' | 'detect';

/** What a method reported for a seamount (the Seamount / Measurement fields the benchmark reads). */
export interface Reported {
  lon: number;
  lat: number;
  summitDepthM: number;
  heightM: number;
  radiusKm: number;
  ellipse: { azimuthDeg: number; majorKm: number; minorKm: number };
  /** Fields added by issue 28; NaN / undefined where the code measured does not have them. */
  volumeKm3?: number;
  flankSlopeDeg?: number;
  plateauShare?: number;
  flatTopped?: boolean;
  heightSdM?: number;
  radiusSdKm?: number;
  seamountClass?: string;
}

export interface Truth {
  heightM: number;
  radiusKm: number;
  majorKm: number;
  minorKm: number;
  azimuthDeg: number;
  summitDepthM: number;
  volumeKm3: number;
  flankSlopeDeg: number;
  flatness: number;
}

export interface Errors {
  positionKm: number;
  positionCells: number;
  heightRel: number;
  radiusRel: number;
  majorRel: number;
  minorRel: number;
  /** null for circular seamounts (no azimuth to get right). */
  azimuthDeg: number | null;
  summitDepthM: number;
  volumeRel: number;
  flankSlopeDeg: number;
  flatness: number;
  /** |height error| / reported σ and |radius error| / reported σ (NaN without a σ). */
  heightZ: number;
  radiusZ: number;
}

export interface Outcome {
  id: string;
  scene: string;
  cellArcSec: number;
  background: Scene['background'];
  shape: PlantedSeamount['shape'];
  size: PlantedSeamount['size'];
  arrangement: PlantedSeamount['arrangement'];
  spacingR0: number | null;
  elliptical: boolean;
  flattening: number;
  method: Method;
  /** Radius in cells (equal-area basal radius / north–south cell size). */
  radiusCells: number;
  /** Isolated, ≥ 500 m tall, ≥ 3 cells of radius: the seamounts the targets judge. */
  target: boolean;
  found: boolean;
  truth: Truth;
  reported: Reported | null;
  errors: Errors | null;
  /** Class given, flat-topped flag. */
  seamountClass: string | null;
  guyot: boolean | null;
}

/** Smallest angle between two axes given as azimuths, degrees (0..90). */
export function axisAngleDeg(a: number, b: number): number {
  const d = (((a - b) % 180) + 180) % 180;
  return Math.min(d, 180 - d);
}

const rel = (measured: number | undefined, truth: number): number => (measured === undefined || !Number.isFinite(measured) ? NaN : measured / truth - 1);

export const cellKmOf = (cellArcSec: number): number => (cellArcSec / 3600) * KM_PER_DEG;

/** The truth of a planted seamount. */
export function truthOf(s: PlantedSeamount, summitDepthM: number): Truth {
  const t = shapeTruth(s.shape, s.heightM, s.majorKm, s.minorKm, s.flattening);
  return {
    heightM: s.heightM,
    radiusKm: Math.sqrt(s.majorKm * s.minorKm),
    majorKm: s.majorKm,
    minorKm: s.minorKm,
    azimuthDeg: s.azimuthDeg,
    summitDepthM,
    volumeKm3: t.volumeKm3,
    flankSlopeDeg: t.flankSlopeDeg,
    flatness: t.flatness,
  };
}

/** An outcome: truth, what was reported (null: not found) and the errors. */
export function scoreOne(scene: Scene, s: PlantedSeamount, truth: Truth, method: Method, r: Reported | null): Outcome {
  const cellKm = cellKmOf(scene.cellArcSec);
  const radiusCells = truth.radiusKm / cellKm;
  const elliptical = s.minorKm < 0.8 * s.majorKm;
  let errors: Errors | null = null;
  if (r) {
    const positionKm = greatCircleKm(r.lon, r.lat, s.lon, s.lat);
    const heightErr = r.heightM - truth.heightM;
    const radiusErr = r.radiusKm - truth.radiusKm;
    errors = {
      positionKm,
      positionCells: positionKm / cellKm,
      heightRel: heightErr / truth.heightM,
      radiusRel: radiusErr / truth.radiusKm,
      majorRel: rel(r.ellipse.majorKm, truth.majorKm),
      minorRel: rel(r.ellipse.minorKm, truth.minorKm),
      azimuthDeg: elliptical ? axisAngleDeg(r.ellipse.azimuthDeg, s.azimuthDeg) : null,
      summitDepthM: r.summitDepthM - truth.summitDepthM,
      volumeRel: rel(r.volumeKm3, truth.volumeKm3),
      flankSlopeDeg: r.flankSlopeDeg === undefined ? NaN : r.flankSlopeDeg - truth.flankSlopeDeg,
      flatness: r.plateauShare === undefined ? NaN : Math.sqrt(Math.max(0, r.plateauShare)) - truth.flatness,
      heightZ: r.heightSdM !== undefined && r.heightSdM > 0 ? Math.abs(heightErr) / r.heightSdM : NaN,
      radiusZ: r.radiusSdKm !== undefined && r.radiusSdKm > 0 ? Math.abs(radiusErr) / r.radiusSdKm : NaN,
    };
  }
  return {
    id: s.id,
    scene: scene.name,
    cellArcSec: scene.cellArcSec,
    background: scene.background,
    shape: s.shape,
    size: s.size,
    arrangement: s.arrangement,
    spacingR0: s.spacingR0,
    elliptical,
    flattening: s.flattening,
    method,
    radiusCells,
    target: s.arrangement === 'isolated' && s.heightM >= 500 && radiusCells >= 3,
    found: r !== null,
    truth,
    reported: r,
    errors,
    seamountClass: r?.seamountClass ?? null,
    guyot: r?.flatTopped ?? null,
  };
}

/** The targets: height within 10 %, radius within 15 %, position within one cell. */
export const TARGETS = { heightRel: 0.1, radiusRel: 0.15, positionCells: 1 } as const;

/** Which targets an outcome misses (empty: all met; ['not found'] when the method gave nothing). */
export function missedTargets(o: Outcome): string[] {
  if (!o.errors) return ['not found'];
  const out: string[] = [];
  if (!(Math.abs(o.errors.heightRel) <= TARGETS.heightRel)) out.push('height');
  if (!(Math.abs(o.errors.radiusRel) <= TARGETS.radiusRel)) out.push('radius');
  if (!(o.errors.positionCells <= TARGETS.positionCells)) out.push('position');
  return out;
}
