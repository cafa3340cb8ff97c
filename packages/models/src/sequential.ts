import { formatShape, Random, sameShape, type Shape, type Tensor } from '@aekit/core';
import { isStateful, regularizationLosses } from './layers/common.js';
import type { Layer } from './layers/layer.js';
import { Model, type SummaryRow } from './model.js';

export interface SequentialOptions {
  /** The shape of one input sample, without the batch axis (Keras's `input_shape`). */
  inputShape?: Shape;
  /** Seeds the initial weights when this model builds itself; default 0. */
  seed?: number;
  name?: string;
}

/**
 * A stack of layers, each fed by the one before: a fold over `layers`.
 * Weights are created on first use from `inputShape` and `seed`, or by a
 * containing model (an autoencoder builds its encoder and decoder from one generator).
 */
export class Sequential extends Model {
  readonly name: string;
  readonly layers: readonly Layer[];
  private readonly declaredInputShape: Shape | undefined;
  private readonly seed: number;
  /** The output shape of each layer once built. */
  private shapes: Shape[] | null = null;
  private builtInputShape: Shape | null = null;

  constructor(layers: Layer[], options: SequentialOptions = {}) {
    super();
    if (layers.length === 0) throw new RangeError('sequential: needs at least one layer');
    this.name = options.name ?? 'sequential';
    this.layers = layers;
    this.declaredInputShape = options.inputShape ? [...options.inputShape] : undefined;
    this.seed = options.seed ?? 0;
    // Keras numbers repeated names: dense, dense_1, dense_2.
    const seen = new Map<string, number>();
    for (const layer of layers) {
      const count = seen.get(layer.name) ?? 0;
      seen.set(layer.name, count + 1);
      if (count > 0) (layer as { name: string }).name = `${layer.name}_${count}`;
    }
  }

  /** Whether the weights exist. */
  get built(): boolean {
    return this.shapes !== null;
  }

  /**
   * Creates every layer's weights for samples of `inputShape`, drawing from `rng`.
   * Returns the output shape. Building twice for the same shape does nothing.
   */
  build(inputShape: Shape | undefined = this.declaredInputShape, rng: Random = new Random(this.seed)): Shape {
    if (inputShape === undefined) {
      throw new Error(`${this.name}: the input shape is unknown; pass { inputShape } to sequential()`);
    }
    if (this.declaredInputShape && !sameShape(inputShape, this.declaredInputShape)) {
      throw new RangeError(`${this.name}: built for input ${formatShape(inputShape)} but declared ${formatShape(this.declaredInputShape)}`);
    }
    if (this.shapes !== null && this.builtInputShape !== null) {
      if (!sameShape(inputShape, this.builtInputShape)) {
        throw new RangeError(`${this.name}: already built for input ${formatShape(this.builtInputShape)}, not ${formatShape(inputShape)}`);
      }
      return this.shapes[this.shapes.length - 1];
    }
    const shapes: Shape[] = [];
    let shape = inputShape;
    for (const layer of this.layers) {
      shape = layer.build(shape, rng);
      shapes.push(shape);
    }
    this.shapes = shapes;
    this.builtInputShape = [...inputShape];
    return shape;
  }

  private ensureBuilt(): Shape[] {
    if (this.shapes === null) this.build();
    return this.shapes as Shape[];
  }

  get inputShape(): Shape {
    this.ensureBuilt();
    return this.builtInputShape as Shape;
  }

  get outputShape(): Shape {
    const shapes = this.ensureBuilt();
    return shapes[shapes.length - 1];
  }

  call(x: Tensor, context: { training: boolean }): Tensor {
    this.ensureBuilt();
    return this.layers.reduce((h, layer) => layer.call(h, context), x);
  }

  namedWeights(): [string, Tensor][] {
    this.ensureBuilt();
    return this.layers.flatMap((layer, i) => layer.weights().map(([name, t]): [string, Tensor] => [`${i}.${name}`, t]));
  }

  override namedState(): [string, Tensor][] {
    this.ensureBuilt();
    return this.layers.flatMap((layer, i) =>
      isStateful(layer) ? layer.state().map(([name, t]): [string, Tensor] => [`${i}.${name}`, t]) : [],
    );
  }

  /** The penalties of every layer: weight penalties, and activity penalties of the latest call. */
  override regularizationLosses(): Tensor[] {
    this.ensureBuilt();
    return regularizationLosses(this.layers);
  }

  summaryRows(): SummaryRow[] {
    const shapes = this.ensureBuilt();
    const size = (list: [string, Tensor][]) => list.reduce((n, [, t]) => n + t.size, 0);
    return this.layers.map((layer, i) => ({
      layer: `${layer.name} (${layer.className})`,
      outputShape: shapes[i],
      // As Keras, a row counts non-trainable state too (batch normalization's moving statistics).
      params: size(layer.weights()) + (isStateful(layer) ? size(layer.state()) : 0),
    }));
  }
}

/**
 * A stack of layers, as Keras's `Sequential`.
 *
 * @example
 * const model = sequential([dense(64, { activation: 'relu' }), dense(10)], { inputShape: [784], seed: 1 });
 */
export function sequential(layers: Layer[], options: SequentialOptions = {}): Sequential {
  return new Sequential(layers, options);
}
