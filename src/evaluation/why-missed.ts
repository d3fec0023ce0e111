/**
 * Why a catalogue seamount was missed, from detect's own records: the candidate ledger
 * (`candidates.geojson`: every candidate summit with its fate) and the error raster (`error.tif`: every
 * window's score). The nearest candidate within the matching tolerance says what happened to the summit
 * picking considered there (merged into a neighbour, dropped by a rule or the ranker's cut, or picked but
 * matched to another catalogue seamount); with no candidate, the windows near the seamount say whether the
 * model saw a seamount there at all.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { GridSource } from '../types.js';
import { readPatchAround } from '../picking/patch.js';
import { nearestWithin, type LonLat } from './match.js';

/** The reasons a catalogue seamount can be missed, in the order reports list them. */
export const MISS_REASONS = [
  'matched_elsewhere',
  'merged',
  'below_cut',
  'island',
  'min_prominence',
  'no_relief',
  'no_measurement',
  'no_candidate',
  'no_window_under_threshold',
  'no_window_scored',
  'unknown',
] as const;
export type MissReason = (typeof MISS_REASONS)[number];

/** What each reason means, for reports. */
export const MISS_REASON_TEXT: Record<MissReason, string> = {
  matched_elsewhere: 'a candidate here was picked, but matched another catalogue seamount',
  merged: 'the candidate here merged into a more confident neighbour',
  below_cut: "the candidate here ranked under the ranker's cut",
  island: 'the summit here stands above sea level (an island)',
  min_prominence: 'the summit here stands less than picking.minProminenceM above the regional level',
  no_relief: 'the summit here does not stand above its fitted base',
  no_measurement: 'no data to measure the summit here',
  no_candidate: 'windows near it score under the threshold, but no summit here became a candidate',
  no_window_under_threshold: 'no candidate, and no window within the evidence radius scores under the threshold',
  no_window_scored: 'no candidate, and no window within the evidence radius was scored (land, no-data, the edge)',
  unknown: 'no candidate ledger to explain it',
};

/** A candidate as read back from `candidates.geojson`. */
export interface LedgerCandidate extends LonLat {
  id: string;
  fate: string;
  rule: string | null;
  confidence: number | null;
  pickId: string | null;
  mergedIntoPick: string | null;
  /** The summit's height above its fitted base and its prominence as measured in the grid, m (null: not measured). */
  heightM: number | null;
  prominenceM: number | null;
}

export interface MissExplanation {
  reason: MissReason;
  /** The nearest candidate within the tolerance, and how far. */
  candidate: LedgerCandidate | null;
  candidateKm: number | null;
  /** Lowest window error within the evidence radius (null: no raster, or no window scored there). */
  windowErrorMin: number | null;
}

/**
 * Reads a candidate ledger line by line (one feature a line, as detect writes it): memory holds only the
 * fields kept here.
 */
export async function readLedger(path: string): Promise<LedgerCandidate[]> {
  const out: LedgerCandidate[] = [];
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = raw.trim().replace(/,$/, '');
    if (!line.startsWith('{"type":"Feature"')) continue;
    let f: { geometry: { coordinates: [number, number] }; properties: Record<string, unknown> };
    try {
      f = JSON.parse(line);
    } catch (err) {
      throw new Error(`${path}: line ${n} is not a GeoJSON feature (${(err as Error).message})`);
    }
    const p = f.properties;
    out.push({
      id: String(p.candidate_id),
      lon: f.geometry.coordinates[0],
      lat: f.geometry.coordinates[1],
      fate: String(p.fate),
      rule: typeof p.rule === 'string' ? p.rule : null,
      confidence: typeof p.confidence === 'number' ? p.confidence : null,
      pickId: typeof p.pick_id === 'string' ? p.pick_id : null,
      mergedIntoPick: typeof p.merged_into_pick === 'string' ? p.merged_into_pick : null,
      heightM: typeof p.height_m === 'number' ? p.height_m : null,
      prominenceM: typeof p.prominence_m === 'number' ? p.prominence_m : null,
    });
  }
  return out;
}

/** Lowest finite value of the error raster within `radiusKm` of a point (null: none). */
export async function lowestErrorNear(raster: GridSource, lon: number, lat: number, radiusKm: number): Promise<number | null> {
  const patch = await readPatchAround(raster, lon, lat, radiusKm);
  if (!patch) return null;
  let low = Infinity;
  for (let j = 0; j < patch.h; j++) {
    for (let i = 0; i < patch.w; i++) {
      const v = patch.values[j * patch.w + i];
      if (Number.isFinite(v) && v >= 0 && patch.xKm[i] ** 2 + patch.yKm[j] ** 2 <= radiusKm * radiusKm && v < low) low = v;
    }
  }
  return Number.isFinite(low) ? low : null;
}

export interface ExplainOptions {
  /** The candidate ledger; null: every miss is `unknown`. */
  ledger: LedgerCandidate[] | null;
  /** The error raster and the threshold detect used; null: no window evidence. */
  raster: GridSource | null;
  threshold: number | null;
  toleranceKm: number;
  /** Radius of a candidate's window evidence, km (picking.evidenceRadiusKm). */
  evidenceRadiusKm: number;
}

/**
 * One explanation per missed seamount (see the module comment).
 *
 * @example (await explainMisses(missed, { ledger, raster, threshold: 0.67, toleranceKm: 25, evidenceRadiusKm: 6 }))[0].reason // 'below_cut'
 */
export async function explainMisses(missed: readonly LonLat[], o: ExplainOptions): Promise<MissExplanation[]> {
  const nearest = o.ledger ? nearestWithin(missed, o.ledger, o.toleranceKm) : missed.map(() => null);
  const out: MissExplanation[] = [];
  for (const [i, s] of missed.entries()) {
    const near = nearest[i];
    const windowErrorMin = o.raster ? await lowestErrorNear(o.raster, s.lon, s.lat, o.evidenceRadiusKm) : null;
    const candidate = near && o.ledger ? o.ledger[near.ref] : null;
    out.push({ reason: reasonOf(candidate, o, windowErrorMin), candidate, candidateKm: near ? near.distanceKm : null, windowErrorMin });
  }
  return out;
}

function reasonOf(c: LedgerCandidate | null, o: ExplainOptions, windowErrorMin: number | null): MissReason {
  if (!o.ledger) return 'unknown';
  if (c) {
    if (c.fate === 'picked') return 'matched_elsewhere';
    if (c.fate === 'merged') return 'merged';
    const rule = c.rule as MissReason | null;
    return rule && (MISS_REASONS as readonly string[]).includes(rule) ? rule : 'unknown';
  }
  if (!o.raster || o.threshold === null) return 'no_candidate';
  if (windowErrorMin === null) return 'no_window_scored';
  return windowErrorMin < o.threshold ? 'no_candidate' : 'no_window_under_threshold';
}

/** The ledger and error raster beside a picks file (detect's output folder), when present. */
export function detectRecordsBeside(picksPath: string): { ledger: string | null; raster: string | null } {
  const dir = picksPath.replace(/[^/\\]*$/, '');
  const ledger = `${dir}candidates.geojson`;
  const raster = `${dir}error.tif`;
  return { ledger: existsSync(ledger) ? ledger : null, raster: existsSync(raster) ? raster : null };
}
