import { describe, expect, it } from 'vitest';
import { Random, tensor } from '@aekit/core';
import { upSampling2d } from '@aekit/models';

const inference = { training: false };

describe('upSampling2d', () => {
  it('repeats each pixel (hand-computed)', () => {
    const layer = upSampling2d();
    expect(layer.build([2, 2, 1], new Random(0))).toEqual([4, 4, 1]);
    expect(layer.call(tensor([1, 2, 3, 4], [1, 2, 2, 1]), inference).toArray()).toEqual([
      1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4,
    ]);
  });

  it('takes a factor per axis and keeps the channels', () => {
    const layer = upSampling2d([1, 3]);
    expect(layer.build([1, 2, 2], new Random(0))).toEqual([1, 6, 2]);
    expect(layer.call(tensor([1, 10, 2, 20], [1, 1, 2, 2]), inference).toArray()).toEqual([1, 10, 1, 10, 1, 10, 2, 20, 2, 20, 2, 20]);
  });

  it('names itself and the shapes when the input does not fit', () => {
    expect(() => upSampling2d().build([7, 7], new Random(0))).toThrow(/up_sampling2d: expected an input of shape \[height, width, channels\], got \[7, 7\]/);
    expect(() => upSampling2d(0)).toThrow(/up_sampling2d: size must be positive integers, got \[0, 0\]/);
  });
});
