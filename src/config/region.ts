import type { Region } from '../types.js';

/**
 * Parses "W/E/S/N" (GMT -R style) into a Region. W > E is allowed and means the box crosses the
 * antimeridian (e.g. 170/-170/-20/-10).
 *
 * @example parseRegion('-118/-107/-49/-42') // { west: -118, east: -107, south: -49, north: -42 }
 */
export function parseRegion(text: string): Region {
  const parts = text.split('/').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length !== 4 || nums.some((n, i) => parts[i] === '' || !Number.isFinite(n))) {
    throw new Error(`region "${text}": expected W/E/S/N in degrees, e.g. -118/-107/-49/-42`);
  }
  const [west, east, south, north] = nums;
  if (south >= north) throw new Error(`region "${text}": south (${south}) must be below north (${north})`);
  if (south < -90 || north > 90) throw new Error(`region "${text}": latitudes must lie in -90..90`);
  if (Math.abs(west) > 360 || Math.abs(east) > 360) throw new Error(`region "${text}": longitudes must lie in -360..360`);
  if (west === east) throw new Error(`region "${text}": west and east are equal`);
  return { west, east, south, north };
}

/** "W/E/S/N" text of a region. */
export const formatRegion = (r: Region): string => `${r.west}/${r.east}/${r.south}/${r.north}`;
