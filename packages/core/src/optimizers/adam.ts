import type { FloatArray } from '@aekit/kernels-wasm';
import { formatShape, sameShape } from '../shape.js';
import { allocate, type Tensor } from '../tensor.js';
import type { Optimizer } from './optimizer.js';

export interface AdamOptions {
  /** Step size; Keras's default 1e-3. */
  learningRate?: number;
  /** Decay of the first-moment estimate; default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate; default 0.999. */
  beta2?: number;
  /** Added to the denominator for stability; Keras's default 1e-7 (not PyTorch's 1e-8). */
  epsilon?: number;
}

/**
 * Adam (Kingma and Ba, 2015) in the form Keras implements:
 * `α_t = lr √(1-β2^t) / (1-β1^t)`, `m ← m + (g-m)(1-β1)`, `v ← v + (g²-v)(1-β2)`,
 * `θ ← θ - α_t m / (√v + ε)`. The bias correction is folded into α_t, so ε is
 * not bias-corrected: this matches Keras's trajectory, not PyTorch's.
 */
export class Adam implements Optimizer {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private t = 0;
  private readonly moments = new Map<Tensor, { m: FloatArray; v: FloatArray }>();

  constructor(options: AdamOptions = {}) {
    this.learningRate = options.learningRate ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
  }

  get iterations(): number {
    return this.t;
  }

  step(params: readonly Tensor[]): void {
    this.t += 1;
    const { beta1, beta2, epsilon } = this;
    const alpha = (this.learningRate * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
    for (const p of params) {
      const grad = p.grad;
      if (grad === null) continue;
      if (!sameShape(grad.shape, p.shape)) {
        throw new RangeError(`Adam: a gradient of shape ${formatShape(grad.shape)} for a parameter of shape ${formatShape(p.shape)}`);
      }
      let state = this.moments.get(p);
      if (state === undefined) {
        state = { m: allocate(p.dtype, p.size), v: allocate(p.dtype, p.size) };
        this.moments.set(p, state);
      }
      const { m, v } = state;
      const w = p.values, g = grad.values;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i];
        m[i] += (gi - m[i]) * (1 - beta1);
        v[i] += (gi * gi - v[i]) * (1 - beta2);
        w[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + epsilon);
      }
    }
  }
}

/** Adam with Keras's defaults unless overridden. */
export function adam(options: AdamOptions = {}): Adam {
  return new Adam(options);
}
