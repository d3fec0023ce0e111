/**
 * The closing summary `detect` prints on stderr: what was found, the most confident picks with their
 * position and height, the files written and the time taken. Plain text a person reads at the end of a
 * run; the same facts are in run.json for programs.
 */
import { readdirSync } from 'node:fs';
import type { DetectSummary } from '../pipeline/job.js';
import type { Seamount } from '../types.js';

/** What the summary needs of a finished detect run. */
export interface SummaryInput {
  seamounts: Seamount[];
  windowsScored: number;
  candidates: { candidates: number; merged: number; dropped: Record<string, number> } | null;
  outDir: string;
  files: string[];
  seconds: number;
}

const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');
const latText = (lat: number): string => `${Math.abs(lat).toFixed(3)}°${lat < 0 ? 'S' : 'N'}`;
const lonText = (lon: number): string => `${Math.abs(lon).toFixed(3)}°${lon < 0 ? 'W' : 'E'}`;

/** "48 s", "3 min 10 s", "1 h 02 min". */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${s} s`;
}

/**
 * The summary as lines of text (the five most confident picks at most).
 *
 * @example
 * detectSummaryText({ seamounts, windowsScored: 40899, candidates, outDir: 'out/spac', files: ['seamounts.geojson'], seconds: 12 })
 * // 'found 142 seamounts in 40,899 windows (651 candidates: 21 merged, 488 dropped) in 12 s\n...'
 */
export function detectSummaryText(o: SummaryInput): string {
  const lines: string[] = [];
  const c = o.candidates;
  const dropped = c ? Object.values(c.dropped).reduce((a, b) => a + b, 0) : 0;
  const detail = c ? ` (${thousands(c.candidates)} candidates: ${thousands(c.merged)} merged, ${thousands(dropped)} dropped)` : '';
  lines.push(`found ${thousands(o.seamounts.length)} seamounts in ${thousands(o.windowsScored)} windows${detail} in ${durationText(o.seconds)}`);
  const top = o.seamounts.slice(0, 5);
  if (top.length) {
    lines.push('most confident:');
    const idWidth = Math.max(...top.map((s) => s.id.length));
    for (const s of top) {
      lines.push(
        `  ${s.id.padEnd(idWidth)}  ${latText(s.lat).padStart(9)} ${lonText(s.lon).padStart(10)}  height ${thousands(s.heightM).padStart(5)} m` +
          `  summit ${thousands(s.summitDepthM).padStart(6)} m  confidence ${s.confidence.toFixed(2)}`,
      );
    }
  }
  if (o.files.length) lines.push(`written to ${o.outDir}: ${o.files.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The summary of a finished detect or merge run, with the files in its output folder.
 *
 * @example process.stderr.write(finishedSummary(summary, 'out/spac', 12.3));
 */
export function finishedSummary(summary: DetectSummary, outDir: string, seconds: number): string {
  const files = readdirSync(outDir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && e.name !== 'job.json')
    .map((e) => e.name)
    .sort();
  return detectSummaryText({
    seamounts: summary.seamounts ?? [],
    windowsScored: summary.windows.scored,
    candidates: summary.candidates,
    outDir,
    files,
    seconds,
  });
}
