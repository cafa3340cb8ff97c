import type { Tensor } from '../tensor.js';

/** Updates parameters in place from their `.grad`: the one place where tensors mutate. */
export interface Optimizer {
  /** Applies one update to every parameter that has a gradient. */
  step(params: readonly Tensor[]): void;
  /** The number of updates applied so far. */
  readonly iterations: number;
}

/** Clears the gradients of `params` before the next backward pass. */
export function zeroGrad(params: readonly Tensor[]): void {
  for (const p of params) p.grad = null;
}
