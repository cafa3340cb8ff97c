import type { FloatArray } from '@aekit/kernels-wasm';
import { sizeOf, type Shape } from '../shape.js';

/**
 * The two loops behind broadcasting and reduction. Both walk `shape` in
 * row-major order while a second offset advances by `strides`; a stride of 0
 * repeats (gather) or accumulates (scatter) along that axis. The innermost axis
 * runs as a tight loop; the outer axes advance like an odometer.
 */

/** `dst[i] = src[offset(i)]` for every index i of `shape`, dst contiguous. */
export function gatherStrided(shape: Shape, src: FloatArray, srcStrides: readonly number[], dst: FloatArray): void {
  walk(shape, srcStrides, (d, s, inner, step) => {
    for (let j = 0; j < inner; j++, s += step) dst[d + j] = src[s];
  });
}

/** `dst[offset(i)] += src[i]` for every index i of `shape`, src contiguous. */
export function scatterAddStrided(shape: Shape, src: FloatArray, dst: FloatArray, dstStrides: readonly number[]): void {
  walk(shape, dstStrides, (d, s, inner, step) => {
    for (let j = 0; j < inner; j++, s += step) dst[s] += src[d + j];
  });
}

/** `dst[offset(i)] = max(dst[offset(i)], src[i])`; dst starts at -Infinity. */
export function scatterMaxStrided(shape: Shape, src: FloatArray, dst: FloatArray, dstStrides: readonly number[]): void {
  walk(shape, dstStrides, (d, s, inner, step) => {
    for (let j = 0; j < inner; j++, s += step) {
      const v = src[d + j];
      // NaN wins, so a NaN anywhere in a window is never hidden by the max.
      if (v > dst[s] || v !== v) dst[s] = v;
    }
  });
}

function walk(
  shape: Shape,
  strides: readonly number[],
  row: (contiguousOffset: number, stridedOffset: number, inner: number, innerStride: number) => void,
): void {
  const size = sizeOf(shape);
  if (size === 0) return;
  const rank = shape.length;
  if (rank === 0) {
    row(0, 0, 1, 0);
    return;
  }
  const inner = shape[rank - 1];
  const innerStride = strides[rank - 1];
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let d = 0; d < size; d += inner) {
    row(d, offset, inner, innerStride);
    for (let axis = rank - 2; axis >= 0; axis--) {
      offset += strides[axis];
      if (++counter[axis] < shape[axis]) break;
      offset -= strides[axis] * shape[axis];
      counter[axis] = 0;
    }
  }
}
