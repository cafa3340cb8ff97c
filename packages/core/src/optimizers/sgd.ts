import type { FloatArray } from '@aekit/kernels-wasm';
import { BaseOptimizer, plainSlot, checkUnitInterval, type OptimizerOptions } from './optimizer.js';

export interface SgdOptions extends OptimizerOptions {
  /** Keras's default 0.01. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Momentum factor in [0, 1]; Keras's default 0 (plain gradient descent). */
  momentum?: number;
  /** Nesterov momentum; default false. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, in the form
 * Keras 3 implements (`keras/src/optimizers/sgd.py`):
 * without momentum `w -= lr g`; with it `v = momentum v - lr g` then
 * `w += v`, or `w += momentum v - lr g` for Nesterov.
 */
export class SGD extends BaseOptimizer {
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SgdOptions = {}) {
    super('SGD', options, 0.01, plainSlot);
    this.momentum = options.momentum ?? 0;
    checkUnitInterval('SGD', 'momentum', this.momentum);
    this.nesterov = options.nesterov ?? false;
  }

  protected slotNames(): readonly string[] {
    // Keras keeps no slot when momentum is 0.
    return this.momentum !== 0 ? ['momentum'] : [];
  }

  protected update(w: FloatArray, g: ArrayLike<number>, slots: Record<string, FloatArray>, lr: number): void {
    const mu = this.momentum;
    if (mu === 0) {
      for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
      return;
    }
    const v = slots.momentum;
    for (let i = 0; i < w.length; i++) {
      const vi = mu * v[i] - lr * g[i];
      v[i] = vi;
      // Read back the stored velocity so a float32 slot and the update agree.
      w[i] += this.nesterov ? mu * v[i] - lr * g[i] : v[i];
    }
  }
}

/**
 * SGD with Keras's defaults (lr 0.01, no momentum) unless overridden.
 *
 * @example
 * const opt = sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 * opt.step(params);
 */
export function sgd(options: SgdOptions = {}): SGD {
  return new SGD(options);
}
