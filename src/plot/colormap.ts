import type { Rgba } from './canvas.js';

/** Piecewise-linear colour ramp through `stops` (position 0..1, colour). */
function ramp(stops: ReadonlyArray<readonly [number, Rgba]>, t: number): Rgba {
  const x = Math.min(1, Math.max(0, t));
  for (let i = 1; i < stops.length; i++) {
    const [p1, c1] = stops[i];
    const [p0, c0] = stops[i - 1];
    if (x <= p1) {
      const f = p1 > p0 ? (x - p0) / (p1 - p0) : 0;
      return [0, 1, 2].map((k) => Math.round(c0[k] + f * (c1[k] - c0[k]))) as unknown as Rgba;
    }
  }
  return stops[stops.length - 1][1];
}

const OCEAN: ReadonlyArray<readonly [number, Rgba]> = [
  [0, [8, 16, 64]],
  [0.35, [20, 60, 140]],
  [0.7, [70, 140, 200]],
  [1, [200, 235, 250]],
];
const LAND: ReadonlyArray<readonly [number, Rgba]> = [
  [0, [60, 120, 60]],
  [0.5, [190, 170, 110]],
  [1, [250, 250, 250]],
];

/**
 * Colour for an elevation (m): blues below sea level scaled to [minM, 0], greens/browns above it scaled to
 * [0, maxM]; NaN is grey.
 */
export function bathymetryColour(elevationM: number, minM: number, maxM: number): Rgba {
  if (!Number.isFinite(elevationM)) return [160, 160, 160];
  if (elevationM <= 0) return ramp(OCEAN, minM < 0 ? 1 - elevationM / minM : 1);
  return ramp(LAND, maxM > 0 ? elevationM / maxM : 0);
}

/** Hillshade factor 0.4..1.2 from the local gradient (light from the north-west), for relief on quick looks. */
export function hillshade(dzdx: number, dzdy: number): number {
  const nx = -dzdx;
  const ny = -dzdy;
  const norm = Math.hypot(nx, ny, 1);
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: the shading's own constant; Math.SQRT1_2 would shift every quick-look pixel
  const light = (-nx * 0.5 + ny * 0.5 + 0.7071) / norm; // light from up-left, y pointing down
  return Math.min(1.2, Math.max(0.4, 0.4 + 0.8 * light));
}
