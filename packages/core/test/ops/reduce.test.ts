import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { max, mean, min, sum, tensor } from '@aekit/core';
import { gradientLaw, separatedTensorArb, shapeArb, tensorArb } from '../helpers/gradient-law.js';

/** A tensor of rank >= 1 and a random subset of its axes. */
const reduceCase = shapeArb(4)
  .filter((s) => s.length > 0)
  .chain((shape) =>
    fc.tuple(tensorArb(shape), fc.subarray(shape.map((_, i) => i)), fc.boolean()),
  );

const separatedReduceCase = shapeArb(4)
  .filter((s) => s.length > 0)
  .chain((shape) => fc.tuple(separatedTensorArb(shape), fc.subarray(shape.map((_, i) => i)), fc.boolean()));

describe('sum and mean', () => {
  it('sum obeys the gradient law over any axes, with and without keepDims', () =>
    fc.assert(
      fc.property(reduceCase, ([x, axes, keep]) => gradientLaw((t) => sum(t, axes, keep), fc.constant([x]), 2)),
      { numRuns: 40 },
    ));

  it('mean obeys the gradient law', () =>
    fc.assert(
      fc.property(reduceCase, ([x, axes, keep]) => gradientLaw((t) => mean(t, axes, keep), fc.constant([x]), 2)),
      { numRuns: 30 },
    ));

  it('max and min obey the gradient law (away from ties, where they have no derivative)', () =>
    fc.assert(
      fc.property(separatedReduceCase, ([x, axes, keep]) => {
        gradientLaw((t) => max(t, axes, keep), fc.constant([x]), 2);
        gradientLaw((t) => min(t, axes, keep), fc.constant([x]), 2);
      }),
      { numRuns: 30 },
    ));

  it('takes maxima and minima and shares the gradient between ties', () => {
    const x = tensor([1, 5, 3, 5], [2, 2], { dtype: 'float64', requiresGrad: true });
    expect(max(x, 1).toArray()).toEqual([5, 5]);
    expect(min(x, 0).toArray()).toEqual([1, 5]);
    sum(max(x)).backward();
    expect(x.grad?.toArray()).toEqual([0, 0.5, 0, 0.5]);
  });

  it('sums rows, columns and everything (hand-computed)', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(sum(x, 0).toArray()).toEqual([5, 7, 9]);
    expect(sum(x, 1).toArray()).toEqual([6, 15]);
    expect(sum(x, 1, true).shape).toEqual([2, 1]);
    expect(sum(x).shape).toEqual([]);
    expect(sum(x).item()).toBe(21);
    expect(mean(x, -1).toArray()).toEqual([2, 5]);
  });

  it('names a bad axis', () => {
    expect(() => sum(tensor([1, 2]), 3)).toThrow(/sum: axis 3 is out of range for a tensor of rank 1/);
  });
});
