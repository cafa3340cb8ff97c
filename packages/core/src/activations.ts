import { maximumScalar, mulScalar, sigmoid, softplus, sub } from './ops/index.js';
import type { Tensor } from './tensor.js';

// Composites: each is built from primitives, so its gradient needs no rule of its own.

/** `max(x, 0)`; the gradient at 0 is taken as 0. */
export const relu = (x: Tensor): Tensor => maximumScalar(x, 0);

/** The identity, for layers without an activation. */
export const linear = (x: Tensor): Tensor => x;


/** `tanh x = 2 sigmoid(2x) - 1`, which inherits sigmoid's stability. */
export const tanh = (x: Tensor): Tensor => sub(mulScalar(sigmoid(mulScalar(x, 2)), 2), 1);

export { sigmoid, softplus };

/** Activation functions by their Keras names. */
export const activations = { relu, sigmoid, linear, softplus, tanh } as const;

export type ActivationName = keyof typeof activations;

/** Looks up an activation by name, with an error that lists the known ones. */
export function activation(name: ActivationName): (x: Tensor) => Tensor {
  const fn = (activations as Record<string, (x: Tensor) => Tensor>)[name];
  if (fn === undefined) {
    throw new RangeError(`activation: unknown activation '${name}'; known: ${Object.keys(activations).join(', ')}`);
  }
  return fn;
}

