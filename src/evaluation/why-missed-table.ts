/**
 * The why-missed table: missed catalogue seamounts counted by reason, overall and by catalogue height.
 * Pure; compare.ts puts it in metrics.json and report.md.
 */
import { MISS_REASONS, type MissExplanation, type MissReason } from './why-missed.js';

export interface WhyMissed {
  /** Where the explanations came from (null: not available, every miss is `unknown` or has no window evidence). */
  sources: { ledger: string | null; errorRaster: string | null };
  /** Missed seamounts by reason (every reason listed, zero included). */
  byReason: Record<MissReason, number>;
  /** The same by catalogue height: bins as the recall-by-height table (null edges: unknown height / open end). */
  byHeight: Array<{ minM: number | null; maxM: number | null; byReason: Record<MissReason, number> }>;
}

const zeros = (): Record<MissReason, number> => Object.fromEntries(MISS_REASONS.map((r) => [r, 0])) as Record<MissReason, number>;

/**
 * Counts explanations by reason and height bin (`edges` ascending, m; the last bin open; heights null go to
 * an "unknown" bin listed last, when there are any).
 *
 * @example whyMissedTable([{ reason: 'below_cut', ... }], [1200], [0, 1000], sources).byHeight[1].byReason.below_cut // 1
 */
export function whyMissedTable(
  explanations: readonly MissExplanation[],
  heightsM: ReadonlyArray<number | null>,
  edges: readonly number[],
  sources: WhyMissed['sources'],
): WhyMissed {
  const byReason = zeros();
  const bins = edges.map((lo, i) => ({ minM: lo as number | null, maxM: (i + 1 < edges.length ? edges[i + 1] : null) as number | null, byReason: zeros() }));
  const unknown = { minM: null, maxM: null, byReason: zeros() };
  explanations.forEach((e, i) => {
    byReason[e.reason]++;
    const h = heightsM[i];
    if (h === null || !Number.isFinite(h)) {
      unknown.byReason[e.reason]++;
      return;
    }
    let k = -1;
    for (let b = 0; b < edges.length; b++) if (h >= edges[b]) k = b;
    // heights under the first edge count in the first bin
    bins[Math.max(0, k)].byReason[e.reason]++;
  });
  const anyUnknown = MISS_REASONS.some((r) => unknown.byReason[r] > 0);
  return { sources, byReason, byHeight: anyUnknown ? [...bins, unknown] : bins };
}
