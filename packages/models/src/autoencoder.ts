import { add, formatShape, mulScalar, Random, type ActivationName, type LossFunction, type Shape, type Tensor } from '@aekit/core';
import type { Objective, ObjectiveContext } from './training/fit.js';
import { dense } from './layers/dense.js';
import { Model, type SummaryRow } from './model.js';
import { sequential, type Sequential } from './sequential.js';

export interface AutoencoderOptions {
  /** Seeds the initial weights of both halves (encoder first); default 0. */
  seed?: number;
  name?: string;
  /**
   * Denoising: corrupts each training batch's input (the target stays clean),
   * drawing from fit's seeded generator, so every epoch sees fresh noise.
   * E.g. `(x, rng) => gaussianNoise(x, 0.2, rng)` from `@aekit/data`.
   */
  corruption?: (x: Tensor, rng: Random) => Tensor;
  /**
   * Sparse: a penalty on the batch's code activations, divided by the batch
   * size (Keras averages activity penalties over the batch), added to the loss
   * and logged as `sparsity_loss`. E.g. `(z) => l1(z, 1e-4)`.
   */
  activityRegularizer?: (code: Tensor) => Tensor;
}

/**
 * An encoder x → z and a decoder z → x̂, trained end to end and usable apart:
 * `encode` gives the code, `decode` maps a code back, `predict` does both.
 */
export class Autoencoder extends Model {
  readonly name: string;
  readonly encoder: Sequential;
  readonly decoder: Sequential;
  private readonly corruption: AutoencoderOptions['corruption'];
  private readonly activityRegularizer: AutoencoderOptions['activityRegularizer'];

  constructor(encoder: Sequential, decoder: Sequential, options: AutoencoderOptions = {}) {
    super();
    this.name = options.name ?? 'autoencoder';
    this.encoder = encoder;
    this.decoder = decoder;
    this.corruption = options.corruption;
    this.activityRegularizer = options.activityRegularizer;
    const rng = new Random(options.seed ?? 0);
    const codeShape = encoder.build(undefined, rng);
    try {
      decoder.build(codeShape, rng);
    } catch (error) {
      throw new RangeError(
        `${this.name}: the decoder does not accept the encoder's code of shape ${formatShape(codeShape)}: ${(error as Error).message}`,
      );
    }
  }

  get inputShape(): Shape {
    return this.encoder.inputShape;
  }

  get outputShape(): Shape {
    return this.decoder.outputShape;
  }

  /** The shape of one code (the latent vector). */
  get codeShape(): Shape {
    return this.encoder.outputShape;
  }

  call(x: Tensor, context: { training: boolean }): Tensor {
    return this.decoder.call(this.encoder.call(x, context), context);
  }

  /**
   * The training objective: reconstruction of the (clean) target from the
   * (corrupted, when denoising) input, plus the code's sparsity penalty when set.
   */
  objective(x: Tensor, y: Tensor, loss: LossFunction, context: ObjectiveContext): Objective {
    const input = context.training && this.corruption ? this.corruption(x, context.rng) : x;
    const code = this.encoder.call(input, context);
    const reconstruction = loss(this.decoder.call(code, context), y);
    if (!this.activityRegularizer) return { total: reconstruction, terms: {} };
    const sparsity = mulScalar(this.activityRegularizer(code), 1 / x.shape[0]);
    return { total: add(reconstruction, sparsity), terms: { reconstruction_loss: reconstruction, sparsity_loss: sparsity } };
  }

  /** The codes of `x`, in batches. */
  encode(x: Tensor, options: { batchSize?: number } = {}): Tensor {
    return this.encoder.predict(x, options);
  }

  /** The reconstructions of codes `z`, in batches. */
  decode(z: Tensor, options: { batchSize?: number } = {}): Tensor {
    return this.decoder.predict(z, options);
  }

  namedWeights(): [string, Tensor][] {
    return [
      ...this.encoder.namedWeights().map(([k, t]): [string, Tensor] => [`encoder.${k}`, t]),
      ...this.decoder.namedWeights().map(([k, t]): [string, Tensor] => [`decoder.${k}`, t]),
    ];
  }

  summaryRows(): SummaryRow[] {
    return [
      ...this.encoder.summaryRows().map((r) => ({ ...r, layer: `encoder/${r.layer}` })),
      ...this.decoder.summaryRows().map((r) => ({ ...r, layer: `decoder/${r.layer}` })),
    ];
  }
}

export interface DenseAutoencoderOptions extends AutoencoderOptions {
  /** Length of one input vector, e.g. 784 for flattened MNIST. */
  inputDim: number;
  /** Width of the code, the bottleneck. */
  codeDim: number;
  /** Hidden widths between input and code; mirrored in the decoder. Default none (the vanilla autoencoder). */
  hidden?: number[];
  /** Activation of the hidden and code layers; default `relu`. */
  activation?: ActivationName;
  /** Activation of the reconstruction; default `sigmoid`, for data in [0, 1]. */
  outputActivation?: ActivationName;
}

/**
 * A dense autoencoder: input → hidden... → code → ...hidden reversed → input.
 * With no hidden layers it is the vanilla one-hidden-layer autoencoder; with
 * `hidden: [256, 128]` and `codeDim: 32`, the multilayer 784-256-128-32-128-256-784 one.
 *
 * @example
 * const ae = denseAutoencoder({ inputDim: 784, codeDim: 64, seed: 42 }).compile({ loss: 'mse' });
 */
export function denseAutoencoder(options: DenseAutoencoderOptions): Autoencoder {
  const hidden = options.hidden ?? [];
  const activation = options.activation ?? 'relu';
  const encoder = sequential(
    [...hidden, options.codeDim].map((units) => dense(units, { activation })),
    { inputShape: [options.inputDim], name: 'encoder' },
  );
  const decoder = sequential(
    [
      ...[...hidden].reverse().map((units) => dense(units, { activation })),
      dense(options.inputDim, { activation: options.outputActivation ?? 'sigmoid' }),
    ],
    { name: 'decoder' },
  );
  return new Autoencoder(encoder, decoder, options);
}

