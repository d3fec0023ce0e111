export { bottleneckSide, buildAutoencoder } from './autoencoder.js';
export { type Dihedral, IDENTITY, allowedTransforms, dihedral, transformWindow } from './augment.js';
export { type Calibration, calibrate, confidenceOf, thresholdAtRecall } from './calibration.js';
export { type Prng, createPrng } from './prng.js';
export {
  type EpochReport,
  type TrainOptions,
  type TrainResult,
  type TrainingSet,
  splitTrainValidation,
  trainAutoencoder,
  trainingThreads,
} from './train.js';
export {
  BUNDLE_FILES,
  BUNDLE_FORMAT_VERSION,
  type BundleMeta,
  type FileRef,
  type TrainingProvenance,
  bundleWeightsSha256,
  loadBundle,
  runtimeVersions,
  saveBundle,
} from './bundle.js';
