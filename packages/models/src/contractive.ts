import { mul, mulScalar, noGrad, sub, sum, Tensor, type ActivationName } from '@aekit/core';
import { Autoencoder, type AutoencoderOptions } from './autoencoder.js';
import { Dense, dense } from './layers/dense.js';
import { Flatten, flatten } from './layers/flatten.js';
import { reshape } from './layers/reshape.js';
import { sequential, type Sequential } from './sequential.js';
import { sliceRows } from './training/batches.js';

/** A constant (no gradient) tensor of h's shape and dtype with `f(h_i)` in each place. */
function constant(h: Tensor, f: (v: number) => number): Tensor {
  const out = new (h.values.constructor as Float32ArrayConstructor)(h.size);
  h.values.forEach((v, i) => (out[i] = f(v)));
  return new Tensor(out, h.shape);
}

/** Encoder activations whose derivative we can write from the output h alone, so the penalty is exact. */
const derivatives: Partial<Record<ActivationName, (h: Tensor) => Tensor>> = {
  // s'(a) = s(a)(1 - s(a))
  sigmoid: (h) => mul(h, sub(1, h)),
  // s'(a) = 1 - tanh(a)^2
  tanh: (h) => sub(1, mul(h, h)),
  // s'(a) = 1[a > 0]: piecewise constant, so it carries no gradient of its own.
  relu: (h) => constant(h, (v) => (v > 0 ? 1 : 0)),
  linear: (h) => constant(h, () => 1),
};

/** The activations the contractive penalty supports on the encoder's dense layer. */
export const contractiveActivations = Object.keys(derivatives) as ActivationName[];

/**
 * The squared Frobenius norm of the Jacobian of `h = s(x W + b)` with respect
 * to x, averaged over the batch, in closed form (Rifai et al. 2011, eq. 6):
 * `||J(x)||_F^2 = sum_j s'(a_j)^2 sum_i W_ij^2`, with `s'` written from the
 * output h. Built from differentiable ops, so its gradient reaches W and b
 * without double backpropagation.
 *
 * @param h the layer's outputs `[batch, units]`
 * @param kernel W, `[inputDim, units]`
 * @example
 * const h = sigmoid(add(matmul(x, w), b));
 * const penalty = jacobianFrobeniusSquared(h, w, 'sigmoid'); // scalar
 */
export function jacobianFrobeniusSquared(h: Tensor, kernel: Tensor, activation: ActivationName): Tensor {
  const derivative = derivatives[activation];
  if (derivative === undefined) {
    throw new RangeError(
      `contractive penalty: the encoder's activation '${activation}' is not supported; supported: ${contractiveActivations.join(', ')}`,
    );
  }
  if (h.rank !== 2 || kernel.rank !== 2 || h.shape[1] !== kernel.shape[1]) {
    throw new RangeError(`contractive penalty: expected h [batch, units] and kernel [inputDim, units], got [${h.shape}] and [${kernel.shape}]`);
  }
  const d = derivative(h);
  const columnNorms = sum(mul(kernel, kernel), 0); // sum_i W_ij^2, [units]
  return mulScalar(sum(mul(mul(d, d), columnNorms)), 1 / h.shape[0]);
}

/** The encoder's one dense layer, or an error saying why the penalty cannot be computed exactly. */
function codeLayer(name: string, encoder: Sequential): Dense {
  const layers = encoder.layers;
  const last = layers[layers.length - 1];
  const ok = last instanceof Dense && layers.slice(0, -1).every((l) => l instanceof Flatten);
  if (!ok) {
    const found = layers.map((l) => l.className).join(', ');
    throw new RangeError(
      `${name}: the contractive penalty is computed in closed form for an encoder of one Dense layer (optionally after Flatten); got [${found}]. ` +
        'Deeper encoders would need the Jacobian of a composition (double backpropagation), which aekit does not do.',
    );
  }
  if (derivatives[last.activation] === undefined) {
    throw new RangeError(`${name}: the encoder's activation '${last.activation}' is not supported; supported: ${contractiveActivations.join(', ')}`);
  }
  return last;
}

export interface ContractiveAutoencoderOptions extends AutoencoderOptions {
  /** Weight lambda of the penalty `lambda * ||J_f(x)||_F^2`; default 1e-4 (for a per-value mean loss). */
  lambda?: number;
}

/**
 * A contractive autoencoder (Rifai et al., 2011): the loss adds
 * `lambda * ||J_f(x)||_F^2`, the squared Frobenius norm of the encoder's
 * Jacobian averaged over the batch, logged as `contractive_loss`. The code
 * becomes insensitive to small moves of the input off the data.
 *
 * The encoder must be one Dense layer (optionally after Flatten) with a
 * sigmoid, tanh, relu or linear activation: then the norm has an exact closed
 * form; any other encoder is refused with an error.
 *
 * @example
 * const encoder = sequential([dense(64, { activation: 'sigmoid' })], { inputShape: [784] });
 * const decoder = sequential([dense(784, { activation: 'sigmoid' })]);
 * const cae = new ContractiveAutoencoder(encoder, decoder, { lambda: 1e-4, seed: 1 });
 */
export class ContractiveAutoencoder extends Autoencoder {
  readonly lambda: number;
  private readonly codeDense: Dense;

  constructor(encoder: Sequential, decoder: Sequential, options: ContractiveAutoencoderOptions = {}) {
    super(encoder, decoder, { name: 'contractive_autoencoder', ...options });
    this.lambda = options.lambda ?? 1e-4;
    if (!(this.lambda >= 0)) throw new RangeError(`${this.name}: lambda must be >= 0, got ${this.lambda}`);
    this.codeDense = codeLayer(this.name, encoder);
  }

  /** The mean over `x` of `||J_f(x)||_F^2` (without lambda): how sensitive the code is to the input. */
  jacobianNorm(x: Tensor, options: { batchSize?: number } = {}): number {
    const batchSize = options.batchSize ?? 256;
    const kernel = this.codeDense.kernel as Tensor;
    return noGrad(() => {
      let total = 0;
      const n = x.shape[0];
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(start + batchSize, n);
        const h = this.encoder.call(sliceRows(x, start, end), { training: false });
        total += jacobianFrobeniusSquared(h, kernel, this.codeDense.activation).item() * (end - start);
      }
      return total / n;
    });
  }

  protected override codePenalties(code: Tensor): Record<string, Tensor> {
    const terms = super.codePenalties(code);
    const penalty = jacobianFrobeniusSquared(code, this.codeDense.kernel as Tensor, this.codeDense.activation);
    return { ...terms, contractive_loss: mulScalar(penalty, this.lambda) };
  }
}

export interface DenseContractiveAutoencoderOptions extends ContractiveAutoencoderOptions {
  /** Length of one input vector, e.g. 784; or give `inputShape` for images (flattened first). */
  inputDim?: number;
  /** One image's shape, e.g. `[28, 28, 1]`: the encoder flattens it and the decoder reshapes back. */
  inputShape?: number[];
  /** Width of the code. */
  codeDim: number;
  /** Activation of the code; default `sigmoid`, as in Rifai et al. */
  activation?: ActivationName;
  /** Activation of the reconstruction; default `sigmoid`, for data in [0, 1]. */
  outputActivation?: ActivationName;
}

/**
 * A contractive autoencoder with one dense code layer: input → code (sigmoid by
 * default) → input, with `lambda * ||J_f(x)||_F^2` added to the loss.
 *
 * @example
 * const cae = contractiveAutoencoder({ inputDim: 784, codeDim: 64, lambda: 1e-4, seed: 1 })
 *   .compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
 * await cae.fit(x, x, { epochs: 5, batchSize: 128 }); // logs contractive_loss
 * cae.jacobianNorm(x); // mean ||J_f(x)||_F^2
 */
export function contractiveAutoencoder(options: DenseContractiveAutoencoderOptions): ContractiveAutoencoder {
  if ((options.inputDim === undefined) === (options.inputShape === undefined)) {
    throw new RangeError('contractiveAutoencoder: give inputDim or inputShape, exactly one');
  }
  const inputShape = options.inputShape ?? [options.inputDim as number];
  const flat = inputShape.reduce((a, b) => a * b, 1);
  const encoder = sequential(
    [...(inputShape.length > 1 ? [flatten()] : []), dense(options.codeDim, { activation: options.activation ?? 'sigmoid' })],
    { inputShape, name: 'encoder' },
  );
  const decoder = sequential(
    [dense(flat, { activation: options.outputActivation ?? 'sigmoid' }), ...(inputShape.length > 1 ? [reshape(inputShape)] : [])],
    { name: 'decoder' },
  );
  return new ContractiveAutoencoder(encoder, decoder, options);
}
