import type { FloatArray } from '@aekit/kernels-wasm';
import { kernelsFor } from '../backend.js';
import { dtypeOf } from '../tensor.js';
import { BaseOptimizer, checkNonNegative, checkUnitInterval, type OptimizerOptions } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  /** Step size; Keras's default 1e-3. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the first-moment estimate; default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate; default 0.999. */
  beta2?: number;
  /** Added to the denominator for stability; Keras's default 1e-7 (not PyTorch's 1e-8). */
  epsilon?: number;
}

/** Adam's update, shared by `Adam` and `AdamW`, which differ in name and default weight decay. */
export abstract class AdamBase extends BaseOptimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  protected constructor(name: string, options: AdamOptions) {
    super(name, options, 1e-3);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    checkUnitInterval(name, 'beta1', this.beta1);
    checkUnitInterval(name, 'beta2', this.beta2);
    checkNonNegative(name, 'epsilon', this.epsilon);
  }

  protected slotNames(): readonly string[] {
    return ['momentum', 'velocity'];
  }

  protected update(w: FloatArray, g: ArrayLike<number>, slots: Record<string, FloatArray>, lr: number, step: number): void {
    const { beta1, beta2, epsilon } = this;
    const alpha = (lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
    const dtype = dtypeOf(w);
    // One kernel call per parameter (WebAssembly SIMD for float32); a clipped
    // gradient arrives in float64 scratch and is brought to the parameter's precision.
    const Precision = dtype === 'float32' ? Float32Array : Float64Array;
    const grad = g instanceof Precision ? g : Precision.from(g);
    kernelsFor(dtype).adam(w.length, w, grad, slots.momentum, slots.velocity, alpha, beta1, beta2, epsilon);
  }
}

/**
 * Adam (Kingma and Ba, 2015) in the form Keras implements:
 * `α_t = lr √(1-β2^t) / (1-β1^t)`, `m ← m + (g-m)(1-β1)`, `v ← v + (g²-v)(1-β2)`,
 * `θ ← θ - α_t m / (√v + ε)`. The bias correction is folded into α_t, so ε is
 * not bias-corrected: this matches Keras's trajectory, not PyTorch's.
 */
export class Adam extends AdamBase {
  constructor(options: AdamOptions = {}) {
    super('Adam', options);
  }
}

/**
 * Adam with Keras's defaults unless overridden.
 *
 * @example
 * const opt = adam({ learningRate: 1e-3 });
 * opt.step(params);
 */
export function adam(options: AdamOptions = {}): Adam {
  return new Adam(options);
}
