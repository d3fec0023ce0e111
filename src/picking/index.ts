export {
  measureSeamount,
  measurePatch,
  measureOutcome,
  measurePatchOutcome,
  type MeasureOutcome,
  BASAL_RADIUS_SIGMAS,
  type MeasureOptions,
  type Measurement,
} from './measure.js';
export { pickSeamounts, numberPicks, fixedCut, type PickOptions, type PickResult } from './pick.js';
export {
  gatherCandidates,
  windowEvidence,
  RING_INNER,
  RING_OUTER,
  type Candidate,
  type CandidateSource,
  type DropRule,
  type RuleFailure,
  type GatherOptions,
} from './candidates.js';
export {
  rankAndMerge,
  cutAndMeasure,
  finalDecision,
  type CandidateDecision,
  type Fate,
  type PickedCandidate,
  type Survivor,
  type CutRule,
  type DecidePicking,
} from './decide.js';
export { writeQuicklookPng, renderQuicklook, PICK_COLOUR, QUICKLOOK_MARGIN, type QuicklookOptions } from './quicklook.js';
export { resolveThreshold, type ResolvedThreshold } from './threshold.js';
export { fitEllipticalGaussian, gaussianModel, type GaussianParams, type GaussianFitResult, type GaussianFitOptions } from './gaussian-fit.js';
export { findHits, sigmaOfFwhm, type Hit } from './error-field.js';
export { CachedGrid, type CachedGridOptions } from './cached-grid.js';
export { GeoIndex } from './geo-index.js';
export { SummitClimber, type SummitCell, type ClimbOptions } from './climb.js';
export { mergeClosePicks, remeasureCrowded, separated, profileMinimum, type MergeOptions } from './merge.js';
export { numberSeamounts, toSeamount, type UnnumberedSeamount } from './records.js';
export { regionCells, type CellRange } from './region.js';
export { readPatchAround, type Patch } from './patch.js';
export { fitProfile, binProfile, shapeAt, PROFILE_SHAPES, type ProfileShape, type ProfileFit, type ProfileBins } from './profile.js';
export { morphometry, seamountClass, SEAMOUNT_MIN_HEIGHT_M, KNOLL_MIN_HEIGHT_M, type Morphometry, type SeamountClass } from './morphometry.js';
