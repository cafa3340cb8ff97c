import { crop, formatShape, type Random, type Shape, type Tensor } from '@aekit/core';
import { amounts2d, builtShape, checkInput, imageShape, type Amounts2d } from './common.js';
import type { CallContext, Layer, LayerConfig } from './layer.js';

/** Options of `cropping2d`. */
export interface Cropping2DOptions {
  /** The layer's name; default `cropping2d`, numbered by the model. */
  name?: string;
}

/** Removes rows and columns from the edges of NHWC images (Keras's `Cropping2D`). */
export class Cropping2D implements Layer {
  readonly className = 'Cropping2D';
  name: string;
  /** `[[top, bottom], [left, right]]`. */
  readonly cropping: [[number, number], [number, number]];
  private inputShape: Shape | null = null;

  constructor(cropping: Amounts2d = 0, options: Cropping2DOptions = {}) {
    this.name = options.name ?? 'cropping2d';
    this.cropping = amounts2d(this.name, 'cropping', cropping);
  }

  get built(): boolean {
    return this.inputShape !== null;
  }

  build(inputShape: Shape, _rng: Random): Shape {
    const [h, w, c] = imageShape(this.name, inputShape);
    const [[top, bottom], [left, right]] = this.cropping;
    const oh = h - top - bottom;
    const ow = w - left - right;
    if (oh <= 0 || ow <= 0) {
      throw new RangeError(
        `${this.name}: cropping ${top}+${bottom} rows and ${left}+${right} columns needs an input larger than that, got ${formatShape(inputShape)}`,
      );
    }
    this.inputShape = [...inputShape];
    return [oh, ow, c];
  }

  call(x: Tensor, _context: CallContext): Tensor {
    checkInput(this.name, x, builtShape(this.name, this.inputShape));
    const [[top, bottom], [left, right]] = this.cropping;
    return crop(x, [0, top, left, 0], [0, bottom, right, 0]);
  }

  weights(): [string, Tensor][] {
    return [];
  }

  getConfig(): LayerConfig {
    return { name: this.name, cropping: this.cropping.map((p) => [...p]) };
  }
}

/**
 * A cropping layer, as Keras's `Cropping2D(cropping=((top, bottom), (left, right)))`.
 *
 * @param cropping `n` (every side), `[rows, cols]` (symmetric), or `[[top, bottom], [left, right]]`; default 0
 * @example
 * sequential([cropping2d([[2, 2], [2, 2]])], { inputShape: [32, 32, 1] }).outputShape; // [28, 28, 1]
 */
export function cropping2d(cropping: Amounts2d = 0, options: Cropping2DOptions = {}): Cropping2D {
  return new Cropping2D(cropping, options);
}
