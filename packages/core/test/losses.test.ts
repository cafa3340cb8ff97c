import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryCrossentropy, binaryCrossentropyFromLogits, meanSquaredError, sigmoid, tensor, valueAndGrad } from '@aekit/core';
import { gradientLaw, shapeArb, tensorArb } from './helpers/gradient-law.js';

const pairArb = (prediction = { min: -3, max: 3 }, target = { min: 0, max: 1 }) =>
  shapeArb().chain((s) => fc.tuple(tensorArb(s, prediction), tensorArb(s, target)));

describe('losses: the gradient law (with respect to the prediction and the target)', () => {
  it('meanSquaredError', () => gradientLaw(meanSquaredError, pairArb()));
  it('binaryCrossentropyFromLogits', () => gradientLaw(binaryCrossentropyFromLogits, pairArb({ min: -30, max: 30 })));
  it('binaryCrossentropy (probabilities inside the clip)', () =>
    gradientLaw(binaryCrossentropy, pairArb({ min: 0.01, max: 0.99 })));
});

describe('losses: hand-computed cases', () => {
  const f64 = (values: number[]) => tensor(values, [values.length], { dtype: 'float64' });

  it('MSE averages the squared differences', () => {
    expect(meanSquaredError(f64([1, 2, 3]), f64([1, 0, 0])).item()).toBeCloseTo((0 + 4 + 9) / 3, 14);
  });

  it('BCE from logits equals BCE from probabilities where both are finite', () => {
    const logits = f64([-4, -0.5, 0, 1.5, 6]);
    const target = f64([0, 1, 0.5, 1, 0]);
    expect(binaryCrossentropyFromLogits(logits, target).item()).toBeCloseTo(binaryCrossentropy(sigmoid(logits), target).item(), 6);
  });

  it('BCE from logits has the gradient sigmoid(x) - z / n, also at a logit of exactly 0', () => {
    const { grads } = valueAndGrad((x) => binaryCrossentropyFromLogits(x, f64([1, 0])))(f64([0, 0]));
    expect(grads[0].toArray()).toEqual([-0.25, 0.25]);
  });

  it('BCE from logits stays finite for any logit', () => {
    const loss = binaryCrossentropyFromLogits(f64([-1e4, 1e4]), f64([1, 0])).item();
    expect(loss).toBeCloseTo(1e4, 6);
  });

  it('BCE from probabilities clips a saturated prediction instead of returning Infinity', () => {
    const loss = binaryCrossentropy(f64([0, 1]), f64([1, 0])).item();
    expect(loss).toBeCloseTo(-Math.log(1e-7), 6);
  });

  it('names the shapes when prediction and target differ', () => {
    expect(() => meanSquaredError(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/prediction has shape \[2\] but the target has \[3\]/);
  });
});
