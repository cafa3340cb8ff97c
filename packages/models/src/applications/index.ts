// What autoencoders are used for, with metrics a user can check: anomaly
// detection, PCA as the baseline, compression, and pre-training a classifier.
export {
  auroc,
  averagePrecision,
  confusionSummary,
  precisionRecallF1,
  bestF1Threshold,
  percentileThreshold,
  psnr,
  ssim,
  type Scores,
  type Labels,
  type ConfusionSummary,
  type SsimOptions,
} from './metrics.js';
export { symmetricEigen, signNormalize, topEigen, type SymmetricEigen, type TopEigen, type TopEigenOptions } from './eigen.js';
export { fitPca, type Pca, type FitPcaOptions, type PcaSolver } from './pca.js';
export {
  reconstructionErrors,
  anomalyDetector,
  AnomalyDetector,
  type Reconstructor,
  type ReconstructionErrorOptions,
  type ReconstructionErrors,
  type AnomalyScorer,
  type ThresholdRule,
  type AnomalyReport,
} from './anomaly.js';
export {
  trainSoftmaxClassifier,
  pickPerClass,
  selectRows,
  type SoftmaxClassifier,
  type SoftmaxClassifierOptions,
} from './classifier.js';
export { compressionReport, type Codec, type CompressionReport, type CompressionReportOptions } from './compression.js';
