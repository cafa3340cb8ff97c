import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { symmetricEigen } from '@aekit/models';

/** A random symmetric n×n matrix from integers (exact inputs, no filtering of doubles). */
const symmetric = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.array(fc.integer({ min: -50, max: 50 }), { minLength: n * n, maxLength: n * n }).map((raw) => {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = raw[i * n + j] / 10;
    return { a, n };
  }),
);

function checkDecomposition(a: Float64Array, n: number): void {
  const { values, vectors } = symmetricEigen(a, n);
  const scale = Math.max(1, ...Array.from(a, Math.abs)) * n;
  for (let r = 0; r < n; r++) {
    if (r > 0) expect(values[r]).toBeLessThanOrEqual(values[r - 1]);
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[r * n + j];
      expect(Math.abs(av - values[r] * vectors[r * n + i])).toBeLessThan(1e-12 * scale);
    }
    for (let q = 0; q < n; q++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += vectors[r * n + j] * vectors[q * n + j];
      expect(Math.abs(dot - (r === q ? 1 : 0))).toBeLessThan(1e-12 * n);
    }
  }
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a[i * n + i];
  expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 10);
}

describe('symmetricEigen', () => {
  it('solves a 2x2 by hand', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    const h = Math.SQRT1_2;
    // The largest entry of each vector is positive (ties: the first).
    expect(Array.from(vectors)).toEqual([expect.closeTo(h, 14), expect.closeTo(h, 14), expect.closeTo(h, 14), expect.closeTo(-h, 14)]);
  });

  it('returns a diagonal matrix\'s entries, sorted, with unit vectors', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(1, 0, 0, 0, 5, 0, 0, 0, -2), 3);
    expect(Array.from(values)).toEqual([5, 1, -2]);
    expect(Array.from(vectors)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('satisfies A v = λ v with orthonormal vectors and the trace, on random matrices', () => {
    fc.assert(fc.property(symmetric, ({ a, n }) => checkDecomposition(a, n)));
  });

  it('handles repeated and zero eigenvalues (a rank-one matrix padded with zero rows)', () => {
    const n = 30;
    const a = new Float64Array(n * n);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) a[i * n + j] = (i + 1) * (j + 1);
    checkDecomposition(a, n);
    const { values } = symmetricEigen(a, n);
    expect(values[0]).toBeCloseTo(385, 9); // ‖(1..10)‖²
    expect(Math.max(...Array.from(values.subarray(1), Math.abs))).toBeLessThan(1e-12);
  });

  it('names a wrong size or a non-finite entry', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(/a 2x2 matrix needs 4 values, got 3/);
    expect(() => symmetricEigen([1, 0, NaN, 1], 2)).toThrow(/entry \(1, 0\) is NaN/);
  });
});
