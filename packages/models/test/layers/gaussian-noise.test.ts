import { describe, expect, it } from 'vitest';
import { Random, Tensor, valueAndGrad, sum } from '@aekit/core';
import { gaussianNoise, sequential } from '@aekit/models';

const zeros = (n: number) => new Tensor(new Float32Array(n), [1, n]);

describe('gaussianNoise', () => {
  it('is the identity at inference', () => {
    const layer = gaussianNoise(0.2);
    layer.build([4], new Random(0));
    const x = zeros(4);
    expect(layer.call(x, { training: false })).toBe(x);
  });

  it('adds zero-mean noise of the given standard deviation in training', () => {
    const layer = gaussianNoise(0.2, { seed: 1 });
    layer.build([20_000], new Random(0));
    const y = layer.call(zeros(20_000), { training: true }).toArray();
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const std = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std).toBeGreaterThan(0.19);
    expect(std).toBeLessThan(0.21);
  });

  it('draws from its own seeded generator, forked from the model seed unless given one', () => {
    const draw = (options: { seed?: number }, modelSeed = 0) => {
      const layer = gaussianNoise(1, options);
      sequential([layer], { inputShape: [16], seed: modelSeed }).build();
      return layer.call(zeros(16), { training: true }).toArray();
    };
    expect(draw({ seed: 9 })).toEqual(draw({ seed: 9 }));
    expect(draw({ seed: 9 })).not.toEqual(draw({ seed: 10 }));
    expect(draw({}, 1)).toEqual(draw({}, 1));
    expect(draw({}, 1)).not.toEqual(draw({}, 2));
  });

  it('passes the gradient through unchanged', () => {
    const layer = gaussianNoise(0.5, { seed: 1 });
    layer.build([8], new Random(0));
    const { grads } = valueAndGrad((x: Tensor) => sum(layer.call(x, { training: true })))(zeros(8));
    expect(grads[0].toArray()).toEqual(new Array(8).fill(1));
  });

  it('refuses a negative stddev and names the shapes of an input that does not fit', () => {
    expect(() => gaussianNoise(-1)).toThrow(/gaussian_noise: stddev must be a finite number >= 0, got -1/);
    const layer = gaussianNoise(0.1);
    layer.build([2, 2, 1], new Random(0));
    expect(() => layer.call(zeros(4), { training: true })).toThrow(/gaussian_noise: expected input of shape \[batch, 2, 2, 1\], got \[1, 4\]/);
  });
});
