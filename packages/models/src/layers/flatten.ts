import { reshape, sizeOf, type Random, type Shape, type Tensor } from '@aekit/core';
import { builtShape, checkInput } from './common.js';
import type { CallContext, Layer, LayerConfig } from './layer.js';

/** Options of `flatten`. */
export interface FlattenOptions {
  /** The layer's name; default `flatten`, numbered by the model. */
  name?: string;
}

/** Flattens each sample to one axis (Keras's `Flatten`), keeping the batch axis; row-major, so NHWC order. */
export class Flatten implements Layer {
  readonly className = 'Flatten';
  name: string;
  private inputShape: Shape | null = null;

  constructor(options: FlattenOptions = {}) {
    this.name = options.name ?? 'flatten';
  }

  get built(): boolean {
    return this.inputShape !== null;
  }

  build(inputShape: Shape, _rng: Random): Shape {
    this.inputShape = [...inputShape];
    return [sizeOf(inputShape)];
  }

  call(x: Tensor, _context: CallContext): Tensor {
    const inputShape = builtShape(this.name, this.inputShape);
    checkInput(this.name, x, inputShape);
    return reshape(x, [x.shape[0], sizeOf(inputShape)]);
  }

  weights(): [string, Tensor][] {
    return [];
  }

  getConfig(): LayerConfig {
    return { name: this.name };
  }
}

/**
 * A flattening layer, as Keras's `Flatten()`.
 *
 * @example
 * sequential([flatten(), dense(64)], { inputShape: [28, 28, 1] }).summary(); // flatten (Flatten): (None, 784)
 */
export function flatten(options: FlattenOptions = {}): Flatten {
  return new Flatten(options);
}
