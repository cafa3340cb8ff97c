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

/**
 * The standard deviation of a standard normal truncated to [-2, 2]. Keras divides
 * by it so that the truncated draws keep the intended variance `scale / n`.
 */
export const TRUNCATED_NORMAL_STD = 0.87962566103423978;

/** A standard normal deviate redrawn until it lies within two standard deviations (Keras's `truncated_normal`). */
function truncatedNormal(rng: Random): number {
  for (;;) {
    const z = rng.normal();
    if (Math.abs(z) <= 2) return z;
  }
}

export interface VarianceScalingOptions {
  /** The target variance is `scale / n`; default 1. */
  scale?: number;
  /** Which fan is n: `fanIn`, `fanOut` or their mean `fanAvg`; default `fanIn`. */
  mode?: 'fanIn' | 'fanOut' | 'fanAvg';
  /** `truncatedNormal` (std `sqrt(scale / n) / 0.8796...`) or `uniform` (limit `sqrt(3 scale / n)`); default `truncatedNormal`. */
  distribution?: 'truncatedNormal' | 'uniform';
}

/**
 * Keras's `VarianceScaling`, of which glorot, he and lecun are cases: draws
 * with variance `scale / n`, n the fan chosen by `mode` (at least 1).
 *
 * @example
 * const init = varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform' }); // heUniform
 * const w = init([784, 64], new Random(0));
 */
export function varianceScaling(options: VarianceScalingOptions = {}): Initializer {
  const { scale = 1, mode = 'fanIn', distribution = 'truncatedNormal' } = options;
  if (!(scale > 0)) throw new RangeError(`varianceScaling: scale must be positive, got ${scale}`);
  return (shape, rng, dtype = 'float32') => {
    const { fanIn, fanOut } = fans(shape);
    const n = Math.max(1, mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2);
    if (distribution === 'uniform') {
      const limit = Math.sqrt((3 * scale) / n);
      return fromSampler(shape, dtype, () => rng.uniform(-limit, limit));
    }
    const std = Math.sqrt(scale / n) / TRUNCATED_NORMAL_STD;
    return fromSampler(shape, dtype, () => std * truncatedNormal(rng));
  };
}

/**
 * Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). Keras's default kernel initializer.
 *
 * @example
 * const kernel = glorotUniform([784, 64], new Random(0));
 */
export const glorotUniform: Initializer = varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'uniform' });

/**
 * Glorot (Xavier) normal: truncated normal with std sqrt(2 / (fanIn + fanOut)) after truncation.
 *
 * @example
 * const kernel = glorotNormal([784, 64], new Random(0));
 */
export const glorotNormal: Initializer = varianceScaling({ scale: 1, mode: 'fanAvg' });

/**
 * He uniform (for relu layers): U(-l, l) with l = sqrt(6 / fanIn).
 *
 * @example
 * const kernel = heUniform([3, 3, 1, 32], new Random(0));
 */
export const heUniform: Initializer = varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform' });

/**
 * He normal (for relu layers): truncated normal with std sqrt(2 / fanIn) after truncation.
 *
 * @example
 * const kernel = heNormal([3, 3, 1, 32], new Random(0));
 */
export const heNormal: Initializer = varianceScaling({ scale: 2, mode: 'fanIn' });

/**
 * LeCun uniform: U(-l, l) with l = sqrt(3 / fanIn).
 *
 * @example
 * const kernel = lecunUniform([784, 64], new Random(0));
 */
export const lecunUniform: Initializer = varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'uniform' });

/**
 * LeCun normal (for selu layers): truncated normal with std sqrt(1 / fanIn) after truncation.
 *
 * @example
 * const kernel = lecunNormal([784, 64], new Random(0));
 */
export const lecunNormal: Initializer = varianceScaling({ scale: 1, mode: 'fanIn' });

/**
 * A tensor of one value; draws nothing from the generator.
 *
 * @example
 * const bias = constantInitializer(0.1)([64], new Random(0));
 */
export function constantInitializer(value: number): Initializer {
  return (shape, _rng, dtype = 'float32') => {
    const values = allocate(dtype, sizeOf(shape));
    if (value !== 0) values.fill(value);
    return new Tensor(values, shape);
  };
}

/**
 * All zeros: Keras's default bias initializer.
 *
 * @example
 * const bias = zerosInitializer([64], new Random(0));
 */
export const zerosInitializer: Initializer = constantInitializer(0);

/**
 * All ones: the default scale of a normalisation layer.
 *
 * @example
 * const gamma = onesInitializer([64], new Random(0));
 */
export const onesInitializer: Initializer = constantInitializer(1);

/** Initializers by their Keras names. */
export const initializers = {
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
  lecunUniform,
  lecunNormal,
  zeros: zerosInitializer,
  ones: onesInitializer,
} as const;

export type InitializerName = keyof typeof initializers;
