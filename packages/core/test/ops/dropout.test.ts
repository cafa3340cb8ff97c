import { describe, expect, it } from 'vitest';
import { dropout, isTraining, ones, Random, sum, tensor, withTraining } from '@aekit/core';

describe('dropout', () => {
  it('is the identity outside training', () => {
    const x = ones([100]);
    expect(isTraining()).toBe(false);
    expect(dropout(x, 0.5, new Random(1))).toBe(x);
  });

  it('zeroes about `rate` of the values in training, scales the rest, and keeps the mean', () => {
    const y = withTraining(true, () => dropout(ones([20_000]), 0.25, new Random(2))).toArray();
    const zeros = y.filter((v) => v === 0).length;
    expect(Math.abs(zeros / y.length - 0.25)).toBeLessThan(0.02);
    expect(new Set(y.filter((v) => v !== 0))).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(Math.abs(y.reduce((a, b) => a + b, 0) / y.length - 1)).toBeLessThan(0.03);
  });

  it('draws the same mask for the same seed and passes the gradient through the same mask', () => {
    const x = tensor(new Float32Array(50).fill(1), [50], { requiresGrad: true });
    const y = withTraining(true, () => dropout(x, 0.5, new Random(3)));
    expect(withTraining(true, () => dropout(x, 0.5, new Random(3))).toArray()).toEqual(y.toArray());
    sum(y).backward();
    expect(x.grad?.toArray()).toEqual(y.toArray());
  });

  it('refuses a rate outside [0, 1)', () => {
    expect(() => dropout(ones([1]), 1, new Random(0), true)).toThrow(/rate must be in \[0, 1\), got 1/);
  });
});
