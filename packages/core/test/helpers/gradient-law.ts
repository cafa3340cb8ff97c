import fc from 'fast-check';
import { expect } from 'vitest';
import { noGrad, sizeOf, Tensor, valueAndGrad, mul, sum, type Shape } from '@aekit/core';

/**
 * The gradient law: for a function f, inputs x, a direction v and a cotangent u,
 * the reverse-mode gradient of <u, f(x)> dotted with v must equal the central
 * finite difference (<u, f(x + hv)> - <u, f(x - hv)>) / 2h. Everything runs in
 * float64, which routes every op through the reference kernels.
 */

/** Where an op's inputs may be drawn: an interval, minus a margin around kinks. */
export interface Domain {
  min: number;
  max: number;
  /** Points where the function is not differentiable (relu's 0), kept at least `margin` away. */
  kinks?: readonly number[];
  margin?: number;
}

export const anywhere: Domain = { min: -3, max: 3 };
export const positive: Domain = { min: 0.1, max: 3 };

/** Shapes of rank 0 to `maxRank` with dimensions 1 to `maxDim`. */
export function shapeArb(maxRank = 3, maxDim = 5): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: 0, maxLength: maxRank });
}

/** A float64 tensor of `shape` with values in `domain`. */
export function tensorArb(shape: Shape, domain: Domain = anywhere): fc.Arbitrary<Tensor> {
  const margin = domain.margin ?? 1e-2;
  const value = fc
    .double({ min: domain.min, max: domain.max, noNaN: true, noDefaultInfinity: true })
    .filter((x) => (domain.kinks ?? []).every((k) => Math.abs(x - k) > margin));
  return fc
    .array(value, { minLength: sizeOf(shape), maxLength: sizeOf(shape) })
    .map((values) => new Tensor(Float64Array.from(values), shape));
}

/**
 * A float64 tensor whose values are distinct multiples of 1e-3 in [-3, 3], for
 * ops without a derivative at ties (max, max-pooling): finite differences then
 * never cross one. Built distinct rather than filtered, since a filter on random
 * doubles almost never passes for a few hundred values.
 */
export function separatedTensorArb(shape: Shape): fc.Arbitrary<Tensor> {
  const size = sizeOf(shape);
  return fc
    .uniqueArray(fc.integer({ min: -3000, max: 3000 }), { minLength: size, maxLength: size })
    .map((ints) => new Tensor(Float64Array.from(ints, (v) => v / 1000), shape));
}

function dot(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.values[i] * b.values[i];
  return s;
}

function shifted(x: Tensor, direction: Tensor, h: number): Tensor {
  const out = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) out[i] = x.values[i] + h * direction.values[i];
  return new Tensor(out, x.shape);
}

/** Checks the law once for concrete inputs, direction and cotangent. */
export function checkGradient(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  directions: Tensor[],
  cotangent: Tensor,
  h = 1e-5,
): void {
  const { grads } = valueAndGrad((...xs: Tensor[]) => sum(mul(f(...xs), cotangent)))(...inputs);
  const analytic = grads.reduce((s, g, i) => s + dot(g, directions[i]), 0);
  const at = (sign: number) => noGrad(() => dot(cotangent, f(...inputs.map((x, i) => shifted(x, directions[i], sign * h)))));
  const numeric = (at(1) - at(-1)) / (2 * h);
  const tolerance = 1e-6 * (1 + Math.abs(numeric));
  expect(Math.abs(analytic - numeric), `analytic ${analytic} vs numeric ${numeric}`).toBeLessThanOrEqual(tolerance);
}

/**
 * Runs the law as a property: fast-check draws the inputs from `inputsArb`,
 * then a direction per input and a cotangent for the output.
 */
export function gradientLaw(f: (...xs: Tensor[]) => Tensor, inputsArb: fc.Arbitrary<Tensor[]>, numRuns = 60): void {
  const caseArb = inputsArb.chain((inputs) => {
    const outShape = noGrad(() => f(...inputs)).shape;
    return fc.tuple(
      fc.constant(inputs),
      fc.tuple(...inputs.map((x) => tensorArb(x.shape, { min: -1, max: 1 }))),
      tensorArb(outShape, { min: -1, max: 1 }),
    );
  });
  fc.assert(
    fc.property(caseArb, ([inputs, directions, cotangent]) => checkGradient(f, inputs, directions, cotangent)),
    { numRuns },
  );
}

/** One tensor of a random shape. */
export function unaryArb(domain: Domain = anywhere, maxRank = 3): fc.Arbitrary<Tensor[]> {
  return shapeArb(maxRank).chain((shape) => tensorArb(shape, domain).map((x) => [x]));
}

/** Two tensors of one random shape. */
export function binaryArb(a: Domain = anywhere, b: Domain = anywhere): fc.Arbitrary<Tensor[]> {
  return shapeArb().chain((shape) => fc.tuple(tensorArb(shape, a), tensorArb(shape, b)));
}
