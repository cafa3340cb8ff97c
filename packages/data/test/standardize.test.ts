import { tensor } from '@aekit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitStandardizer, standardizerFrom } from '../src/standardize.js';

describe('fitStandardizer', () => {
  it('computes the per-feature mean and population std by hand', () => {
    // Feature 0: 1, 3, 5 → mean 3, std sqrt(8/3). Feature 1: 10, 10, 40 → mean 20, std sqrt(600/3).
    const s = fitStandardizer(tensor([1, 10, 3, 10, 5, 40], [3, 2]));
    expect(s.features).toBe(2);
    expect(Array.from(s.mean)).toEqual([3, 20]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s.std[1]).toBeCloseTo(Math.sqrt(200), 12);
    const z = s.transform(tensor([3, 20, 5, 40], [2, 2], { dtype: 'float64' }));
    expect(z.dtype).toBe('float64');
    expect(z.shape).toEqual([2, 2]);
    expect(z.values[0]).toBe(0);
    expect(z.values[1]).toBe(0);
    expect(z.values[2]).toBeCloseTo(2 / Math.sqrt(8 / 3), 12);
    expect(z.values[3]).toBeCloseTo(20 / Math.sqrt(200), 12);
  });

  it('treats a constant feature as std 1 (centred, not divided by zero)', () => {
    const s = fitStandardizer(tensor([0.1, 1, 0.1, 2, 0.1, 3], [3, 2]));
    expect(s.std[0]).toBe(1);
    const z = s.transform(tensor([0.1, 2, 1.1, 2], [2, 2], { dtype: 'float64' }));
    expect(z.values[0]).toBeCloseTo(0, 6);
    expect(z.values[2]).toBeCloseTo(1, 6);
  });

  it('fits over every leading axis of windows [n, size, features]', () => {
    const windows = tensor([1, 100, 2, 200, 3, 300, 4, 400], [2, 2, 2]);
    const s = fitStandardizer(windows);
    expect(Array.from(s.mean)).toEqual([2.5, 250]);
    expect(s.transform(windows).shape).toEqual([2, 2, 2]);
  });

  it('gives zero mean and unit variance on the fitting data, and inverts (property)', () => {
    // Multiples of 1/16: exact in binary, so a feature is either constant or spread well above rounding.
    const column = fc.array(fc.integer({ min: -16_000, max: 16_000 }).map((k) => k / 16), { minLength: 2, maxLength: 30 });
    fc.assert(
      fc.property(column, fc.integer({ min: 1, max: 4 }), (values, features) => {
        const rows = Math.floor(values.length / features) || 1;
        const data = Array.from({ length: rows * features }, (_, i) => values[i % values.length] + (i % features));
        const x = tensor(data, [rows, features], { dtype: 'float64' });
        const s = fitStandardizer(x);
        const z = s.transform(x);
        for (let f = 0; f < features; f++) {
          let m = 0;
          let q = 0;
          for (let r = 0; r < rows; r++) m += z.values[r * features + f] / rows;
          for (let r = 0; r < rows; r++) q += (z.values[r * features + f] - m) ** 2 / rows;
          expect(Math.abs(m)).toBeLessThan(1e-9);
          // Unit variance, or zero for a constant feature (whose std is set to 1). Constancy is read from the
          // data, not from std === 1: two values 2 apart also have a std of exactly 1.
          const column = Array.from({ length: rows }, (_, r) => data[r * features + f]);
          if (column.some((v) => v !== column[0])) expect(q).toBeCloseTo(1, 9);
          else expect([q, s.std[f]]).toEqual([0, 1]);
        }
        const back = s.inverseTransform(z);
        back.values.forEach((v, i) => expect(v).toBeCloseTo(data[i], 8));
      }),
    );
  });

  it('rejects bad shapes, empty data, non-finite values and wrong feature counts, naming them', () => {
    expect(() => fitStandardizer(tensor([1, 2, 3]))).toThrow('fitStandardizer: expected [rows, features] (features on the last axis), got shape [3]');
    expect(() => fitStandardizer(tensor([], [0, 3]))).toThrow('cannot fit to shape [0, 3]: it has no values');
    expect(() => fitStandardizer(tensor([1, 2, 3, Number.NaN], [2, 2]))).toThrow('fitStandardizer: row 1, feature 1 is NaN');
    const s = fitStandardizer(tensor([1, 2, 3, 4], [2, 2]));
    expect(() => s.transform(tensor([1, 2, 3], [1, 3]))).toThrow('Standardizer.transform: expected 2 features on the last axis, got shape [1, 3]');
    expect(() => s.inverseTransform(tensor([1, Number.POSITIVE_INFINITY], [1, 2]))).toThrow('Standardizer.inverseTransform: row 0, feature 1 is Infinity');
  });

  it('saves to JSON and rebuilds the same transform', () => {
    const x = tensor([1, 5, 2, 7, 4, 9], [3, 2]);
    const s = fitStandardizer(x);
    const again = standardizerFrom(JSON.parse(JSON.stringify(s)));
    expect(Array.from(again.transform(x).values)).toEqual(Array.from(s.transform(x).values));
    expect(() => standardizerFrom({ mean: [0, 1], std: [1] })).toThrow('mean has 2 values and std 1');
    expect(() => standardizerFrom({ mean: [0], std: [0] })).toThrow('feature 0 has mean 0 and std 0');
  });
});
