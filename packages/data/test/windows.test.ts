import { tensor } from '@aekit/core';
import { describe, expect, it } from 'vitest';
import { mergeWindows, slidingWindows, windowScoresToSteps } from '../src/windows.js';

// A [6, 2] series whose values say where they came from: step t, feature f → 10t + f.
const series = tensor(Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 2) + (i % 2)), [6, 2]);

describe('slidingWindows', () => {
  it('cuts [time, features] into [windows, size, features] with their starts', () => {
    const { windows, starts, size } = slidingWindows(series, { size: 3, stride: 2 });
    expect(size).toBe(3);
    // Starts 0 and 2 fit (2 + 3 ≤ 6); 4 does not (4 + 3 > 6).
    expect(Array.from(starts)).toEqual([0, 2]);
    expect(windows.shape).toEqual([2, 3, 2]);
    expect(Array.from(windows.values)).toEqual([0, 1, 10, 11, 20, 21, 20, 21, 30, 31, 40, 41]);
  });

  it('defaults to stride 1 and flattens when asked', () => {
    const { windows, starts } = slidingWindows(series, { size: 5, flatten: true });
    expect(Array.from(starts)).toEqual([0, 1]);
    expect(windows.shape).toEqual([2, 10]);
    expect(Array.from(windows.values.subarray(10))).toEqual([10, 11, 20, 21, 30, 31, 40, 41, 50, 51]);
  });

  it('treats a rank-1 series as one feature and keeps the dtype', () => {
    const { windows } = slidingWindows(tensor([1, 2, 3, 4], [4], { dtype: 'float64' }), { size: 4 });
    expect(windows.shape).toEqual([1, 4, 1]);
    expect(windows.dtype).toBe('float64');
  });

  it('rejects bad sizes, strides, shapes and short series', () => {
    expect(() => slidingWindows(series, { size: 0 })).toThrow('size must be a positive integer, got 0');
    expect(() => slidingWindows(series, { size: 2, stride: 1.5 })).toThrow('stride must be a positive integer, got 1.5');
    expect(() => slidingWindows(series, { size: 7 })).toThrow('the series has 6 time steps, fewer than one window of 7');
    expect(() => slidingWindows(tensor([1], [1, 1, 1]), { size: 1 })).toThrow('expected a series [time, features] or [time], got shape [1, 1, 1]');
  });
});

describe('windowScoresToSteps', () => {
  it('averages or takes the max over the windows covering each step', () => {
    // Windows of 3 at 0 and 2 over 6 steps: step 2 is in both, step 5 in none.
    expect(Array.from(windowScoresToSteps([1, 4], [0, 2], 3, 6))).toEqual([1, 1, 2.5, 4, 4, Number.NaN]);
    expect(Array.from(windowScoresToSteps([1, 4], [0, 2], 3, 6, 'max'))).toEqual([1, 1, 4, 4, 4, Number.NaN]);
  });

  it('rejects mismatched lengths and windows past the end', () => {
    expect(() => windowScoresToSteps([1], [0, 1], 2, 4)).toThrow('1 scores for 2 windows');
    expect(() => windowScoresToSteps([1], [3], 2, 4)).toThrow('window 0 covers steps 3..4, outside 0..3');
  });
});

describe('mergeWindows', () => {
  it('undoes slidingWindows exactly, flat or not', () => {
    for (const stride of [1, 2, 3]) {
      const { windows, starts } = slidingWindows(series, { size: 3, stride });
      const back = mergeWindows(windows, starts, 6);
      const covered = starts[starts.length - 1] + 3;
      expect(Array.from(back.values.subarray(0, covered * 2))).toEqual(Array.from(series.values.subarray(0, covered * 2)));
      expect(Array.from(back.values.subarray(covered * 2)).every(Number.isNaN)).toBe(true);
      const flat = slidingWindows(series, { size: 3, stride, flatten: true });
      expect(Array.from(mergeWindows(flat.windows, flat.starts, 6, 2).values)).toEqual(Array.from(back.values));
    }
  });

  it('averages the values overlapping windows hold for a step, per feature', () => {
    // Two windows of 2 steps × 1 feature at 0 and 1: step 1 is in both.
    const merged = mergeWindows(tensor([1, 2, 4, 8], [2, 2, 1]), [0, 1], 3);
    expect(merged.shape).toEqual([3, 1]);
    expect(Array.from(merged.values)).toEqual([1, 3, 8]);
  });

  it('rejects shapes and starts that do not fit', () => {
    expect(() => mergeWindows(tensor([1, 2, 3, 4], [2, 2]), [0, 1], 3)).toThrow('mergeWindows: expected windows [count, size, features], or [count, size * features] with features given, got shape [2, 2]');
    expect(() => mergeWindows(tensor([1, 2, 3, 4, 5, 6], [2, 3]), [0, 1], 3, 2)).toThrow('got shape [2, 3] and features 2');
    expect(() => mergeWindows(tensor([1, 2], [1, 2, 1]), [0, 1], 3)).toThrow('2 starts for 1 windows');
    expect(() => mergeWindows(tensor([1, 2], [1, 2, 1]), [2], 3)).toThrow('window 0 covers steps 2..3, outside 0..2');
  });
});
