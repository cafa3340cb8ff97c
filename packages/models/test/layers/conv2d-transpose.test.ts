import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Random, Tensor, tensor } from '@aekit/core';
import { conv2dTranspose } from '@aekit/models';
import { checkLayerGradient, randomTensor, toFloat64 } from '../helpers/gradient.js';

const inference = { training: false };

describe('conv2dTranspose', () => {
  it('spreads each input pixel over the kernel (hand-computed)', () => {
    const layer = conv2dTranspose(1, 2, { biasInitializer: 'ones' });
    expect(layer.build([1, 1, 1], new Random(0))).toEqual([2, 2, 1]);
    layer.kernel!.values.set([1, 2, 3, 4]);
    // One pixel of value 2 times the kernel, plus the bias 1.
    expect(layer.call(tensor([2], [1, 1, 1, 1]), inference).toArray()).toEqual([3, 5, 7, 9]);
  });

  it('upsamples by its stride, overlapping windows adding up (hand-computed)', () => {
    const layer = conv2dTranspose(1, [1, 2], { strides: [1, 1], useBias: false });
    expect(layer.build([1, 2, 1], new Random(0))).toEqual([1, 3, 1]);
    layer.kernel!.values.set([1, 10]);
    // [a, b] -> [a, 10a + b, 10b]
    expect(layer.call(tensor([1, 2], [1, 1, 2, 1]), inference).toArray()).toEqual([1, 12, 20]);

    const strided = conv2dTranspose(1, 1, { strides: 2, useBias: false, kernelInitializer: 'ones' });
    expect(strided.build([2, 2, 1], new Random(0))).toEqual([4, 4, 1]);
    expect(strided.call(tensor([1, 2, 3, 4], [1, 2, 2, 1]), inference).toArray()).toEqual([1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0]);
  });

  it("has the kernel [kh, kw, filters, inChannels] and Keras's output sizes", () => {
    const layer = conv2dTranspose(5, [3, 2], { strides: 2 });
    // valid: n * s + max(k - s, 0)
    expect(layer.build([4, 3, 7], new Random(0))).toEqual([9, 6, 5]);
    expect(layer.kernel!.shape).toEqual([3, 2, 5, 7]);
    expect(layer.weights().reduce((n, [, t]) => n + t.size, 0)).toBe(3 * 2 * 5 * 7 + 5);
  });

  it('infers the output shape the op computes, at any size, kernel, stride and padding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('same' as const, 'valid' as const),
        (h, w, k, s, padding) => {
          const layer = conv2dTranspose(2, k, { strides: s, padding });
          const shape = layer.build([h, w, 3], new Random(0));
          const expected = (n: number) => (padding === 'same' ? n * s : n * s + Math.max(k - s, 0));
          expect(shape).toEqual([expected(h), expected(w), 2]);
          expect(layer.call(new Tensor(new Float32Array(2 * h * w * 3), [2, h, w, 3]), inference).shape).toEqual([2, ...shape]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('passes the gradient law for the input, kernel and bias (float64)', () => {
    const layer = conv2dTranspose(2, 3, { strides: 2, padding: 'same', activation: 'sigmoid' });
    layer.build([3, 2, 3], new Random(0));
    const f = (x: Tensor, kernel: Tensor, bias: Tensor) => {
      layer.kernel = kernel;
      layer.bias = bias;
      return layer.call(x, { training: true });
    };
    checkLayerGradient(f, [randomTensor([2, 3, 2, 3], 4), toFloat64(layer.kernel!), randomTensor([2], 5)], 6);
  });

  it('names itself and the shapes when the input does not fit', () => {
    expect(() => conv2dTranspose(4, 3).build([4, 4], new Random(0))).toThrow(
      /conv2d_transpose: expected an input of shape \[height, width, channels\], got \[4, 4\]/,
    );
    const layer = conv2dTranspose(4, 3, { padding: 'same' });
    layer.build([4, 4, 128], new Random(0));
    expect(() => layer.call(new Tensor(new Float32Array(4 * 4 * 64), [1, 4, 4, 64]), inference)).toThrow(
      /conv2d_transpose: expected input of shape \[batch, 4, 4, 128\], got \[1, 4, 4, 64\]/,
    );
  });
});
