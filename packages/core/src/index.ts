export { Tensor, tensor, full, zeros, ones, scalar, type DType, type Storage, type TensorOptions, type GradNode } from './tensor.js';
export { withStepMemory, inStepMemory, stepBuffer } from './step-memory.js';
export { sizeOf, formatShape, sameShape, broadcastShapes, type Shape } from './shape.js';
export { backward, noGrad, isGradEnabled, valueAndGrad, stopGradient, isTraining, withTraining, type ValueAndGrad } from './autodiff.js';
export { kernelsFor, setKernels } from './backend.js';
export { Random } from './random.js';
export * from './ops/index.js';
export { relu, linear, tanh, elu, selu, leakyRelu, softmax, logSoftmax, activation, activations, type ActivationName } from './activations.js';
export {
  meanSquaredError,
  meanAbsoluteError,
  binaryCrossentropy,
  binaryCrossentropyFromLogits,
  gaussianKl,
  sparsityKl,
  l1,
  l2,
  l1l2,
  losses,
  lossByName,
  type LossName,
  type LossFunction,
} from './losses.js';
export {
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
  lecunUniform,
  lecunNormal,
  varianceScaling,
  constantInitializer,
  zerosInitializer,
  onesInitializer,
  initializers,
  fans,
  TRUNCATED_NORMAL_STD,
  type Initializer,
  type InitializerName,
  type VarianceScalingOptions,
} from './initializers.js';
export { Adam, adam, type AdamOptions } from './optimizers/adam.js';
export { zeroGrad, type Optimizer, BaseOptimizer, plainSlot, type Slot, type LiveParameter, type OptimizerOptions, type OptimizerState, type NamedParameters } from './optimizers/optimizer.js';
export { SGD, sgd, type SgdOptions } from './optimizers/sgd.js';
export { RMSprop, rmsprop, type RmspropOptions } from './optimizers/rmsprop.js';
export { AdamW, adamw, type AdamWOptions } from './optimizers/adamw.js';
export {
  exponentialDecay,
  cosineDecay,
  piecewiseConstantDecay,
  type LearningRate,
  type LearningRateSchedule,
  type ExponentialDecayOptions,
  type CosineDecayOptions,
} from './optimizers/schedules.js';
export { kernelsInfo, type KernelsInfo } from '@aekit/kernels-wasm';
