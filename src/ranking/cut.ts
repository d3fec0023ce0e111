/**
 * Where the catalogue stops: the confidence cut that maximises F1 over a ranked list of picks judged
 * against a reference catalogue. Taking the picks above a cut keeps a prefix of the ranking, so every
 * prefix's F1 follows from running counts.
 */

export interface RankedOutcome {
  confidence: number;
  /** True when the pick matched a reference seamount. */
  tp: boolean;
}

export interface CutChoice {
  /** Picks with confidence ≥ this enter the catalogue. */
  confidence: number;
  f1: number;
  precision: number;
  recall: number;
  /** Picks kept at this cut. */
  picks: number;
}

/**
 * The cut of the best F1 (ties: the higher cut, fewer picks), halfway between the last kept and the first
 * left-out confidence. `references` counts the reference seamounts, matched or not. Cuts fall only between
 * distinct confidences, so equal confidences are kept or left out together.
 *
 * @example bestF1Cut([{ confidence: 0.9, tp: true }, { confidence: 0.5, tp: false }, { confidence: 0.2, tp: true }], 2)
 * // { confidence: 0.7, f1: 0.667, precision: 1, recall: 0.5, picks: 1 }
 */
export function bestF1Cut(outcomes: readonly RankedOutcome[], references: number): CutChoice {
  const sorted = [...outcomes].filter((o) => Number.isFinite(o.confidence)).sort((a, b) => b.confidence - a.confidence);
  let best: CutChoice = { confidence: sorted.length > 0 ? sorted[0].confidence + 1e-9 : 0.5, f1: 0, precision: NaN, recall: 0, picks: 0 };
  let tp = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].tp) tp++;
    // a cut only between distinct confidences
    if (i + 1 < sorted.length && sorted[i + 1].confidence === sorted[i].confidence) continue;
    const picks = i + 1;
    const f1 = references + picks > 0 ? (2 * tp) / (references + picks) : 0;
    if (f1 > best.f1) {
      const next = i + 1 < sorted.length ? sorted[i + 1].confidence : 0;
      best = { confidence: (sorted[i].confidence + next) / 2, f1, precision: tp / picks, recall: references > 0 ? tp / references : NaN, picks };
    }
  }
  return best;
}

/**
 * Average precision of a ranked list against `references` seamounts: the mean, over the matched picks, of
 * the precision at their rank, divided by the references (so a list that never finds a seamount scores 0).
 *
 * @example averagePrecision([{ confidence: 0.9, tp: true }, { confidence: 0.5, tp: false }, { confidence: 0.2, tp: true }], 2) // (1 + 2/3) / 2
 */
export function averagePrecision(outcomes: readonly RankedOutcome[], references: number): number {
  if (references <= 0) return NaN;
  const sorted = [...outcomes].filter((o) => Number.isFinite(o.confidence)).sort((a, b) => b.confidence - a.confidence);
  let tp = 0;
  let sum = 0;
  sorted.forEach((o, i) => {
    if (!o.tp) return;
    tp++;
    sum += tp / (i + 1);
  });
  return sum / references;
}
