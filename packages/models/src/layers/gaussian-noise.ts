import { add, Random, Tensor, type Shape } from '@aekit/core';
import { builtShape, checkInput, forkRandom } from './common.js';
import type { CallContext, Layer, LayerConfig } from './layer.js';

/** Options of `gaussianNoise`. */
export interface GaussianNoiseOptions {
  /** Seeds the layer's own generator; default: forked from the model's generator at build. */
  seed?: number;
  /** The layer's name; default `gaussian_noise`, numbered by the model. */
  name?: string;
}

/**
 * Adds zero-mean Gaussian noise of standard deviation `stddev` in training only
 * (Keras's `GaussianNoise`), a regularizer and a denoising corruption inside the
 * model; the identity at inference. Draws come from the layer's own seeded generator.
 */
export class GaussianNoise implements Layer {
  readonly className = 'GaussianNoise';
  name: string;
  readonly stddev: number;
  private readonly seed: number | undefined;
  private rng: Random | null = null;
  private inputShape: Shape | null = null;

  constructor(stddev: number, options: GaussianNoiseOptions = {}) {
    this.name = options.name ?? 'gaussian_noise';
    if (!(stddev >= 0 && Number.isFinite(stddev))) throw new RangeError(`${this.name}: stddev must be a finite number >= 0, got ${stddev}`);
    this.stddev = stddev;
    this.seed = options.seed;
  }

  get built(): boolean {
    return this.inputShape !== null;
  }

  build(inputShape: Shape, rng: Random): Shape {
    this.rng = forkRandom(rng, this.seed);
    this.inputShape = [...inputShape];
    return [...inputShape];
  }

  call(x: Tensor, context: CallContext): Tensor {
    checkInput(this.name, x, builtShape(this.name, this.inputShape));
    if (!context.training || this.stddev === 0) return x;
    const rng = this.rng as Random;
    // The noise is a constant: the gradient passes through the addition unchanged.
    const noise = new (x.values.constructor as Float32ArrayConstructor)(x.size);
    for (let i = 0; i < noise.length; i++) noise[i] = rng.normal(0, this.stddev);
    return add(x, new Tensor(noise, x.shape));
  }

  weights(): [string, Tensor][] {
    return [];
  }

  getConfig(): LayerConfig {
    return { name: this.name, stddev: this.stddev, seed: this.seed ?? null };
  }
}

/**
 * A Gaussian-noise layer, as Keras's `GaussianNoise(stddev, seed=None)`: active only in training.
 *
 * @example
 * sequential([gaussianNoise(0.2), conv2d(32, 3, { padding: 'same', activation: 'relu' })], { inputShape: [28, 28, 1] });
 */
export function gaussianNoise(stddev: number, options: GaussianNoiseOptions = {}): GaussianNoise {
  return new GaussianNoise(stddev, options);
}
