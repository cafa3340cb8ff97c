import { describe, expect, it } from 'vitest';
import type { FloatArray } from '@aekit/kernels-wasm';
import { adam, BaseOptimizer, plainSlot, rmsprop, sgd, Tensor, tensor, zeroGrad, type Optimizer } from '@aekit/core';

const f64 = (values: number[]) => tensor(values, [values.length], { dtype: 'float64', requiresGrad: true });
const setGrad = (p: Tensor, values: number[]) => {
  p.grad = new Tensor(Float64Array.from(values), p.shape);
};

describe('gradient clipping (hand-computed, SGD with lr 1 so the step is the clipped gradient)', () => {
  it('clipnorm rescales each parameter on its own, leaving a small gradient alone', () => {
    const a = f64([0, 0]), b = f64([0, 0]);
    setGrad(a, [3, 4]); // norm 5 -> [0.6, 0.8]
    setGrad(b, [0.3, 0.4]); // norm 0.5 < 1: unchanged
    sgd({ learningRate: 1, clipnorm: 1 }).step([a, b]);
    expect(a.toArray().map((x) => x + 0)).toEqual([-0.6, -0.8].map((x) => expect.closeTo(x, 14)));
    expect(b.toArray()).toEqual([-0.3, -0.4].map((x) => expect.closeTo(x, 14)));
  });

  it('globalClipnorm rescales all gradients by one factor', () => {
    const a = f64([0, 0]), b = f64([0, 0]);
    setGrad(a, [3, 4]);
    setGrad(b, [0, 12]); // joint norm 13
    sgd({ learningRate: 1, globalClipnorm: 1 }).step([a, b]);
    expect(a.toArray()).toEqual([-3 / 13, -4 / 13].map((x) => expect.closeTo(x, 14)));
    expect(b.toArray()).toEqual([0, -12 / 13].map((x) => expect.closeTo(x, 14)));
  });

  it('clipvalue clamps each element, and the gradient itself is left unchanged', () => {
    const a = f64([0, 0, 0]);
    setGrad(a, [3, -0.2, -4]);
    sgd({ learningRate: 1, clipvalue: 0.5 }).step([a]);
    expect(a.toArray()).toEqual([-0.5, 0.2, 0.5].map((x) => expect.closeTo(x, 14)));
    expect(a.grad?.toArray()).toEqual([3, -0.2, -4]);
  });

  it('accepts only one kind of clipping, as Keras does', () => {
    expect(() => adam({ clipnorm: 1, clipvalue: 1 })).toThrow(/Adam: set only one of clipnorm, globalClipnorm and clipvalue, got clipnorm and clipvalue/);
    expect(() => sgd({ clipnorm: 0 })).toThrow(/SGD: clipnorm must be a positive number, got 0/);
  });
});

describe('learning-rate schedules in an optimizer', () => {
  it('reads the schedule at the number of updates already applied', () => {
    const seen: number[] = [];
    const opt = sgd({ learningRate: (step) => (seen.push(step), [0.1, 0.01, 0.001][step]) });
    const w = f64([0]);
    const after: number[] = [];
    for (let i = 0; i < 3; i++) {
      setGrad(w, [1]);
      opt.step([w]);
      after.push(w.values[0]);
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(after).toEqual([-0.1, -0.11, -0.111].map((x) => expect.closeTo(x, 14)));
  });

  it('names a schedule that returns a non-finite rate', () => {
    const w = f64([0]);
    setGrad(w, [1]);
    expect(() => sgd({ learningRate: () => Number.NaN }).step([w])).toThrow(/SGD: the learning-rate schedule gave NaN at iteration 0/);
  });
});

describe('optimizer state', () => {
  const run = (opt: Optimizer, w: Tensor, steps: number) => {
    for (let i = 0; i < steps; i++) {
      zeroGrad([w]);
      setGrad(w, [2 * w.values[0], 3]);
      opt.step([w]);
    }
  };

  for (const [label, make] of [
    ['SGD with Nesterov momentum', () => sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
    ['centered RMSprop with momentum', () => rmsprop({ momentum: 0.5, centered: true })],
    ['Adam', () => adam()],
  ] as const) {
    it(`${label}: a fresh optimizer given the saved state continues the same trajectory`, () => {
      const original = make();
      const w = f64([1, -2]);
      run(original, w, 3);
      const state = original.getState([['w', w]]);
      expect(state.iterations).toBe(3);

      const copy = f64(w.toArray());
      const restored = make();
      restored.setState(state, [['w', copy]]);
      run(original, w, 2);
      run(restored, copy, 2);
      expect(copy.toArray()).toEqual(w.toArray());
      expect(restored.iterations).toBe(5);
    });
  }

  it('reports named slots as copies, in Keras names', () => {
    const opt = sgd({ momentum: 0.9 });
    const w = tensor([1, 2], [2], { requiresGrad: true });
    w.grad = tensor([1, 1], [2]);
    opt.step([w]);
    const state = opt.getState([['dense.kernel', w]]);
    expect(Object.keys(state.slots)).toEqual(['dense.kernel']);
    expect(state.slots['dense.kernel'].momentum).toBeInstanceOf(Float32Array);
    expect(Array.from(state.slots['dense.kernel'].momentum)).toEqual([-0.01, -0.01].map((x) => expect.closeTo(x, 7)));
    expect(Object.keys(adam().getState([['dense.kernel', w]]).slots)).toEqual([]);
    state.slots['dense.kernel'].momentum[0] = 99; // a copy: the optimizer is unaffected
    expect(opt.getState([['dense.kernel', w]]).slots['dense.kernel'].momentum[0]).toBeCloseTo(-0.01, 7);
  });

  it('names what is wrong with a state that does not fit', () => {
    const w = tensor([1, 2], [2], { requiresGrad: true });
    w.grad = tensor([1, 1], [2]);
    const opt = adam();
    opt.step([w]);
    const state = opt.getState([['k', w]]);
    expect(() => sgd().setState(state, [['k', w]])).toThrow(/SGD: cannot restore the state of a Adam optimizer/);
    expect(() => adam().setState(state, [['other', w]])).toThrow(/Adam: the state has slots for 'k', which is not among the parameters/);
    const big = tensor([1, 2, 3], [3]);
    expect(() => adam().setState(state, [['k', big]])).toThrow(/Adam: slot 'momentum' of 'k' has 2 values, but the parameter has shape \[3\]/);
  });
});

describe('every optimizer', () => {
  it('skips parameters without a gradient and counts no iteration when none has one', () => {
    for (const opt of [sgd(), rmsprop(), adam()]) {
      const w = tensor([1, 2], [2], { requiresGrad: true });
      opt.step([w]);
      expect(w.toArray()).toEqual([1, 2]);
      expect(opt.iterations).toBe(0);
    }
  });

  it('names the optimizer and both shapes when a gradient does not fit', () => {
    const w = tensor([1, 2], [2], { requiresGrad: true });
    w.grad = tensor([1, 2, 3], [3]);
    expect(() => rmsprop().step([w])).toThrow(/RMSprop: a gradient of shape \[3\] for a parameter of shape \[2\]/);
  });
});

describe('a custom optimizer on BaseOptimizer (the example in its doc comment)', () => {
  class MeanSgd extends BaseOptimizer {
    constructor() {
      super('MeanSgd', {}, 0.01, plainSlot);
    }
    protected slotNames() {
      return ['mean'];
    }
    protected update(w: FloatArray, g: ArrayLike<number>, slots: Record<string, FloatArray>, lr: number) {
      for (let i = 0; i < w.length; i++) {
        slots.mean[i] = 0.9 * slots.mean[i] + 0.1 * g[i];
        w[i] -= lr * slots.mean[i];
      }
    }
  }

  it('gets plain slots of the parameter\'s precision, updates by hand-computed steps and saves its state', () => {
    const w = f64([1, -1]);
    const opt = new MeanSgd();
    setGrad(w, [10, 20]);
    opt.step([w]); // mean [1, 2]: w = [1 - 0.01, -1 - 0.02]
    setGrad(w, [10, 20]);
    opt.step([w]); // mean [1.9, 3.8]: w -= [0.019, 0.038]
    expect(w.values[0]).toBeCloseTo(1 - 0.01 - 0.019, 12);
    expect(w.values[1]).toBeCloseTo(-1 - 0.02 - 0.038, 12);
    const state = opt.getState([['w', w]]);
    expect(state.slots.w.mean).toBeInstanceOf(Float64Array);
    expect([...state.slots.w.mean].map((v) => Number(v.toFixed(12)))).toEqual([1.9, 3.8]);
  });
});
