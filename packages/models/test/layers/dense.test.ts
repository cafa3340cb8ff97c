import { describe, expect, it } from 'vitest';
import { l1, l2, Random, tensor } from '@aekit/core';
import { dense } from '@aekit/models';

describe('dense', () => {
  it('computes activation(x · kernel + bias) (hand-computed)', () => {
    const layer = dense(2, { activation: 'relu', kernelInitializer: 'zeros' });
    expect(layer.build([3], new Random(0))).toEqual([2]);
    layer.kernel!.values.set([1, -1, 2, -2, 3, -3]);
    layer.bias!.values.set([0.5, 0.5]);
    const y = layer.call(tensor([1, 1, 1, 0, 1, 0], [2, 3]), { training: false });
    expect(y.toArray()).toEqual([6.5, 0, 2.5, 0]);
  });

  it('acts on the last axis of a rank-3 input', () => {
    const layer = dense(4);
    layer.build([5, 3], new Random(0));
    expect(layer.call(tensor(new Float32Array(2 * 5 * 3), [2, 5, 3]), { training: false }).shape).toEqual([2, 5, 4]);
  });

  it('names itself and the shapes when the input does not fit', () => {
    const layer = dense(4);
    layer.build([3], new Random(0));
    expect(() => layer.call(tensor(new Float32Array(10), [2, 5]), { training: false })).toThrow(
      /dense: expected input of shape \[batch, \.\.\., 3\], got \[2, 5\]/,
    );
  });

  it('refuses a unit count that is not a positive integer', () => {
    expect(() => dense(0)).toThrow(/units must be a positive integer/);
  });

  it('adds kernel, bias and activity penalties; the activity one divided by the batch, as Keras does', () => {
    const layer = dense(2, {
      kernelInitializer: 'ones',
      biasInitializer: 'ones',
      kernelRegularizer: (w) => l2(w, 0.5),
      biasRegularizer: (b) => l1(b, 2),
      activityRegularizer: (y) => l1(y, 0.1),
    });
    layer.build([3], new Random(0));
    // Before any call there is no activity penalty: 0.5 * 6 and 2 * 2.
    expect(layer.regularizationLosses().map((t) => t.item())).toEqual([3, 4]);
    // Rank 3: a batch of 2 with 2 rows each; every output is 1 + 1 + 1 + 1 = 4, so l1 = 0.1 * 8 * 4, over the batch of 2.
    layer.call(tensor(new Float32Array(12).fill(1), [2, 2, 3]), { training: true });
    const [, , activity] = layer.regularizationLosses().map((t) => t.item());
    expect(activity).toBeCloseTo((0.1 * 8 * 4) / 2, 5);
    expect(dense(2).regularizationLosses()).toEqual([]);
  });
});
