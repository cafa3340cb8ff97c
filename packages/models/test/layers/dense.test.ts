import { describe, expect, it } from 'vitest';
import { Random, tensor } from '@aekit/core';
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
});
