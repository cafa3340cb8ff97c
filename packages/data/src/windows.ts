import { formatShape, Tensor } from '@aekit/core';

/** Options for {@link slidingWindows}. */
export interface SlidingWindowOptions {
  /** Time steps per window. */
  size: number;
  /** Time steps between the starts of consecutive windows. Default 1. */
  stride?: number;
  /** Give `[windows, size * features]` (for dense models) instead of `[windows, size, features]`. Default false. */
  flatten?: boolean;
}

/** The windows cut by {@link slidingWindows}. */
export interface SlidingWindows {
  /** `[count, size, features]`, or `[count, size * features]` when flattened (time-major: step 0's features first). */
  windows: Tensor;
  /** The time step each window starts at. */
  starts: Int32Array;
  /** Time steps per window. */
  size: number;
}

/**
 * Cuts a series into fixed-size windows, `size` steps long, starting every
 * `stride` steps: starts `0, stride, 2·stride, …` while a whole window fits
 * (a tail shorter than a window is left out; pick `stride` dividing
 * `time - size` to cover every step).
 *
 * @param series - `[time, features]`, or `[time]` for one feature.
 * @param options - The window size, stride, and whether to flatten each window.
 * @returns The windows (a copy) and the start step of each.
 * @throws {RangeError} for a bad size or stride, or a series shorter than one window.
 * @example
 * ```ts
 * const { windows, starts } = slidingWindows(series, { size: 32, stride: 8 }); // series: [1000, 6]
 * // windows: [122, 32, 6]; starts: 0, 8, 16, …, 968
 * ```
 */
export function slidingWindows(series: Tensor, options: SlidingWindowOptions): SlidingWindows {
  const { size, flatten = false } = options;
  const stride = options.stride ?? 1;
  if (series.rank !== 1 && series.rank !== 2) {
    throw new RangeError(`slidingWindows: expected a series [time, features] or [time], got shape ${formatShape(series.shape)}`);
  }
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`slidingWindows: size must be a positive integer, got ${size}`);
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`slidingWindows: stride must be a positive integer, got ${stride}`);
  const time = series.shape[0];
  const features = series.rank === 2 ? series.shape[1] : 1;
  if (time < size) {
    throw new RangeError(`slidingWindows: the series has ${time} time steps, fewer than one window of ${size}`);
  }
  const count = Math.floor((time - size) / stride) + 1;
  const starts = Int32Array.from({ length: count }, (_, w) => w * stride);
  const span = size * features;
  const out = series.dtype === 'float64' ? new Float64Array(count * span) : new Float32Array(count * span);
  // A window is a contiguous run of the row-major series, so each is one copy.
  starts.forEach((start, w) => out.set(series.values.subarray(start * features, start * features + span), w * span));
  return { windows: new Tensor(out, flatten ? [count, span] : [count, size, features]), starts, size };
}

/**
 * Spreads one score per window back onto the time steps it covers, so window
 * scores can be compared with per-step labels: each step gets the mean (or
 * max) of the scores of the windows that contain it, or NaN if none does.
 *
 * @param scores - One score per window.
 * @param starts - Each window's start step (from {@link slidingWindows}).
 * @param size - Steps per window.
 * @param steps - The series' length.
 * @param reduce - How overlapping windows combine. Default `'mean'`.
 * @throws {RangeError} when the lengths differ or a window runs past `steps`.
 * @example
 * ```ts
 * const perStep = windowScoresToSteps(errors, starts, 32, 1000, 'max');
 * ```
 */
export function windowScoresToSteps(
  scores: ArrayLike<number>,
  starts: ArrayLike<number>,
  size: number,
  steps: number,
  reduce: 'mean' | 'max' = 'mean',
): Float64Array {
  if (scores.length !== starts.length) {
    throw new RangeError(`windowScoresToSteps: ${scores.length} scores for ${starts.length} windows`);
  }
  const sum = new Float64Array(steps).fill(reduce === 'max' ? -Infinity : 0);
  const count = new Int32Array(steps);
  for (let w = 0; w < scores.length; w++) {
    const start = starts[w];
    if (!Number.isInteger(start) || start < 0 || start + size > steps) {
      throw new RangeError(`windowScoresToSteps: window ${w} covers steps ${start}..${start + size - 1}, outside 0..${steps - 1}`);
    }
    for (let t = start; t < start + size; t++) {
      sum[t] = reduce === 'max' ? Math.max(sum[t], scores[w]) : sum[t] + scores[w];
      count[t]++;
    }
  }
  for (let t = 0; t < steps; t++) sum[t] = count[t] === 0 ? Number.NaN : reduce === 'max' ? sum[t] : sum[t] / count[t];
  return sum;
}

/**
 * Puts overlapping windows back together as one series: each step gets the
 * mean of the values the windows covering it hold for it, or NaN where no
 * window covers it. The inverse of {@link slidingWindows} (exactly, for
 * windows cut from a series); on reconstructions or per-element errors it
 * gives a per-step, per-feature result, so a score can say *when* and *which
 * feature* went wrong, not just which window.
 *
 * @param windows - `[count, size, features]`, or `[count, size * features]` with `features` given.
 * @param starts - Each window's start step.
 * @param steps - The series' length.
 * @param features - Features per step, needed for flat windows.
 * @returns The series, `[steps, features]`, with the windows' dtype.
 * @throws {RangeError} for a shape that does not match, or a window outside `[0, steps)`.
 * @example
 * ```ts
 * const { windows, starts } = slidingWindows(z, { size: 32 });
 * const recon = model.predict(windows);
 * const perStep = mergeWindows(square(sub(recon, windows)), starts, z.shape[0]); // [steps, sensors] errors
 * ```
 */
export function mergeWindows(windows: Tensor, starts: ArrayLike<number>, steps: number, features?: number): Tensor {
  const count = windows.shape[0];
  const f = windows.rank === 3 ? windows.shape[2] : features;
  if ((windows.rank !== 3 && windows.rank !== 2) || f === undefined || !Number.isInteger(f) || f < 1 || (windows.rank === 2 && windows.shape[1] % f !== 0)) {
    throw new RangeError(
      `mergeWindows: expected windows [count, size, features], or [count, size * features] with features given, got shape ${formatShape(windows.shape)}${features === undefined ? '' : ` and features ${features}`}`,
    );
  }
  if (starts.length !== count) throw new RangeError(`mergeWindows: ${starts.length} starts for ${count} windows`);
  const size = windows.rank === 3 ? windows.shape[1] : windows.shape[1] / f;
  const span = size * f;
  const sum = new Float64Array(steps * f);
  const covered = new Int32Array(steps);
  const v = windows.values;
  for (let w = 0; w < count; w++) {
    const start = starts[w];
    if (!Number.isInteger(start) || start < 0 || start + size > steps) {
      throw new RangeError(`mergeWindows: window ${w} covers steps ${start}..${start + size - 1}, outside 0..${steps - 1}`);
    }
    for (let i = 0; i < span; i++) sum[start * f + i] += v[w * span + i];
    for (let t = start; t < start + size; t++) covered[t]++;
  }
  const out = windows.dtype === 'float64' ? new Float64Array(steps * f) : new Float32Array(steps * f);
  for (let i = 0; i < out.length; i++) {
    const c = covered[Math.floor(i / f)];
    out[i] = c === 0 ? Number.NaN : sum[i] / c;
  }
  return new Tensor(out, [steps, f]);
}
