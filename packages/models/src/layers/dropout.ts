import { dropout as dropoutOp, Random, type Shape, type Tensor } from '@aekit/core';
import { builtShape, checkInput, forkRandom } from './common.js';
import type { CallContext, Layer, LayerConfig } from './layer.js';

/** Options of `dropout`. */
export interface DropoutOptions {
  /** Seeds the layer's own generator; default: forked from the model's generator at build. */
  seed?: number;
  /** The layer's name; default `dropout`, numbered by the model. */
  name?: string;
}

/**
 * Inverted dropout (Keras's `Dropout`): in training each value is zeroed with
 * probability `rate` and the rest scaled by 1 / (1 - rate); the identity at inference.
 * Masks come from the layer's own seeded generator.
 */
export class Dropout implements Layer {
  readonly className = 'Dropout';
  name: string;
  readonly rate: number;
  private readonly seed: number | undefined;
  private rng: Random | null = null;
  private inputShape: Shape | null = null;

  constructor(rate: number, options: DropoutOptions = {}) {
    this.name = options.name ?? 'dropout';
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`${this.name}: rate must be in [0, 1), got ${rate}`);
    this.rate = rate;
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
    return dropoutOp(x, this.rate, this.rng as Random, context.training);
  }

  weights(): [string, Tensor][] {
    return [];
  }

  getConfig(): LayerConfig {
    return { name: this.name, rate: this.rate, seed: this.seed ?? null };
  }
}

/**
 * A dropout layer, as Keras's `Dropout(rate, seed=None)`: active only in training (inside `fit`).
 *
 * @example
 * sequential([dense(256, { activation: 'relu' }), dropout(0.2), dense(784)], { inputShape: [784], seed: 1 });
 */
export function dropout(rate: number, options: DropoutOptions = {}): Dropout {
  return new Dropout(rate, options);
}
