import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Random, Tensor, tensor } from '@aekit/core';
import { averagePooling2d, maxPooling2d } from '@aekit/models';

const inference = { training: false };
const grid = (h: number, w: number) => tensor(Array.from({ length: h * w }, (_, i) => i + 1), [1, h, w, 1]);

describe('maxPooling2d and averagePooling2d', () => {
  it('take the max and the mean of 2x2 windows (hand-computed)', () => {
    const max = maxPooling2d();
    const avg = averagePooling2d();
    expect(max.build([4, 4, 1], new Random(0))).toEqual([2, 2, 1]);
    expect(avg.build([4, 4, 1], new Random(0))).toEqual([2, 2, 1]);
    // 1..16 in rows of 4.
    expect(max.call(grid(4, 4), inference).toArray()).toEqual([6, 8, 14, 16]);
    expect(avg.call(grid(4, 4), inference).toArray()).toEqual([3.5, 5.5, 11.5, 13.5]);
  });

  it("pad 'same' as TensorFlow: 7 -> 4, the last window over real inputs only", () => {
    const max = maxPooling2d(2, { padding: 'same' });
    const avg = averagePooling2d(2, { padding: 'same' });
    expect(max.build([3, 3, 1], new Random(0))).toEqual([2, 2, 1]);
    avg.build([3, 3, 1], new Random(0));
    expect(max.call(grid(3, 3), inference).toArray()).toEqual([5, 6, 8, 9]);
    expect(avg.call(grid(3, 3), inference).toArray()).toEqual([3, 4.5, 7.5, 9]);
    expect(maxPooling2d(2, { padding: 'same' }).build([7, 7, 64], new Random(0))).toEqual([4, 4, 64]);
  });

  it('default their strides to the pool size, and take others', () => {
    const layer = maxPooling2d(3, { strides: 1 });
    expect(layer.strides).toEqual([1, 1]);
    expect(layer.build([5, 4, 2], new Random(0))).toEqual([3, 2, 2]);
    expect(maxPooling2d([2, 3]).strides).toEqual([2, 3]);
  });

  it('infer the output shape the op computes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('same' as const, 'valid' as const),
        fc.boolean(),
        (h, w, p, s, padding, useMax) => {
          fc.pre(padding === 'same' || (p <= h && p <= w));
          const layer = (useMax ? maxPooling2d : averagePooling2d)(p, { strides: s, padding });
          const shape = layer.build([h, w, 2], new Random(0));
          expect(layer.call(new Tensor(new Float32Array(h * w * 2), [1, h, w, 2]), inference).shape).toEqual([1, ...shape]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('have no weights and Keras names', () => {
    expect(maxPooling2d().weights()).toEqual([]);
    expect([maxPooling2d().name, averagePooling2d().name]).toEqual(['max_pooling2d', 'average_pooling2d']);
    expect([maxPooling2d().className, averagePooling2d().className]).toEqual(['MaxPooling2D', 'AveragePooling2D']);
  });

  it('name themselves and the shapes when the input does not fit', () => {
    expect(() => maxPooling2d().build([10, 10], new Random(0))).toThrow(/max_pooling2d: expected an input of shape \[height, width, channels\], got \[10, 10\]/);
    expect(() => averagePooling2d(3).build([2, 2, 1], new Random(0))).toThrow(
      /average_pooling2d: a 3x3 pool with 'valid' padding does not fit an input of shape \[2, 2, 1\]/,
    );
    const layer = maxPooling2d();
    layer.build([4, 4, 1], new Random(0));
    expect(() => layer.call(grid(4, 2), inference)).toThrow(/max_pooling2d: expected input of shape \[batch, 4, 4, 1\], got \[1, 4, 2, 1\]/);
  });
});
