/**
 * The regions the leave-region-out harness holds out one at a time: every shared grid with catalogue
 * seamounts. spac_33 is split in two halves (the other half stays in training, its seamounts in the
 * held-out half excluded); the 14 GEBCO 15″ tiles are one group, pooled.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Paths as the harness passes them to the CLI: relative to the repository root. */
export const DATA = '../shared/data';
const GRIDS = `${DATA}/grids`;
export const CATALOGUES = {
  kw: `${DATA}/catalogues/KWSMTSv01.txt`,
  gevorgian: `${DATA}/catalogues/kw_gevorgian2023.xyhrdnc`,
} as const;
export type CatalogueName = keyof typeof CATALOGUES;

export interface RegionDef {
  name: string;
  /** Grids searched (several: a pooled group). */
  grids: string[];
  /** "W/E/S/N" searched within the grid (a half of spac_33); absent: each whole grid. */
  box?: string;
  /**
   * False: held out and judged like the others, but never trained on. The 5′ grid: seamounts there look
   * several times broader than on the 15″–1′ grids, and its 2,000 seamounts would outnumber all the rest
   * (with it in training, gorda's window AUC fell from 0.84 to 0.69 in one probe; issue 15). The default
   * model is trained on 15″ and 1′ grids too.
   */
  trainable?: boolean;
  /**
   * True: a coarse grid (HI_topo_02: 5′ cells of ETOPO5's 1988 data, where the detector is measured to fall
   * short; `detect` itself warns only past 9 window samples a cell, ≈ 7.3′). Judged like the others, and the
   * results also give the mean of the other regions, where the detector is meant to be used (issue 15).
   */
  coarse?: boolean;
}

const TILES_DIR = `${GRIDS}/gebco2020_15s_tiles`;

function tiles(root: string): string[] {
  try {
    return readdirSync(path.resolve(root, TILES_DIR))
      .filter((f) => f.endsWith('.tif'))
      .sort()
      .map((f) => `${TILES_DIR}/${f}`);
  } catch {
    return [];
  }
}

/** All regions, in the order they run. `root`: the repository root (the paths are relative to it). */
export function allRegions(root = process.cwd()): RegionDef[] {
  return [
    { name: 'spac_west', grids: [`${GRIDS}/spac_33.nc4.nc`], box: '-118/-112.5/-49/-42' },
    { name: 'spac_east', grids: [`${GRIDS}/spac_33.nc4.nc`], box: '-112.5/-107/-49/-42' },
    { name: 'arabian_sea', grids: [`${GRIDS}/regions_1m/arabian_sea_etopo.nc4.nc`] },
    { name: 'hatteras_plain', grids: [`${GRIDS}/regions_1m/hatteras_plain_etopo.nc4.nc`] },
    { name: 'mariana_trench', grids: [`${GRIDS}/regions_1m/mariana_trench_etopo.nc4.nc`] },
    { name: 'south_china_sea', grids: [`${GRIDS}/regions_1m/south_china_sea_etopo.nc4.nc`] },
    { name: 'japan_trench', grids: [`${GRIDS}/regions_1m/japan_trench_etopo1.tif`] },
    { name: 'gorda', grids: [`${GRIDS}/regions_1m/gorda_etopo1.tif`] },
    { name: 'philippine_sea', grids: [`${GRIDS}/gebco2024_philippine_sea.nc3.nc`] },
    { name: 'gebco_tiles', grids: tiles(root) },
    { name: 'hawaii_5m', grids: [`${GRIDS}/HI_topo_02.nc4.nc`], trainable: false, coarse: true },
  ];
}

/** Names of the regions marked coarse. */
export const coarseRegionNames = (all: readonly RegionDef[] = allRegions()): Set<string> => new Set(all.filter((r) => r.coarse).map((r) => r.name));

/** The regions `--quick` runs. */
export const QUICK_REGIONS = ['spac_west', 'gorda', 'japan_trench'];

/**
 * The training grids of a fold: every trainable region's grids except the held-out one's, but a grid the
 * held-out region shares with another region (spac_33) stays, its held-out part excluded by box.
 */
export function trainingGrids(all: readonly RegionDef[], heldOut: RegionDef): string[] {
  const out: string[] = [];
  for (const r of all) {
    for (const g of r.grids) {
      const held = r.name === heldOut.name || r.trainable === false || (heldOut.grids.includes(g) && !heldOut.box);
      if (!held && !out.includes(g)) out.push(g);
    }
  }
  return out;
}
