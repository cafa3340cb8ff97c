export type { Layer, CallContext } from './layers/layer.js';
export { Dense, dense, type DenseOptions } from './layers/dense.js';
export { Model, type CompileOptions, type OptimizerName, type SummaryRow } from './model.js';
export { Sequential, sequential, type SequentialOptions } from './sequential.js';
export { Autoencoder, denseAutoencoder, type AutoencoderOptions, type DenseAutoencoderOptions } from './autoencoder.js';
export {
  VariationalAutoencoder,
  denseVariationalAutoencoder,
  type VariationalAutoencoderOptions,
  type DenseVariationalAutoencoderOptions,
} from './variational.js';
export { NonFiniteLossError, type FitOptions, type Objective, type ObjectiveContext } from './training/fit.js';
export { History, type Logs } from './training/history.js';
export { earlyStopping, type Callback, type EarlyStoppingOptions, type TrainingModel } from './training/callbacks.js';
export { epochLogger, progressBar, formatEpochLine, formatLogValue } from './training/progress.js';
export {
  regularizationLosses,
  isRegularized,
  isStateful,
  type Regularizer,
  type RegularizedLayer,
  type StatefulLayer,
  type Amounts2d,
} from './layers/common.js';
export { Conv2D, conv2d, ConvBase, type ConvLayerOptions } from './layers/conv2d.js';
export { Conv2DTranspose, conv2dTranspose } from './layers/conv2d-transpose.js';
export { Pooling2D, type Pooling2DOptions } from './layers/pooling2d.js';
export { MaxPooling2D, maxPooling2d } from './layers/max-pooling2d.js';
export { AveragePooling2D, averagePooling2d } from './layers/average-pooling2d.js';
export { UpSampling2D, upSampling2d, type UpSampling2DOptions } from './layers/up-sampling2d.js';
export { Cropping2D, cropping2d, type Cropping2DOptions } from './layers/cropping2d.js';
export { ZeroPadding2D, zeroPadding2d, type ZeroPadding2DOptions } from './layers/zero-padding2d.js';
export { Flatten, flatten, type FlattenOptions } from './layers/flatten.js';
export { Reshape, reshape, type ReshapeOptions } from './layers/reshape.js';
export { Dropout, dropout, type DropoutOptions } from './layers/dropout.js';
export { GaussianNoise, gaussianNoise, type GaussianNoiseOptions } from './layers/gaussian-noise.js';
export { BatchNormalization, batchNormalization, type BatchNormalizationOptions } from './layers/batch-normalization.js';
export { Activation, activation, type ActivationOptions } from './layers/activation.js';
export type { JsonValue, LayerConfig } from './layers/layer.js';
export { ModelFormatError, ConfigReader, type JsonObject } from './serialization/config.js';
export { layerToConfig, layerFromConfig, registerLayer, registeredLayers, type LayerFactory, type SerializedLayer } from './serialization/layers.js';
export {
  registerModelType,
  sequentialToConfig,
  sequentialFromConfig,
  halvesFromConfig,
  encoderDecoderVariables,
  type ModelType,
} from './serialization/models.js';
export {
  toArtifacts,
  fromArtifacts,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelArtifacts,
  type ModelTopology,
  type WeightSpec,
  type TrainingConfig,
  type ToArtifactsOptions,
  type FromArtifactsOptions,
} from './serialization/artifacts.js';
export type { SerializedOptimizer } from './serialization/optimizer.js';
export { terminateOnNaN } from './training/callbacks.js';
export { learningRateScheduler, reduceLROnPlateau, type LearningRateSchedulerOptions, type ReduceLROnPlateauOptions } from './training/learning-rate.js';
export { trainingEvents, type TrainingEvent, type TrainingEventType, type TrainingEventDetails } from './training/events.js';
export { formatDuration, type TerminalStream } from './training/progress.js';
export type { HistoryJson } from './training/history.js';
export { checkPair, checkInput, checkSamples, checkFinite, sliceRows } from './training/batches.js';
export type { Trainable } from './training/fit.js';
export * from './applications/index.js';
export { corruptionFromNoise, sparsityPenalty, type NoiseOptions, type SparsityOptions } from './autoencoder.js';
export { convAutoencoder, type ConvAutoencoderOptions, type ConvLayout } from './convolutional.js';
export {
  ContractiveAutoencoder,
  contractiveAutoencoder,
  jacobianFrobeniusSquared,
  contractiveActivations,
  type ContractiveAutoencoderOptions,
  type DenseContractiveAutoencoderOptions,
} from './contractive.js';
export { convVariationalAutoencoder, type ConvVariationalAutoencoderOptions } from './convolutional.js';
