import { describe, expect, it } from 'vitest';
import { Random, tensor } from '@aekit/core';
import { dense, reshape, sequential } from '@aekit/models';

const inference = { training: false };

describe('reshape', () => {
  it('gives each sample the target shape, keeping the values', () => {
    const layer = reshape([2, 3]);
    expect(layer.build([6], new Random(0))).toEqual([2, 3]);
    const y = layer.call(tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [2, 6]), inference);
    expect(y.shape).toEqual([2, 2, 3]);
    expect(y.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('infers one -1 dimension', () => {
    expect(reshape([-1, 4]).build([2, 6], new Random(0))).toEqual([3, 4]);
  });

  it("ends the seed's vanilla decoder at 28x28x1", () => {
    const model = sequential([dense(784, { activation: 'sigmoid' }), reshape([28, 28, 1])], { inputShape: [64] });
    expect(model.outputShape).toEqual([28, 28, 1]);
    expect(model.countParams()).toBe(50_960);
  });

  it('names itself and the shapes when the sizes differ', () => {
    expect(() => reshape([27, 28, 1]).build([784], new Random(0))).toThrow(
      /reshape: cannot reshape an input of shape \[784\] \(784 values\) to \[27, 28, 1\]/,
    );
    expect(() => reshape([-1, 5]).build([12], new Random(0))).toThrow(/reshape: cannot reshape an input of shape \[12\] \(12 values\) to \[-1, 5\]/);
    expect(() => reshape([-1, -1])).toThrow(/reshape: targetShape must be positive integers with at most one -1, got \[-1, -1\]/);
    const layer = reshape([2, 2]);
    layer.build([4], new Random(0));
    expect(() => layer.call(tensor([1, 2, 3], [1, 3]), inference)).toThrow(/reshape: expected input of shape \[batch, 4\], got \[1, 3\]/);
  });
});
