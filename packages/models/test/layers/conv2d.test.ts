import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { l2, Random, Tensor, tensor } from '@aekit/core';
import { conv2d, regularizationLosses, sequential } from '@aekit/models';
import { checkLayerGradient, randomTensor, toFloat64 } from '../helpers/gradient.js';

const inference = { training: false };

describe('conv2d', () => {
  it('convolves with a known kernel and adds the bias (hand-computed)', () => {
    const layer = conv2d(1, 2, { biasInitializer: 'ones' });
    expect(layer.build([3, 3, 1], new Random(0))).toEqual([2, 2, 1]);
    expect(layer.kernel!.shape).toEqual([2, 2, 1, 1]);
    layer.kernel!.values.set([1, 1, 1, 1]);
    // 1 2 3 / 4 5 6 / 7 8 9 summed over 2x2 windows: 12 16 / 24 28, plus the bias 1.
    const y = layer.call(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), inference);
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect(y.toArray()).toEqual([13, 17, 25, 29]);
  });

  it("pads 'same' and strides as TensorFlow, and applies the activation", () => {
    const layer = conv2d(2, 3, { padding: 'same', strides: 2, activation: 'relu', kernelInitializer: 'zeros' });
    expect(layer.build([3, 3, 1], new Random(0))).toEqual([2, 2, 2]);
    // Filter 0 picks the centre pixel, filter 1 its negative (relu zeroes it).
    layer.kernel!.values[4 * 2 + 0] = 1;
    layer.kernel!.values[4 * 2 + 1] = -1;
    const y = layer.call(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), inference);
    // same, stride 2 over 3: two outputs, padding 1 after only, so windows centre on 0 and 2.
    expect(y.toArray()).toEqual([1, 0, 3, 0, 7, 0, 9, 0]);
  });

  it('infers the output shape the op computes, at any size, kernel, stride and padding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('same' as const, 'valid' as const),
        (h, w, c, k, s, padding) => {
          fc.pre(padding === 'same' || (k <= h && k <= w));
          const layer = conv2d(2, k, { strides: s, padding });
          const shape = layer.build([h, w, c], new Random(0));
          expect(shape).toEqual(padding === 'same' ? [Math.ceil(h / s), Math.ceil(w / s), 2] : [Math.floor((h - k) / s) + 1, Math.floor((w - k) / s) + 1, 2]);
          expect(layer.call(new Tensor(new Float32Array(h * w * c), [1, h, w, c]), inference).shape).toEqual([1, ...shape]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('takes non-square kernels and strides', () => {
    const layer = conv2d(4, [3, 1], { strides: [1, 2] });
    expect(layer.build([5, 6, 2], new Random(0))).toEqual([3, 3, 4]);
    expect(layer.kernel!.shape).toEqual([3, 1, 2, 4]);
    expect(layer.weights().map(([n, t]) => [n, t.size])).toEqual([['kernel', 24], ['bias', 4]]);
  });

  it('has no bias with useBias: false', () => {
    const layer = conv2d(4, 3, { useBias: false });
    layer.build([5, 5, 2], new Random(0));
    expect(layer.weights().map(([n]) => n)).toEqual(['kernel']);
  });

  it('draws a glorot-uniform kernel from the seed (Keras: limit sqrt(6 / (fanIn + fanOut)))', () => {
    const build = (seed: number) => {
      const layer = conv2d(8, 3);
      layer.build([6, 6, 4], new Random(seed));
      return layer.kernel!.toArray();
    };
    const limit = Math.sqrt(6 / (9 * 4 + 9 * 8));
    expect(build(1).every((v) => Math.abs(v) <= limit)).toBe(true);
    expect(Math.max(...build(1).map(Math.abs))).toBeGreaterThan(0.9 * limit);
    expect(build(1)).toEqual(build(1));
    expect(build(1)).not.toEqual(build(2));
  });

  it('passes the gradient law for the input, kernel and bias (float64)', () => {
    const layer = conv2d(3, [2, 3], { strides: [2, 1], padding: 'same', activation: 'tanh' });
    layer.build([5, 4, 2], new Random(0));
    const f = (x: Tensor, kernel: Tensor, bias: Tensor) => {
      layer.kernel = kernel;
      layer.bias = bias;
      return layer.call(x, { training: true });
    };
    checkLayerGradient(f, [randomTensor([2, 5, 4, 2], 1), toFloat64(layer.kernel!), randomTensor([3], 2)], 3);
  });

  it('reports a kernel penalty and the activity penalty of its latest call', () => {
    const layer = conv2d(1, 1, {
      kernelInitializer: 'ones',
      kernelRegularizer: (w) => l2(w, 0.5),
      activityRegularizer: (y) => l2(y, 0.1),
    });
    const model = sequential([layer], { inputShape: [1, 2, 1] });
    model.build();
    expect(regularizationLosses(model.layers).map((t) => t.item())).toEqual([0.5]);
    model.call(tensor([1, 2, 3, 0], [2, 1, 2, 1]), inference);
    const [kernelPenalty, activityPenalty] = regularizationLosses(model.layers).map((t) => t.item());
    expect(kernelPenalty).toBe(0.5);
    // Keras divides the activity penalty by the batch size (2 here).
    expect(activityPenalty).toBeCloseTo((0.1 * (1 + 4 + 9)) / 2, 6);
  });

  it('names itself and the shapes when the input has the wrong rank or channels', () => {
    expect(() => conv2d(4, 3).build([784], new Random(0))).toThrow(/conv2d: expected an input of shape \[height, width, channels\], got \[784\]/);
    const layer = conv2d(4, 3, { name: 'encoder_conv' });
    layer.build([8, 8, 3], new Random(0));
    expect(() => layer.call(new Tensor(new Float32Array(2 * 8 * 8 * 2), [2, 8, 8, 2]), inference)).toThrow(
      /encoder_conv: expected input of shape \[batch, 8, 8, 3\], got \[2, 8, 8, 2\]/,
    );
    expect(() => conv2d(4, 5).build([3, 3, 1], new Random(0))).toThrow(/conv2d: a 5x5 kernel with 'valid' padding does not fit an input of shape \[3, 3, 1\]/);
  });

  it('refuses bad options and a call before build', () => {
    expect(() => conv2d(0, 3)).toThrow(/conv2d: filters must be a positive integer, got 0/);
    expect(() => conv2d(2, [3, 0])).toThrow(/conv2d: kernelSize must be positive integers, got \[3, 0\]/);
    expect(() => conv2d(2, 3).call(tensor([1], [1, 1, 1, 1]), inference)).toThrow(/conv2d: called before it was built/);
  });
});
