/**
 * Ranking candidates: the evidence picking gathers about each candidate summit, the features a ranker
 * weighs, the positive-unlabelled logistic ranker a model bundle stores, and the cut that decides which
 * candidates enter the catalogue. Pure numerics; fitting data comes from pipeline/train.
 */
export type { CandidateEvidence } from './evidence.js';
export { FEATURE_NAMES, featureColumns, featureVector, selectedFeatures, type FeatureName } from './features.js';
export { fitLogistic, logit, sigmoid, type LogisticModel, type LogisticOptions } from './logistic.js';
export {
  RANKER_FORMAT_VERSION,
  rankerSchema,
  cutSchema,
  rankerConfidence,
  confidenceOfFeatures,
  fitRanker,
  type Ranker,
  type RankerCut,
  type RankerExample,
  type RankerFit,
  type RankerFitOptions,
} from './ranker.js';
export { bestF1Cut, averagePrecision, type CutChoice, type RankedOutcome } from './cut.js';
export { spatialFold, FOLD_TILE_DEG } from './folds.js';
export {
  adjustToPrior,
  estimatePrior,
  shrinkPrior,
  expectedF1Cut,
  decideCut,
  MIN_CANDIDATES_FOR_PRIOR,
  type PriorEstimate,
  type ExpectedCut,
  type CutSettings,
  type CutDecision,
} from './prior.js';
