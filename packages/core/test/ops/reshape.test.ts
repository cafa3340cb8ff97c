import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reshape, tensor } from '@aekit/core';
import { gradientLaw, shapeArb, tensorArb } from '../helpers/gradient-law.js';

describe('reshape', () => {
  it('obeys the gradient law', () =>
    gradientLaw((x) => reshape(x, [-1]), shapeArb().chain((s) => tensorArb(s).map((x) => [x]))));

  it('infers one -1 dimension and shares the values', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = reshape(x, [3, -1]);
    expect(y.shape).toEqual([3, 2]);
    expect(y.values).toBe(x.values);
  });

  it('names both shapes when the sizes differ', () => {
    expect(() => reshape(tensor([1, 2, 3]), [2, 2])).toThrow(/cannot reshape \[3\] \(3 elements\) to \[2, 2\]/);
  });

  it('round-trips any shape', () => {
    fc.assert(
      fc.property(shapeArb().chain((s) => tensorArb(s)), (x) => {
        expect(reshape(reshape(x, [-1]), x.shape).toArray()).toEqual(x.toArray());
      }),
      { numRuns: 20 },
    );
  });
});
