import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expand, tensor } from '@aekit/core';
import { gradientLaw, tensorArb } from '../helpers/gradient-law.js';

/** A shape and a broadcast target: some axes of the target are 1 in the source, and some leading axes are new. */
const broadcastCase = fc
  .tuple(
    fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.boolean()), { minLength: 0, maxLength: 3 }),
    fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 }),
  )
  .chain(([dims, lead]) => {
    const from = dims.map(([d, keep]) => (keep ? d : 1));
    const to = [...lead, ...dims.map(([d]) => d)];
    return tensorArb(from).map((x) => ({ x, to }));
  });

describe('expand', () => {
  it('obeys the gradient law (its vjp sums back to shape)', () =>
    fc.assert(fc.property(broadcastCase, ({ x, to }) => gradientLaw((t) => expand(t, to), fc.constant([x]), 3)), { numRuns: 30 }));

  it('repeats a row and a column (hand-computed)', () => {
    expect(expand(tensor([1, 2], [1, 2]), [2, 2]).toArray()).toEqual([1, 2, 1, 2]);
    expect(expand(tensor([1, 2], [2, 1]), [2, 3]).toArray()).toEqual([1, 1, 1, 2, 2, 2]);
    expect(expand(tensor([7], []), [2, 2]).toArray()).toEqual([7, 7, 7, 7]);
  });

  it('names both shapes when it cannot broadcast', () => {
    expect(() => expand(tensor([1, 2, 3]), [2, 2])).toThrow(/cannot broadcast shape \[3\] to \[2, 2\]/);
  });
});
