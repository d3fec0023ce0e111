/**
 * Seamount records from measurements: the shared last step of the autoencoder picker and the baselines.
 */
import type { Seamount } from '../types.js';
import type { Measurement } from './measure.js';

export type UnnumberedSeamount = Omit<Seamount, 'id'>;

/** A Seamount record (without id) from a measurement and what the picker knows about it. */
export function toSeamount(m: Measurement, extra: { reconstructionError: number; confidence: number; windows: number }): UnnumberedSeamount {
  return {
    lon: m.lon,
    lat: m.lat,
    summitDepthM: m.summitDepthM,
    baseDepthM: m.baseDepthM,
    heightM: m.heightM,
    radiusKm: m.radiusKm,
    ellipse: { ...m.ellipse },
    fitR2: m.fitR2,
    reconstructionError: extra.reconstructionError,
    confidence: Math.min(1, Math.max(0, extra.confidence)),
    windows: extra.windows,
    volumeKm3: m.volumeKm3,
    flankSlopeDeg: m.flankSlopeDeg,
    plateauAreaKm2: m.plateauAreaKm2,
    plateauShare: m.plateauShare,
    flatTopped: m.flatTopped,
    heightSdM: m.heightSdM,
    radiusSdKm: m.radiusSdKm,
    profileShape: m.profileShape,
    seamountClass: m.seamountClass,
  };
}

/**
 * Orders by confidence (descending), then lon, then lat, and numbers `SMT-000001`, `SMT-000002`, ...
 *
 * @example numberSeamounts([{ ...a, confidence: 0.2 }, { ...b, confidence: 0.9 }])[0].id // 'SMT-000001' (b)
 */
export function numberSeamounts<T extends UnnumberedSeamount>(list: T[], prefix = 'SMT'): Array<T & { id: string }> {
  return [...list]
    .sort((a, b) => b.confidence - a.confidence || a.lon - b.lon || a.lat - b.lat)
    .map((s, i) => ({ id: `${prefix}-${String(i + 1).padStart(6, '0')}`, ...s }));
}

/** 0..1, rising with x: x / (x + scale) for x ≥ 0 (a soft, unit-free ranking score). */
export const saturating = (x: number, scale: number): number => (x > 0 ? x / (x + scale) : 0);

/** Fit quality as a 0..1 factor (NaN, i.e. no fit, counts as 0). */
export const fitFactor = (r2: number): number => (Number.isFinite(r2) ? Math.min(1, Math.max(0, r2)) : 0);
