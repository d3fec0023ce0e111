/**
 * The engines that run the autoencoder, under both model/ (training) and scoring/ (inference): tfjs backend
 * selection and its extra wasm gradient kernels, ONNX Runtime (graphs built from the tfjs model in memory),
 * the misfit both compute, the tfjs reconstruction error, and the gradient contract every engine meets.
 */
export { type BackendInfo, type BackendName, NATIVE_PACKAGES, currentBackend, selectBackend } from './backend.js';
export { WASM_TRAINING_KERNELS, registerWasmTrainingKernels } from './kernels/wasm.js';
export { type Misfit, RELATIVE_EPSILON, centreWeights, misfitOf, windowMisfit } from './misfit.js';
export { checkWindowCount, reconstructionErrors } from './reconstruction-errors.js';
export { type GradientRunner, type Shard, type ShardResult, flatWeights, setFlatWeights } from './gradient-runner.js';
export { ONNX_PACKAGE, type OnnxScorer, createOnnxScorer, loadOnnxRuntime, onOnnxRuntime, onnxGradients, onnxRuntimeDetail } from './onnx/runtime.js';
