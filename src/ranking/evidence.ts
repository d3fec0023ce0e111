/**
 * What picking knows about a candidate summit: the evidence a ranker weighs. Named, with units, so the
 * candidate ledger, the ranker and a user reading either agree on what each number is.
 */

/** The evidence of one candidate summit. NaN where a figure could not be measured. */
export interface CandidateEvidence {
  /** Lowest reconstruction error among the windows centred within `picking.evidenceRadiusKm` of the summit. */
  windowErrorMin: number;
  /** Error of the window centred nearest the summit (within the evidence radius). */
  windowErrorSummit: number;
  /** Median error of the windows centred 2–4 evidence radii from the summit: the ring around it. */
  ringError: number;
  /** Windows scored within the evidence radius (0: land, no-data or the grid's edge kept them out). */
  windowsNear: number;
  /** Windows under the threshold whose uphill walk ended at this summit. */
  hits: number;
  /** Summit above the Gaussian regional level (the high-passed height), m. */
  prominenceM: number;
  /** Summit above the fitted base, m. */
  heightM: number;
  /** Basal radius of the fitted Gaussian (3 σ, equal-area circle), km. */
  radiusKm: number;
  /** Share of the relief the elliptical Gaussian explains (≤ 1; NaN: no fit). */
  fitR2: number;
  /** Minor over major axis of the basal ellipse, 0..1. */
  axisRatio: number;
  /** Summit elevation, m (negative below sea level). */
  summitDepthM: number;
}
