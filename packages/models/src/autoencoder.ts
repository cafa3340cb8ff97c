import {
  add,
  formatShape,
  mulScalar,
  Random,
  sparsityKl,
  l1,
  type ActivationName,
  type LossFunction,
  type Shape,
  type Tensor,
} from '@aekit/core';
import { gaussianNoise, maskingNoise, saltAndPepperNoise } from '@aekit/data';
import type { Objective, ObjectiveContext } from './training/fit.js';
import { dense } from './layers/dense.js';
import { regularizationLosses } from './layers/common.js';
import { Model, type SummaryRow } from './model.js';
import { sequential, type Sequential } from './sequential.js';

/**
 * A corruption for denoising, by kind: Gaussian noise `x + factor * N(0, 1)`
 * (clipped to [0, 1] unless `clip: false`; the seed uses factor 0.2), masking
 * noise (each value set to 0 with probability `fraction`) or salt-and-pepper
 * noise (each value set to 0 or 1 with probability `fraction`).
 */
export type NoiseOptions =
  | { kind: 'gaussian'; factor: number; clip?: boolean }
  | { kind: 'masking'; fraction: number }
  | { kind: 'saltAndPepper'; fraction: number };

/** The corruption function a `NoiseOptions` describes, drawing from the generator it is given. */
export function corruptionFromNoise(noise: NoiseOptions): (x: Tensor, rng: Random) => Tensor {
  switch (noise.kind) {
    case 'gaussian':
      return (x, rng) => gaussianNoise(x, noise.factor, rng, noise.clip ?? true);
    case 'masking':
      return (x, rng) => maskingNoise(x, noise.fraction, rng);
    case 'saltAndPepper':
      return (x, rng) => saltAndPepperNoise(x, noise.fraction, rng);
    default:
      throw new RangeError(`noise: unknown kind '${(noise as { kind: string }).kind}'; known: gaussian, masking, saltAndPepper`);
  }
}

/**
 * A sparsity penalty on the code, by kind, each scaled so that its weight does
 * not depend on the batch size:
 * - `l1`: `factor * sum |z|` over the batch divided by the batch size, as
 *   Keras's `activity_regularizer=l1(factor)` (Keras's blog: 1e-4 on a 32-unit code);
 * - `kl`: `weight * sum_j KL(rho || rhoHat_j)`, with `rhoHat_j` the batch mean
 *   activation of unit j (already a batch mean: not divided again). The code
 *   should lie in (0, 1) (a sigmoid code) for the KL to be meaningful.
 */
export type SparsityOptions = { kind: 'l1'; factor: number } | { kind: 'kl'; rho: number; weight: number };

/** The penalty a `SparsityOptions` describes, as a function of a batch of codes. */
export function sparsityPenalty(sparsity: SparsityOptions): (code: Tensor) => Tensor {
  switch (sparsity.kind) {
    case 'l1':
      if (!(sparsity.factor >= 0)) throw new RangeError(`sparsity: the l1 factor must be >= 0, got ${sparsity.factor}`);
      return (code) => mulScalar(l1(code, sparsity.factor), 1 / code.shape[0]);
    case 'kl':
      if (!(sparsity.weight >= 0)) throw new RangeError(`sparsity: the kl weight must be >= 0, got ${sparsity.weight}`);
      if (!(sparsity.rho > 0 && sparsity.rho < 1)) throw new RangeError(`sparsity: rho must lie in (0, 1), got ${sparsity.rho}`);
      return (code) => mulScalar(sparsityKl(code, sparsity.rho), sparsity.weight);
    default:
      throw new RangeError(`sparsity: unknown kind '${(sparsity as { kind: string }).kind}'; known: l1, kl`);
  }
}

export interface AutoencoderOptions {
  /** Seeds the initial weights of both halves (encoder first); default 0. */
  seed?: number;
  name?: string;
  /**
   * Denoising: corrupts each training batch's input (the target stays clean),
   * drawing from fit's seeded generator, so every epoch sees fresh noise.
   * E.g. `{ kind: 'gaussian', factor: 0.2 }`, the seed's. See `corruption` for any other.
   */
  noise?: NoiseOptions;
  /**
   * Denoising with a corruption of your own, `(x, rng) => noisy x`, drawing from
   * `rng` (fit's seeded generator). Give `noise` or `corruption`, not both.
   */
  corruption?: (x: Tensor, rng: Random) => Tensor;
  /**
   * Sparse: a penalty on the code, added to the loss and logged as `sparsity_loss`:
   * `{ kind: 'l1', factor: 1e-4 }` (Keras's blog) or `{ kind: 'kl', rho: 0.05, weight: 0.1 }`.
   */
  sparsity?: SparsityOptions;
  /**
   * Sparse, with a penalty of your own on the batch's codes, divided by the batch
   * size (Keras averages activity penalties over the batch), logged as
   * `sparsity_loss`. E.g. `(z) => l1(z, 1e-4)`, the same as `sparsity: { kind: 'l1', factor: 1e-4 }`.
   * Give `sparsity` or `activityRegularizer`, not both.
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
  private readonly corruption: ((x: Tensor, rng: Random) => Tensor) | undefined;
  private readonly sparsity: ((code: Tensor) => Tensor) | undefined;

  constructor(encoder: Sequential, decoder: Sequential, options: AutoencoderOptions = {}) {
    super();
    this.name = options.name ?? 'autoencoder';
    this.encoder = encoder;
    this.decoder = decoder;
    if (options.noise && options.corruption) throw new RangeError(`${this.name}: give noise or corruption, not both`);
    this.corruption = options.noise ? corruptionFromNoise(options.noise) : options.corruption;
    if (options.sparsity && options.activityRegularizer) throw new RangeError(`${this.name}: give sparsity or activityRegularizer, not both`);
    const custom = options.activityRegularizer;
    this.sparsity = options.sparsity
      ? sparsityPenalty(options.sparsity)
      : custom && ((code: Tensor) => mulScalar(custom(code), 1 / code.shape[0]));
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
   * (corrupted, when denoising) input, plus the code's sparsity penalty and the
   * layers' own penalties (weight and activity regularizers) when set, each logged apart.
   */
  objective(x: Tensor, y: Tensor, loss: LossFunction, context: ObjectiveContext): Objective {
    const input = context.training && this.corruption ? this.corruption(x, context.rng) : x;
    const code = this.encoder.call(input, context);
    const reconstruction = loss(this.decoder.call(code, context), y);
    const terms = this.codePenalties(code);
    // Read after the forward pass: activity penalties belong to the batch just seen.
    const penalties = this.regularizationLosses();
    if (penalties.length > 0) terms.regularization_loss = penalties.reduce((a, b) => add(a, b));
    const extra = Object.values(terms);
    if (extra.length === 0) return { total: reconstruction, terms };
    return { total: extra.reduce((a, b) => add(a, b), reconstruction), terms: { reconstruction_loss: reconstruction, ...terms } };
  }

  /**
   * The penalties on a batch's codes, by their logged names, for the objective
   * to add: the sparsity penalty (`sparsity_loss`) when set. Subclasses add
   * their own (the contractive autoencoder's `contractive_loss`).
   */
  protected codePenalties(code: Tensor): Record<string, Tensor> {
    return this.sparsity ? { sparsity_loss: this.sparsity(code) } : {};
  }

  /** The penalties of both halves' layers (weight penalties, and activity penalties of the latest call). */
  override regularizationLosses(): Tensor[] {
    return regularizationLosses([...this.encoder.layers, ...this.decoder.layers]);
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

