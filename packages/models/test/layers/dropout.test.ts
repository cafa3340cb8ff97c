import { describe, expect, it } from 'vitest';
import { Random, Tensor, valueAndGrad, sum } from '@aekit/core';
import { dropout, sequential } from '@aekit/models';

const ones = (n: number) => new Tensor(new Float32Array(n).fill(1), [1, n]);

describe('dropout', () => {
  it('is the identity at inference', () => {
    const layer = dropout(0.5);
    layer.build([4], new Random(0));
    const x = ones(4);
    expect(layer.call(x, { training: false })).toBe(x);
  });

  it('in training zeroes about `rate` of the values and scales the rest by 1 / (1 - rate)', () => {
    const layer = dropout(0.25, { seed: 1 });
    layer.build([10_000], new Random(0));
    const y = layer.call(ones(10_000), { training: true }).toArray();
    const zeroed = y.filter((v) => v === 0).length / y.length;
    expect(zeroed).toBeGreaterThan(0.23);
    expect(zeroed).toBeLessThan(0.27);
    expect(y.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
  });

  it('draws its masks from its own seeded generator: the same seed, the same masks; each call a new one', () => {
    const masks = (options: { seed?: number }, modelSeed = 0) => {
      const layer = dropout(0.5, options);
      sequential([layer], { inputShape: [64], seed: modelSeed }).build();
      return [layer.call(ones(64), { training: true }).toArray(), layer.call(ones(64), { training: true }).toArray()];
    };
    expect(masks({ seed: 3 })).toEqual(masks({ seed: 3 }));
    expect(masks({ seed: 3 })[0]).not.toEqual(masks({ seed: 3 })[1]);
    expect(masks({ seed: 3 })[0]).not.toEqual(masks({ seed: 4 })[0]);
    // Without a seed of its own, the model's seed decides.
    expect(masks({}, 5)).toEqual(masks({}, 5));
    expect(masks({}, 5)[0]).not.toEqual(masks({}, 6)[0]);
  });

  it('passes the gradient through the kept values only', () => {
    const layer = dropout(0.5, { seed: 2 });
    layer.build([32], new Random(0));
    const { grads } = valueAndGrad((x: Tensor) => sum(layer.call(x, { training: true })))(ones(32));
    expect(grads[0].toArray().every((g) => g === 0 || g === 2)).toBe(true);
    expect(grads[0].toArray()).toContain(0);
    expect(grads[0].toArray()).toContain(2);
  });

  it('refuses a rate outside [0, 1) and names the shapes of an input that does not fit', () => {
    expect(() => dropout(1)).toThrow(/dropout: rate must be in \[0, 1\), got 1/);
    const layer = dropout(0.1);
    layer.build([4], new Random(0));
    expect(() => layer.call(ones(5), { training: true })).toThrow(/dropout: expected input of shape \[batch, 4\], got \[1, 5\]/);
  });
});
