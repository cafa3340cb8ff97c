import { pad, type Random, type Shape, type Tensor } from '@aekit/core';
import { amounts2d, builtShape, checkInput, imageShape, type Amounts2d } from './common.js';
import type { CallContext, Layer, LayerConfig } from './layer.js';

/** Options of `zeroPadding2d`. */
export interface ZeroPadding2DOptions {
  /** The layer's name; default `zero_padding2d`, numbered by the model. */
  name?: string;
}

/** Adds rows and columns of zeros around NHWC images (Keras's `ZeroPadding2D`). */
export class ZeroPadding2D implements Layer {
  readonly className = 'ZeroPadding2D';
  name: string;
  /** `[[top, bottom], [left, right]]`. */
  readonly padding: [[number, number], [number, number]];
  private inputShape: Shape | null = null;

  constructor(padding: Amounts2d = 1, options: ZeroPadding2DOptions = {}) {
    this.name = options.name ?? 'zero_padding2d';
    this.padding = amounts2d(this.name, 'padding', padding);
  }

  get built(): boolean {
    return this.inputShape !== null;
  }

  build(inputShape: Shape, _rng: Random): Shape {
    const [h, w, c] = imageShape(this.name, inputShape);
    const [[top, bottom], [left, right]] = this.padding;
    this.inputShape = [...inputShape];
    return [h + top + bottom, w + left + right, c];
  }

  call(x: Tensor, _context: CallContext): Tensor {
    checkInput(this.name, x, builtShape(this.name, this.inputShape));
    const [[top, bottom], [left, right]] = this.padding;
    return pad(x, [0, top, left, 0], [0, bottom, right, 0]);
  }

  weights(): [string, Tensor][] {
    return [];
  }

  getConfig(): LayerConfig {
    return { name: this.name, padding: this.padding.map((p) => [...p]) };
  }
}

/**
 * A zero-padding layer, as Keras's `ZeroPadding2D(padding=(1, 1))`.
 *
 * @param padding `n` (every side), `[rows, cols]` (symmetric), or `[[top, bottom], [left, right]]`; default 1
 * @example
 * sequential([zeroPadding2d(2)], { inputShape: [28, 28, 1] }).outputShape; // [32, 32, 1]
 */
export function zeroPadding2d(padding: Amounts2d = 1, options: ZeroPadding2DOptions = {}): ZeroPadding2D {
  return new ZeroPadding2D(padding, options);
}
