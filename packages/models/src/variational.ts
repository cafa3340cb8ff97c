import {
  add,
  exp,
  formatShape,
  gaussianKl,
  mul,
  mulScalar,
  noGrad,
  Random,
  sizeOf,
  slice,
  Tensor,
  type ActivationName,
  type LossFunction,
  type Shape,
} from '@aekit/core';
import { regularizationLosses } from './layers/common.js';
import { dense } from './layers/dense.js';
import { Model, type SummaryRow } from './model.js';
import { sequential, type Sequential } from './sequential.js';
import type { Objective, ObjectiveContext } from './training/fit.js';

export interface VariationalAutoencoderOptions {
  /** Weight of the KL term (a β-VAE for β ≠ 1); default 1. */
  beta?: number;
  /** Seeds the initial weights of both halves (encoder first); default 0. */
  seed?: number;
  name?: string;
}

/** A batch of standard normal values, drawn from `rng`. */
function standardNormal(shape: Shape, rng: Random): Tensor {
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = rng.normal();
  return new Tensor(values, shape);
}

/**
 * A variational autoencoder (Kingma and Welling, 2014). The encoder's output,
 * `[batch, 2 * latent]`, is read as the mean and the log-variance of a Gaussian
 * over the code; training samples `z = mean + exp(logVar / 2) * eps` (the
 * reparameterisation trick, so gradients reach the encoder) and minimises
 * reconstruction + β KL(q(z|x) || N(0, I)), logging both terms apart.
 *
 * The reconstruction term is the loss summed over each sample's values and
 * averaged over the batch, as in Keras's VAE example: a per-value mean would
 * let the KL term swamp it and the code collapse to the prior.
 */
export class VariationalAutoencoder extends Model {
  readonly name: string;
  readonly encoder: Sequential;
  readonly decoder: Sequential;
  readonly beta: number;
  /** Width of the code z. */
  readonly latentDim: number;

  constructor(encoder: Sequential, decoder: Sequential, options: VariationalAutoencoderOptions = {}) {
    super();
    this.name = options.name ?? 'variational_autoencoder';
    this.encoder = encoder;
    this.decoder = decoder;
    this.beta = options.beta ?? 1;
    const rng = new Random(options.seed ?? 0);
    const encoded = encoder.build(undefined, rng);
    if (encoded.length !== 1 || encoded[0] % 2 !== 0) {
      throw new RangeError(`${this.name}: the encoder must output [2 * latent] (mean and log-variance), got ${formatShape(encoded)}`);
    }
    this.latentDim = encoded[0] / 2;
    try {
      decoder.build([this.latentDim], rng);
    } catch (error) {
      throw new RangeError(`${this.name}: the decoder does not accept a code of shape [${this.latentDim}]: ${(error as Error).message}`);
    }
  }

  get inputShape(): Shape {
    return this.encoder.inputShape;
  }

  get outputShape(): Shape {
    return this.decoder.outputShape;
  }

  private split(encoded: Tensor): { mean: Tensor; logVar: Tensor } {
    const n = encoded.shape[0];
    return { mean: slice(encoded, [0, 0], [n, this.latentDim]), logVar: slice(encoded, [0, this.latentDim], [n, this.latentDim]) };
  }

  /** The deterministic pass: decode the mean code (no sampling), as inference and `predict` use. */
  call(x: Tensor, context: { training: boolean }): Tensor {
    return this.decoder.call(this.split(this.encoder.call(x, context)).mean, context);
  }

  objective(x: Tensor, y: Tensor, loss: LossFunction, context: ObjectiveContext): Objective {
    const { mean, logVar } = this.split(this.encoder.call(x, context));
    // z = mean + sigma * eps with eps ~ N(0, I): the sample is differentiable in mean and logVar.
    const eps = standardNormal(mean.shape, context.rng);
    const z = add(mean, mul(exp(mulScalar(logVar, 0.5)), eps));
    const reconstruction = mulScalar(loss(this.decoder.call(z, context), y), sizeOf(this.outputShape));
    const kl = gaussianKl(mean, logVar);
    const total = add(reconstruction, mulScalar(kl, this.beta));
    const terms: Record<string, Tensor> = { reconstruction_loss: reconstruction, kl_loss: kl };
    // Read after the forward pass: activity penalties belong to the batch just seen.
    const penalties = this.regularizationLosses();
    if (penalties.length === 0) return { total, terms };
    const regularization = penalties.reduce((a, b) => add(a, b));
    return { total: add(total, regularization), terms: { ...terms, regularization_loss: regularization } };
  }

  /** The penalties of both halves' layers (weight penalties, and activity penalties of the latest call). */
  override regularizationLosses(): Tensor[] {
    return regularizationLosses([...this.encoder.layers, ...this.decoder.layers]);
  }

  /** The posterior of each sample: the mean and log-variance of its code. */
  encode(x: Tensor, options: { batchSize?: number } = {}): { mean: Tensor; logVar: Tensor } {
    const encoded = this.encoder.predict(x, options);
    return noGrad(() => this.split(encoded));
  }

  /** Decodes codes `z` of shape `[n, latentDim]`. */
  decode(z: Tensor, options: { batchSize?: number } = {}): Tensor {
    return this.decoder.predict(z, options);
  }

  /** `n` new samples: codes drawn from the prior N(0, I), decoded. */
  sample(n: number, rng: Random = new Random(0)): Tensor {
    return this.decode(standardNormal([n, this.latentDim], rng));
  }

  /**
   * Decodes `steps` codes on the straight line between the posterior means of
   * two samples (each `[1, ...inputShape]`), endpoints included.
   */
  interpolate(a: Tensor, b: Tensor, steps: number): Tensor {
    if (!Number.isInteger(steps) || steps < 2) throw new RangeError(`interpolate: steps must be an integer >= 2, got ${steps}`);
    const za = this.encode(a).mean.values;
    const zb = this.encode(b).mean.values;
    if (za.length !== this.latentDim || zb.length !== this.latentDim) {
      throw new RangeError(`interpolate: a and b must each be one sample, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    }
    const codes = new Float32Array(steps * this.latentDim);
    for (let s = 0; s < steps; s++) {
      const t = s / (steps - 1);
      for (let j = 0; j < this.latentDim; j++) codes[s * this.latentDim + j] = (1 - t) * za[j] + t * zb[j];
    }
    return this.decode(new Tensor(codes, [steps, this.latentDim]));
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

export interface DenseVariationalAutoencoderOptions extends VariationalAutoencoderOptions {
  inputDim: number;
  /** Width of the code z; 2 gives a latent map to plot. */
  latentDim: number;
  /** Hidden widths between input and code, mirrored in the decoder; default [512]. */
  hidden?: number[];
  /** Default `relu`. */
  activation?: ActivationName;
  /** Default `sigmoid`, for data in [0, 1]. */
  outputActivation?: ActivationName;
}

/**
 * A dense VAE: input → hidden... → (mean, logVar) → z → ...hidden reversed → input.
 *
 * @example
 * const vae = denseVariationalAutoencoder({ inputDim: 784, latentDim: 2, seed: 1 }).compile({ loss: 'binaryCrossentropy' });
 */
export function denseVariationalAutoencoder(options: DenseVariationalAutoencoderOptions): VariationalAutoencoder {
  const hidden = options.hidden ?? [512];
  const activation = options.activation ?? 'relu';
  const encoder = sequential(
    [...hidden.map((units) => dense(units, { activation })), dense(2 * options.latentDim)],
    { inputShape: [options.inputDim], name: 'encoder' },
  );
  const decoder = sequential(
    [
      ...[...hidden].reverse().map((units) => dense(units, { activation })),
      dense(options.inputDim, { activation: options.outputActivation ?? 'sigmoid' }),
    ],
    { name: 'decoder' },
  );
  return new VariationalAutoencoder(encoder, decoder, options);
}
