import { formatShape, matmul, Tensor, type DType } from '@aekit/core';
import { reconstructionErrors } from './anomaly.js';
import { symmetricEigen, topEigen } from './eigen.js';

/** A fitted principal component analysis: the linear autoencoder that PCA is, with its own names. */
export interface Pca {
  /** The number of features d (a sample's values, flattened). */
  readonly inputDim: number;
  /** The number of components k kept (the code size). */
  readonly k: number;
  /** The per-feature mean of the fitting data, `[d]`. */
  readonly mean: Tensor;
  /** The principal axes as orthonormal rows, `[k, d]`, by decreasing variance. */
  readonly components: Tensor;
  /** The variance along each component (eigenvalues of the sample covariance, divisor n − 1), `[k]`. */
  readonly explainedVariance: Float64Array;
  /** Each component's share of the total variance. */
  readonly explainedVarianceRatio: Float64Array;
  /** The total variance (trace of the covariance), kept or not. */
  readonly totalVariance: number;
  /** The codes `(x − mean) · componentsᵀ`, `[n, k]`. */
  transform(x: Tensor): Tensor;
  /** Back from codes to data: `z · components + mean`, `[n, d]`. */
  inverseTransform(z: Tensor): Tensor;
  /** The reconstruction `inverseTransform(transform(x))`, in the shape of `x`: PCA as a model with `predict`. */
  predict(x: Tensor): Tensor;
  /** `transform` under the Autoencoder's name: PCA is the optimal linear autoencoder. */
  encode(x: Tensor): Tensor;
  /** `inverseTransform` under the Autoencoder's name. */
  decode(z: Tensor): Tensor;
  /** Each sample's reconstruction MSE: `reconstructionErrors(pca, x).perSample`, the PCA anomaly score. */
  reconstructionErrors(x: Tensor): Float64Array;
}

/** Options for {@link fitPca}. */
export interface FitPcaOptions {
  /**
   * The dtype of the products with the data (covariance or subspace iteration): default the data's. float32 runs on
   * the WebAssembly gemm (a few seconds for 60,000 MNIST images); float64 is
   * exact to rounding but runs on the much slower TypeScript reference kernel.
   */
  dtype?: DType;
  /**
   * How the eigenvectors are found (default `'auto'`):
   * - `'exact'`: form the d×d covariance and solve it whole (Householder + QL), O(d³).
   * - `'iterative'`: block subspace iteration on k + max(10, k) vectors with Rayleigh-Ritz,
   *   through products with the centred data (or the covariance, when that is
   *   cheaper), O(n·d·k) per iteration; deterministic (seeded start).
   * - `'auto'`: iterative for wide data (d ≥ 256) with few components (k + max(10, k) ≤ d / 4), else exact
   *   (measured: see {@link fitPca}).
   */
  solver?: PcaSolver;
}

/** The eigensolver of {@link fitPca}: see {@link FitPcaOptions.solver}. */
export type PcaSolver = 'exact' | 'iterative' | 'auto';

/** Basis vectors beyond k: max(10, k), since doubling the block for many components cuts the iterations more than it costs (k = 32, d = 2048: 14 → 4). */
const oversampling = (k: number) => Math.max(10, k);
/**
 * The iteration cap of the iterative solver. Data with a spectral gap after the k-th component settles in
 * 4-14 iterations; a near-flat spectrum (isotropic noise) never does, and would take 100 iterations, 17 s,
 * for n = 10,000, d = 2048. At the cap the components are still orthonormal, with their Ritz values (lower
 * bounds of the true variances) as explained variance.
 */
const ITERATION_CAP = 30;
/** Iterations budgeted when choosing data products or the covariance for the iterative solver; the real count depends on the spectrum. */
const EXPECTED_ITERATIONS = 10;

/** Rows of `x` (rank ≥ 2: samples first, features flattened) as a [n, d] view. */
function asRows(where: string, x: Tensor, d?: number): { n: number; d: number } {
  if (x.rank < 2) throw new RangeError(`${where}: expected samples first, [n, ...features], got shape ${formatShape(x.shape)}`);
  const n = x.shape[0];
  const features = x.size / Math.max(n, 1);
  if (d !== undefined && features !== d) {
    throw new RangeError(`${where}: expected ${d} features per sample, got shape ${formatShape(x.shape)} (${features} each)`);
  }
  return { n, d: features };
}

/** `x` as [n, d] of `dtype`, minus `mean` from every row. */
function centered(x: Tensor, n: number, d: number, mean: Float64Array, dtype: DType): Tensor {
  const out = dtype === 'float64' ? new Float64Array(n * d) : new Float32Array(n * d);
  const v = x.values;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) out[row + j] = v[row + j] - mean[j];
  }
  return new Tensor(out, [n, d]);
}

/**
 * Principal component analysis of `x` (`[n, d]`, or `[n, ...]` read as
 * flattened rows), keeping the top `k` components (k ≤ min(n, d)). Two
 * eigensolvers, both deterministic with each component's largest entry
 * positive, so they agree where the components are unique:
 * - exact: the covariance `XcᵀXc / (n − 1)` from one gemm on the centred data,
 *   then a Householder-tridiagonal plus implicit-QL eigensolver in float64,
 *   O(d³) in scalar code;
 * - iterative: block subspace iteration on k + max(10, k) vectors from a seeded
 *   random start, through thin gemms with the centred data (never forming the
 *   d×d covariance unless that is cheaper), with Rayleigh-Ritz, until the top-k
 *   variances settle (relative 1e-6 in float32, 1e-10 in float64) or 30 iterations pass.
 *
 * `auto` (the default) takes the iterative solver when d ≥ 256 and
 * k + max(10, k) ≤ d / 4. Measured for n = 10,000 float32 rows (rank-64 signal
 * plus noise, a 2-core machine under load), exact / iterative: d = 784, k = 2:
 * 10 s / 0.75 s; d = 784, k = 32: 9 s / 2.1 s; d = 2048, k = 2: 186 s / 1.9 s;
 * d = 2048, k = 32: 186 s / 4.6 s; d = 256, k = 2: 1.0 s / 0.44 s; d = 256,
 * k = 32: 2.1 s / 1.1 s; d = 128, k = 2: 0.73 s / 1.0 s. Fit on the training
 * data only, as an autoencoder is trained.
 *
 * @example
 * const pca = fitPca(reshape(train.images, [-1, 784]), 32);
 * const codes = pca.transform(xTest);            // [10000, 32]
 * const mse = reconstructionErrors(pca, xTest);  // per-sample MSE, like an autoencoder's
 */
export function fitPca(x: Tensor, k: number, options: FitPcaOptions = {}): Pca {
  const { n, d } = asRows('fitPca', x);
  if (n < 2) throw new RangeError(`fitPca: needs at least 2 samples, got ${n}`);
  const most = Math.min(n, d);
  if (!Number.isInteger(k) || k < 1 || k > most) {
    throw new RangeError(`fitPca: k must be an integer in [1, ${most}] (at most min(n = ${n} samples, d = ${d} features)), got ${k}`);
  }
  const solver = options.solver ?? 'auto';
  if (solver !== 'exact' && solver !== 'iterative' && solver !== 'auto') {
    throw new RangeError(`fitPca: solver must be 'exact', 'iterative' or 'auto', got ${String(solver)}`);
  }
  const v = x.values;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const value = v[i * d + j];
      if (!Number.isFinite(value)) throw new RangeError(`fitPca: sample ${i} holds ${value} at feature ${j}`);
      mean[j] += value;
    }
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const dtype = options.dtype ?? x.dtype;
  const xc = centered(x, n, d, mean, dtype);
  // The trace in float64 from the centred values, whichever solver runs.
  let totalVariance = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = v[i * d + j] - mean[j];
      totalVariance += c * c;
    }
  }
  totalVariance /= n - 1;
  const iterative = solver === 'iterative' || (solver === 'auto' && d >= 256 && k + oversampling(k) <= d / 4);
  const { values, vectors } = iterative ? iterativeEigen(xc, n, d, k, dtype) : exactEigen(xc, n, d);
  // Rounding can leave the zero eigenvalues of rank-deficient data a hair below zero.
  const explainedVariance = Float64Array.from(values.subarray(0, k), (l) => Math.max(l, 0));
  return pcaFromParts(mean, vectors.slice(0, k * d), explainedVariance, totalVariance, x.dtype);
}

/** The sample covariance XcᵀXc / (n − 1) of the centred rows, one gemm. */
function covariance(xc: Tensor, n: number): Tensor {
  const scatter = matmul(xc, xc, true, false);
  const values = scatter.values;
  for (let i = 0; i < values.length; i++) values[i] /= n - 1;
  return scatter;
}

function exactEigen(xc: Tensor, n: number, d: number): { values: Float64Array; vectors: Float64Array } {
  return symmetricEigen(covariance(xc, n).values, d);
}

/**
 * The top k eigenpairs of the covariance by subspace iteration. The operator is
 * Xcᵀ(Xc·V)/(n − 1), two thin gemms on the data, unless forming the covariance
 * once (n·d² flops) and multiplying by it (d²·p) is cheaper over the iterations.
 */
function iterativeEigen(xc: Tensor, n: number, d: number, k: number, dtype: DType): { values: Float64Array; vectors: Float64Array } {
  const p = Math.min(d, k + oversampling(k));
  const viaData = EXPECTED_ITERATIONS * 2 * n * d * p;
  const viaCovariance = n * d * d + EXPECTED_ITERATIONS * d * d * p;
  const c = viaCovariance < viaData ? covariance(xc, n) : null;
  const block = (vt: Float64Array, rows: number) => new Tensor(dtype === 'float64' ? vt : Float32Array.from(vt), [rows, d]);
  // The operator returns (A·V)ᵀ = VᵀA, p×d, so every block stays row-major without a transpose.
  const multiply = (vt: Float64Array, rows: number): ArrayLike<number> => {
    const b = block(vt, rows);
    if (c) return matmul(b, c).values;
    const w = matmul(xc, b, false, true); // Xc·V, [n, p]
    const y = matmul(w, xc, true, false).values; // (Xcᵀ·Xc·V)ᵀ, [p, d]
    for (let i = 0; i < y.length; i++) y[i] /= n - 1;
    return y;
  };
  // float32 products are only good to about 1e-7 relative, so their Ritz values settle no finer than that.
  return topEigen(multiply, d, k, { oversampling: oversampling(k), tolerance: dtype === 'float64' ? 1e-10 : 1e-6, maxIterations: ITERATION_CAP });
}

function pcaFromParts(mean: Float64Array, components: Float64Array, explainedVariance: Float64Array, totalVariance: number, dtype: DType): Pca {
  const d = mean.length;
  const k = components.length / d;
  const componentTensors = new Map<DType, Tensor>();
  const componentsAs = (t: DType): Tensor => {
    let c = componentTensors.get(t);
    if (!c) componentTensors.set(t, (c = new Tensor(t === 'float64' ? Float64Array.from(components) : Float32Array.from(components), [k, d])));
    return c;
  };
  const transform = (x: Tensor): Tensor => {
    const { n } = asRows('Pca.transform', x, d);
    return matmul(centered(x, n, d, mean, x.dtype), componentsAs(x.dtype), false, true);
  };
  const inverseTransform = (z: Tensor): Tensor => {
    if (z.rank !== 2 || z.shape[1] !== k) throw new RangeError(`Pca.inverseTransform: expected codes of shape [n, ${k}], got ${formatShape(z.shape)}`);
    const out = matmul(z, componentsAs(z.dtype));
    const values = out.values;
    for (let i = 0; i < z.shape[0]; i++) for (let j = 0; j < d; j++) values[i * d + j] += mean[j];
    return out;
  };
  const pca: Pca = {
    inputDim: d,
    k,
    mean: new Tensor(dtype === 'float64' ? Float64Array.from(mean) : Float32Array.from(mean), [d]),
    components: componentsAs(dtype),
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((l) => (totalVariance > 0 ? l / totalVariance : 0)),
    totalVariance,
    transform,
    inverseTransform,
    encode: transform,
    decode: inverseTransform,
    predict: (x: Tensor) => {
      const r = inverseTransform(transform(x));
      return new Tensor(r.values, x.shape);
    },
    reconstructionErrors: (x: Tensor) => reconstructionErrors(pca, x).perSample,
  };
  return pca;
}
