import { describe, expect, it } from 'vitest';
import { Random, tensor } from '@aekit/core';
import { gaussianNoise, maskingNoise, saltAndPepperNoise } from '@aekit/data';

const half = tensor(new Float32Array(20_000).fill(0.5), [20_000]);

describe('noise', () => {
  it('adds Gaussian noise of the given scale, clipped to [0, 1], reproducibly', () => {
    const y = gaussianNoise(half, 0.2, new Random(1)).toArray();
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const std = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(std - 0.2)).toBeLessThan(0.01); // clipping at 2.5 sigma barely changes the spread
    expect(Math.min(...gaussianNoise(half, 3, new Random(2)).toArray())).toBe(0);
    expect(gaussianNoise(half, 0.2, new Random(1)).toArray()).toEqual(y);
  });

  it('masks about the given fraction to 0', () => {
    const y = maskingNoise(half, 0.3, new Random(3)).toArray();
    expect(Math.abs(y.filter((v) => v === 0).length / y.length - 0.3)).toBeLessThan(0.02);
    expect(new Set(y)).toEqual(new Set([0, 0.5]));
  });

  it('turns about the given fraction into salt (1) and pepper (0), half each', () => {
    const y = saltAndPepperNoise(half, 0.2, new Random(4)).toArray();
    const salt = y.filter((v) => v === 1).length / y.length;
    const pepper = y.filter((v) => v === 0).length / y.length;
    expect(Math.abs(salt - 0.1)).toBeLessThan(0.015);
    expect(Math.abs(pepper - 0.1)).toBeLessThan(0.015);
  });

  it('refuses a fraction outside [0, 1]', () => {
    expect(() => maskingNoise(half, 1.5, new Random(0))).toThrow(/fraction must be in \[0, 1\], got 1.5/);
  });
});
