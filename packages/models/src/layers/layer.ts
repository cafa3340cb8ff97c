import type { Random, Shape, Tensor } from '@aekit/core';

/** What a layer is told when it runs. */
export interface CallContext {
  /** True inside `fit`: dropout and noise layers act only then. */
  readonly training: boolean;
}

/** A value JSON can hold: what layer and model configs are made of. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A layer's constructor arguments as JSON, with Keras's field names (`units`,
 * `activation`, `filters`, `kernelSize`...) and the layer's `name`: enough to
 * rebuild the layer (see `layerFromConfig`), not its weights.
 */
export type LayerConfig = { name: string } & { [key: string]: JsonValue };

/**
 * A layer: parameter tensors as fields, built once for an input shape, then called.
 * Shapes here exclude the batch dimension, as in Keras's `input_shape`.
 */
export interface Layer {
  /** The layer's name within its model, e.g. `dense_1`. */
  readonly name: string;
  /** A short type name for summaries, e.g. `Dense`. */
  readonly className: string;
  /** Whether `build` has run. */
  readonly built: boolean;
  /** Creates the weights for `inputShape`, drawing initial values from `rng`; returns the output shape. */
  build(inputShape: Shape, rng: Random): Shape;
  /** Applies the layer to a batch `[batch, ...inputShape]`. */
  call(x: Tensor, context: CallContext): Tensor;
  /** The layer's parameters by name (`kernel`, `bias`), in a stable order. */
  weights(): [string, Tensor][];
  /**
   * The layer's options as JSON (Keras's `get_config`), so the layer can be
   * saved and rebuilt. Optional for custom layers, which then cannot be saved.
   */
  getConfig?(): LayerConfig;
}
