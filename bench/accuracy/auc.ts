/**
 * Window-level AUC of a score where LOW means seamount-like: the probability that a positive window
 * (centred near a catalogue seamount) scores lower than a negative one (far from any), ties counted half.
 * This is the Mann–Whitney U statistic divided by the number of pairs. Pure.
 */

/** Finite values of `a`, sorted ascending, as a new Float64Array. */
function sortedFinite(a: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) out[n++] = a[i];
  return out.subarray(0, n).sort();
}

/**
 * P(pos < neg) + ½ P(pos = neg) over all (positive, negative) pairs; non-finite scores are left out.
 * null when either set is empty. O((m + n) log(m + n)).
 *
 * @example
 * lowerScoreAuc([1, 2, 3], [2, 4]); // (1 + 1 + 0.5 + 1 + 0 + 1) / 6 = 0.75
 */
export function lowerScoreAuc(pos: ArrayLike<number>, neg: ArrayLike<number>): number | null {
  const p = sortedFinite(pos);
  const q = sortedFinite(neg);
  if (p.length === 0 || q.length === 0) return null;
  let below = 0; // negatives < current positive
  let atOrBelow = 0; // negatives <= current positive
  let wins = 0; // pairs with pos < neg, plus half the ties
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    while (below < q.length && q[below] < v) below++;
    if (atOrBelow < below) atOrBelow = below;
    while (atOrBelow < q.length && q[atOrBelow] <= v) atOrBelow++;
    wins += q.length - atOrBelow + 0.5 * (atOrBelow - below);
  }
  return wins / (p.length * q.length);
}
