import { expect } from 'vitest';
import { mul, noGrad, Random, sum, Tensor, valueAndGrad, type Shape } from '@aekit/core';

/**
 * The gradient law for layers, as core's helper for ops: the reverse-mode
 * gradient of <u, f(x)> dotted with a direction v must equal the central finite
 * difference (<u, f(x + hv)> - <u, f(x - hv)>) / 2h, all in float64 (which runs
 * the reference kernels). Directions and the cotangent are drawn from `seed`.
 */
export function checkLayerGradient(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], seed = 0, h = 1e-5): void {
  const rng = new Random(seed);
  const draw = (shape: Shape) => new Tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
  const directions = inputs.map((x) => draw(x.shape));
  const cotangent = draw(noGrad(() => f(...inputs)).shape);
  const { grads } = valueAndGrad((...xs: Tensor[]) => sum(mul(f(...xs), cotangent)))(...inputs);
  expect(grads).toHaveLength(inputs.length);
  const dot = (a: Tensor, b: Tensor) => {
    let s = 0;
    for (let i = 0; i < a.size; i++) s += a.values[i] * b.values[i];
    return s;
  };
  // Each input on its own, so a missing gradient for one weight cannot hide behind another's.
  inputs.forEach((_, k) => {
    const analytic = dot(grads[k], directions[k]);
    const shifted = (sign: number) =>
      inputs.map((x, i) => (i !== k ? x : new Tensor(x.values.map((v, j) => v + sign * h * directions[k].values[j]), x.shape)));
    const at = (sign: number) => noGrad(() => dot(cotangent, f(...shifted(sign))));
    const numeric = (at(1) - at(-1)) / (2 * h);
    expect(Math.abs(numeric), `input ${k} has a zero directional derivative: the check would be vacuous`).toBeGreaterThan(1e-8);
    expect(Math.abs(analytic - numeric), `input ${k}: analytic ${analytic} vs numeric ${numeric}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(numeric)));
  });
}

/** A float64 tensor of `shape` with standard normal values drawn from `seed`. */
export function randomTensor(shape: Shape, seed: number): Tensor {
  const rng = new Random(seed);
  return new Tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
}

/** `t`'s values as float64, for a layer's weights in a gradient check. */
export function toFloat64(t: Tensor): Tensor {
  return new Tensor(Float64Array.from(t.values), t.shape);
}
