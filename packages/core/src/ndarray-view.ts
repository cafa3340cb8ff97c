import type { NdArray } from 'ndarray';
import type { FloatArray } from '@aekit/kernels-wasm';
import { maxRank, procedures } from './ndarray-views.generated.js';
import { formatShape, stridesOf } from './shape.js';
import type { DType } from './tensor.js';

/** A view class's factory, as ndarray caches it: `construct(data, shape, stride, offset)`. */
type Construct = (data: FloatArray, shape: readonly number[], stride: readonly number[], offset: number) => NdArray<FloatArray>;

/** The highest rank `ndarrayView` builds; a higher one has no compiled class. */
export const MAX_VIEW_RANK: number = maxRank;

// ndarray's `order` getter for rank 4 and up: the axes from the smallest |stride| to the largest.
function order(this: { stride: number[] }): number[] {
  return this.stride
    .map((s, i) => [Math.abs(s), i] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, i]) => i);
}

const constructors: Partial<Record<DType, Construct[]>> = {};

// ndarray's cache for one element type, filled as ndarray fills it: the empty
// view at 0, then rank r at r + 1 (each class's `pick` indexes this list).
function constructorsFor(dtype: DType): Construct[] {
  const cached = constructors[dtype];
  if (cached) return cached;
  const [empty, scalar, ...ranked] = procedures[dtype] as unknown as ((...args: unknown[]) => Construct)[];
  const list: Construct[] = [];
  list.push(empty());
  list.push(scalar(list[0]));
  for (const procedure of ranked) list.push(procedure(list, order));
  constructors[dtype] = list;
  return list;
}

/**
 * An `ndarray` view of contiguous row-major values, exactly what
 * `ndarray(data, shape)` returns (the same classes, with `get`, `set`, `pick`,
 * `hi`, `lo`, `step`, `transpose`), built without `new Function`: ndarray's
 * classes are compiled ahead of time (scripts/ndarray-views.mjs), so views also
 * work under a Content-Security-Policy that forbids `unsafe-eval`.
 *
 * @example
 * ndarrayView(new Float32Array([1, 2, 3, 4]), [2, 2]).get(1, 0); // 3
 */
export function ndarrayView(data: FloatArray, shape: readonly number[]): NdArray<FloatArray> {
  if (shape.length > maxRank) {
    throw new RangeError(`ndarray view: rank ${shape.length} (shape ${formatShape(shape)}) is above the highest compiled rank ${maxRank}; use .values and .shape`);
  }
  const dtype: DType = data instanceof Float64Array ? 'float64' : 'float32';
  return constructorsFor(dtype)[shape.length + 1](data, shape, stridesOf(shape), 0);
}
