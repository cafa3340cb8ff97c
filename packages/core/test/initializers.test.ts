import { describe, expect, it } from 'vitest';
import { fans, glorotUniform, Random, zerosInitializer } from '@aekit/core';

describe('initializers', () => {
  it("computes Keras's fans for dense and convolution kernels", () => {
    expect(fans([784, 64])).toEqual({ fanIn: 784, fanOut: 64 });
    expect(fans([3, 3, 32, 64])).toEqual({ fanIn: 288, fanOut: 576 });
  });

  it('draws glorot-uniform values within the limit, spread across it, reproducibly', () => {
    const w = glorotUniform([784, 64], new Random(1));
    const limit = Math.sqrt(6 / (784 + 64));
    const values = w.toArray();
    expect(Math.max(...values)).toBeLessThanOrEqual(limit);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...values)).toBeGreaterThan(0.99 * limit);
    expect(glorotUniform([784, 64], new Random(1)).toArray()).toEqual(values);
    expect(glorotUniform([784, 64], new Random(2)).toArray()).not.toEqual(values);
  });

  it('makes zeros', () => {
    expect(zerosInitializer([3], new Random(0)).toArray()).toEqual([0, 0, 0]);
  });
});
