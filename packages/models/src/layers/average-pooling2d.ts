import { averagePool2d, type Tensor } from '@aekit/core';
import { Pooling2D, type Pooling2DOptions } from './pooling2d.js';

/** Average pooling over NHWC windows (Keras's `AveragePooling2D`); `same` padding averages real inputs only. */
export class AveragePooling2D extends Pooling2D {
  readonly className = 'AveragePooling2D';

  constructor(poolSize: number | [number, number] = 2, options: Pooling2DOptions = {}) {
    super('average_pooling2d', poolSize, options);
  }

  protected pool(x: Tensor): Tensor {
    return averagePool2d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}

/**
 * An average-pooling layer, as Keras's `AveragePooling2D(pool_size=(2, 2), strides=None, padding='valid')`.
 *
 * @param poolSize the window; default 2
 * @param options strides (the pool size), padding (`'valid'`), name
 * @example
 * sequential([averagePooling2d(2)], { inputShape: [28, 28, 1] }).outputShape; // [14, 14, 1]
 */
export function averagePooling2d(poolSize: number | [number, number] = 2, options: Pooling2DOptions = {}): AveragePooling2D {
  return new AveragePooling2D(poolSize, options);
}
