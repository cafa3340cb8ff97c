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
    expect(() => fitPca(x, 4)).toThrow(/k must be an integer in \[1, 3\], got 4/);
    expect(() => fitPca(randomData(1, 3, 1), 1)).toThrow(/at least 2 samples, got 1/);
    expect(() => fitPca(tensor([1, 2, 3]), 1)).toThrow(/samples first/);
    expect(() => fitPca(tensor([0, NaN, 1, 2], [2, 2]), 1)).toThrow(/sample 0 holds NaN at feature 1/);
    const pca = fitPca(x, 2);
    expect(() => pca.transform(tensor([1, 2], [1, 2]))).toThrow(/expected 3 features per sample, got shape \[1, 2\]/);
    expect(() => pca.inverseTransform(tensor([1, 2, 3], [1, 3]))).toThrow(/expected codes of shape \[n, 2\], got \[1, 3\]/);
  });
});
