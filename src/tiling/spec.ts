/**
 * The WindowSpec: everything that decides a window's values. Built from the `window:` config section
 * (less `strideKm`, which decides where windows are, not what they hold) and compared with the spec a
 * model bundle was trained with.
 */
import type { WindowConfig } from '../config/schema.js';
import type { GridGeometry, WindowSpec } from '../types.js';
import { KM_PER_DEG } from '../base/geodesy.js';

const SPEC_KEYS = [
  'sizeKm',
  'samples',
  'projection',
  'interpolation',
  'antiAlias',
  'taper',
  'taperStart',
  'normalisation',
  'scaleM',
  'detrend',
  'misfit',
  'centreWeight',
] as const satisfies readonly (keyof WindowSpec)[];

/**
 * The spec part of the `window:` config.
 *
 * @example windowSpecFromConfig(config.window) // { sizeKm: 64, samples: 32, ... } (no strideKm)
 */
export function windowSpecFromConfig(w: WindowConfig): WindowSpec {
  const spec: WindowSpec = {
    sizeKm: w.sizeKm,
    samples: w.samples,
    projection: w.projection,
    interpolation: w.interpolation,
    antiAlias: w.antiAlias,
    taper: w.taper,
    taperStart: w.taperStart,
    normalisation: w.normalisation,
    scaleM: w.scaleM,
    detrend: w.detrend,
    misfit: w.misfit,
    centreWeight: w.centreWeight,
  };
  checkWindowSpec(spec);
  return spec;
}

/** Throws on a spec no window can be built with (the config schema catches most of these earlier). */
export function checkWindowSpec(spec: WindowSpec): void {
  const problems: string[] = [];
  if (!(spec.sizeKm > 0) || !Number.isFinite(spec.sizeKm)) problems.push(`sizeKm ${spec.sizeKm} must be > 0`);
  if (!Number.isInteger(spec.samples) || spec.samples < 2) problems.push(`samples ${spec.samples} must be an integer >= 2`);
  if (spec.projection !== 'laea') problems.push(`projection ${String(spec.projection)} is not supported (laea)`);
  if (spec.interpolation !== 'bilinear') problems.push(`interpolation ${String(spec.interpolation)} is not supported (bilinear)`);
  if (!(spec.taperStart >= 0 && spec.taperStart <= 1)) problems.push(`taperStart ${spec.taperStart} must lie in 0..1`);
  if (spec.normalisation === 'median-scale' && !(spec.scaleM > 0)) problems.push(`scaleM ${spec.scaleM} must be > 0`);
  if (spec.detrend !== 'none' && spec.detrend !== 'plane') problems.push(`detrend ${String(spec.detrend)} is not none or plane`);
  if (spec.misfit !== 'mse' && spec.misfit !== 'relative') problems.push(`misfit ${String(spec.misfit)} is not mse or relative`);
  if (!(spec.centreWeight >= 0)) problems.push(`centreWeight ${spec.centreWeight} must be >= 0`);
  if (problems.length > 0) throw new Error(`window spec: ${problems.join('; ')}`);
}

/** Keys whose values differ between two specs, as "key: a ≠ b" lines (empty when they agree). */
export function windowSpecDifferences(a: WindowSpec, b: WindowSpec): string[] {
  const out: string[] = [];
  for (const key of SPEC_KEYS) {
    if (a[key] !== b[key]) out.push(`${key}: ${String(a[key])} ≠ ${String(b[key])}`);
  }
  return out;
}

/**
 * Detection must cut windows exactly as training did: throws, naming every differing key, when the
 * run's spec is not the bundle's.
 *
 * @example assertSameWindowSpec(bundle.windowSpec, windowSpecFromConfig(config.window), 'models/default')
 */
export function assertSameWindowSpec(bundleSpec: WindowSpec, runSpec: WindowSpec, bundleName = 'model bundle'): void {
  const diff = windowSpecDifferences(bundleSpec, runSpec);
  if (diff.length > 0) {
    throw new Error(
      `${bundleName} was trained on windows cut differently from this run's window settings (bundle ≠ run):\n  ${diff.join('\n  ')}\n` +
        "Use the bundle's window settings (drop the window overrides) or train a new bundle.",
    );
  }
}

/** Window sample spacing on the local plane, km. */
export const sampleSpacingKm = (spec: Pick<WindowSpec, 'sizeKm' | 'samples'>): number => spec.sizeKm / spec.samples;

/**
 * A grid whose cells are more than this many window samples tall is coarse for the detector. Measured on 1′
 * grids block-averaged to coarser cells (bench/accuracy/coarse-grid.ts --block-mean, docs/accuracy.md#2026-12-01-etopo5s-data-not-the-5-cells): at 5′
 * (6.2 samples) the window AUC and the threshold hold, at 7′ (8.6) the picks still match the baselines'
 * on three regions of four, and at 10′ (12.4) the pipeline found no seamount on three of four.
 */
export const COARSE_CELL_SAMPLES = 9;

/**
 * How many window samples one north-south source cell spans (the east-west cell shrinks towards the poles;
 * the north-south one is the grid's resolution everywhere). Above `COARSE_CELL_SAMPLES` the grid is coarse.
 *
 * @example cellSamples({ dLat: 5 / 60 }, { sizeKm: 48, samples: 32 }) // 5′ cells: 9.27 km / 1.5 km → 6.18
 */
export function cellSamples(g: Pick<GridGeometry, 'dLat'>, spec: Pick<WindowSpec, 'sizeKm' | 'samples'>): number {
  return (Math.abs(g.dLat) * KM_PER_DEG) / sampleSpacingKm(spec);
}
