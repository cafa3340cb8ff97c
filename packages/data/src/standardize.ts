import { formatShape, Tensor } from '@aekit/core';

/** A per-feature standardisation fitted by {@link fitStandardizer}. */
export interface Standardizer {
  /** The number of features (the last axis). */
  readonly features: number;
  /** Each feature's mean over the fitting data. */
  readonly mean: Float64Array;
  /**
   * Each feature's population standard deviation (divided by n) over the
   * fitting data, or 1 for a constant feature (see {@link fitStandardizer}).
   */
  readonly std: Float64Array;
  /** `(x - mean) / std` per feature, for any tensor whose last axis is the features; same shape and dtype. */
  transform(x: Tensor): Tensor;
  /** `z * std + mean` per feature: undoes {@link Standardizer.transform}. */
  inverseTransform(z: Tensor): Tensor;
  /** The mean and std as plain arrays, so a run folder can keep them as JSON. */
  toJSON(): { mean: number[]; std: number[] };
}

/**
 * Fits a per-feature standardisation (zero mean, unit variance) to data whose
 * last axis is the features: `[n, features]` rows, or `[windows, size, features]`
 * windows (statistics are taken over every leading axis).
 *
 * Fit it on the training data only and apply the same transform to validation
 * and test data, so nothing about them leaks into training.
 *
 * A constant feature (standard deviation zero, or below 1e-12 of its mean's
 * magnitude, which is rounding noise) gets a std of 1: it is centred but not
 * scaled, rather than divided by (nearly) zero. Sums are taken in float64.
 *
 * @param x - The training data, rank 2 or more, with at least one row; every value finite.
 * @returns The fitted mean, std and transforms.
 * @throws {RangeError} for a rank-1 tensor, no rows, or a non-finite value (naming its row and feature).
 * @example
 * ```ts
 * const scaler = fitStandardizer(train);      // train: [n, 8]
 * const trainZ = scaler.transform(train);
 * const testZ = scaler.transform(test);       // the training mean and std
 * const back = scaler.inverseTransform(testZ); // ≈ test
 * ```
 */
export function fitStandardizer(x: Tensor): Standardizer {
  if (x.rank < 2) {
    throw new RangeError(`fitStandardizer: expected [rows, features] (features on the last axis), got shape ${formatShape(x.shape)}`);
  }
  const features = x.shape[x.rank - 1];
  const rows = x.size / Math.max(features, 1);
  if (rows === 0 || features === 0) {
    throw new RangeError(`fitStandardizer: cannot fit to shape ${formatShape(x.shape)}: it has no values`);
  }
  const v = x.values;
  const mean = new Float64Array(features);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) {
      const value = v[r * features + f];
      if (!Number.isFinite(value)) {
        throw new RangeError(`fitStandardizer: row ${r}, feature ${f} is ${value}; fill or drop missing values first`);
      }
      mean[f] += value;
    }
  }
  for (let f = 0; f < features; f++) mean[f] /= rows;
  // Two passes: the sum of squared deviations does not cancel catastrophically.
  const std = new Float64Array(features);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) {
      const d = v[r * features + f] - mean[f];
      std[f] += d * d;
    }
  }
  for (let f = 0; f < features; f++) {
    const s = Math.sqrt(std[f] / rows);
    std[f] = s > 1e-12 * Math.max(1, Math.abs(mean[f])) ? s : 1;
  }
  return makeStandardizer(mean, std);
}

/**
 * Rebuilds a standardizer from saved statistics (e.g. `JSON.parse` of a saved {@link Standardizer.toJSON}).
 *
 * @throws {RangeError} when the lengths differ or a std is not positive and finite.
 */
export function standardizerFrom(stats: { mean: ArrayLike<number>; std: ArrayLike<number> }): Standardizer {
  if (stats.mean.length !== stats.std.length || stats.mean.length === 0) {
    throw new RangeError(`standardizerFrom: mean has ${stats.mean.length} values and std ${stats.std.length}; expected the same, non-zero count`);
  }
  const mean = Float64Array.from(stats.mean);
  const std = Float64Array.from(stats.std);
  mean.forEach((m, f) => {
    if (!Number.isFinite(m) || !(std[f] > 0) || !Number.isFinite(std[f])) {
      throw new RangeError(`standardizerFrom: feature ${f} has mean ${m} and std ${std[f]}; expected a finite mean and a positive, finite std`);
    }
  });
  return makeStandardizer(mean, std);
}

function makeStandardizer(mean: Float64Array, std: Float64Array): Standardizer {
  const features = mean.length;
  const apply = (name: string, t: Tensor, map: (value: number, f: number) => number): Tensor => {
    if (t.rank < 1 || t.shape[t.rank - 1] !== features) {
      throw new RangeError(`Standardizer.${name}: expected ${features} features on the last axis, got shape ${formatShape(t.shape)}`);
    }
    const out = t.dtype === 'float64' ? new Float64Array(t.size) : new Float32Array(t.size);
    const v = t.values;
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) {
        throw new RangeError(`Standardizer.${name}: row ${Math.floor(i / features)}, feature ${i % features} is ${v[i]}`);
      }
      out[i] = map(v[i], i % features);
    }
    return new Tensor(out, t.shape);
  };
  return {
    features,
    mean,
    std,
    transform: (x) => apply('transform', x, (value, f) => (value - mean[f]) / std[f]),
    inverseTransform: (z) => apply('inverseTransform', z, (value, f) => value * std[f] + mean[f]),
    toJSON: () => ({ mean: Array.from(mean), std: Array.from(std) }),
  };
}
