import { activation as activationByName, type ActivationName, type Random, type Shape, type Tensor } from '@aekit/core';
import { builtShape, checkInput } from './common.js';
import type { CallContext, Layer, LayerConfig } from './layer.js';

/** Options of `activation`. */
export interface ActivationOptions {
  /** The layer's name; default `activation`, numbered by the model. */
  name?: string;
}

/** Applies an activation function by name (Keras's `Activation`). */
export class Activation implements Layer {
  readonly className = 'Activation';
  name: string;
  readonly activation: ActivationName;
  private readonly apply: (x: Tensor) => Tensor;
  private inputShape: Shape | null = null;

  constructor(activation: ActivationName, options: ActivationOptions = {}) {
    this.name = options.name ?? 'activation';
    this.activation = activation;
    this.apply = activationByName(activation);
  }

  get built(): boolean {
    return this.inputShape !== null;
  }

  build(inputShape: Shape, _rng: Random): Shape {
    this.inputShape = [...inputShape];
    return [...inputShape];
  }

  call(x: Tensor, _context: CallContext): Tensor {
    checkInput(this.name, x, builtShape(this.name, this.inputShape));
    return this.apply(x);
  }

  weights(): [string, Tensor][] {
    return [];
  }

  getConfig(): LayerConfig {
    return { name: this.name, activation: this.activation };
  }
}

/**
 * An activation layer, as Keras's `Activation('relu')`.
 *
 * @example
 * sequential([conv2d(32, 3, { padding: 'same' }), batchNormalization(), activation('relu')], { inputShape: [28, 28, 1] });
 */
export function activation(name: ActivationName, options: ActivationOptions = {}): Activation {
  return new Activation(name, options);
}
