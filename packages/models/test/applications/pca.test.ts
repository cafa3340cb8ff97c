import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matmul, Random, tensor, type Tensor } from '@aekit/core';
import { fitPca, reconstructionErrors } from '@aekit/models';

const f64 = { dtype: 'float64' } as const;

/** The symmetric orthogonal reflector I - 2vvᵀ/‖v‖², as rows. */
function reflector(v: number[]): number[][] {
  const norm2 = v.reduce((s, x) => s + x * x, 0);
  return v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / norm2));
}

/** Sylvester's Hadamard matrix of order 8: orthogonal ±1 columns; columns 1..7 sum to zero. */
const hadamard8 = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (popcount(i & j) % 2 ? -1 : 1)));
function popcount(x: number): number {
  let c = 0;
  for (; x; x >>= 1) c += x & 1;
  return c;
}

/**
 * 8 samples in d = 5 whose sample covariance is exactly Q diag(σ² · 8/7) Qᵀ: scores along the axes are
 * Hadamard columns (zero mean, orthogonal, variance 8/7) scaled by σ, rotated by Q, shifted by a mean.
 */
function constructed(sigma: number[], q: number[][], mean: number[]): Tensor {
  const rows = hadamard8.map((h) => mean.map((m, f) => m + sigma.reduce((s, sj, j) => s + sj * h[j + 1] * q[f][j], 0)));
  return tensor(rows.flat(), [8, mean.length], f64);
}

function randomData(n: number, d: number, seed: number): Tensor {
  const rng = new Random(seed);
  // Correlated features: each a mix of the previous one and fresh noise.
  const values = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) values[i * d + j] = (j ? 0.7 * values[i * d + j - 1] : 3) + rng.normal() * (1 + j / d);
  return tensor(values, [n, d]);
}

describe('fitPca', () => {
  it('recovers the principal axes, variances and mean of constructed data', () => {
    const sigma = [3, 2, 1, 0.5, 0.25];
    const q = reflector([1, -2, 0.5, 3, 1]);
    const mean = [1, -1, 2, 0, 0.5];
    const pca = fitPca(constructed(sigma, q, mean), 3);
    pca.mean.toArray().forEach((v, f) => expect(v).toBeCloseTo(mean[f], 12));
    sigma.slice(0, 3).forEach((s, j) => {
      expect(pca.explainedVariance[j]).toBeCloseTo((s * s * 8) / 7, 12);
      const axis = q.map((row) => row[j]);
      const dot = axis.reduce((acc, a, f) => acc + a * pca.components.values[j * 5 + f], 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 12);
    });
    const total = sigma.reduce((acc, s) => acc + (s * s * 8) / 7, 0);
    expect(pca.totalVariance).toBeCloseTo(total, 12);
    expect(pca.explainedVarianceRatio[0]).toBeCloseTo((9 * 8) / 7 / total, 12);
  });

  it('gives orthonormal components, each with its largest entry positive', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 1000 }), (d, seed) => {
      const k = 1 + (seed % d);
      const pca = fitPca(randomData(20, d, seed), k);
      const gram = matmul(pca.components, pca.components, false, true).values;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(gram[i * k + j]).toBeCloseTo(i === j ? 1 : 0, 4);
      for (let i = 0; i < k; i++) {
        const row = Array.from(pca.components.values.subarray(i * d, (i + 1) * d));
        const peak = row.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
        expect(peak).toBeGreaterThan(0);
      }
    }));
  });

  it('has a mean squared reconstruction error of the discarded eigenvalues, (n - 1)/n · Σ λ / d', () => {
    const n = 40;
    const d = 7;
    const x = randomData(n, d, 3);
    const all = fitPca(x, d).explainedVariance;
    for (const k of [1, 3, 6]) {
      const pca = fitPca(x, k);
      const errors = reconstructionErrors(pca, x).perSample;
      expect(Array.from(pca.reconstructionErrors(x))).toEqual(Array.from(errors));
      const meanError = errors.reduce((s, e) => s + e, 0) / n;
      const discarded = all.subarray(k).reduce((s, l) => s + l, 0);
      expect(meanError).toBeCloseTo(((n - 1) / n) * (discarded / d), 10);
    }
  });

  it('reconstructs exactly with k = d, and codes of the fitting data have the explained variances', () => {
    const x = randomData(25, 6, 11);
    const pca = fitPca(x, 6);
    const back = pca.predict(x).values;
    x.values.forEach((v, i) => expect(back[i]).toBeCloseTo(v, 10));
    const z = pca.transform(x);
    expect(z.shape).toEqual([25, 6]);
    for (let j = 0; j < 6; j++) {
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < 25; i++) {
        sum += z.values[i * 6 + j];
        sq += z.values[i * 6 + j] ** 2;
      }
      expect(sum / 25).toBeCloseTo(0, 10);
      expect(sq / 24).toBeCloseTo(pca.explainedVariance[j], 9);
    }
  });

  it('reads image batches as flattened rows and predicts in their shape; float32 data gives a float32 model', () => {
    const x = tensor(Float32Array.from(randomData(12, 8, 5).values), [12, 2, 4, 1]);
    const pca = fitPca(x, 2);
    expect(pca.inputDim).toBe(8);
    expect(pca.components.dtype).toBe('float32');
    expect(pca.predict(x).shape).toEqual([12, 2, 4, 1]);
    expect(pca.inverseTransform(pca.transform(x)).shape).toEqual([12, 8]);
  });

  it('is deterministic: the same data gives the same components', () => {
    const x = randomData(30, 5, 8);
    expect(fitPca(x, 3).components.toArray()).toEqual(fitPca(x, 3).components.toArray());
  });

  it('names bad arguments', () => {
    const x = randomData(5, 3, 1);
    expect(() => fitPca(x, 4)).toThrow(/k must be an integer in \[1, 3\] \(at most min\(n = 5 samples, d = 3 features\)\), got 4/);
    expect(() => fitPca(randomData(3, 8, 1), 4)).toThrow(/k must be an integer in \[1, 3\].*got 4/);
    expect(() => fitPca(x, 1, { solver: 'fast' as 'auto' })).toThrow(/solver must be 'exact', 'iterative' or 'auto', got fast/);
    expect(() => fitPca(randomData(1, 3, 1), 1)).toThrow(/at least 2 samples, got 1/);
    expect(() => fitPca(tensor([1, 2, 3]), 1)).toThrow(/samples first/);
    expect(() => fitPca(tensor([0, NaN, 1, 2], [2, 2]), 1)).toThrow(/sample 0 holds NaN at feature 1/);
    const pca = fitPca(x, 2);
    expect(() => pca.transform(tensor([1, 2], [1, 2]))).toThrow(/expected 3 features per sample, got shape \[1, 2\]/);
    expect(() => pca.inverseTransform(tensor([1, 2, 3], [1, 3]))).toThrow(/expected codes of shape \[n, 2\], got \[1, 3\]/);
  });
});

/**
 * n samples in d features with a clear spectral gap: a rank-r signal (scores of distinct scales 2·(r − q) + 2
 * along random directions) plus noise of standard deviation 0.01, so λ_{r+1} / λ_r is about 1e-5.
 */
function gapped(n: number, d: number, r: number, seed: number, dtype: 'float32' | 'float64' = 'float64'): Tensor {
  const rng = new Random(seed);
  const directions = Array.from({ length: r * d }, () => rng.normal());
  const values = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < r; q++) {
      const score = (2 * (r - q) + 2) * rng.normal();
      for (let j = 0; j < d; j++) values[i * d + j] += score * directions[q * d + j];
    }
    for (let j = 0; j < d; j++) values[i * d + j] += 5 + 0.01 * rng.normal();
  }
  return tensor(dtype === 'float64' ? values : Float32Array.from(values), [n, d]);
}

/** Σ sin² of the principal angles between the row spaces of two [k, d] orthonormal bases: k − ‖A Bᵀ‖²_F. */
function subspaceGap(a: Tensor, b: Tensor): number {
  const k = a.shape[0];
  const cross = matmul(a, b, false, true).values;
  return k - cross.reduce((s, c) => s + c * c, 0);
}

/** Sizes with k ≤ r ≤ min(n − 1, d), small and odd ones included. */
const sizes = fc.record({ d: fc.integer({ min: 2, max: 41 }), n: fc.integer({ min: 3, max: 45 }), seed: fc.integer({ min: 1, max: 10_000 }) }).chain(({ d, n, seed }) =>
  fc.integer({ min: 1, max: Math.min(n - 1, d, 6) }).chain((r) => fc.record({ d: fc.constant(d), n: fc.constant(n), seed: fc.constant(seed), r: fc.constant(r), k: fc.integer({ min: 1, max: r }) })),
);

describe('fitPca, iterative solver', () => {
  it('spans the exact solver\'s subspace, with the same components, signs and variances, on data with a spectral gap', () => {
    fc.assert(
      fc.property(sizes, ({ n, d, r, k, seed }) => {
        const x = gapped(n, d, r, seed);
        const exact = fitPca(x, k, { solver: 'exact' });
        const fast = fitPca(x, k, { solver: 'iterative' });
        expect(subspaceGap(fast.components, exact.components)).toBeLessThan(1e-8);
        // Distinct signal variances make each component unique up to sign, and both solvers pick the same sign.
        fast.components.values.forEach((c, i) => expect(Math.abs(c - exact.components.values[i])).toBeLessThan(1e-5));
        fast.explainedVariance.forEach((l, j) => expect(Math.abs(l - exact.explainedVariance[j])).toBeLessThanOrEqual(1e-8 * exact.explainedVariance[0]));
        expect(fast.totalVariance).toBeCloseTo(exact.totalVariance, 8);
        fast.explainedVarianceRatio.forEach((ratio, j) => expect(ratio).toBeCloseTo(exact.explainedVarianceRatio[j], 8));
      }),
      { numRuns: 40 },
    );
  });

  it('gives orthonormal components; transform and inverseTransform are consistent', () => {
    fc.assert(
      fc.property(sizes, ({ n, d, r, k, seed }) => {
        const x = gapped(n, d, r, seed);
        const pca = fitPca(x, k, { solver: 'iterative' });
        const gram = matmul(pca.components, pca.components, false, true).values;
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(gram[i * k + j]).toBeCloseTo(i === j ? 1 : 0, 10);
        // Codes decode onto the component space and encode back to themselves; the codes' variances are the explained ones.
        const z = pca.transform(x);
        const again = pca.transform(pca.inverseTransform(z)).values;
        z.values.forEach((v, i) => expect(again[i]).toBeCloseTo(v, 8));
        for (let j = 0; j < k; j++) {
          let sq = 0;
          for (let i = 0; i < n; i++) sq += z.values[i * k + j] ** 2;
          expect(sq / (n - 1)).toBeCloseTo(pca.explainedVariance[j], 6);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('has the total variance of the definition, Σ (x − mean)² / (n − 1)', () => {
    const x = gapped(30, 9, 3, 4);
    const pca = fitPca(x, 2, { solver: 'iterative' });
    const mean = pca.mean.values;
    let sum = 0;
    x.values.forEach((v, i) => (sum += (v - mean[i % 9]) ** 2));
    expect(pca.totalVariance).toBeCloseTo(sum / 29, 10);
  });

  it('is deterministic, and auto runs it on wide data with few components (float32, the WebAssembly gemm)', () => {
    const x = gapped(24, 256, 4, 9, 'float32');
    const first = fitPca(x, 3, { solver: 'iterative' });
    expect(fitPca(x, 3, { solver: 'iterative' }).components.toArray()).toEqual(first.components.toArray());
    expect(fitPca(x, 3).components.toArray()).toEqual(first.components.toArray());
    const exact = fitPca(x, 3, { solver: 'exact' });
    expect(subspaceGap(first.components, exact.components)).toBeLessThan(1e-6);
    first.explainedVariance.forEach((l, j) => expect(l / exact.explainedVariance[j]).toBeCloseTo(1, 4));
    // Narrow data stays on the exact solver.
    const narrow = gapped(24, 20, 4, 9);
    expect(fitPca(narrow, 3).components.toArray()).toEqual(fitPca(narrow, 3, { solver: 'exact' }).components.toArray());
  });

  it('handles k up to the rank bound: k = n samples in d > n features (the last variance is zero)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 8, max: 30 }), fc.integer({ min: 1, max: 1000 }), (n, d, seed) => {
        const x = randomData(n, d, seed);
        const pca = fitPca(x, n, { solver: 'iterative' });
        const exact = fitPca(x, n, { solver: 'exact' });
        const gram = matmul(pca.components, pca.components, false, true).values;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(gram[i * n + j]).toBeCloseTo(i === j ? 1 : 0, 10);
        pca.explainedVariance.forEach((l, j) => expect(l).toBeCloseTo(exact.explainedVariance[j], 6));
        expect(pca.explainedVariance[n - 1]).toBeCloseTo(0, 8);
      }),
      { numRuns: 30 },
    );
  });

  it('names bad arguments as the exact solver does', () => {
    const iterative = { solver: 'iterative' } as const;
    expect(() => fitPca(randomData(5, 3, 1), 4, iterative)).toThrow(/k must be an integer in \[1, 3\]/);
    expect(() => fitPca(randomData(4, 10, 1), 5, iterative)).toThrow(/k must be an integer in \[1, 4\]/);
    expect(() => fitPca(randomData(5, 3, 1), 0, iterative)).toThrow(/k must be an integer/);
    expect(() => fitPca(tensor([0, 1, 1, 2, Infinity, 0], [3, 2]), 1, iterative)).toThrow(/sample 2 holds Infinity at feature 0/);
  });
});
