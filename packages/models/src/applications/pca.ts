import { formatShape, matmul, Tensor, type DType } from '@aekit/core';
import { reconstructionErrors } from './anomaly.js';
import { symmetricEigen } from './eigen.js';

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
   * The dtype of the covariance product: default the data's. float32 runs on
   * the WebAssembly gemm (a few seconds for 60,000 MNIST images); float64 is
   * exact to rounding but runs on the much slower TypeScript reference kernel.
   */
  dtype?: DType;
}

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
 * flattened rows), keeping the top `k` components. The covariance `XcᵀXc / (n − 1)`
 * comes from one gemm on the centred data; its eigenvectors from a
 * Householder-tridiagonal plus implicit-QL eigensolver in float64, direct and
 * deterministic (each component's largest entry is positive): about 2 s for
 * d = 784, plus a few seconds of gemm for 60,000 MNIST images. Fit on the
 * training data only, as an autoencoder is trained.
 *
 * @example
 * const pca = fitPca(reshape(train.images, [-1, 784]), 32);
 * const codes = pca.transform(xTest);            // [10000, 32]
 * const mse = reconstructionErrors(pca, xTest);  // per-sample MSE, like an autoencoder's
 */
export function fitPca(x: Tensor, k: number, options: FitPcaOptions = {}): Pca {
  const { n, d } = asRows('fitPca', x);
  if (n < 2) throw new RangeError(`fitPca: needs at least 2 samples, got ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > d) throw new RangeError(`fitPca: k must be an integer in [1, ${d}], got ${k}`);
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
  const scatter = matmul(xc, xc, true, false).values;
  const covariance = Float64Array.from(scatter, (s) => s / (n - 1));
  let totalVariance = 0;
  for (let j = 0; j < d; j++) totalVariance += covariance[j * d + j];
  const { values, vectors } = symmetricEigen(covariance, d);
  // Rounding can leave the zero eigenvalues of rank-deficient data a hair below zero.
  const explainedVariance = Float64Array.from(values.subarray(0, k), (l) => Math.max(l, 0));
  return pcaFromParts(mean, vectors.slice(0, k * d), explainedVariance, totalVariance, x.dtype);
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
