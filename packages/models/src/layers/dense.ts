import {
  activation as activationByName,
  biasAdd,
  formatShape,
  initializers,
  matmul,
  reshape,
  Tensor,
  type ActivationName,
  type Initializer,
  type InitializerName,
  type Random,
  type Shape,
} from '@aekit/core';
import type { CallContext, Layer } from './layer.js';

export interface DenseOptions {
  /** Applied to the output; default `linear`. */
  activation?: ActivationName;
  /** Whether to add a bias vector; default true. */
  useBias?: boolean;
  /** Default `glorotUniform`, as in Keras. */
  kernelInitializer?: InitializerName | Initializer;
  /** Default `zeros`. */
  biasInitializer?: InitializerName | Initializer;
  /** The layer's name; default `dense`, numbered by the model. */
  name?: string;
}

function resolveInitializer(init: InitializerName | Initializer): Initializer {
  return typeof init === 'function' ? init : initializers[init];
}

/**
 * A densely connected layer: `activation(x · kernel + bias)` over the last axis,
 * with kernel `[inputDim, units]`.
 */
export class Dense implements Layer {
  readonly className = 'Dense';
  name: string;
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  kernel: Tensor | null = null;
  bias: Tensor | null = null;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly applyActivation: (x: Tensor) => Tensor;

  constructor(units: number, options: DenseOptions = {}) {
    if (!Number.isInteger(units) || units <= 0) throw new RangeError(`dense: units must be a positive integer, got ${units}`);
    this.units = units;
    this.name = options.name ?? 'dense';
    this.activation = options.activation ?? 'linear';
    this.applyActivation = activationByName(this.activation);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = resolveInitializer(options.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(options.biasInitializer ?? 'zeros');
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
    let y = matmul(flat, kernel);
    if (this.bias !== null) y = biasAdd(y, this.bias);
    y = this.applyActivation(y);
    return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  weights(): [string, Tensor][] {
    const list: [string, Tensor][] = [];
    if (this.kernel) list.push(['kernel', this.kernel]);
    if (this.bias) list.push(['bias', this.bias]);
    return list;
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
