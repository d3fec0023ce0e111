/**
 * `compare_map.png`: matched picks, missed catalogue seamounts and new picks over the hill-shaded grid,
 * so a reader sees at once where the picker and the catalogue disagree.
 */
import type { Rgba } from '../plot/index.js';
import { renderQuicklook } from '../picking/quicklook.js';
import type { GridSource, Region } from '../types.js';

/** Matched: yellow circles; missed: magenta crosses; new: red circles (colours the bathymetry ramp never takes). */
export const COMPARE_COLOURS: Record<'matched' | 'missed' | 'new', Rgba> = {
  matched: [255, 215, 0],
  missed: [255, 0, 255],
  new: [255, 32, 32],
};

type Point = { lon: number; lat: number; radiusKm: number | null };

/**
 * The comparison map as PNG bytes.
 *
 * @example await compareMapPng(grid, null, { matched, missed, new: fresh }, 'spac_33 vs KW')
 */
export async function compareMapPng(
  grid: GridSource,
  region: Region | null,
  sets: { matched: readonly Point[]; missed: readonly Point[]; new: readonly Point[] },
  title: string,
): Promise<Uint8Array> {
  const pts = (list: readonly Point[]) => list.map((p) => ({ lon: p.lon, lat: p.lat, radiusKm: p.radiusKm ?? 0 }));
  const canvas = await renderQuicklook(grid, region, [], {
    title: `${title}: ${sets.matched.length} matched, ${sets.missed.length} missed, ${sets.new.length} new`,
    layers: [
      { label: `MATCHED PICKS (${sets.matched.length})`, colour: COMPARE_COLOURS.matched, mark: 'circle', points: pts(sets.matched) },
      { label: `NEW PICKS (${sets.new.length})`, colour: COMPARE_COLOURS.new, mark: 'circle', points: pts(sets.new) },
      { label: `MISSED CATALOGUE SEAMOUNTS (${sets.missed.length})`, colour: COMPARE_COLOURS.missed, mark: 'cross', points: pts(sets.missed) },
    ],
  });
  return canvas.toPng();
}
