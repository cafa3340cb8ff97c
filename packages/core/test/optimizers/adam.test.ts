import { describe, expect, it } from 'vitest';
import { referenceKernels } from '@aekit/kernels-wasm';
import { adam, setKernels, Tensor, tensor, zeroGrad, type Optimizer } from '@aekit/core';

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

  it('takes the same steps in float32 (one WebAssembly kernel call for all of them) as in float64, clipped gradients included', () => {
    for (const options of [{}, { clipnorm: 0.5 }]) {
      const start = Array.from({ length: 37 }, (_, i) => Math.sin(i) * 2);
      const w32 = tensor(start, [37], { requiresGrad: true });
      const w64 = tensor(start, [37], { dtype: 'float64', requiresGrad: true });
      const [opt32, opt64] = [adam({ learningRate: 0.01, ...options }), adam({ learningRate: 0.01, ...options })];
      for (let step = 0; step < 25; step++) {
        // The gradient of sum(w^3 / 3): w^2, different per element and per step.
        for (const [w, opt] of [[w32, opt32], [w64, opt64]] as const) {
          w.grad = new Tensor(w.values.map((v) => v * v), [37]);
          opt.step([w]);
        }
      }
      w32.values.forEach((v, i) => expect(v).toBeCloseTo(w64.values[i], 5));
      expect(Math.abs(w32.values[5] - start[5])).toBeGreaterThan(0.1);
    }
  });

  describe('float32 moments resident in the kernels', () => {
    const sizes = [1, 7, 64, 97];
    const params = () => sizes.map((n, p) => tensor(Array.from({ length: n }, (_, i) => Math.cos(i + p)), [n], { requiresGrad: true }));
    const run = (opt: Optimizer, ws: Tensor[], steps: number) => {
      for (let step = 0; step < steps; step++) {
        for (const w of ws) w.grad = new Tensor(w.values.map((v, i) => v * v - (i % 3)), w.shape);
        opt.step(ws);
      }
    };
    const named = (ws: Tensor[]) => ws.map((w, i) => [`w${i}`, w] as const);

    it('a fresh optimizer given the saved state continues bit for bit, and the state reads as plain arrays', () => {
      const [ws, copies] = [params(), params()];
      const original = adam({ learningRate: 0.01 });
      run(original, ws, 3);
      const state = original.getState(named(ws));
      expect(state.slots.w3.velocity).toBeInstanceOf(Float32Array);
      expect(state.slots.w3.velocity.length).toBe(97);
      expect(state.slots.w3.velocity.some((v) => v > 0)).toBe(true);
      copies.forEach((w, i) => w.values.set(ws[i].values));
      const restored = adam({ learningRate: 0.01 });
      restored.setState(state, named(copies));
      run(original, ws, 2);
      run(restored, copies, 2);
      copies.forEach((w, i) => expect([...w.values]).toEqual([...ws[i].values]));
    });

    it('the moments stay with the kernels that hold them when setKernels swaps the kernels', () => {
      const [ws, copies] = [params(), params()];
      const [a, b] = [adam({ learningRate: 0.01 }), adam({ learningRate: 0.01 })];
      run(a, ws, 2);
      run(b, copies, 2);
      const previous = setKernels(referenceKernels);
      try {
        run(a, ws, 2); // its moments are in the kernels it started on, and its update runs there
      } finally {
        setKernels(previous);
      }
      run(b, copies, 2);
      copies.forEach((w, i) => expect([...w.values]).toEqual([...ws[i].values]));
    });
  });
});
