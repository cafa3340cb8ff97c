import { describe, expect, it } from 'vitest';
import { Random, tensor } from '@aekit/core';
import { cropping2d, sequential, zeroPadding2d } from '@aekit/models';

const inference = { training: false };

describe('zeroPadding2d', () => {
  it('surrounds the image with zeros (hand-computed)', () => {
    const layer = zeroPadding2d();
    expect(layer.build([1, 1, 1], new Random(0))).toEqual([3, 3, 1]);
    expect(layer.call(tensor([7], [1, 1, 1, 1]), inference).toArray()).toEqual([0, 0, 0, 0, 7, 0, 0, 0, 0]);
  });

  it('pads each side by its own amount', () => {
    const layer = zeroPadding2d([[0, 1], [2, 0]]);
    expect(layer.build([1, 2, 1], new Random(0))).toEqual([2, 4, 1]);
    expect(layer.call(tensor([1, 2], [1, 1, 2, 1]), inference).toArray()).toEqual([0, 0, 1, 2, 0, 0, 0, 0]);
  });

  it('is undone by the same cropping', () => {
    const model = sequential([zeroPadding2d([2, 1]), cropping2d([2, 1])], { inputShape: [3, 2, 2] });
    const x = tensor(Array.from({ length: 12 }, (_, i) => i), [1, 3, 2, 2]);
    expect(model.predict(x).toArray()).toEqual(x.toArray());
    expect(model.outputShape).toEqual([3, 2, 2]);
  });

  it('names itself and the shapes when the input does not fit', () => {
    expect(() => zeroPadding2d().build([28, 28, 1, 1], new Random(0))).toThrow(
      /zero_padding2d: expected an input of shape \[height, width, channels\], got \[28, 28, 1, 1\]/,
    );
  });
});
