import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mean, sum, tensor } from '@aekit/core';
import { gradientLaw, shapeArb, tensorArb } from '../helpers/gradient-law.js';

/** A tensor of rank >= 1 and a random subset of its axes. */
const reduceCase = shapeArb(4)
  .filter((s) => s.length > 0)
  .chain((shape) =>
    fc.tuple(tensorArb(shape), fc.subarray(shape.map((_, i) => i)), fc.boolean()),
  );

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
