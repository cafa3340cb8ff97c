/**
 * A learning rate as a function of the iteration count, as Keras's
 * `LearningRateSchedule`: the optimizer calls it with the number of updates
 * already applied, so the first update reads `schedule(0)`.
 */
export type LearningRateSchedule = (step: number) => number;

/** A fixed learning rate or a schedule. */
export type LearningRate = number | LearningRateSchedule;

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by `decayRate`. */
  decaySteps: number;
  decayRate: number;
  /** Decay in whole multiples of `decaySteps` (a step function) instead of smoothly; default false. */
  staircase?: boolean;
}

/**
 * Exponential decay, as Keras's `ExponentialDecay`:
 * `initialLearningRate * decayRate ^ (step / decaySteps)`, the exponent
 * floored when `staircase` is set.
 *
 * @example
 * const lr = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
 * lr(200); // 0.025
 * const opt = sgd({ learningRate: lr });
 */
export function exponentialDecay(options: ExponentialDecayOptions): LearningRateSchedule {
  const { initialLearningRate, decaySteps, decayRate, staircase = false } = options;
  checkPositive('exponentialDecay', 'decaySteps', decaySteps);
  return (step) => {
    const p = step / decaySteps;
    return initialLearningRate * decayRate ** (staircase ? Math.floor(p) : p);
  };
}

export interface CosineDecayOptions {
  initialLearningRate: number;
  /** Steps over which the rate falls (after any warm-up). */
  decaySteps: number;
  /** The floor, as a fraction of the starting rate; default 0. */
  alpha?: number;
  /** With `warmupSteps`, the rate reached by a linear warm-up from `initialLearningRate`, then decayed. */
  warmupTarget?: number;
  /** Steps of linear warm-up; default 0. */
  warmupSteps?: number;
}

/**
 * Cosine decay (Loshchilov and Hutter's SGDR without restarts), as Keras's
 * `CosineDecay`: `lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decaySteps)) + alpha)`
 * with `s = min(step, decaySteps)`, so the rate stays at `alpha * lr0` after
 * the decay. With a warm-up, the rate rises linearly from `initialLearningRate`
 * to `warmupTarget` over `warmupSteps`, then decays from `warmupTarget`.
 *
 * @example
 * const lr = cosineDecay({ initialLearningRate: 0.1, decaySteps: 100 });
 * lr(50); // 0.05
 */
export function cosineDecay(options: CosineDecayOptions): LearningRateSchedule {
  const { initialLearningRate, decaySteps, alpha = 0, warmupTarget, warmupSteps = 0 } = options;
  checkPositive('cosineDecay', 'decaySteps', decaySteps);
  if (!(warmupSteps >= 0)) throw new RangeError(`cosineDecay: warmupSteps must be non-negative, got ${warmupSteps}`);
  const decay = (s: number, from: number) => from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * s) / decaySteps)) + alpha);
  if (warmupTarget === undefined) return (step) => decay(Math.min(step, decaySteps), initialLearningRate);
  return (step) => {
    const s = Math.min(step, decaySteps + warmupSteps);
    if (s < warmupSteps) return initialLearningRate + ((warmupTarget - initialLearningRate) * s) / warmupSteps;
    return decay(s - warmupSteps, warmupTarget);
  };
}

/**
 * A step function, as Keras's `PiecewiseConstantDecay`: `values[0]` while
 * `step <= boundaries[0]`, `values[i]` while `boundaries[i-1] < step <= boundaries[i]`,
 * and the last value after the last boundary.
 *
 * @param boundaries increasing step counts, one fewer than `values`
 * @example
 * const lr = piecewiseConstantDecay([1000, 2000], [1e-2, 1e-3, 1e-4]);
 * lr(1000); // 1e-2
 * lr(1001); // 1e-3
 */
export function piecewiseConstantDecay(boundaries: readonly number[], values: readonly number[]): LearningRateSchedule {
  if (values.length !== boundaries.length + 1) {
    throw new RangeError(`piecewiseConstantDecay: ${boundaries.length} boundaries need ${boundaries.length + 1} values, got ${values.length}`);
  }
  for (let i = 1; i < boundaries.length; i++) {
    if (!(boundaries[i] > boundaries[i - 1])) throw new RangeError(`piecewiseConstantDecay: boundaries must increase, got [${boundaries.join(', ')}]`);
  }
  const b = [...boundaries];
  const v = [...values];
  return (step) => {
    let i = 0;
    while (i < b.length && step > b[i]) i++;
    return v[i];
  };
}

function checkPositive(schedule: string, what: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${schedule}: ${what} must be a positive number, got ${value}`);
}
