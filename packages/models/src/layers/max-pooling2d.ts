import { maxPool2d, type Tensor } from '@aekit/core';
import { Pooling2D, type Pooling2DOptions } from './pooling2d.js';

/** Max pooling over NHWC windows (Keras's `MaxPooling2D`). */
export class MaxPooling2D extends Pooling2D {
  readonly className = 'MaxPooling2D';

  constructor(poolSize: number | [number, number] = 2, options: Pooling2DOptions = {}) {
    super('max_pooling2d', poolSize, options);
  }

  protected pool(x: Tensor): Tensor {
    return maxPool2d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}

/**
 * A max-pooling layer, as Keras's `MaxPooling2D(pool_size=(2, 2), strides=None, padding='valid')`.
 *
 * @param poolSize the window; default 2
 * @param options strides (the pool size), padding (`'valid'`), name
 * @example
 * sequential([maxPooling2d(2, { padding: 'same' })], { inputShape: [7, 7, 64] }).outputShape; // [4, 4, 64]
 */
export function maxPooling2d(poolSize: number | [number, number] = 2, options: Pooling2DOptions = {}): MaxPooling2D {
  return new MaxPooling2D(poolSize, options);
}

