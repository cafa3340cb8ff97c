import { describe, expect, it } from 'vitest';
import { Random, tensor } from '@aekit/core';
import { dense, flatten, sequential } from '@aekit/models';

const inference = { training: false };

describe('flatten', () => {
  it('keeps the batch axis and the values in row-major (NHWC) order', () => {
    const layer = flatten();
    expect(layer.build([2, 2, 2], new Random(0))).toEqual([8]);
    const x = tensor(Array.from({ length: 16 }, (_, i) => i), [2, 2, 2, 2]);
    const y = layer.call(x, inference);
    expect(y.shape).toEqual([2, 8]);
    expect(y.toArray()).toEqual(x.toArray());
  });

  it('feeds a dense layer in a model: the seed\'s vanilla encoder', () => {
    const model = sequential([flatten(), dense(64, { activation: 'relu' })], { inputShape: [28, 28, 1] });
    expect(model.summaryRows().map((r) => [r.layer, [...r.outputShape], r.params])).toEqual([
      ['flatten (Flatten)', [784], 0],
      ['dense (Dense)', [64], 50_240],
    ]);
  });

  it('names itself and the shapes when the input does not fit', () => {
    const layer = flatten();
    layer.build([4, 4, 1], new Random(0));
    expect(() => layer.call(tensor(new Float32Array(16), [1, 16]), inference)).toThrow(/flatten: expected input of shape \[batch, 4, 4, 1\], got \[1, 16\]/);
  });
});
