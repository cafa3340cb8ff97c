import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matmul, tensor } from '@aekit/core';
import { gradientLaw, tensorArb } from '../helpers/gradient-law.js';

const dim = fc.integer({ min: 1, max: 6 });

describe('matmul', () => {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      it(`obeys the gradient law (transposeA=${transposeA}, transposeB=${transposeB})`, () =>
        gradientLaw(
          (a, b) => matmul(a, b, transposeA, transposeB),
          fc.tuple(dim, dim, dim).chain(([m, n, k]) =>
            fc.tuple(tensorArb(transposeA ? [k, m] : [m, k]), tensorArb(transposeB ? [n, k] : [k, n])),
          ),
          40,
        ));
    }
  }

  it('obeys the gradient law batch by batch for rank-3 operands', () =>
    gradientLaw(
      (a, b) => matmul(a, b, false, true),
      fc.tuple(fc.integer({ min: 1, max: 3 }), dim, dim, dim).chain(([batch, m, n, k]) => fc.tuple(tensorArb([batch, m, k]), tensorArb([batch, n, k]))),
      30,
    ));

  it('multiplies batches independently', () => {
    const a = tensor([1, 0, 0, 1, 2, 0, 0, 2], [2, 2, 2]);
    const b = tensor([1, 2, 3, 4, 1, 2, 3, 4], [2, 2, 2]);
    expect(matmul(a, b).toArray()).toEqual([1, 2, 3, 4, 2, 4, 6, 8]);
    expect(() => matmul(a, tensor([1, 2, 3, 4], [1, 2, 2]))).toThrow(/two batches of equal size/);
  });

  it('multiplies (hand-computed), in float32 through the WebAssembly kernels', () => {
    const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tensor([7, 8, 9, 10, 11, 12], [3, 2]);
    expect(matmul(a, b).toArray()).toEqual([58, 64, 139, 154]);
    expect(matmul(a, a, false, true).toArray()).toEqual([14, 32, 32, 77]);
  });

  it('names the shapes when the inner dimensions differ', () => {
    expect(() => matmul(tensor([1, 2, 3, 4], [2, 2]), tensor([1, 2, 3], [3, 1]))).toThrow(
      /matmul: inner dimensions differ: \[2, 2\] by \[3, 1\] \(2 vs 3\)/,
    );
  });
});
