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
