import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, crop, pad, slice, takeFirst, tensor, transpose } from '@aekit/core';
import { gradientLaw, shapeArb, tensorArb } from '../helpers/gradient-law.js';

const permutationOf = (rank: number) =>
  fc.shuffledSubarray(Array.from({ length: rank }, (_, i) => i), { minLength: rank, maxLength: rank });

/** A tensor of rank >= 1 with a window inside it. */
const windowCase = shapeArb(3)
  .filter((s) => s.length > 0)
  .chain((shape) =>
    fc.tuple(
      tensorArb(shape),
      fc.tuple(...shape.map((d) => fc.integer({ min: 0, max: d - 1 }).chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: 0, max: d - b }))))),
    ),
  );

describe('layout ops: the gradient law', () => {
  it('transpose by any permutation', () =>
    fc.assert(
      fc.property(shapeArb(4).chain((s) => fc.tuple(tensorArb(s), permutationOf(s.length))), ([x, perm]) =>
        gradientLaw((t) => transpose(t, perm), fc.constant([x]), 2),
      ),
      { numRuns: 30 },
    ));

  it('slice of any window', () =>
    fc.assert(
      fc.property(windowCase, ([x, window]) =>
        gradientLaw((t) => slice(t, window.map(([b]) => b), window.map(([, s]) => s)), fc.constant([x]), 2),
      ),
      { numRuns: 30 },
    ));

  it('pad by any amounts', () =>
    fc.assert(
      fc.property(
        shapeArb(3).chain((s) =>
          fc.tuple(tensorArb(s), fc.array(fc.nat(2), { minLength: s.length, maxLength: s.length }), fc.array(fc.nat(2), { minLength: s.length, maxLength: s.length })),
        ),
        ([x, before, after]) => gradientLaw((t) => pad(t, before, after), fc.constant([x]), 2),
      ),
      { numRuns: 30 },
    ));

  it('concat along any axis', () =>
    fc.assert(
      fc.property(
        shapeArb(3)
          .filter((s) => s.length > 0)
          .chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: 0, max: s.length - 1 }), fc.integer({ min: 1, max: 4 })))
          .chain(([s, axis, other]) => {
            const s2 = s.map((d, i) => (i === axis ? other : d));
            return fc.tuple(tensorArb(s), tensorArb(s2), fc.constant(axis));
          }),
        ([a, b, axis]) => gradientLaw((x, y) => concat([x, y], axis), fc.constant([a, b]), 2),
      ),
      { numRuns: 30 },
    ));
});

describe('layout ops: hand-computed cases', () => {
  const m = tensor([1, 2, 3, 4, 5, 6], [2, 3]);

  it('transposes a matrix and permutes NHWC to NCHW', () => {
    expect(transpose(m).toArray()).toEqual([1, 4, 2, 5, 3, 6]);
    expect(transpose(tensor([1, 2, 3, 4], [1, 2, 2, 1]), [0, 3, 1, 2]).shape).toEqual([1, 1, 2, 2]);
  });

  it('slices a window, to the end with -1, and takes the first rows', () => {
    expect(slice(m, [0, 1], [2, 2]).toArray()).toEqual([2, 3, 5, 6]);
    expect(slice(m, [1, 0], [-1, -1]).toArray()).toEqual([4, 5, 6]);
    expect(takeFirst(m, 1).toArray()).toEqual([1, 2, 3]);
  });

  it('pads with zeros and crops back', () => {
    const p = pad(tensor([1, 2], [1, 2]), [1, 0], [0, 1]);
    expect(p.shape).toEqual([2, 3]);
    expect(p.toArray()).toEqual([0, 0, 0, 1, 2, 0]);
    expect(crop(p, [1, 0], [0, 1]).toArray()).toEqual([1, 2]);
  });

  it('concatenates rows and columns', () => {
    expect(concat([m, m], 0).shape).toEqual([4, 3]);
    expect(concat([m, tensor([7, 8], [2, 1])], 1).toArray()).toEqual([1, 2, 3, 7, 4, 5, 6, 8]);
  });

  it('names the shapes when a window or a join does not fit', () => {
    expect(() => slice(m, [1, 2], [2, 1])).toThrow(/slice: window begin \[1, 2\] size \[2, 1\] does not fit in \[2, 3\] \(axis 0\)/);
    expect(() => concat([m, tensor([1, 2], [1, 2])], 0)).toThrow(/tensor 1 has shape \[1, 2\], which does not match \[2, 3\] off axis 0/);
    expect(() => transpose(m, [0, 0])).toThrow(/not a permutation/);
  });
});
