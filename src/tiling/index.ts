/**
 * Tiling stage: a km-spaced plan of window centres over a grid, each window resampled onto the local
 * equal-area plane of its centre, anti-aliased, normalised and tapered, built in worker threads and
 * streamed in bounded batches.
 */
export {
  windowSpecFromConfig,
  checkWindowSpec,
  windowSpecDifferences,
  assertSameWindowSpec,
  sampleSpacingKm,
  cellSamples,
  COARSE_CELL_SAMPLES,
} from './spec.js';
export { laeaForward, laeaInverse } from './projection.js';
export { assertGridHoldsWindow, planWindows, type WindowPlan } from './plan.js';
export {
  resampleWindow,
  extractWindow,
  readSourcePatch,
  poseCentre,
  type SourcePatch,
  type WindowPose,
  type WindowSample,
} from './extract.js';
export { antiAliasPatch, antiAliasSigmaCells } from './antialias.js';
export { windowLattice, windowFootprint, taperWeights, type WindowLattice } from './lattice.js';
export { medianOf, normaliseWindow } from './normalise.js';
export { streamWindowBatches, batchCount, type WindowBatch, type StreamOptions } from './stream.js';
