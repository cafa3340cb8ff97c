import {
  activation as activationByName,
  biasAdd,
  formatShape,
  isFusedActivation,
  matmul,
  matmulBiasActivation,
  mulScalar,
  reshape,
  Tensor,
  type ActivationName,
  type Initializer,
  type InitializerName,
  type Random,
  type Shape,
} from '@aekit/core';
import { initializerName, resolveInitializer, type Regularizer, type RegularizedLayer } from './common.js';
import type { CallContext, LayerConfig } from './layer.js';

export interface DenseOptions {
  /** Applied to the output; default `linear`. */
  activation?: ActivationName;
  /** Whether to add a bias vector; default true. */
  useBias?: boolean;
  /** Default `glorotUniform`, as in Keras. */
  kernelInitializer?: InitializerName | Initializer;
  /** Default `zeros`. */
  biasInitializer?: InitializerName | Initializer;
  /** A penalty on the kernel, e.g. `(w) => l2(w, 1e-4)`; see `regularizationLosses()`. */
  kernelRegularizer?: Regularizer;
  /** A penalty on the bias; see `regularizationLosses()`. */
  biasRegularizer?: Regularizer;
  /** A penalty on the layer's output (after the activation), divided by the batch size as Keras does; see `regularizationLosses()`. */
  activityRegularizer?: Regularizer;
  /** The layer's name; default `dense`, numbered by the model. */
  name?: string;
}

/**
 * A densely connected layer: `activation(x · kernel + bias)` over the last axis,
 * with kernel `[inputDim, units]`.
 *
 * Its config (`getConfig()`) holds units, activation, useBias and the initializer
 * names; regularizers and custom initializer functions are training-time
 * settings and are not saved.
 */
export class Dense implements RegularizedLayer {
  readonly className = 'Dense';
  name: string;
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  kernel: Tensor | null = null;
  bias: Tensor | null = null;
  readonly kernelRegularizer: Regularizer | undefined;
  readonly biasRegularizer: Regularizer | undefined;
  readonly activityRegularizer: Regularizer | undefined;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly initializerNames: { kernel: InitializerName | null; bias: InitializerName | null };
  private readonly applyActivation: (x: Tensor) => Tensor;
  /** The activity penalty of the latest call; replaced on every call. */
  private activityLoss: Tensor | null = null;

  constructor(units: number, options: DenseOptions = {}) {
    this.name = options.name ?? 'dense';
    if (!Number.isInteger(units) || units <= 0) throw new RangeError(`${this.name}: units must be a positive integer, got ${units}`);
    this.units = units;
    this.activation = options.activation ?? 'linear';
    this.applyActivation = activationByName(this.activation);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = resolveInitializer(options.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(options.biasInitializer ?? 'zeros');
    this.initializerNames = {
      kernel: initializerName(options.kernelInitializer, 'glorotUniform'),
      bias: initializerName(options.biasInitializer, 'zeros'),
    };
    this.kernelRegularizer = options.kernelRegularizer;
    this.biasRegularizer = options.biasRegularizer;
    this.activityRegularizer = options.activityRegularizer;
  }

  get built(): boolean {
    return this.kernel !== null;
  }

  build(inputShape: Shape, rng: Random): Shape {
    if (inputShape.length < 1) throw new RangeError(`${this.name}: needs an input of rank 1 or more, got ${formatShape(inputShape)}`);
    const inputDim = inputShape[inputShape.length - 1];
    const asParameter = (t: Tensor) => new Tensor(t.values, t.shape, true);
    this.kernel = asParameter(this.kernelInitializer([inputDim, this.units], rng));
    this.bias = this.useBias ? asParameter(this.biasInitializer([this.units], rng)) : null;
    return [...inputShape.slice(0, -1), this.units];
  }

  call(x: Tensor, _context: CallContext): Tensor {
    const kernel = this.kernel;
    if (kernel === null) throw new Error(`${this.name}: called before it was built`);
    const inputDim = kernel.shape[0];
    if (x.rank < 2 || x.shape[x.rank - 1] !== inputDim) {
      throw new RangeError(`${this.name}: expected input of shape [batch, ..., ${inputDim}], got ${formatShape(x.shape)}`);
    }
    // Dense acts on the last axis: fold any middle axes into the batch for one gemm.
    const flat = x.rank === 2 ? x : reshape(x, [-1, inputDim]);
    // relu, sigmoid and linear fuse with the product and the bias into one kernel call (forward and backward).
    const y = isFusedActivation(this.activation)
      ? matmulBiasActivation(flat, kernel, this.bias, this.activation)
      : this.applyActivation(this.bias === null ? matmul(flat, kernel) : biasAdd(matmul(flat, kernel), this.bias));
    // Keras divides the activity penalty by the batch size (x's first axis), so its weight does not depend on batchSize.
    this.activityLoss = this.activityRegularizer ? mulScalar(this.activityRegularizer(y), 1 / x.shape[0]) : null;
    return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  weights(): [string, Tensor][] {
    const list: [string, Tensor][] = [];
    if (this.kernel) list.push(['kernel', this.kernel]);
    if (this.bias) list.push(['bias', this.bias]);
    return list;
  }

  regularizationLosses(): Tensor[] {
    const losses: Tensor[] = [];
    if (this.kernelRegularizer && this.kernel) losses.push(this.kernelRegularizer(this.kernel));
    if (this.biasRegularizer && this.bias) losses.push(this.biasRegularizer(this.bias));
    if (this.activityLoss) losses.push(this.activityLoss);
    return losses;
  }

  /** Keras's `get_config`: what `new Dense(units, options)` needs, without regularizers. */
  getConfig(): LayerConfig {
    return {
      name: this.name,
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.initializerNames.kernel,
      biasInitializer: this.initializerNames.bias,
    };
  }
}

/**
 * A densely connected layer, as Keras's `Dense(units, activation=...)`.
 *
 * @example
 * const encoder = sequential([dense(64, { activation: 'relu' })], { inputShape: [784] });
 */
export function dense(units: number, options: DenseOptions = {}): Dense {
  return new Dense(units, options);
}
