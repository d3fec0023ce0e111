/**
 * The harness's ranked candidate list (bench/accuracy/evaluate.ts): the ledger's picks and the candidates
 * below the cut, nothing the hard rules dropped or a stronger candidate absorbed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeRankedCandidates } from '../../bench/accuracy/evaluate.js';

const candidate = (id: string, fate: string, rule: string | null, confidence: number | null) => ({
  type: 'Feature',
  id,
  geometry: { type: 'Point', coordinates: [150, 20] },
  properties: { candidate_id: id, fate, rule, confidence },
});

describe('writeRankedCandidates', () => {
  it('keeps the picks and the candidates below the cut, with the ledger metadata', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ranked-'));
    const meta = { grid: 'g.nc', region: '149/151/19/21', threshold: 0.6, cut: 0.4 };
    const ledger = {
      type: 'FeatureCollection',
      seamount_detect: meta,
      features: [
        candidate('C1', 'picked', null, 0.9),
        candidate('C2', 'dropped', 'below_cut', 0.2),
        candidate('C3', 'merged', null, 0.5),
        candidate('C4', 'dropped', 'min_prominence', null),
        candidate('C5', 'dropped', 'island', 0.7),
      ],
    };
    writeFileSync(path.join(dir, 'candidates.geojson'), JSON.stringify(ledger));
    // a fresh evaluation folder: the ranked list is its first file
    const out = path.join(dir, 'eval-new', 'ranked.geojson');
    expect(writeRankedCandidates(dir, out)).toBe(true);
    const ranked = JSON.parse(readFileSync(out, 'utf8'));
    expect(ranked.seamount_detect).toEqual(meta);
    expect(ranked.features.map((f: { id: string }) => f.id)).toEqual(['C1', 'C2']);
  });

  it('says false for a run without a ledger', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ranked-'));
    expect(writeRankedCandidates(dir, path.join(dir, 'ranked.geojson'))).toBe(false);
  });
});
