import {
  addScalar,
  biasAdd,
  div,
  mean,
  mul,
  reshape,
  sqrt,
  sub,
  Tensor,
  type Initializer,
  type InitializerName,
  type Random,
  type Shape,
} from '@aekit/core';
import {
  asParameter,
  builtShape,
  checkInput,
  initializerName,
  resolveInitializer,
  type Regularizer,
  type RegularizedLayer,
  type StatefulLayer,
} from './common.js';
import type { CallContext, LayerConfig } from './layer.js';

/** Options of `batchNormalization`, with Keras's defaults. */
export interface BatchNormalizationOptions {
  /** Weight of the old value in the moving averages; default 0.99. */
  momentum?: number;
  /** Added to the variance before the square root; default 1e-3. */
  epsilon?: number;
  /** Whether to learn the offset `beta`; default true. */
  center?: boolean;
  /** Whether to learn the scale `gamma`; default true. */
  scale?: boolean;
  /** Default `zeros`. */
  betaInitializer?: InitializerName | Initializer;
  /** Default `ones`. */
  gammaInitializer?: InitializerName | Initializer;
  /** Default `zeros`. */
  movingMeanInitializer?: InitializerName | Initializer;
  /** Default `ones`. */
  movingVarianceInitializer?: InitializerName | Initializer;
  /** A penalty on beta; see `regularizationLosses()`. */
  betaRegularizer?: Regularizer;
  /** A penalty on gamma; see `regularizationLosses()`. */
  gammaRegularizer?: Regularizer;
  /** The layer's name; default `batch_normalization`, numbered by the model. */
  name?: string;
}

/**
 * Batch normalization over the last axis (Keras's `BatchNormalization`, axis -1:
 * the features of a dense layer, the channels of an NHWC image).
 *
 * In training (`context.training`, i.e. inside `fit`) it normalizes with the
 * batch's mean and (biased) variance and updates the moving statistics,
 * `moving = momentum * moving + (1 - momentum) * batch`; at inference it uses
 * the moving statistics. Then `gamma * x̂ + beta`. `gamma` and `beta` are the
 * trainable `weights()`; `movingMean` and `movingVariance` are non-trainable
 * `state()`, never handed to an optimizer.
 *
 * Its config (`getConfig()`) holds momentum, epsilon, center, scale and the
 * initializer names; regularizers and custom initializer functions are
 * training-time settings and are not saved.
 */
export class BatchNormalization implements RegularizedLayer, StatefulLayer {
  readonly className = 'BatchNormalization';
  name: string;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  gamma: Tensor | null = null;
  beta: Tensor | null = null;
  movingMean: Tensor | null = null;
  movingVariance: Tensor | null = null;
  private readonly options: BatchNormalizationOptions;
  private inputShape: Shape | null = null;

  constructor(options: BatchNormalizationOptions = {}) {
    this.name = options.name ?? 'batch_normalization';
    this.momentum = options.momentum ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new RangeError(`${this.name}: momentum must be in [0, 1], got ${this.momentum}`);
    if (!(this.epsilon > 0)) throw new RangeError(`${this.name}: epsilon must be positive, got ${this.epsilon}`);
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    this.options = options;
  }

  get built(): boolean {
    return this.inputShape !== null;
  }

  build(inputShape: Shape, rng: Random): Shape {
    if (inputShape.length < 1) throw new RangeError(`${this.name}: needs an input of rank 1 or more, got []`);
    const features = [inputShape[inputShape.length - 1]];
    const o = this.options;
    this.gamma = this.scale ? asParameter(resolveInitializer(o.gammaInitializer ?? 'ones')(features, rng)) : null;
    this.beta = this.center ? asParameter(resolveInitializer(o.betaInitializer ?? 'zeros')(features, rng)) : null;
    this.movingMean = resolveInitializer(o.movingMeanInitializer ?? 'zeros')(features, rng);
    this.movingVariance = resolveInitializer(o.movingVarianceInitializer ?? 'ones')(features, rng);
    this.inputShape = [...inputShape];
    return [...inputShape];
  }

  call(x: Tensor, context: CallContext): Tensor {
    const inputShape = builtShape(this.name, this.inputShape);
    checkInput(this.name, x, inputShape);
    const features = inputShape[inputShape.length - 1];
    // Every axis but the last is a sample of the statistics: fold them into rows.
    const rows = x.rank === 2 ? x : reshape(x, [-1, features]);
    let normalized: Tensor;
    if (context.training) {
      const batchMean = mean(rows, 0);
      const centered = sub(rows, batchMean);
      // Biased variance (divide by the count), as Keras 3's `ops.moments`, both to
      // normalize and to update the moving variance.
      const batchVariance = mean(mul(centered, centered), 0);
      normalized = mul(centered, div(1, sqrt(addScalar(batchVariance, this.epsilon))));
      this.updateMoving(batchMean, batchVariance);
    } else {
      const movingMean = this.movingMean as Tensor;
      const movingVariance = this.movingVariance as Tensor;
      normalized = mul(sub(rows, movingMean), div(1, sqrt(addScalar(movingVariance, this.epsilon))));
    }
    let y = this.gamma ? mul(normalized, this.gamma) : normalized;
    if (this.beta) y = biasAdd(y, this.beta);
    return x.rank === 2 ? y : reshape(y, x.shape);
  }

  /** moving = momentum * moving + (1 - momentum) * batch, on the values: no graph, no gradient. */
  private updateMoving(batchMean: Tensor, batchVariance: Tensor): void {
    const m = this.momentum;
    const pairs: [Tensor, Tensor][] = [
      [this.movingMean as Tensor, batchMean],
      [this.movingVariance as Tensor, batchVariance],
    ];
    for (const [moving, batch] of pairs) {
      const mv = moving.values, bv = batch.values;
      for (let i = 0; i < mv.length; i++) mv[i] = m * mv[i] + (1 - m) * bv[i];
    }
  }

  weights(): [string, Tensor][] {
    const list: [string, Tensor][] = [];
    if (this.gamma) list.push(['gamma', this.gamma]);
    if (this.beta) list.push(['beta', this.beta]);
    return list;
  }

  state(): [string, Tensor][] {
    if (this.movingMean === null || this.movingVariance === null) return [];
    return [
      ['moving_mean', this.movingMean],
      ['moving_variance', this.movingVariance],
    ];
  }

  regularizationLosses(): Tensor[] {
    const losses: Tensor[] = [];
    if (this.options.gammaRegularizer && this.gamma) losses.push(this.options.gammaRegularizer(this.gamma));
    if (this.options.betaRegularizer && this.beta) losses.push(this.options.betaRegularizer(this.beta));
    return losses;
  }

  /** Keras's `get_config`: what the constructor needs, without regularizers. */
  getConfig(): LayerConfig {
    const o = this.options;
    return {
      name: this.name,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: initializerName(o.betaInitializer, 'zeros'),
      gammaInitializer: initializerName(o.gammaInitializer, 'ones'),
      movingMeanInitializer: initializerName(o.movingMeanInitializer, 'zeros'),
      movingVarianceInitializer: initializerName(o.movingVarianceInitializer, 'ones'),
    };
  }
}

/**
 * A batch-normalization layer, as Keras's `BatchNormalization()` (axis -1,
 * momentum 0.99, epsilon 1e-3, gamma ones, beta zeros).
 *
 * @example
 * const model = sequential(
 *   [conv2d(32, 3, { padding: 'same' }), batchNormalization(), activation('relu')],
 *   { inputShape: [28, 28, 1] },
 * );
 */
export function batchNormalization(options: BatchNormalizationOptions = {}): BatchNormalization {
  return new BatchNormalization(options);
}
