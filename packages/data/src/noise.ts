import { Tensor, type Random } from '@aekit/core';

// Input corruptions for denoising autoencoders. Each draws from the generator
// it is given, so a seeded run corrupts the same way every time, and a new
// draw each epoch (fit passes its own generator) shows the model fresh noise.

function mapValues(x: Tensor, f: (v: number) => number): Tensor {
  const src = x.values;
  const out = new (src.constructor as Float32ArrayConstructor)(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]);
  return new Tensor(out, x.shape);
}

function checkFraction(what: string, fraction: number): void {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`${what}: the fraction must be in [0, 1], got ${fraction}`);
}

/**
 * Adds Gaussian noise, `x + factor * N(0, 1)`, clipped to [0, 1] unless `clip`
 * is false: the seed tutorial's corruption with factor 0.2.
 *
 * @example
 * const noisy = gaussianNoise(images, 0.2, new Random(42));
 */
export function gaussianNoise(x: Tensor, factor: number, rng: Random, clip = true): Tensor {
  if (!(factor >= 0)) throw new RangeError(`gaussianNoise: the factor must be >= 0, got ${factor}`);
  return mapValues(x, (v) => {
    const noisy = v + factor * rng.normal();
    return clip ? Math.min(1, Math.max(0, noisy)) : noisy;
  });
}

/** Masking noise: each value is set to 0 with probability `fraction`. */
export function maskingNoise(x: Tensor, fraction: number, rng: Random): Tensor {
  checkFraction('maskingNoise', fraction);
  return mapValues(x, (v) => (rng.next() < fraction ? 0 : v));
}

/** Salt-and-pepper noise: with probability `fraction` a value becomes 0 or 1, each half the time. */
export function saltAndPepperNoise(x: Tensor, fraction: number, rng: Random): Tensor {
  checkFraction('saltAndPepperNoise', fraction);
  return mapValues(x, (v) => (rng.next() < fraction ? (rng.next() < 0.5 ? 0 : 1) : v));
}
