import { describe, expect, it } from 'vitest';
import { adam, Tensor, tensor, zeroGrad } from '@aekit/core';

describe('Adam', () => {
  it("has Keras's defaults", () => {
    const opt = adam();
    expect([opt.learningRate, opt.beta1, opt.beta2, opt.epsilon]).toEqual([1e-3, 0.9, 0.999, 1e-7]);
  });

  it('follows the published update rule for three steps on f(w) = w0^2 + 3 w1', () => {
    // Expected values from the paper's form (bias-corrected moments, with
    // epsilon scaled by 1/sqrt(1 - beta2^t), which is Keras's placement), computed
    // independently in float64.
    const expected = [
      [0.9990000015811363, -2.0009999989459084],
      [0.9980000289037694, -2.0019999982003664],
      [0.9970000996641545, -2.002999997591482],
    ];
    const w = tensor([1, -2], [2], { dtype: 'float64', requiresGrad: true });
    const opt = adam();
    for (const [w0, w1] of expected) {
      zeroGrad([w]);
      w.grad = new Tensor(Float64Array.from([2 * w.values[0], 3]), [2]);
      opt.step([w]);
      expect(w.values[0]).toBeCloseTo(w0, 12);
      expect(w.values[1]).toBeCloseTo(w1, 12);
    }
    expect(opt.iterations).toBe(3);
  });

  it('skips parameters without a gradient', () => {
    const w = tensor([1, 2], [2], { requiresGrad: true });
    adam().step([w]);
    expect(w.toArray()).toEqual([1, 2]);
  });
});
