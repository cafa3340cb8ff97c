import { describe, expect, it } from 'vitest';
import {
  constantInitializer,
  fans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  initializers,
  lecunNormal,
  lecunUniform,
  onesInitializer,
  Random,
  varianceScaling,
  zerosInitializer,
  type Initializer,
} from '@aekit/core';

function moments(values: ArrayLike<number>): { mean: number; std: number; maxAbs: number } {
  let s = 0, ss = 0, maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    s += values[i];
    ss += values[i] * values[i];
    maxAbs = Math.max(maxAbs, Math.abs(values[i]));
  }
  const mean = s / values.length;
  return { mean, std: Math.sqrt(ss / values.length - mean * mean), maxAbs };
}

describe('initializers', () => {
  it("computes Keras's fans for dense and convolution kernels", () => {
    expect(fans([784, 64])).toEqual({ fanIn: 784, fanOut: 64 });
    expect(fans([3, 3, 32, 64])).toEqual({ fanIn: 288, fanOut: 576 });
    expect(fans([5])).toEqual({ fanIn: 5, fanOut: 5 });
    expect(fans([])).toEqual({ fanIn: 1, fanOut: 1 });
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

  // The target std is sqrt(scale / n) for every variant (uniform: limit / sqrt 3;
  // truncated normal: the 0.8796 correction). Each tensor has ~50,000 values, so
  // the sample std's standard error is about std / sqrt(2N) < 0.4%: 2% is five of them.
  const dense = [784, 64] as const;
  const conv = [3, 3, 32, 64] as const; // fanIn 288, fanOut 576
  const cases: [string, Initializer, readonly number[], number, 'uniform' | 'normal'][] = [
    ['glorotUniform', glorotUniform, dense, Math.sqrt(2 / (784 + 64)), 'uniform'],
    ['glorotNormal', glorotNormal, dense, Math.sqrt(2 / (784 + 64)), 'normal'],
    ['heUniform', heUniform, conv, Math.sqrt(2 / 288), 'uniform'],
    ['heNormal', heNormal, conv, Math.sqrt(2 / 288), 'normal'],
    ['lecunUniform', lecunUniform, dense, Math.sqrt(1 / 784), 'uniform'],
    ['lecunNormal', lecunNormal, conv, Math.sqrt(1 / 288), 'normal'],
  ];
  for (const [name, init, shape, std, kind] of cases) {
    it(`${name} on [${shape.join(', ')}]: std ${std.toFixed(4)} within 2%, mean near 0, bounded, reproducible`, () => {
      const w = init(shape, new Random(7), 'float64');
      expect(w.shape).toEqual(shape);
      const m = moments(w.values);
      expect(Math.abs(m.std / std - 1)).toBeLessThan(0.02);
      expect(Math.abs(m.mean)).toBeLessThan((5 * std) / Math.sqrt(w.size));
      // Uniform: |x| <= sqrt(3) std. Truncated normal: |x| <= 2 std / 0.8796 (redrawn beyond 2 sigma).
      const bound = kind === 'uniform' ? Math.sqrt(3) * std : (2 * std) / 0.87962566103423978;
      expect(m.maxAbs).toBeLessThanOrEqual(bound * (1 + 1e-12));
      expect(m.maxAbs).toBeGreaterThan(0.98 * bound);
      expect(init(shape, new Random(7), 'float64').toArray()).toEqual(w.toArray());
      expect(init(shape, new Random(8), 'float64').toArray()).not.toEqual(w.toArray());
    });
  }

  it('varianceScaling with fanOut uses the fan-out', () => {
    const w = varianceScaling({ scale: 3, mode: 'fanOut', distribution: 'uniform' })([10, 4], new Random(0));
    expect(moments(w.values).maxAbs).toBeLessThanOrEqual(Math.sqrt((3 * 3) / 4));
    expect(() => varianceScaling({ scale: 0 })).toThrow(/varianceScaling: scale must be positive, got 0/);
  });

  it('makes zeros, ones and constants in the requested precision', () => {
    expect(zerosInitializer([3], new Random(0)).toArray()).toEqual([0, 0, 0]);
    expect(onesInitializer([2], new Random(0)).toArray()).toEqual([1, 1]);
    const c = constantInitializer(0.25)([2, 2], new Random(0), 'float64');
    expect(c.dtype).toBe('float64');
    expect(c.toArray()).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('lists every initializer by its Keras name', () => {
    expect(Object.keys(initializers).sort()).toEqual(
      ['glorotNormal', 'glorotUniform', 'heNormal', 'heUniform', 'lecunNormal', 'lecunUniform', 'ones', 'zeros'],
    );
  });
});
