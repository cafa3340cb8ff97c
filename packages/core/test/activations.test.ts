import { describe, expect, it } from 'vitest';
import { elu, leakyRelu, logSoftmax, relu, selu, softmax, softplus, sum, tanh, tensor, valueAndGrad } from '@aekit/core';
import fc from 'fast-check';
import { shapeArb, tensorArb } from './helpers/gradient-law.js';
import { anywhere, gradientLaw, unaryArb } from './helpers/gradient-law.js';

describe('activations: the gradient law', () => {
  it('relu (away from the kink)', () => gradientLaw(relu, unaryArb({ ...anywhere, kinks: [0] })));
  it('softplus', () => gradientLaw(softplus, unaryArb({ min: -20, max: 20 })));
  it('tanh', () => gradientLaw(tanh, unaryArb()));
  it('leakyRelu (away from the kink)', () => gradientLaw((x) => leakyRelu(x, 0.2), unaryArb({ ...anywhere, kinks: [0] })));
  it('elu', () => gradientLaw((x) => elu(x, 0.7), unaryArb({ ...anywhere, kinks: [0] })));
  it('selu', () => gradientLaw(selu, unaryArb({ ...anywhere, kinks: [0] })));
  const lastAxisArb = shapeArb(3, 5).filter((s) => s.length > 0).chain((s) => tensorArb(s, { min: -10, max: 10 }).map((x) => [x]));
  it('softmax over the last axis', () => gradientLaw((x) => softmax(x), lastAxisArb));
  it('logSoftmax over the last axis', () => gradientLaw((x) => logSoftmax(x), lastAxisArb));
});

describe('activations: hand-computed cases', () => {
  it('relu clips below 0', () => expect(relu(tensor([-1, 0, 2])).toArray()).toEqual([0, 0, 2]));
  it('softplus has slope 1/2 at 0 (the composite with kinks gave 0)', () => {
    const { grads } = valueAndGrad((x) => sum(softplus(x)))(tensor([0], [1], { dtype: 'float64' }));
    expect(grads[0].toArray()).toEqual([0.5]);
  });
  it('softplus does not overflow', () => {
    const y = softplus(tensor([-1000, 0, 1000], [3], { dtype: 'float64' })).toArray();
    expect(y[0]).toBe(0);
    expect(y[1]).toBeCloseTo(Math.LN2, 15);
    expect(y[2]).toBe(1000);
  });
  it('softmax sums to 1 and logSoftmax stays finite at extreme logits', () => {
    const y = softmax(tensor([1000, 1000, -1000, 0, 1, 2], [2, 3], { dtype: 'float64' })).toArray();
    expect(y[0]).toBeCloseTo(0.5, 15);
    expect(y.slice(3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    expect(logSoftmax(tensor([1000, 0], [2], { dtype: 'float64' })).toArray()).toEqual([0, -1000]);
    fc.assert(fc.property(shapeArb(2, 6).filter((s) => s.length > 0).chain((s) => tensorArb(s, { min: -50, max: 50 })), (x) => {
      const rows = softmax(x).toArray();
      const width = x.shape[x.rank - 1];
      for (let r = 0; r < rows.length; r += width) expect(rows.slice(r, r + width).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }), { numRuns: 20 });
  });
  it('leakyRelu and elu take alpha as the slope at 0, as TensorFlow does', () => {
    const at0 = (f: (x: ReturnType<typeof tensor>) => ReturnType<typeof tensor>) =>
      valueAndGrad((x) => sum(f(x)))(tensor([0], [1], { dtype: 'float64' })).grads[0].toArray()[0];
    expect(at0((x) => leakyRelu(x, 0.3))).toBeCloseTo(0.3, 15);
    expect(at0((x) => elu(x, 0.7))).toBeCloseTo(0.7, 15);
    expect(at0(relu)).toBe(0);
  });
  it('tanh matches Math.tanh', () => {
    const xs = [-3, -0.5, 0, 0.25, 2];
    const y = tanh(tensor(xs, [5], { dtype: 'float64' })).toArray();
    xs.forEach((x, i) => expect(y[i]).toBeCloseTo(Math.tanh(x), 14));
  });
});
