import { describe, expect, it } from 'vitest';
import { matmul, meanSquaredError, Random, relu, sigmoid, tensor, type Tensor } from '@aekit/core';

// Run under --expose-gc (see vitest.config.ts): `gc` forces a full collection.
const collect = (globalThis as { gc?: () => void }).gc;

describe('the graph lets go', () => {
  it('after backward() no tensor of the step is reachable from the parameters', async () => {
    expect(collect, 'the core tests must run with --expose-gc').toBeTypeOf('function');
    const rng = new Random(0);
    const param = (rows: number, cols: number) =>
      tensor(Float32Array.from({ length: rows * cols }, () => rng.normal(0, 0.1)), [rows, cols], { requiresGrad: true });
    const w1 = param(16, 8);
    const w2 = param(8, 16);
    const refs: WeakRef<Tensor>[] = [];
    (() => {
      const x = tensor(Float32Array.from({ length: 32 * 16 }, () => rng.next()), [32, 16]);
      const hidden = relu(matmul(x, w1));
      const out = sigmoid(matmul(hidden, w2));
      const loss = meanSquaredError(out, x);
      refs.push(new WeakRef(x), new WeakRef(hidden), new WeakRef(out), new WeakRef(loss));
      loss.backward();
    })();
    // Let the step's closures go out of scope, then collect.
    await new Promise((resolve) => setTimeout(resolve, 0));
    collect?.();
    expect(refs.map((r) => r.deref() === undefined)).toEqual([true, true, true, true]);
    // The parameters and their gradients survive, and the gradients carry no graph.
    expect(w1.grad?.shape).toEqual([16, 8]);
    expect(w1.grad?.node).toBeNull();
    expect(w2.grad?.node).toBeNull();
  });
});
