import { AdamBase, type AdamOptions } from './adam.js';

export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay; Keras's default 0.004. */
  weightDecay?: number;
}

/**
 * AdamW (Loshchilov and Hutter, 2019) as Keras 3 implements it: Adam's update,
 * preceded on each step by the decoupled decay `w -= w * weightDecay * lr`
 * (the decay is multiplied by the learning rate, not by a separate schedule).
 */
export class AdamW extends AdamBase {
  constructor(options: AdamWOptions = {}) {
    super('AdamW', { ...options, weightDecay: options.weightDecay ?? 0.004 });
  }
}

/**
 * AdamW with Keras's defaults (lr 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7, weight decay 0.004) unless overridden.
 *
 * @example
 * const opt = adamw({ weightDecay: 0.01 });
 * opt.step(params);
 */
export function adamw(options: AdamWOptions = {}): AdamW {
  return new AdamW(options);
}
