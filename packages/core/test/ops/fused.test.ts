import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  binaryCrossentropy,
  binaryCrossentropyMean,
  biasActivation,
  biasAdd,
  log,
  matmul,
  matmulBiasActivation,
  maximumScalar as clipBelow,
  minimumScalar,
  maximumScalar,
  mean,
  mul,
  sigmoid,
  squaredErrorMean,
  sub,
  tensor,
  Tensor,
} from '@aekit/core';
import { anywhere, gradientLaw, shapeArb, tensorArb } from '../helpers/gradient-law.js';

/** A batch of any rank >= 1 and a bias for its last axis. */
const biasCase = shapeArb(3)
  .filter((s) => s.length > 0)
  .chain((s) => fc.tuple(tensorArb(s), tensorArb([s[s.length - 1]])));

const pairCase = shapeArb().chain((s) => fc.tuple(tensorArb(s), tensorArb(s)));

/**
 * Equal to 12 significant digits: relative, because the clipped cross-entropy's
 * gradients reach t / 1e-7 over n, where float64 rounding that differs by
 * operation order shows from the 13th digit (fresh-clone CI drew -7438.68845220267
 * against -7438.68845220266, 9e-13 apart).
 */
const closeTo = (actual: number, expected: number, where: string) =>
  expect(Math.abs(actual - expected), `${where}: ${actual} against ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
const close = (a: Tensor, b: Tensor) => a.toArray().forEach((v, i) => closeTo(v, b.values[i], `element ${i}`));

/** As biasCase, with |x + b| >= 0.3 so finite differences never cross relu's kink. */
const awayFromKinkCase = shapeArb(3)
  .filter((s) => s.length > 0)
  .chain((s) => fc.tuple(tensorArb(s, { min: -3, max: 3, kinks: [0], margin: 0.5 }), tensorArb([s[s.length - 1]], { min: -0.2, max: 0.2 })));

/** Probabilities away from the clip at 0 and 1, and targets in [0, 1]. */
const probabilityCase = shapeArb().chain((s) => fc.tuple(tensorArb(s, { min: 0.05, max: 0.95 }), tensorArb(s, { min: 0, max: 1 })));

/** x [m, k], a kernel [k, n] and a bias [n], m, k and n from 1 to 5, in the given domains. */
const denseCase = (xw = anywhere, b = anywhere) =>
  fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
    .chain(([m, k, n]) => fc.tuple(tensorArb([m, k], xw), tensorArb([k, n], xw), tensorArb([n], b)));

/**
 * For relu, x and the kernel in [-0.1, 0.1] (so |x · kernel| <= 0.05) and a bias at least 0.3 from 0: every
 * pre-activation stays 0.25 from the kink, on both sides of it.
 */
const denseAwayFromKinkCase = denseCase({ min: -0.1, max: 0.1 }, { min: -1, max: 1, kinks: [0], margin: 0.3 });

describe('fused ops: the gradient law', () => {
  it('matmulBiasActivation, linear', () => gradientLaw((x, w, b) => matmulBiasActivation(x, w, b, 'linear'), denseCase()));
  it('matmulBiasActivation, sigmoid', () => gradientLaw((x, w, b) => matmulBiasActivation(x, w, b, 'sigmoid'), denseCase()));
  it('matmulBiasActivation, relu (away from the kink)', () => gradientLaw((x, w, b) => matmulBiasActivation(x, w, b, 'relu'), denseAwayFromKinkCase));
  it('matmulBiasActivation without a bias', () =>
    gradientLaw((x, w) => matmulBiasActivation(x, w, null, 'sigmoid'), denseCase().map(([x, w]) => [x, w])));
  it('biasAdd', () => gradientLaw((x, b) => biasAdd(x, b), biasCase));
  it('squaredErrorMean', () => gradientLaw((p, t) => squaredErrorMean(p, t), pairCase));
  it('biasActivation, linear', () => gradientLaw((x, b) => biasActivation(x, b, 'linear'), biasCase));
  it('biasActivation, sigmoid', () => gradientLaw((x, b) => biasActivation(x, b, 'sigmoid'), biasCase));
  it('biasActivation, relu (away from the kink)', () => gradientLaw((x, b) => biasActivation(x, b, 'relu'), awayFromKinkCase));
  it('binaryCrossentropyMean (inside the clip)', () =>
    gradientLaw((p, t) => binaryCrossentropyMean(p, t), probabilityCase));
  it('biasActivation without a bias', () =>
    gradientLaw((x) => biasActivation(x, null, 'sigmoid'), biasCase.map(([x]) => [x])));
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

  it('biasActivation is the activation of biasAdd', () =>
    fc.assert(
      fc.property(biasCase, ([x, b]) => {
        close(biasActivation(x, b, 'linear'), biasAdd(x, b));
        close(biasActivation(x, b, 'relu'), maximumScalar(biasAdd(x, b), 0));
        close(biasActivation(x, b, 'sigmoid'), sigmoid(biasAdd(x, b)));
      }),
      { numRuns: 30 },
    ));

  it('binaryCrossentropyMean is the clipped composite -mean(t log p + (1 - t) log(1 - p)), value and gradients', () =>
    fc.assert(
      fc.property(
        shapeArb().chain((s) => fc.tuple(tensorArb(s, { min: -0.5, max: 1.5 }), tensorArb(s, { min: 0, max: 1 }))),
        ([p, t]) => {
          const composite = (q: Tensor, y: Tensor) => {
            const c = minimumScalar(clipBelow(q, 1e-7), 1 - 1e-7);
            return mul(mean(add(mul(y, log(c)), mul(sub(1, y), log(sub(1, c))))), -1);
          };
          const [pa, ta, pb, tb] = [p, t, p, t].map((x) => new Tensor(x.values.slice(), x.shape, true));
          const fused = binaryCrossentropy(pa, ta);
          const reference = composite(pb, tb);
          closeTo(fused.item(), reference.item(), 'the loss');
          fused.backward();
          reference.backward();
          close(pa.grad as Tensor, pb.grad as Tensor);
          close(ta.grad as Tensor, tb.grad as Tensor);
        },
      ),
      { numRuns: 30 },
    ));

  it('binaryCrossentropyMean in float32 (the WebAssembly kernel), by hand, and a NaN prediction gives NaN', () => {
    const p = new Tensor(new Float32Array([0.5, 0.25]), [2], true);
    const loss = binaryCrossentropyMean(p, tensor([1, 0]));
    expect(loss.item()).toBeCloseTo(-(Math.log(0.5) + Math.log(0.75)) / 2, 6);
    loss.backward();
    expect(p.grad?.values[0]).toBeCloseTo(-1, 6); // -t / p / n
    expect(p.grad?.values[1]).toBeCloseTo(1 / 0.75 / 2, 6); // (1 - t) / (1 - p) / n
    expect(binaryCrossentropyMean(tensor([Number.NaN]), tensor([1])).item()).toBeNaN();
  });

  it('biasActivation by hand, in float32 (the WebAssembly kernels)', () => {
    const x = tensor([-1, 0.5, 2, 3, -4, 0], [2, 3]);
    const b = tensor([0.5, 0.5, -1]);
    expect(biasActivation(x, b, 'relu').toArray()).toEqual([0, 1, 1, 3.5, 0, 0]);
    expect(biasActivation(tensor([0], [1, 1]), null, 'sigmoid').toArray()).toEqual([0.5]);
    // No bias and no activation: nothing to compute, the input itself.
    expect(biasActivation(x, null, 'linear')).toBe(x);
  });

  it('biasActivation: the bias gradient sums the rows, and x gets dy times the derivative', () => {
    const x = new Tensor(new Float32Array([1, -2, 3, -4]), [2, 2], true);
    const b = new Tensor(new Float32Array([0, 0]), [2], true);
    biasActivation(x, b, 'relu').backward(tensor([10, 20, 30, 40], [2, 2]));
    expect(x.grad?.toArray()).toEqual([10, 0, 30, 0]);
    expect(b.grad?.toArray()).toEqual([40, 0]);
  });

  it('biasActivation names the shapes, dtypes and activation it refuses', () => {
    expect(() => biasActivation(tensor([1, 2, 3, 4], [2, 2]), tensor([1, 2, 3]), 'relu')).toThrow(
      /biasActivation: a bias of shape \[3\] does not fit the last axis of \[2, 2\]/,
    );
    expect(() => biasActivation(tensor([1, 2], [1, 2]), tensor([1, 2], [2], { dtype: 'float64' }), 'relu')).toThrow(/biasActivation: dtypes float32 and float64 differ/);
    expect(() => biasActivation(tensor([1], [1, 1]), null, 'tanh' as 'relu')).toThrow(/biasActivation: activation must be one of linear, relu, sigmoid, got 'tanh'/);
  });

  it('squaredErrorMean: the gradient from the forward sweep (cotangent 1) and from the backward (any cotangent), by hand', () => {
    const p = new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2], true);
    const t = new Tensor(new Float32Array([0, 2, 5, 4]), [2, 2], true);
    const loss = squaredErrorMean(p, t);
    expect(loss.item()).toBe((1 + 4) / 4);
    loss.backward();
    expect(p.grad?.toArray()).toEqual([0.5, 0, -1, 0]);
    expect(t.grad?.toArray()).toEqual([-0.5, -0, 1, -0]);
    p.grad = null;
    squaredErrorMean(p, t).backward(tensor([3], []));
    expect(p.grad?.toArray()).toEqual([1.5, 0, -3, 0]);
  });

  it('matmulBiasActivation is biasActivation of matmul, value and gradients (float64 and float32)', () =>
    fc.assert(
      fc.property(denseCase(), fc.constantFrom('linear' as const, 'relu' as const, 'sigmoid' as const), fc.boolean(), ([x, w, b], act, single) => {
        const cast = (t: Tensor) => new Tensor(single ? Float32Array.from(t.values) : t.values.slice(), t.shape, true);
        const [xa, wa, ba, xb, wb, bb] = [x, w, b, x, w, b].map(cast);
        const fused = matmulBiasActivation(xa, wa, ba, act);
        const composite = biasActivation(matmul(xb, wb), bb, act);
        const digits = single ? 5 : 12;
        const near = (a: Tensor, c: Tensor) => a.toArray().forEach((v, i) => expect(v).toBeCloseTo(c.values[i], digits));
        near(fused, composite);
        const dy = tensor(Array.from({ length: fused.size }, (_, i) => Math.sin(i + 1)), fused.shape, { dtype: single ? 'float32' : 'float64' });
        fused.backward(dy);
        composite.backward(dy);
        for (const [a, c] of [[xa, xb], [wa, wb], [ba, bb]]) near(a.grad as Tensor, c.grad as Tensor);
      }),
      { numRuns: 40 },
    ));

  it('matmulBiasActivation by hand, in float32 (the WebAssembly kernels): a batch of data gets no gradient', () => {
    // x w + b = [[1 + 2 + 0.5, -1 + 2 - 2]] = [[3.5, -1]]; relu -> [[3.5, 0]].
    const x = tensor([1, 2], [1, 2]);
    const w = new Tensor(new Float32Array([1, -1, 1, 1]), [2, 2], true);
    const b = new Tensor(new Float32Array([0.5, -2]), [2], true);
    const y = matmulBiasActivation(x, w, b, 'relu');
    expect(y.toArray()).toEqual([3.5, 0]);
    y.backward(tensor([10, 20], [1, 2]));
    expect(w.grad?.toArray()).toEqual([10, 0, 20, 0]);
    expect(b.grad?.toArray()).toEqual([10, 0]);
    expect(x.grad).toBeNull();
  });

  it('matmulBiasActivation names the shapes, dtypes and activation it refuses', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(() => matmulBiasActivation(x, tensor([1, 2, 3, 4], [2, 2]), null, 'relu')).toThrow(
      /matmulBiasActivation: expected x \[m, k\] and a kernel \[k, n\], got \[2, 3\] and \[2, 2\]/,
    );
    expect(() => matmulBiasActivation(x, tensor([1, 2, 3, 4, 5, 6], [3, 2]), tensor([1, 2, 3]), 'relu')).toThrow(
      /matmulBiasActivation: a bias of shape \[3\] does not fit a kernel of shape \[3, 2\]/,
    );
    expect(() => matmulBiasActivation(x, tensor([1, 2, 3], [3, 1], { dtype: 'float64' }), null, 'relu')).toThrow(
      /matmulBiasActivation: x is float32 but the kernel is float64/,
    );
    expect(() => matmulBiasActivation(x, tensor([1, 2, 3], [3, 1]), null, 'tanh' as 'relu')).toThrow(
      /matmulBiasActivation: activation must be one of linear, relu, sigmoid, got 'tanh'/,
    );
  });

  it('names the shapes when the bias does not fit', () => {
    expect(() => biasAdd(tensor([1, 2, 3, 4], [2, 2]), tensor([1, 2, 3]))).toThrow(/biasAdd: a bias of shape \[3\] does not fit the last axis of \[2, 2\]/);
  });
});
