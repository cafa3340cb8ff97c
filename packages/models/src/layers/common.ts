import { formatShape, initializers, Random, sameShape, Tensor, type Initializer, type InitializerName, type Shape } from '@aekit/core';
import type { Layer } from './layer.js';

/**
 * A penalty on a tensor, returning a scalar to add to the loss, as Keras's
 * regularizers: e.g. `(w) => l2(w, 1e-4)` or `(z) => l1(z, 1e-4)` with core's
 * `l1`, `l2` and `l1l2`.
 */
export type Regularizer = (x: Tensor) => Tensor;

/**
 * A layer that carries regularization penalties (Keras's `layer.losses`):
 * weight penalties computed from the current weights, plus the activity penalty
 * on the output of its most recent `call`.
 */
export interface RegularizedLayer extends Layer {
  /**
   * The penalties as scalar tensors, recorded in the graph when gradients are on.
   * Call it after the forward pass of a step: the activity penalty belongs to the
   * output of the latest `call`.
   */
  regularizationLosses(): Tensor[];
}

/** Whether `layer` carries regularization penalties. */
export function isRegularized(layer: Layer): layer is RegularizedLayer {
  return typeof (layer as Partial<RegularizedLayer>).regularizationLosses === 'function';
}

/**
 * Every regularization penalty of `layers` (weight penalties, and activity
 * penalties of their latest call), for a training loop to add to its loss.
 *
 * @example
 * const h = model.call(x, { training: true });
 * const penalties = regularizationLosses(model.layers); // add their sum to the loss
 */
export function regularizationLosses(layers: readonly Layer[]): Tensor[] {
  return layers.flatMap((layer) => (isRegularized(layer) ? layer.regularizationLosses() : []));
}

/** A layer with non-trainable state (batch normalization's moving statistics). */
export interface StatefulLayer extends Layer {
  /** The non-trainable tensors by name, live (loading may write into their values); never returned by `weights()`. */
  state(): [string, Tensor][];
}

/** Whether `layer` has non-trainable state. */
export function isStateful(layer: Layer): layer is StatefulLayer {
  return typeof (layer as Partial<StatefulLayer>).state === 'function';
}

export function resolveInitializer(init: InitializerName | Initializer): Initializer {
  return typeof init === 'function' ? init : initializers[init];
}

/**
 * The Keras name of an initializer option for a layer's config: the name given,
 * the name of a built-in passed as a function, or null for a custom function
 * (not saved: a rebuilt layer starts from its default, then loads the saved weights).
 */
export function initializerName(init: InitializerName | Initializer | undefined, fallback: InitializerName): InitializerName | null {
  if (init === undefined) return fallback;
  if (typeof init === 'string') return init;
  const found = (Object.keys(initializers) as InitializerName[]).find((name) => initializers[name] === init);
  return found ?? null;
}

/** A trainable leaf holding `t`'s values. */
export function asParameter(t: Tensor): Tensor {
  return new Tensor(t.values, t.shape, true);
}

/** Keras's `int or tuple of 2 ints`. */
export function pair(name: string, what: string, v: number | readonly [number, number], positive = true): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((n) => Number.isInteger(n) && (positive ? n > 0 : n >= 0))) {
    throw new RangeError(`${name}: ${what} must be ${positive ? 'positive' : 'non-negative'} integers, got ${formatShape(p)}`);
  }
  return p;
}

/** Keras's 2-D cropping and padding amounts: `n`, `[h, w]` (symmetric), or `[[top, bottom], [left, right]]`. */
export type Amounts2d = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

/** Normalizes `Amounts2d` to `[[top, bottom], [left, right]]`. */
export function amounts2d(name: string, what: string, v: Amounts2d): [[number, number], [number, number]] {
  const rows = typeof v === 'number' ? [v, v] : typeof v[0] === 'number' ? [v[0], v[0]] : [...v[0]];
  const cols = typeof v === 'number' ? [v, v] : typeof v[1] === 'number' ? [v[1], v[1]] : [...v[1]];
  const all = [...rows, ...cols];
  if (all.length !== 4 || !all.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new RangeError(`${name}: ${what} must be non-negative integers, got ${JSON.stringify(v)}`);
  }
  return [[rows[0], rows[1]], [cols[0], cols[1]]];
}

/** Build-time check of an image input `[height, width, channels]`. */
export function imageShape(name: string, inputShape: Shape): [number, number, number] {
  if (inputShape.length !== 3) {
    throw new RangeError(`${name}: expected an input of shape [height, width, channels], got ${formatShape(inputShape)}`);
  }
  return [inputShape[0], inputShape[1], inputShape[2]];
}

/** The shape a layer was built for, or a lazy-build error. */
export function builtShape(name: string, shape: Shape | null): Shape {
  if (shape === null) throw new Error(`${name}: called before it was built`);
  return shape;
}

/**
 * Call-time check that a batch matches the sample shape the layer was built for:
 * the shapes inferred at build time hold only for that shape.
 */
export function checkInput(name: string, x: Tensor, inputShape: Shape): void {
  if (x.rank !== inputShape.length + 1 || !sameShape(x.shape.slice(1), inputShape)) {
    throw new RangeError(`${name}: expected input of shape [batch, ${inputShape.join(', ')}], got ${formatShape(x.shape)}`);
  }
}

/**
 * An independent generator for a layer's noise: seeded from `seed` when given,
 * else forked from the model's build generator (two draws make a 64-bit seed),
 * so a model seed reproduces every mask and every noise draw.
 */
export function forkRandom(rng: Random, seed: number | undefined): Random {
  if (seed !== undefined) return new Random(seed);
  return new Random(rng.nextUint32() + rng.nextUint32() * 0x100000000);
}
