/**
 * Writes `candidates.geojson`, the candidate ledger, in bounded memory: each picking block's decisions are
 * appended to a hidden temporary file as they come; once the whole job's cut is known and its picks
 * numbered, the file is read back line by line, every confidence set from the ranker's score, each
 * survivor's fate settled (picked, or dropped under the cut), the seamount ids of picked candidates (and of
 * the candidates others merged into) filled in, and the ledger written under a temporary name and renamed.
 * Counts of fates and rules are kept for run.json.
 */
import { createReadStream, mkdirSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { tempPathFor } from '../base/atomic.js';
import { candidateFeature, type CandidateProperties, type GeoJsonPointFeature } from '../catalogue/index.js';
import type { CandidateDecision, CutRule } from '../picking/index.js';
import { roundTo } from '../catalogue/write.js';

/** What run.json says of the candidates. */
export interface CandidateCounts {
  candidates: number;
  picked: number;
  merged: number;
  /** Dropped candidates by rule (no_measurement, min_prominence, no_relief, island, below_cut). */
  dropped: Record<string, number>;
  /** Candidates whose summit stands above sea level (dropped by rule `island`, or kept and marked). */
  islands: number;
}

export const LEDGER_FILE = 'candidates.geojson';

export class CandidateLedger {
  readonly counts: CandidateCounts = { candidates: 0, picked: 0, merged: 0, dropped: {}, islands: 0 };
  private constructor(
    private readonly path: string,
    private readonly scratch: string,
    private fh: FileHandle | null,
  ) {}

  /** A ledger for `outDir/candidates.geojson`. */
  static async create(outDir: string): Promise<CandidateLedger> {
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, LEDGER_FILE);
    const scratch = `${tempPathFor(path)}.jsonl`;
    return new CandidateLedger(path, scratch, await open(scratch, 'w'));
  }

  /** Appends a block's decisions. */
  async add(decisions: readonly CandidateDecision[]): Promise<void> {
    if (!this.fh) throw new Error(`${this.path}: the ledger is closed`);
    let text = '';
    for (const d of decisions) {
      this.counts.candidates++;
      if (d.fate === 'merged') this.counts.merged++;
      else if (d.fate === 'dropped' && d.rule) this.count(d.rule.rule);
      if (d.candidate.island) this.counts.islands++;
      const f = candidateFeature(d);
      text += `${JSON.stringify(Number.isFinite(d.score) ? { ...f, score: d.score } : f)}\n`;
    }
    if (text) await this.fh.write(text);
  }

  private count(rule: string): void {
    this.counts.dropped[rule] = (this.counts.dropped[rule] ?? 0) + 1;
  }

  /**
   * Writes the ledger atomically and removes the scratch file: confidences from `rule`, survivors picked
   * when `pickIds` (candidate id → seamount id) holds them, else dropped under the cut.
   */
  async finish(pickIds: ReadonlyMap<string, string>, rule: CutRule, meta: Record<string, unknown>): Promise<void> {
    await this.closeScratch();
    const tmp = tempPathFor(this.path);
    const out = await open(tmp, 'w');
    try {
      await out.write(`{\n"type": "FeatureCollection",\n"seamount_detect": ${JSON.stringify(meta)},\n"features": [\n`);
      let first = true;
      let chunk = '';
      const lines = createInterface({ input: createReadStream(this.scratch, { encoding: 'utf8' }), crlfDelay: Infinity });
      for await (const line of lines) {
        if (!line) continue;
        const f = JSON.parse(line) as GeoJsonPointFeature<CandidateProperties>;
        const p = f.properties;
        // the raw score is written unrounded to the scratch file: the fate follows the picks exactly
        const score = (f as unknown as { score?: number }).score;
        delete (f as unknown as { score?: number }).score;
        if (typeof score === 'number') p.confidence = roundTo(rule.confidence(score), 4);
        if (p.fate === 'kept') {
          const id = pickIds.get(p.candidate_id);
          if (id) {
            p.fate = 'picked';
            p.pick_id = id;
            this.counts.picked++;
          } else {
            p.fate = 'dropped';
            p.rule = 'below_cut';
            p.rule_value = p.confidence;
            p.rule_limit = roundTo(rule.cut, 6);
            this.count('below_cut');
          }
        }
        if (p.merged_into) p.merged_into_pick = pickIds.get(p.merged_into) ?? null;
        chunk += `${first ? '' : ',\n'}${JSON.stringify(f)}`;
        first = false;
        if (chunk.length > 1 << 20) {
          await out.write(chunk);
          chunk = '';
        }
      }
      await out.write(`${chunk}${first ? '' : '\n'}]\n}\n`);
      await out.sync();
    } catch (err) {
      await out.close();
      await rm(tmp, { force: true });
      throw err;
    }
    await out.close();
    await rename(tmp, this.path);
    await rm(this.scratch, { force: true });
  }

  /** Drops the scratch file (a failed job leaves no ledger and no temporary file). */
  async abort(): Promise<void> {
    await this.closeScratch();
    await rm(this.scratch, { force: true });
  }

  private async closeScratch(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    await fh?.close();
  }
}
