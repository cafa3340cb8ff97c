import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Random } from '@aekit/core';
import { signNormalize, symmetricEigen, topEigen } from '@aekit/models';

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

/** Q diag(λ) Qᵀ for a random orthogonal Q (Householder reflector of a random vector), row-major, with its eigenvectors (Q's columns) as rows. */
function withSpectrum(lambda: number[], seed: number): { a: Float64Array; axes: Float64Array } {
  const n = lambda.length;
  const rng = new Random(seed);
  const v = Array.from({ length: n }, () => rng.normal());
  const norm2 = v.reduce((s, x) => s + x * x, 0);
  const axes = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) axes[i * n + j] = (i === j ? 1 : 0) - (2 * v[i] * v[j]) / norm2;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let q = 0; q < n; q++) a[i * n + j] += axes[q * n + i] * lambda[q] * axes[q * n + j];
  return { a, axes };
}

/** The operator of {@link topEigen} for an explicit matrix: the rows of (A·V)ᵀ = VᵀA (A symmetric). */
function times(a: Float64Array, n: number) {
  return (vt: Float64Array, p: number) => {
    const out = new Float64Array(p * n);
    for (let r = 0; r < p; r++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[r * n + j] += vt[r * n + i] * a[i * n + j];
    return out;
  };
}

describe('topEigen', () => {
  it('finds the top k eigenpairs of a PSD matrix with a gap, signed as symmetricEigen signs them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 10 }), (n, seed, over) => {
        const k = 1 + (seed % Math.min(n, 5));
        // Distinct leading eigenvalues k + 1 - q (q < k), then a tail below 0.1: a gap of at least 10 after the k-th.
        const lambda = Array.from({ length: n }, (_, q) => (q < k ? k + 1 - q : 0.1 / (1 + q)));
        const { a } = withSpectrum(lambda, seed);
        const top = topEigen(times(a, n), n, k, { oversampling: over, seed });
        const direct = symmetricEigen(a, n);
        expect(top.converged).toBe(true);
        expect(top.values.length).toBe(k);
        expect(top.vectors.length).toBe(k * n);
        top.values.forEach((l, q) => expect(l).toBeCloseTo(lambda[q], 9));
        // A vector off by e gives a Rayleigh quotient off by about e^2: values converged to
        // ~1e-12 leave vectors good to ~1e-6, so 5 digits, not 6 (which failed by 5.8e-7).
        top.vectors.forEach((v, i) => expect(v).toBeCloseTo(direct.vectors[i], 5));
      }),
      { numRuns: 40 },
    );
  });

  it('is deterministic for a seed, and stops at the iteration cap when told to', () => {
    const { a } = withSpectrum(Array.from({ length: 20 }, (_, q) => 1 / (1 + q)), 3);
    const first = topEigen(times(a, 20), 20, 3, { seed: 7 });
    expect(topEigen(times(a, 20), 20, 3, { seed: 7 })).toEqual(first);
    const capped = topEigen(times(a, 20), 20, 3, { oversampling: 0, maxIterations: 2, tolerance: 1e-15 });
    expect(capped.iterations).toBe(2);
    expect(capped.converged).toBe(false);
  });

  it('extends the basis past the rank of a low-rank operator (Ritz values 0 beyond it)', () => {
    const n = 12;
    const lambda = [4, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const { a } = withSpectrum(lambda, 5);
    const top = topEigen(times(a, n), n, 6, { oversampling: 4 });
    top.values.forEach((l, q) => expect(l).toBeCloseTo(lambda[q], 10));
    for (let r = 0; r < 6; r++) {
      for (let q = 0; q < 6; q++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += top.vectors[r * n + j] * top.vectors[q * n + j];
        expect(dot).toBeCloseTo(r === q ? 1 : 0, 10);
      }
    }
  });

  it('names bad arguments and a wrong operator result', () => {
    const identity = (vt: Float64Array) => vt;
    expect(() => topEigen(identity, 3, 4)).toThrow(/k must be an integer in \[1, 3\], got 4/);
    expect(() => topEigen(identity, 0, 1)).toThrow(/n must be a positive integer, got 0/);
    expect(() => topEigen(() => new Float64Array(5), 3, 1)).toThrow(/multiply returned 5 values for a 3x3 block, expected 9/);
    expect(() => topEigen(() => new Float64Array(9).fill(NaN), 3, 1)).toThrow(/multiply returned non-finite values \(row 0 of the block, iteration 1\)/);
    expect(() => topEigen(identity, 3, 1, { oversampling: -1 })).toThrow(/oversampling must be a non-negative integer, got -1/);
    expect(() => topEigen(identity, 3, 1, { tolerance: NaN })).toThrow(/tolerance must be in \[0, 1\), got NaN/);
    expect(() => topEigen(identity, 3, 1, { maxIterations: 0 })).toThrow(/maxIterations must be a positive integer, got 0/);
  });
});

describe('signNormalize', () => {
  it('makes the entry of largest magnitude positive (the first on ties)', () => {
    const v = Float64Array.of(1, -3, 2);
    signNormalize(v);
    expect(Array.from(v)).toEqual([-1, 3, -2]);
    const tie = Float64Array.of(-2, 2);
    signNormalize(tie);
    expect(Array.from(tie)).toEqual([2, -2]);
  });
});
