import { describe, expect, it } from 'vitest';
import { Random, tensor } from '@aekit/core';
import { cropping2d } from '@aekit/models';

const inference = { training: false };
const grid = (h: number, w: number) => tensor(Array.from({ length: h * w }, (_, i) => i + 1), [1, h, w, 1]);

describe('cropping2d', () => {
  it('removes rows and columns from each side (hand-computed)', () => {
    const layer = cropping2d([[1, 0], [0, 2]]);
    expect(layer.build([3, 4, 1], new Random(0))).toEqual([2, 2, 1]);
    // 1 2 3 4 / 5 6 7 8 / 9 10 11 12, first row and last two columns gone.
    expect(layer.call(grid(3, 4), inference).toArray()).toEqual([5, 6, 9, 10]);
  });

  it('takes one number for every side, or a pair for symmetric rows and columns', () => {
    expect(cropping2d(2).cropping).toEqual([[2, 2], [2, 2]]);
    expect(cropping2d([1, 3]).cropping).toEqual([[1, 1], [3, 3]]);
    expect(cropping2d(2).build([32, 32, 1], new Random(0))).toEqual([28, 28, 1]);
    expect(cropping2d().build([5, 5, 3], new Random(0))).toEqual([5, 5, 3]);
  });

  it('names itself and the shapes when the cropping is larger than the input', () => {
    expect(() => cropping2d([[2, 2], [0, 0]]).build([4, 6, 1], new Random(0))).toThrow(
      /cropping2d: cropping 2\+2 rows and 0\+0 columns needs an input larger than that, got \[4, 6, 1\]/,
    );
    expect(() => cropping2d(1).build([10], new Random(0))).toThrow(/cropping2d: expected an input of shape \[height, width, channels\], got \[10\]/);
    expect(() => cropping2d(-1)).toThrow(/cropping2d: cropping must be non-negative integers/);
    const layer = cropping2d(1);
    layer.build([4, 4, 1], new Random(0));
    expect(() => layer.call(grid(3, 3), inference)).toThrow(/cropping2d: expected input of shape \[batch, 4, 4, 1\], got \[1, 3, 3, 1\]/);
  });
});
