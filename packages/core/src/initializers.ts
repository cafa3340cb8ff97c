import type { Random } from './random.js';
import { sizeOf, type Shape } from './shape.js';
import { allocate, Tensor, type DType } from './tensor.js';

/** Creates the initial values of a weight of a given shape, drawing from `rng`. */
export type Initializer = (shape: Shape, rng: Random, dtype?: DType) => Tensor;

/**
 * Keras's fan-in and fan-out: a dense kernel `[in, out]` has fans in and out;
 * a convolution kernel `[kh, kw, inChannels, outChannels]` multiplies both by
 * its receptive field kh * kw.
 */
export function fans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

function fromSampler(shape: Shape, dtype: DType, draw: () => number): Tensor {
  const values = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = draw();
  return new Tensor(values, shape);
}

/** Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). Keras's default kernel initializer. */
export const glorotUniform: Initializer = (shape, rng, dtype = 'float32') => {
  const { fanIn, fanOut } = fans(shape);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return fromSampler(shape, dtype, () => rng.uniform(-limit, limit));
};

/** All zeros: Keras's default bias initializer. */
export const zerosInitializer: Initializer = (shape, _rng, dtype = 'float32') => new Tensor(allocate(dtype, sizeOf(shape)), shape);

/** Initializers by their Keras names. */
export const initializers = { glorotUniform, zeros: zerosInitializer } as const;

export type InitializerName = keyof typeof initializers;
