import { record } from '../autodiff.js';
import type { Tensor } from '../tensor.js';

/**
 * The closed set of primitives: every other differentiable function is
 * composed from these, so these are the only backward rules there are.
 */
export type PrimitiveName =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'neg'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'abs'
  | 'sigmoid'
  | 'softplus'
  | 'addScalar'
  | 'mulScalar'
  | 'maximumScalar'
  | 'minimumScalar'
  | 'expand'
  | 'sum'
  | 'reshape'
  | 'matmul'
  | 'transpose'
  | 'slice'
  | 'pad'
  | 'concat'
  | 'max'
  | 'sqrt'
  | 'powScalar'
  | 'conv2d'
  | 'conv2dTranspose'
  | 'convBiasActivation'
  | 'maxPool2d'
  | 'averagePool2d'
  | 'upSampling2d'
  | 'biasAdd'
  | 'biasActivation'
  | 'matmulBiasActivation'
  | 'squaredErrorMean'
  | 'binaryCrossentropyMean';

/** A primitive: its forward computation and its vector-Jacobian product, side by side. */
export interface OpDef<In extends readonly Tensor[], Attrs = undefined> {
  /** Checks the inputs' shapes and computes the output; never records a graph. */
  forward(inputs: In, attrs: Attrs): Tensor;
  /** Cotangents of the inputs given the output's cotangent `dy` (`null` for an input without one). */
  vjp(dy: Tensor, inputs: In, output: Tensor, attrs: Attrs): readonly (Tensor | null)[];
}

/** Runs a primitive and records it for `backward()` when an input requires a gradient. */
export function apply<In extends readonly Tensor[], Attrs>(
  name: PrimitiveName,
  def: OpDef<In, Attrs>,
  inputs: In,
  attrs: Attrs,
): Tensor {
  const output = def.forward(inputs, attrs);
  return record(output, name, inputs, (dy) => def.vjp(dy, inputs, output, attrs));
}
