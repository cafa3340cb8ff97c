import { describe, expect, it } from 'vitest';
import { relu, softplus, sum, tanh, tensor, valueAndGrad } from '@aekit/core';
import { anywhere, gradientLaw, unaryArb } from './helpers/gradient-law.js';

describe('activations: the gradient law', () => {
  it('relu (away from the kink)', () => gradientLaw(relu, unaryArb({ ...anywhere, kinks: [0] })));
  it('softplus', () => gradientLaw(softplus, unaryArb({ min: -20, max: 20 })));
  it('tanh', () => gradientLaw(tanh, unaryArb()));
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
  it('tanh matches Math.tanh', () => {
    const xs = [-3, -0.5, 0, 0.25, 2];
    const y = tanh(tensor(xs, [5], { dtype: 'float64' })).toArray();
    xs.forEach((x, i) => expect(y[i]).toBeCloseTo(Math.tanh(x), 14));
  });
});
