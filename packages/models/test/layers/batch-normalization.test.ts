import { describe, expect, it } from 'vitest';
import { Random, Tensor, tensor, l2 } from '@aekit/core';
import { batchNormalization, conv2d, isStateful, regularizationLosses, sequential } from '@aekit/models';
import { checkLayerGradient, randomTensor } from '../helpers/gradient.js';

describe('batchNormalization', () => {
  it('normalizes with the batch statistics in training and updates the moving ones with momentum 0.99 (hand-computed)', () => {
    const layer = batchNormalization();
    expect(layer.build([2], new Random(0))).toEqual([2]);
    // Feature 0: 1, 3, 5, 7 (mean 4, biased variance 5); feature 1: all 2 (mean 2, variance 0).
    const y = layer.call(tensor([1, 2, 3, 2, 5, 2, 7, 2], [4, 2]), { training: true }).toArray();
    const s = Math.sqrt(5 + 1e-3);
    [-3 / s, 0, -1 / s, 0, 1 / s, 0, 3 / s, 0].forEach((v, i) => expect(y[i]).toBeCloseTo(v, 6));
    // moving = 0.99 * moving + 0.01 * batch, from mean 0 and variance 1.
    const [mean, variance] = layer.state().map(([, t]) => t.toArray());
    expect(mean[0]).toBeCloseTo(0.04, 7);
    expect(mean[1]).toBeCloseTo(0.02, 7);
    expect(variance[0]).toBeCloseTo(1.04, 6);
    expect(variance[1]).toBeCloseTo(0.99, 6);
  });

  it('uses the moving statistics, gamma and beta at inference, and leaves them alone', () => {
    const layer = batchNormalization();
    layer.build([2], new Random(0));
    layer.call(tensor([1, 2, 3, 2, 5, 2, 7, 2], [4, 2]), { training: true });
    layer.gamma!.values.set([2, 3]);
    layer.beta!.values.set([1, -1]);
    const y = layer.call(tensor([1, 2], [1, 2]), { training: false }).toArray();
    expect(y[0]).toBeCloseTo((2 * (1 - 0.04)) / Math.sqrt(1.04 + 1e-3) + 1, 5);
    expect(y[1]).toBeCloseTo((3 * (2 - 0.02)) / Math.sqrt(0.99 + 1e-3) - 1, 5);
    expect(layer.state()[0][1].values[0]).toBeCloseTo(0.04, 7);
  });

  it('normalizes each channel of an NHWC batch to mean 0 and variance v / (v + epsilon) in training', () => {
    const layer = batchNormalization({ epsilon: 1e-3 });
    layer.build([3, 3, 2], new Random(0));
    const x = randomTensor([4, 3, 3, 2], 1);
    const scaled = new Tensor(Float32Array.from(x.values, (v, i) => (i % 2 === 0 ? 5 * v + 3 : 0.1 * v - 2)), x.shape);
    const y = layer.call(scaled, { training: true }).toArray();
    for (const c of [0, 1]) {
      const input = scaled.toArray().filter((_, i) => i % 2 === c);
      const out = y.filter((_, i) => i % 2 === c);
      const m = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
      const v = (a: number[]) => m(a.map((u) => (u - m(a)) ** 2));
      expect(Math.abs(m(out))).toBeLessThan(1e-5);
      expect(v(out)).toBeCloseTo(v(input) / (v(input) + 1e-3), 4);
    }
  });

  it('trains gamma and beta only: the moving statistics are state, not parameters', () => {
    const model = sequential([conv2d(8, 3), batchNormalization()], { inputShape: [5, 5, 1] });
    expect(model.countParams()).toBe(80 + 16);
    const bn = model.layers[1];
    expect(bn.weights().map(([n, t]) => [n, t.requiresGrad])).toEqual([['gamma', true], ['beta', true]]);
    expect(isStateful(bn) && bn.state().map(([n, t]) => [n, [...t.shape], t.requiresGrad])).toEqual([
      ['moving_mean', [8], false],
      ['moving_variance', [8], false],
    ]);
    expect(batchNormalization({ center: false, scale: false }).weights()).toEqual([]);
  });

  it('passes the gradient law for the input, gamma and beta in training and at inference (float64)', () => {
    for (const training of [true, false]) {
      const layer = batchNormalization();
      layer.build([2, 2, 3], new Random(0));
      layer.movingMean = randomTensor([3], 7);
      layer.movingVariance = new Tensor(Float64Array.from([0.5, 1, 2]), [3]);
      const f = (x: Tensor, gamma: Tensor, beta: Tensor) => {
        layer.gamma = gamma;
        layer.beta = beta;
        return layer.call(x, { training });
      };
      checkLayerGradient(f, [randomTensor([3, 2, 2, 3], 8), randomTensor([3], 9), randomTensor([3], 10)], 11);
    }
  });

  it('reports gamma and beta penalties', () => {
    const layer = batchNormalization({ gammaRegularizer: (g) => l2(g, 0.5), betaRegularizer: (b) => l2(b, 0.5) });
    layer.build([4], new Random(0));
    expect(regularizationLosses([layer]).map((t) => t.item())).toEqual([2, 0]);
  });

  it('names itself and the shapes when the input does not fit', () => {
    const layer = batchNormalization();
    layer.build([4, 4, 8], new Random(0));
    expect(() => layer.call(new Tensor(new Float32Array(4 * 4 * 4), [1, 4, 4, 4]), { training: true })).toThrow(
      /batch_normalization: expected input of shape \[batch, 4, 4, 8\], got \[1, 4, 4, 4\]/,
    );
    expect(() => batchNormalization({ momentum: 2 })).toThrow(/batch_normalization: momentum must be in \[0, 1\], got 2/);
  });
});
