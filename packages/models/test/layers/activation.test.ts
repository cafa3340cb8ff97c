import { describe, expect, it } from 'vitest';
import { Random, tensor } from '@aekit/core';
import { activation } from '@aekit/models';

describe('activation', () => {
  it('applies the named function (hand-computed)', () => {
    const relu = activation('relu');
    expect(relu.build([3], new Random(0))).toEqual([3]);
    expect(relu.call(tensor([-1, 0, 2], [1, 3]), { training: false }).toArray()).toEqual([0, 0, 2]);
    const sigmoid = activation('sigmoid');
    sigmoid.build([1], new Random(0));
    expect(sigmoid.call(tensor([0], [1, 1]), { training: false }).item()).toBe(0.5);
    expect([relu.name, relu.className, relu.weights()]).toEqual(['activation', 'Activation', []]);
  });

  it('refuses an unknown name, and an input of another shape', () => {
    expect(() => activation('swishy' as 'relu')).toThrow(/unknown activation 'swishy'/);
    const layer = activation('tanh');
    layer.build([2], new Random(0));
    expect(() => layer.call(tensor([1, 2, 3], [1, 3]), { training: false })).toThrow(/activation: expected input of shape \[batch, 2\], got \[1, 3\]/);
  });
});
