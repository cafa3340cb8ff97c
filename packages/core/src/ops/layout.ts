import { formatShape, sizeOf, stridesOf } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { apply, type OpDef } from './primitive.js';
import { gatherStrided, scatterAddStrided } from './strided.js';

// Ops that move values without arithmetic. Each forward is one strided loop,
// and the vjps pair up: slice and pad undo each other, a permutation is undone
// by its inverse, concat is undone by slices.

/** The flat offset of a multi-index. */
function offsetOf(index: readonly number[], strides: readonly number[]): number {
  return index.reduce((sum, i, axis) => sum + i * strides[axis], 0);
}

function checkAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new RangeError(`${op}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

// ---------------------------------------------------------------------------

const transposeDef: OpDef<[Tensor], number[]> = {
  forward([x], perm) {
    const shape = perm.map((p) => x.shape[p]);
    const strides = stridesOf(x.shape);
    const out = allocate(x.dtype, x.size);
    gatherStrided(shape, x.values, perm.map((p) => strides[p]), out);
    return new Tensor(out, shape);
  },
  // A permutation is undone by its inverse.
  vjp: (dy, _x, _out, perm) => [transpose(dy, inversePermutation(perm))],
};

function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return inverse;
}

/**
 * Permutes the axes: output axis i is input axis `perm[i]` (default: reversed).
 *
 * @example
 * transpose(tensor([1, 2, 3, 4, 5, 6], [2, 3])).shape; // [3, 2]
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ? [...perm] : x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new RangeError(`transpose: [${p.join(', ')}] is not a permutation of the ${x.rank} axes of ${formatShape(x.shape)}`);
  }
  return apply('transpose', transposeDef, [x], p);
}

// ---------------------------------------------------------------------------

interface SliceAttrs {
  begin: number[];
  size: number[];
}

const sliceDef: OpDef<[Tensor], SliceAttrs> = {
  forward([x], { begin, size }) {
    const strides = stridesOf(x.shape);
    const out = allocate(x.dtype, sizeOf(size));
    gatherStrided(size, x.values.subarray(offsetOf(begin, strides)), strides, out);
    return new Tensor(out, size);
  },
  // The slice's cotangent lands back in its window; everything outside gets 0.
  vjp: (dy, [x], _out, { begin, size }) => [pad(dy, begin, x.shape.map((d, i) => d - begin[i] - size[i]))],
};

/**
 * The window of `x` starting at `begin` with extent `size` (-1: to the end), as `tf.slice`.
 *
 * @example
 * slice(images, [0, 0], [6, -1]); // the first six rows
 */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  if (begin.length !== x.rank) throw new RangeError(`slice: begin [${begin.join(', ')}] has ${begin.length} entries for a tensor of rank ${x.rank}`);
  const extent = x.shape.map((d, i) => {
    const s = size?.[i] ?? -1;
    return s === -1 ? d - begin[i] : s;
  });
  x.shape.forEach((d, i) => {
    if (!Number.isInteger(begin[i]) || begin[i] < 0 || extent[i] < 0 || begin[i] + extent[i] > d) {
      throw new RangeError(
        `slice: window begin [${begin.join(', ')}] size [${extent.join(', ')}] does not fit in ${formatShape(x.shape)} (axis ${i})`,
      );
    }
  });
  return apply('slice', sliceDef, [x], { begin: [...begin], size: extent });
}

/** The first `count` samples (rows of axis 0) of a batch. */
export function takeFirst(x: Tensor, count: number): Tensor {
  return slice(x, x.shape.map(() => 0), [count, ...x.shape.slice(1).map(() => -1)]);
}

// ---------------------------------------------------------------------------

interface PadAttrs {
  before: number[];
  after: number[];
}

const padDef: OpDef<[Tensor], PadAttrs> = {
  forward([x], { before, after }) {
    const shape = x.shape.map((d, i) => before[i] + d + after[i]);
    const strides = stridesOf(shape);
    const out = allocate(x.dtype, sizeOf(shape));
    scatterAddStrided(x.shape, x.values, out.subarray(offsetOf(before, strides)), strides);
    return new Tensor(out, shape);
  },
  // Padding only adds constants: the cotangent of x is the window it landed in.
  vjp: (dy, [x], _out, { before }) => [slice(dy, before, x.shape)],
};

/**
 * Pads with zeros: `before[i]` and `after[i]` values on either side of axis i.
 *
 * @example
 * pad(images, [0, 2, 2, 0], [0, 2, 2, 0]); // [n, 28, 28, 1] -> [n, 32, 32, 1]
 */
export function pad(x: Tensor, before: readonly number[], after: readonly number[]): Tensor {
  if (before.length !== x.rank || after.length !== x.rank) {
    throw new RangeError(`pad: needs ${x.rank} before and after amounts for ${formatShape(x.shape)}, got ${before.length} and ${after.length}`);
  }
  if ([...before, ...after].some((p) => !Number.isInteger(p) || p < 0)) {
    throw new RangeError(`pad: amounts must be non-negative integers, got [${before.join(', ')}] and [${after.join(', ')}]`);
  }
  return apply('pad', padDef, [x], { before: [...before], after: [...after] });
}

/** Removes `before[i]` and `after[i]` values from either side of axis i: the inverse of `pad`, as Keras's Cropping layers. */
export function crop(x: Tensor, before: readonly number[], after: readonly number[]): Tensor {
  return slice(x, before, x.shape.map((d, i) => d - before[i] - after[i]));
}

// ---------------------------------------------------------------------------

const concatDef: OpDef<Tensor[], number> = {
  forward(inputs, axis) {
    const shape = [...inputs[0].shape];
    shape[axis] = inputs.reduce((n, t) => n + t.shape[axis], 0);
    const strides = stridesOf(shape);
    const out = allocate(inputs[0].dtype, sizeOf(shape));
    let start = 0;
    for (const t of inputs) {
      scatterAddStrided(t.shape, t.values, out.subarray(start * strides[axis]), strides);
      start += t.shape[axis];
    }
    return new Tensor(out, shape);
  },
  // Each input's cotangent is its own window of the output's.
  vjp(dy, inputs, _out, axis) {
    let start = 0;
    return inputs.map((t) => {
      const begin = t.shape.map((_, i) => (i === axis ? start : 0));
      start += t.shape[axis];
      return t.requiresGrad ? slice(dy, begin, t.shape) : null;
    });
  },
};

/**
 * Joins tensors along `axis`; every other dimension must agree.
 *
 * @example
 * concat([mean, logVar], 1); // [batch, 2 * latent]
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new RangeError('concat: needs at least one tensor');
  const first = tensors[0];
  const a = checkAxis('concat', axis, first.rank);
  tensors.forEach((t, k) => {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new RangeError(`concat: tensor ${k} has shape ${formatShape(t.shape)}, which does not match ${formatShape(first.shape)} off axis ${a}`);
    }
    if (t.dtype !== first.dtype) throw new TypeError(`concat: tensor ${k} is ${t.dtype}, not ${first.dtype}`);
  });
  return apply('concat', concatDef, [...tensors], a);
}

export const layoutPrimitives = { transpose: transposeDef, slice: sliceDef, pad: padDef, concat: concatDef };

