import { describe, expect, it } from 'vitest';
import { add, backward, matmul, mul, noGrad, stopGradient, sum, tensor, valueAndGrad, relu, meanSquaredError } from '@aekit/core';

describe('autodiff', () => {
  it('differentiates a small expression (hand-computed)', () => {
    // f(x) = sum(x * x + 3x): df/dx = 2x + 3
    const { value, grads } = valueAndGrad((x) => sum(add(mul(x, x), mul(x, 3))))(tensor([1, 2, 3]));
    expect(value.item()).toBe(1 + 3 + 4 + 6 + 9 + 9);
    expect(grads[0].toArray()).toEqual([5, 7, 9]);
  });

  it('sums the gradients of a tensor used twice', () => {
    const x = tensor([2], [1], { requiresGrad: true });
    sum(mul(x, x)).backward();
    expect(x.grad?.toArray()).toEqual([4]);
  });

  it('accumulates over several backward passes until the gradient is cleared', () => {
    const x = tensor([1, 1], [2], { requiresGrad: true });
    sum(mul(x, 2)).backward();
    sum(mul(x, 3)).backward();
    expect(x.grad?.toArray()).toEqual([5, 5]);
  });

  it('cuts the graph at stopGradient', () => {
    const { grads } = valueAndGrad((x) => sum(mul(x, stopGradient(x))))(tensor([3]));
    expect(grads[0].toArray()).toEqual([3]);
  });

  it('records nothing under noGrad', () => {
    const x = tensor([1], [1], { requiresGrad: true });
    const y = noGrad(() => mul(x, 2));
    expect(y.requiresGrad).toBe(false);
    expect(() => backward(y)).toThrow(/does not depend on any tensor that requires a gradient/);
  });

  it('releases the graph after backward', () => {
    const w = tensor([1, 2, 3, 4], [2, 2], { requiresGrad: true });
    const loss = meanSquaredError(relu(matmul(tensor([1, 1], [1, 2]), w)), tensor([0, 0], [1, 2]));
    expect(loss.node).not.toBeNull();
    loss.backward();
    expect(loss.node).toBeNull();
    expect(w.grad?.shape).toEqual([2, 2]);
  });

  it('walks a deep graph without overflowing the stack', () => {
    let x = tensor([1], [1], { requiresGrad: true });
    const leaf = x;
    for (let i = 0; i < 20_000; i++) x = mul(x, 1);
    sum(x).backward();
    expect(leaf.grad?.toArray()).toEqual([1]);
  });
});
