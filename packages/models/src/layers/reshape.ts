import { formatShape, reshape as reshapeOp, sizeOf, type Random, type Shape, type Tensor } from '@aekit/core';
import { builtShape, checkInput } from './common.js';
import type { CallContext, Layer, LayerConfig } from './layer.js';

/** Options of `reshape`. */
export interface ReshapeOptions {
  /** The layer's name; default `reshape`, numbered by the model. */
  name?: string;
}

/** Gives each sample a new shape with the same number of values (Keras's `Reshape`); one dimension may be -1. */
export class Reshape implements Layer {
  readonly className = 'Reshape';
  name: string;
  readonly targetShape: Shape;
  private inputShape: Shape | null = null;
  private outputShape: Shape | null = null;

  constructor(targetShape: Shape, options: ReshapeOptions = {}) {
    this.name = options.name ?? 'reshape';
    const unknown = targetShape.filter((d) => d === -1).length;
    if (unknown > 1 || !targetShape.every((d) => d === -1 || (Number.isInteger(d) && d > 0))) {
      throw new RangeError(`${this.name}: targetShape must be positive integers with at most one -1, got ${formatShape(targetShape)}`);
    }
    this.targetShape = [...targetShape];
  }

  get built(): boolean {
    return this.outputShape !== null;
  }

  build(inputShape: Shape, _rng: Random): Shape {
    const size = sizeOf(inputShape);
    const known = this.targetShape.reduce((n, d) => (d === -1 ? n : n * d), 1);
    const inferred = this.targetShape.includes(-1) ? size / known : known;
    if (!Number.isInteger(inferred) || (this.targetShape.includes(-1) ? false : known !== size)) {
      throw new RangeError(
        `${this.name}: cannot reshape an input of shape ${formatShape(inputShape)} (${size} values) to ${formatShape(this.targetShape)}`,
      );
    }
    this.inputShape = [...inputShape];
    this.outputShape = this.targetShape.map((d) => (d === -1 ? inferred : d));
    return this.outputShape;
  }

  call(x: Tensor, _context: CallContext): Tensor {
    checkInput(this.name, x, builtShape(this.name, this.inputShape));
    return reshapeOp(x, [x.shape[0], ...(this.outputShape as Shape)]);
  }

  weights(): [string, Tensor][] {
    return [];
  }

  getConfig(): LayerConfig {
    return { name: this.name, targetShape: [...this.targetShape] };
  }
}

/**
 * A reshaping layer, as Keras's `Reshape(target_shape)` (the batch axis is kept and not listed).
 *
 * @example
 * sequential([dense(784, { activation: 'sigmoid' }), reshape([28, 28, 1])], { inputShape: [64] }).outputShape; // [28, 28, 1]
 */
export function reshape(targetShape: Shape, options: ReshapeOptions = {}): Reshape {
  return new Reshape(targetShape, options);
}
