import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, biasAdd, mean, mul, squaredErrorMean, sub, tensor, type Tensor } from '@aekit/core';
import { gradientLaw, shapeArb, tensorArb } from '../helpers/gradient-law.js';

/** A batch of any rank >= 1 and a bias for its last axis. */
const biasCase = shapeArb(3)
  .filter((s) => s.length > 0)
  .chain((s) => fc.tuple(tensorArb(s), tensorArb([s[s.length - 1]])));

const pairCase = shapeArb().chain((s) => fc.tuple(tensorArb(s), tensorArb(s)));

const close = (a: Tensor, b: Tensor) => a.toArray().forEach((v, i) => expect(v).toBeCloseTo(b.values[i], 12));

describe('fused ops: the gradient law', () => {
  it('biasAdd', () => gradientLaw((x, b) => biasAdd(x, b), biasCase));
  it('squaredErrorMean', () => gradientLaw((p, t) => squaredErrorMean(p, t), pairCase));
});

describe('fused ops equal the composites they replace', () => {
  it('biasAdd is add with broadcasting', () =>
    fc.assert(fc.property(biasCase, ([x, b]) => close(biasAdd(x, b), add(x, b))), { numRuns: 30 }));

  it('squaredErrorMean is mean((p - t)²)', () =>
    fc.assert(
      fc.property(pairCase, ([p, t]) => {
        const d = sub(p, t);
        close(squaredErrorMean(p, t), mean(mul(d, d)));
      }),
      { numRuns: 30 },
    ));

  it('names the shapes when the bias does not fit', () => {
    expect(() => biasAdd(tensor([1, 2, 3, 4], [2, 2]), tensor([1, 2, 3]))).toThrow(/biasAdd: a bias of shape \[3\] does not fit the last axis of \[2, 2\]/);
  });
});
