import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abs, add, addScalar, div, equal, exp, greater, less, log, log1p, maximumScalar, minimumScalar, mul, mulScalar, neg, powScalar,
  sigmoid, sqrt, square, sub, tensor,
} from '@aekit/core';
import { anywhere, binaryArb, gradientLaw, positive, shapeArb, tensorArb, unaryArb } from '../helpers/gradient-law.js';

describe('elementwise ops: the gradient law', () => {
  it('add', () => gradientLaw((a, b) => add(a, b), binaryArb()));
  it('sub', () => gradientLaw((a, b) => sub(a, b), binaryArb()));
  it('mul', () => gradientLaw((a, b) => mul(a, b), binaryArb()));
  it('div (divisor away from 0)', () => gradientLaw((a, b) => div(a, b), binaryArb(anywhere, positive)));
  it('neg', () => gradientLaw((x) => neg(x), unaryArb()));
  it('exp', () => gradientLaw((x) => exp(x), unaryArb()));
  it('log (x > 0)', () => gradientLaw((x) => log(x), unaryArb(positive)));
  it('log1p (x > -1)', () => gradientLaw((x) => log1p(x), unaryArb({ min: -0.9, max: 3 })));
  it('abs (away from the kink at 0)', () => gradientLaw((x) => abs(x), unaryArb({ ...anywhere, kinks: [0] })));
  it('sigmoid', () => gradientLaw((x) => sigmoid(x), unaryArb({ min: -10, max: 10 })));
  it('addScalar', () => gradientLaw((x) => addScalar(x, 2.5), unaryArb()));
  it('mulScalar', () => gradientLaw((x) => mulScalar(x, -1.5), unaryArb()));
  it('maximumScalar (away from the clip point)', () =>
    gradientLaw((x) => maximumScalar(x, 0.5), unaryArb({ ...anywhere, kinks: [0.5] })));
  it('minimumScalar (away from the clip point)', () =>
    gradientLaw((x) => minimumScalar(x, -0.5), unaryArb({ ...anywhere, kinks: [-0.5] })));
  it('add with broadcasting: [rows, cols] + [cols]', () =>
    gradientLaw(
      (a, b) => add(a, b),
      fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).chain(([r, c]) => fc.tuple(tensorArb([r, c]), tensorArb([c]))),
    ));
  it('mul with broadcasting: [rows, 1] * [1, cols]', () =>
    gradientLaw(
      (a, b) => mul(a, b),
      fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).chain(([r, c]) => fc.tuple(tensorArb([r, 1]), tensorArb([1, c]))),
    ));
  it('sqrt (x > 0)', () => gradientLaw((x) => sqrt(x), unaryArb(positive)));
  it('powScalar (x > 0, any exponent)', () => gradientLaw((x) => powScalar(x, -1.7), unaryArb(positive)));
  it('powScalar (any x, integer exponent)', () => gradientLaw((x) => powScalar(x, 3), unaryArb()));
  it('square', () => gradientLaw((x) => square(x), unaryArb()));
  it('numbers on either side', () => {
    gradientLaw((x) => sub(1, div(2, x)), unaryArb(positive));
  });
});

describe('elementwise ops: hand-computed cases', () => {
  it('adds with broadcasting over rows', () => {
    const y = add(tensor([1, 2, 3, 4, 5, 6], [2, 3]), tensor([10, 20, 30]));
    expect(y.shape).toEqual([2, 3]);
    expect(y.toArray()).toEqual([11, 22, 33, 14, 25, 36]);
  });

  it('sigmoid is stable at extreme logits', () => {
    const y = sigmoid(tensor([-1000, 0, 1000], [3], { dtype: 'float64' }));
    expect(y.toArray()).toEqual([0, 0.5, 1]);
  });

  it('compares into masks that carry no gradient', () => {
    const x = tensor([1, 2, 3], [3], { requiresGrad: true });
    expect(greater(x, 2).toArray()).toEqual([0, 0, 1]);
    expect(less(x, tensor([2])).toArray()).toEqual([1, 0, 0]);
    expect(equal(x, 2).toArray()).toEqual([0, 1, 0]);
    expect(greater(x, 2).requiresGrad).toBe(false);
  });

  it('passes the clip gradient at a tie through min but not max', () => {
    const x = tensor([0], [1], { requiresGrad: true });
    add(maximumScalar(x, 0), minimumScalar(x, 0)).backward();
    expect(x.grad?.toArray()).toEqual([1]);
  });

  it('refuses shapes that do not broadcast, naming both', () => {
    expect(() => add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(/add: shapes \[3\] and \[2\] do not broadcast/);
  });

  it('refuses mixed dtypes', () => {
    expect(() => mul(tensor([1], [1], { dtype: 'float64' }), tensor([1]))).toThrow(/dtypes float64 and float32 differ/);
  });

  it('keeps shapes of every rank', () => {
    fc.assert(
      fc.property(shapeArb().chain((s) => tensorArb(s)), (x) => {
        expect(exp(x).shape).toEqual(x.shape);
      }),
      { numRuns: 20 },
    );
  });
});
