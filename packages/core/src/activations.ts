import { stopGradient } from './autodiff.js';
import { add, div, exp, log, max, maximumScalar, minimumScalar, mulScalar, sigmoid, softplus, sub, sum } from './ops/index.js';
import type { Tensor } from './tensor.js';

// Composites: each is built from primitives, so its gradient needs no rule of its own.

/** `max(x, 0)`; the gradient at 0 is taken as 0. */
export const relu = (x: Tensor): Tensor => maximumScalar(x, 0);

/** The identity, for layers without an activation. */
export const linear = (x: Tensor): Tensor => x;


/** `tanh x = 2 sigmoid(2x) - 1`, which inherits sigmoid's stability. */
export const tanh = (x: Tensor): Tensor => sub(mulScalar(sigmoid(mulScalar(x, 2)), 2), 1);

/** `x` for x > 0, `alpha x` below (Keras's default alpha 0.3 for LeakyReLU). */
export const leakyRelu = (x: Tensor, alpha = 0.3): Tensor => add(maximumScalar(x, 0), mulScalar(minimumScalar(x, 0), alpha));

/** `x` for x > 0, `alpha (e^x - 1)` below; exp only ever sees x <= 0, so it cannot overflow. */
export const elu = (x: Tensor, alpha = 1): Tensor => add(maximumScalar(x, 0), mulScalar(sub(exp(minimumScalar(x, 0)), 1), alpha));

/** Scaled ELU (Klambauer et al. 2017) with its self-normalising constants. */
export const selu = (x: Tensor): Tensor => mulScalar(elu(x, 1.6732632423543772), 1.0507009873554805);

/**
 * `e^x / sum(e^x)` over `axis`. The max is subtracted first so exp never
 * overflows; softmax does not change under a shift, so no gradient is lost by
 * treating that max as a constant.
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const e = exp(sub(x, stopGradient(max(x, axis, true))));
  return div(e, sum(e, axis, true));
}

/** `log softmax(x)` over `axis`, computed as `x - max - log(sum(e^(x - max)))`: finite for any x. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const shifted = sub(x, stopGradient(max(x, axis, true)));
  return sub(shifted, log(sum(exp(shifted), axis, true)));
}

export { sigmoid, softplus };

/** Activation functions by their Keras names. */
export const activations = { relu, sigmoid, linear, softplus, tanh, elu, selu, leakyRelu, softmax } as const;

export type ActivationName = keyof typeof activations;

/** Looks up an activation by name, with an error that lists the known ones. */
export function activation(name: ActivationName): (x: Tensor) => Tensor {
  const fn = (activations as Record<string, (x: Tensor) => Tensor>)[name];
  if (fn === undefined) {
    throw new RangeError(`activation: unknown activation '${name}'; known: ${Object.keys(activations).join(', ')}`);
  }
  return fn;
}

