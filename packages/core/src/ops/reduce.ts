import { normalizeAxes, stridesOf } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { div, equal, mul, mulScalar, neg } from './elementwise.js';
import { expand } from './expand.js';
import { apply, type OpDef } from './primitive.js';
import { reshape } from './reshape.js';
import { scatterAddStrided, scatterMaxStrided } from './strided.js';

interface ReduceAttrs {
  axes: number[];
  keepDims: boolean;
}

/** The output shape with the reduced axes kept as 1. */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

const sumDef: OpDef<[Tensor], ReduceAttrs> = {
  forward([x], { axes, keepDims }) {
    const kept = keptShape(x.shape, axes);
    // Writing every element to its kept-shape offset, with stride 0 on the
    // reduced axes, accumulates exactly the sums.
    const strides = stridesOf(kept).map((s, i) => (axes.includes(i) ? 0 : s));
    const out = allocate(x.dtype, kept.reduce((a, b) => a * b, 1));
    scatterAddStrided(x.shape, x.values, out, strides);
    return new Tensor(out, keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i)));
  },
  // Each input element contributes once to its sum: the cotangent is repeated back.
  vjp: (dy, [x], _out, { axes }) => [expand(reshape(dy, keptShape(x.shape, axes)), x.shape)],
};

const maxDef: OpDef<[Tensor], ReduceAttrs> = {
  forward([x], { axes, keepDims }) {
    if (x.size === 0) throw new RangeError('max: cannot reduce an empty tensor');
    const kept = keptShape(x.shape, axes);
    const strides = stridesOf(kept).map((s, i) => (axes.includes(i) ? 0 : s));
    const out = allocate(x.dtype, kept.reduce((a, b) => a * b, 1)).fill(-Infinity);
    scatterMaxStrided(x.shape, x.values, out, strides);
    return new Tensor(out, keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i)));
  },
  // The cotangent goes to the elements that attain the max, shared equally
  // between ties (the subgradient TensorFlow's reduce_max uses).
  vjp(dy, [x], out, { axes }) {
    const kept = keptShape(x.shape, axes);
    const winners = equal(x, expand(reshape(out, kept), x.shape));
    const share = div(winners, expand(sum(winners, axes, true), x.shape));
    return [mul(expand(reshape(dy, kept), x.shape), share)];
  },
};

export const reducePrimitives = { sum: sumDef, max: maxDef };

/**
 * Sums over `axes` (default: all), dropping them unless `keepDims`.
 *
 * @example
 * sum(tensor([1, 2, 3, 4], [2, 2]), 0); // [4, 6]
 */
export function sum(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return apply('sum', sumDef, [x], { axes: normalizeAxes('sum', axes, x.rank), keepDims });
}

/** The maximum over `axes` (default: all), dropping them unless `keepDims`. */
export function max(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return apply('max', maxDef, [x], { axes: normalizeAxes('max', axes, x.rank), keepDims });
}

/** The minimum over `axes`: `-max(-x)`. */
export function min(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return neg(max(neg(x), axes, keepDims));
}

/** The mean over `axes` (default: all), dropping them unless `keepDims`. */
export function mean(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const list = normalizeAxes('mean', axes, x.rank);
  const count = list.reduce((n, axis) => n * x.shape[axis], 1);
  const total = sum(x, list, keepDims);
  return mulScalar(total, 1 / count);
}
