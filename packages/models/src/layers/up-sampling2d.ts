import { upSampling2d as upSampling2dOp, type Random, type Shape, type Tensor } from '@aekit/core';
import { builtShape, checkInput, imageShape, pair } from './common.js';
import type { CallContext, Layer, LayerConfig } from './layer.js';

/** Options of `upSampling2d`. */
export interface UpSampling2DOptions {
  /** Only `'nearest'` (Keras's default) is supported. */
  interpolation?: 'nearest';
  /** The layer's name; default `up_sampling2d`, numbered by the model. */
  name?: string;
}

/** Nearest-neighbour upsampling of NHWC images (Keras's `UpSampling2D`): each pixel repeated `size` times along each axis. */
export class UpSampling2D implements Layer {
  readonly className = 'UpSampling2D';
  name: string;
  readonly size: [number, number];
  private inputShape: Shape | null = null;

  constructor(size: number | [number, number] = 2, options: UpSampling2DOptions = {}) {
    this.name = options.name ?? 'up_sampling2d';
    this.size = pair(this.name, 'size', size);
    if ((options.interpolation ?? 'nearest') !== 'nearest') {
      throw new RangeError(`${this.name}: only 'nearest' interpolation is supported, got '${String(options.interpolation)}'`);
    }
  }

  get built(): boolean {
    return this.inputShape !== null;
  }

  build(inputShape: Shape, _rng: Random): Shape {
    const [h, w, c] = imageShape(this.name, inputShape);
    this.inputShape = [...inputShape];
    return [h * this.size[0], w * this.size[1], c];
  }

  call(x: Tensor, _context: CallContext): Tensor {
    checkInput(this.name, x, builtShape(this.name, this.inputShape));
    return upSampling2dOp(x, this.size);
  }

  weights(): [string, Tensor][] {
    return [];
  }

  getConfig(): LayerConfig {
    return { name: this.name, size: [...this.size], interpolation: 'nearest' };
  }
}

/**
 * An upsampling layer, as Keras's `UpSampling2D(size=(2, 2))`.
 *
 * @param size the factor per axis; default 2
 * @example
 * sequential([upSampling2d(2)], { inputShape: [7, 7, 8] }).outputShape; // [14, 14, 8]
 */
export function upSampling2d(size: number | [number, number] = 2, options: UpSampling2DOptions = {}): UpSampling2D {
  return new UpSampling2D(size, options);
}
