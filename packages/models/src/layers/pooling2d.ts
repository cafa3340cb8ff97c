import { windowGeometry, formatShape, type Padding, type Random, type Shape, type Tensor } from '@aekit/core';
import { builtShape, checkInput, imageShape, pair } from './common.js';
import type { CallContext, Layer, LayerConfig } from './layer.js';

/** Options of the pooling layers, with Keras's defaults. */
export interface Pooling2DOptions {
  /** Default: the pool size, as in Keras. */
  strides?: number | [number, number];
  /** Default `'valid'`. */
  padding?: Padding;
  /** The layer's name; default Keras's (`max_pooling2d`, `average_pooling2d`), numbered by the model. */
  name?: string;
}

/** What both pooling layers share: the window, its geometry and the checks. */
export abstract class Pooling2D implements Layer {
  abstract readonly className: string;
  name: string;
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  private inputShape: Shape | null = null;

  constructor(defaultName: string, poolSize: number | [number, number], options: Pooling2DOptions) {
    this.name = options.name ?? defaultName;
    this.poolSize = pair(this.name, 'poolSize', poolSize);
    this.strides = options.strides === undefined ? this.poolSize : pair(this.name, 'strides', options.strides);
    this.padding = options.padding ?? 'valid';
    if (this.padding !== 'same' && this.padding !== 'valid') {
      throw new RangeError(`${this.name}: padding must be 'same' or 'valid', got '${String(this.padding)}'`);
    }
  }

  get built(): boolean {
    return this.inputShape !== null;
  }

  protected abstract pool(x: Tensor): Tensor;

  build(inputShape: Shape, _rng: Random): Shape {
    const [h, w, c] = imageShape(this.name, inputShape);
    const oh = windowGeometry(h, this.poolSize[0], this.strides[0], this.padding).out;
    const ow = windowGeometry(w, this.poolSize[1], this.strides[1], this.padding).out;
    if (oh <= 0 || ow <= 0) {
      throw new RangeError(
        `${this.name}: a ${this.poolSize.join('x')} pool with '${this.padding}' padding does not fit an input of shape ${formatShape(inputShape)}`,
      );
    }
    this.inputShape = [...inputShape];
    return [oh, ow, c];
  }

  call(x: Tensor, _context: CallContext): Tensor {
    checkInput(this.name, x, builtShape(this.name, this.inputShape));
    return this.pool(x);
  }

  weights(): [string, Tensor][] {
    return [];
  }

  getConfig(): LayerConfig {
    return { name: this.name, poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding };
  }
}
