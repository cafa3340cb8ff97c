import { expect } from 'vitest';
import { Tensor, tensor, zeroGrad, type Optimizer } from '@aekit/core';

/**
 * Runs `opt` on f(w) = w0² + 3 w1 from w = [1, -2] (gradient [2 w0, 3]) in
 * float64 and checks each of the first updates against `expected`, a
 * trajectory computed independently in float64 from the published rule.
 */
export function expectTrajectory(opt: Optimizer, expected: readonly (readonly [number, number])[], digits = 12): void {
  const w = tensor([1, -2], [2], { dtype: 'float64', requiresGrad: true });
  for (const [w0, w1] of expected) {
    zeroGrad([w]);
    w.grad = new Tensor(Float64Array.from([2 * w.values[0], 3]), [2]);
    opt.step([w]);
    expect(w.values[0]).toBeCloseTo(w0, digits);
    expect(w.values[1]).toBeCloseTo(w1, digits);
  }
  expect(opt.iterations).toBe(expected.length);
}
