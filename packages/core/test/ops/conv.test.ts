import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  averagePool2d,
  biasActivation,
  conv2d,
  conv2dBiasActivation,
  conv2dTranspose,
  conv2dTransposeBiasActivation,
  maxPool2d,
  mul,
  sum,
  Tensor,
  tensor,
  upSampling2d,
  windowGeometry,
  type Padding,
} from '@aekit/core';
import { gradientLaw, separatedTensorArb, tensorArb } from '../helpers/gradient-law.js';

const small = (max: number) => fc.integer({ min: 1, max });
const padding = fc.constantFrom<Padding>('same', 'valid');

/** An NHWC batch and a window that fits it under the chosen padding. */
const sweepCase = fc
  .record({ n: small(2), h: small(6), w: small(6), c: small(3), f: small(3), kh: small(3), kw: small(3), sh: small(2), sw: small(2), padding })
  .filter((g) => g.padding === 'same' || (g.kh <= g.h && g.kw <= g.w));

describe('convolution and pooling: the gradient law', () => {
  it('conv2d, any kernel, stride and padding', () =>
    fc.assert(
      fc.property(sweepCase, (g) =>
        gradientLaw(
          (x, k) => conv2d(x, k, { strides: [g.sh, g.sw], padding: g.padding }),
          fc.tuple(tensorArb([g.n, g.h, g.w, g.c]), tensorArb([g.kh, g.kw, g.c, g.f])),
          2,
        ),
      ),
      { numRuns: 40 },
    ));

  it('conv2dTranspose, any kernel, stride and padding', () =>
    fc.assert(
      fc.property(sweepCase, (g) =>
        gradientLaw(
          (x, k) => conv2dTranspose(x, k, { strides: [g.sh, g.sw], padding: g.padding }),
          fc.tuple(tensorArb([g.n, g.h, g.w, g.c]), tensorArb([g.kh, g.kw, g.f, g.c])),
          2,
        ),
      ),
      { numRuns: 40 },
    ));

  it('conv2dBiasActivation, sigmoid and linear, with and without a bias', () =>
    fc.assert(
      fc.property(sweepCase, fc.constantFrom('sigmoid' as const, 'linear' as const), fc.boolean(), (g, act, withBias) =>
        gradientLaw(
          (x, k, b) => conv2dBiasActivation(x, k, withBias ? b : null, act, { strides: [g.sh, g.sw], padding: g.padding }),
          fc.tuple(tensorArb([g.n, g.h, g.w, g.c]), tensorArb([g.kh, g.kw, g.c, g.f]), tensorArb([g.f])),
          2,
        ),
      ),
      { numRuns: 30 },
    ));

  it('conv2dTransposeBiasActivation, sigmoid and linear, with and without a bias', () =>
    fc.assert(
      fc.property(sweepCase, fc.constantFrom('sigmoid' as const, 'linear' as const), fc.boolean(), (g, act, withBias) =>
        gradientLaw(
          (x, k, b) => conv2dTransposeBiasActivation(x, k, withBias ? b : null, act, { strides: [g.sh, g.sw], padding: g.padding }),
          fc.tuple(tensorArb([g.n, g.h, g.w, g.c]), tensorArb([g.kh, g.kw, g.f, g.c]), tensorArb([g.f])),
          2,
        ),
      ),
      { numRuns: 30 },
    ));

  it('maxPool2d (away from ties)', () =>
    fc.assert(
      fc.property(sweepCase, (g) =>
        gradientLaw(
          (x) => maxPool2d(x, { poolSize: [g.kh, g.kw], strides: [g.sh, g.sw], padding: g.padding }),
          separatedTensorArb([g.n, g.h, g.w, g.c]).map((x) => [x]),
          2,
        ),
      ),
      { numRuns: 40 },
    ));

  it('averagePool2d', () =>
    fc.assert(
      fc.property(sweepCase, (g) =>
        gradientLaw(
          (x) => averagePool2d(x, { poolSize: [g.kh, g.kw], strides: [g.sh, g.sw], padding: g.padding }),
          tensorArb([g.n, g.h, g.w, g.c]).map((x) => [x]),
          2,
        ),
      ),
      { numRuns: 40 },
    ));

  it('upSampling2d', () =>
    fc.assert(
      fc.property(sweepCase, (g) =>
        gradientLaw((x) => upSampling2d(x, [g.sh, g.kw]), tensorArb([g.n, g.h, g.w, g.c]).map((x) => [x]), 2),
      ),
      { numRuns: 30 },
    ));
});

describe('convolution and pooling: hand-computed cases', () => {
  it("follows TensorFlow's output sizes", () => {
    expect(windowGeometry(28, 3, 1, 'same')).toEqual({ out: 28, padBefore: 1 });
    expect(windowGeometry(7, 2, 2, 'same')).toEqual({ out: 4, padBefore: 0 });
    expect(windowGeometry(5, 3, 2, 'valid')).toEqual({ out: 2, padBefore: 0 });
  });

  it('convolves a 3x3 image with a 2x2 filter (valid)', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const k = tensor([1, 0, 0, -1], [2, 2, 1, 1]);
    expect(conv2d(x, k).toArray()).toEqual([1 - 5, 2 - 6, 4 - 8, 5 - 9]);
  });

  it("builds the seed's convolutional shapes: 28 -> 14 -> 7 -> 4 down, 4 -> 8 -> 16 -> 32 up", () => {
    const img = tensor(new Float32Array(28 * 28), [1, 28, 28, 1]);
    const h = conv2d(img, tensor(new Float32Array(9 * 32), [3, 3, 1, 32]), { padding: 'same' });
    expect(h.shape).toEqual([1, 28, 28, 32]);
    expect(maxPool2d(tensor(new Float32Array(7 * 7 * 64), [1, 7, 7, 64]), { padding: 'same' }).shape).toEqual([1, 4, 4, 64]);
    const up = conv2dTranspose(tensor(new Float32Array(16 * 128), [1, 4, 4, 128]), tensor(new Float32Array(9 * 128 * 128), [3, 3, 128, 128]), {
      strides: 2,
      padding: 'same',
    });
    expect(up.shape).toEqual([1, 8, 8, 128]);
  });

  it('conv2dTranspose is the adjoint of conv2d: <conv(x), y> = <x, convT(y)>', () => {
    fc.assert(
      fc.property(sweepCase.filter((g) => g.padding === 'same'), fc.integer(), (g, seed) => {
        const x = tensor(Float64Array.from({ length: g.n * g.h * g.sh * g.w * g.sw * g.c }, (_, i) => Math.sin(seed + i)), [g.n, g.h * g.sh, g.w * g.sw, g.c]);
        const k = tensor(Float64Array.from({ length: g.kh * g.kw * g.c * g.f }, (_, i) => Math.cos(seed * 3 + i)), [g.kh, g.kw, g.c, g.f]);
        const y = conv2d(x, k, { strides: [g.sh, g.sw], padding: 'same' });
        const v = tensor(Float64Array.from({ length: y.size }, (_, i) => Math.sin(seed * 7 + i * 1.3)), y.shape);
        const back = conv2dTranspose(v, k, { strides: [g.sh, g.sw], padding: 'same' });
        expect(back.shape).toEqual(x.shape);
        const lhs = y.toArray().reduce((s, a, i) => s + a * v.values[i], 0);
        const rhs = x.toArray().reduce((s, a, i) => s + a * back.values[i], 0);
        expect(lhs).toBeCloseTo(rhs, 9);
      }),
      { numRuns: 30 },
    );
  });

  it('max-pools with argmax and averages only real inputs under same padding', () => {
    const x = tensor([1, 5, 2, 3, 4, 0, 9, 8, 7], [1, 3, 3, 1], { requiresGrad: true });
    const y = maxPool2d(x, { poolSize: 2, padding: 'same' });
    expect(y.toArray()).toEqual([5, 2, 9, 7]);
    sum(y).backward();
    expect(x.grad?.toArray()).toEqual([0, 1, 1, 0, 0, 0, 1, 0, 1]);
    expect(averagePool2d(tensor([1, 5, 2, 3, 4, 0, 9, 8, 7], [1, 3, 3, 1]), { poolSize: 2, padding: 'same' }).toArray()).toEqual([13 / 4, 1, 17 / 2, 7]);
  });

  it('upsamples by repeating each pixel into a block', () => {
    expect(upSampling2d(tensor([1, 2], [1, 1, 2, 1]), [2, 1]).toArray()).toEqual([1, 2, 1, 2]);
  });

  it('names the channels when input and filter disagree', () => {
    expect(() => conv2d(tensor(new Float32Array(8), [1, 2, 2, 2]), tensor(new Float32Array(9), [3, 3, 1, 1]), { padding: 'same' })).toThrow(
      /conv2d: the input has 2 channels \(shape \[1, 2, 2, 2\]\) but the filter \[3, 3, 1, 1\] expects 1/,
    );
  });
});

describe('convolution in float32 runs on the WebAssembly kernels and agrees with float64 (the reference)', () => {
  /** The value and both gradients of <op(x, k), v>, in one dtype. */
  function run(op: (x: Tensor, k: Tensor) => Tensor, xs: number[], xShape: number[], ks: number[], kShape: number[], dtype: 'float32' | 'float64') {
    const x = tensor(xs, xShape, { dtype, requiresGrad: true });
    const k = tensor(ks, kShape, { dtype, requiresGrad: true });
    const y = op(x, k);
    const v = tensor(Array.from({ length: y.size }, (_, i) => Math.cos(i * 0.7)), y.shape, { dtype });
    sum(mul(y, v)).backward();
    return { y: y.toArray(), dx: x.grad!.toArray(), dk: k.grad!.toArray() };
  }

  for (const [name, transposed] of [['conv2d', false], ['conv2dTranspose', true]] as const) {
    it(`${name}: forward and both gradients, any kernel, stride and padding`, () =>
      fc.assert(
        fc.property(sweepCase, fc.integer(), (g, seed) => {
          const op = (x: Tensor, k: Tensor) =>
            transposed ? conv2dTranspose(x, k, { strides: [g.sh, g.sw], padding: g.padding }) : conv2d(x, k, { strides: [g.sh, g.sw], padding: g.padding });
          const xShape = [g.n, g.h, g.w, g.c];
          const kShape = transposed ? [g.kh, g.kw, g.f, g.c] : [g.kh, g.kw, g.c, g.f];
          // Values exact in float32, so both runs see the same inputs.
          const xs = Array.from({ length: g.n * g.h * g.w * g.c }, (_, i) => Math.fround(Math.sin(seed + i)));
          const ks = Array.from({ length: g.kh * g.kw * g.c * g.f }, (_, i) => Math.fround(Math.cos(seed * 3 + i)));
          const single = run(op, xs, xShape, ks, kShape, 'float32');
          const double = run(op, xs, xShape, ks, kShape, 'float64');
          for (const key of ['y', 'dx', 'dk'] as const) {
            expect(single[key].length).toBe(double[key].length);
            // Reductions here are at most a few hundred terms of magnitude <= 1.
            single[key].forEach((a, i) => expect(Math.abs(a - double[key][i])).toBeLessThan(1e-4));
          }
        }),
        { numRuns: 40 },
      ));
  }
});

describe('the fused convolution layers', () => {
  const acts = fc.constantFrom('linear' as const, 'relu' as const, 'sigmoid' as const);

  it('are biasActivation of conv2d and of conv2dTranspose, value and gradients (float64 and float32)', () =>
    fc.assert(
      fc.property(sweepCase, acts, fc.boolean(), fc.boolean(), (g, act, transposed, single) => {
        const options = { strides: [g.sh, g.sw] as [number, number], padding: g.padding };
        const random = (shape: number[], seed: number) =>
          new Tensor(
            (single ? Float32Array : Float64Array).from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(seed * 7 + i * 1.3)),
            shape,
            true,
          );
        const filterShape = transposed ? [g.kh, g.kw, g.f, g.c] : [g.kh, g.kw, g.c, g.f];
        const [xa, ka, ba, xb, kb, bb] = [0, 1, 2, 0, 1, 2].map((seed) =>
          random(seed === 0 ? [g.n, g.h, g.w, g.c] : seed === 1 ? filterShape : [g.f], seed),
        );
        const fused = transposed ? conv2dTransposeBiasActivation(xa, ka, ba, act, options) : conv2dBiasActivation(xa, ka, ba, act, options);
        const composite = biasActivation(transposed ? conv2dTranspose(xb, kb, options) : conv2d(xb, kb, options), bb, act);
        expect(fused.shape).toEqual(composite.shape);
        const digits = single ? 4 : 12;
        const near = (a: Tensor, c: Tensor) => a.toArray().forEach((v, i) => expect(v).toBeCloseTo(c.values[i], digits));
        near(fused, composite);
        const dy = tensor(Array.from({ length: fused.size }, (_, i) => Math.cos(i + 1)), fused.shape, { dtype: single ? 'float32' : 'float64' });
        fused.backward(dy);
        composite.backward(dy);
        for (const [a, c] of [[xa, xb], [ka, kb], [ba, bb]]) near(a.grad as Tensor, c.grad as Tensor);
      }),
      { numRuns: 60 },
    ));

  it('give no gradient to a batch of data, and name what they refuse', () => {
    const x = tensor(Array.from({ length: 16 }, (_, i) => i / 16), [1, 4, 4, 1]);
    const k = new Tensor(new Float32Array(18).fill(0.5), [3, 3, 1, 2], true);
    const b = new Tensor(new Float32Array([0.1, -0.1]), [2], true);
    conv2dBiasActivation(x, k, b, 'relu', { padding: 'same' }).backward(tensor(new Float32Array(32).fill(1), [1, 4, 4, 2]));
    expect(x.grad).toBeNull();
    expect(k.grad?.shape).toEqual([3, 3, 1, 2]);
    expect(() => conv2dBiasActivation(x, k, tensor([1, 2, 3]), 'relu')).toThrow(
      /conv2dBiasActivation: a bias of shape \[3\] does not fit the 2 output channels of a filter \[3, 3, 1, 2\]/,
    );
    expect(() => conv2dBiasActivation(x, k, null, 'tanh' as 'relu')).toThrow(/conv2dBiasActivation: activation must be one of linear, relu, sigmoid, got 'tanh'/);
    expect(() => conv2dTransposeBiasActivation(x, k, null, 'relu')).toThrow(/conv2dTransposeBiasActivation: the input has 1 channels .* expects 2/);
  });
});
