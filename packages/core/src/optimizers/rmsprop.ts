import type { FloatArray } from '@aekit/kernels-wasm';
import { BaseOptimizer, plainSlot, checkNonNegative, checkUnitInterval, type OptimizerOptions } from './optimizer.js';

export interface RmspropOptions extends OptimizerOptions {
  /** Keras's default 1e-3. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the squared-gradient average; default 0.9. */
  rho?: number;
  /** Momentum on the increments; default 0. */
  momentum?: number;
  /** Added under the square root; Keras's default 1e-7. */
  epsilon?: number;
  /** Divide by the gradient's estimated variance instead of its second moment; default false. */
  centered?: boolean;
}

/**
 * RMSprop (Hinton's lecture 6e) in the form Keras 3 implements
 * (`keras/src/optimizers/rmsprop.py`): `v = rho v + (1-rho) g²`,
 * `increment = lr g / sqrt(v + eps)` (epsilon inside the root, unlike Adam),
 * with `centered` the denominator is `sqrt(v - a² + eps)` where
 * `a = rho a + (1-rho) g`; with momentum `m = momentum m + increment; w -= m`,
 * otherwise `w -= increment`.
 */
export class RMSprop extends BaseOptimizer {
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RmspropOptions = {}) {
    super('RMSprop', options, 1e-3, plainSlot);
    this.rho = options.rho ?? 0.9;
    this.momentum = options.momentum ?? 0;
    this.epsilon = options.epsilon ?? 1e-7;
    this.centered = options.centered ?? false;
    checkUnitInterval('RMSprop', 'rho', this.rho);
    checkUnitInterval('RMSprop', 'momentum', this.momentum);
    checkNonNegative('RMSprop', 'epsilon', this.epsilon);
  }

  protected slotNames(): readonly string[] {
    const names = ['velocity'];
    if (this.momentum > 0) names.push('momentum');
    if (this.centered) names.push('averageGradient');
    return names;
  }

  protected update(w: FloatArray, g: ArrayLike<number>, slots: Record<string, FloatArray>, lr: number): void {
    const { rho, momentum, epsilon, centered } = this;
    const v = slots.velocity, m = slots.momentum, a = slots.averageGradient;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      v[i] = rho * v[i] + (1 - rho) * gi * gi;
      let denominator = v[i] + epsilon;
      if (centered) {
        a[i] = rho * a[i] + (1 - rho) * gi;
        denominator -= a[i] * a[i];
      }
      const increment = (lr * gi) / Math.sqrt(denominator);
      if (momentum > 0) {
        m[i] = momentum * m[i] + increment;
        w[i] -= m[i];
      } else {
        w[i] -= increment;
      }
    }
  }
}

/**
 * RMSprop with Keras's defaults (lr 1e-3, rho 0.9, momentum 0, epsilon 1e-7, not centered) unless overridden.
 *
 * @example
 * const opt = rmsprop({ learningRate: 1e-3, centered: true });
 * opt.step(params);
 */
export function rmsprop(options: RmspropOptions = {}): RMSprop {
  return new RMSprop(options);
}
