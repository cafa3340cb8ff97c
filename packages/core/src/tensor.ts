import ndarray, { type NdArray } from 'ndarray';
import type { FloatArray } from '@aekit/kernels-wasm';
import { backward } from './autodiff.js';
import { checkShape, formatShape, sizeOf, type Shape } from './shape.js';

/** Element type: float32 for training, float64 for checking gradients. */
export type DType = 'float32' | 'float64';

/**
 * How a tensor was computed, for reverse-mode differentiation: its inputs and the
 * vector-Jacobian product that maps its cotangent to theirs. Cleared by `backward()`.
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** Maps the output's cotangent to one cotangent per input (`null` for an input that needs none). */
  readonly vjp: (dy: Tensor) => readonly (Tensor | null)[];
}

export function dtypeOf(values: FloatArray): DType {
  return values instanceof Float64Array ? 'float64' : 'float32';
}

export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/**
 * An n-dimensional array of floats: an `ndarray` view over a contiguous,
 * row-major typed array. Tensors are immutable values freed by garbage
 * collection; there is no `dispose`.
 */
export class Tensor {
  /** The `ndarray` view, for element access with `.get(i, j, ...)`. */
  readonly array: NdArray<FloatArray>;
  /** Whether gradients flow to this tensor (parameters, and everything computed from them). */
  readonly requiresGrad: boolean;
  /** The gradient of the last `backward()`, on leaves that require it. */
  grad: Tensor | null = null;
  /** @internal How this tensor was computed; `null` for leaves and after `backward()`. */
  node: GradNode | null;

  constructor(values: FloatArray, shape: Shape, requiresGrad = false, node: GradNode | null = null) {
    checkShape('tensor', shape);
    if (values.length !== sizeOf(shape)) {
      throw new RangeError(`tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${values.length}`);
    }
    this.array = ndarray(values, [...shape]);
    this.requiresGrad = requiresGrad;
    this.node = node;
  }

  /** The dimensions, outermost first. */
  get shape(): readonly number[] {
    return this.array.shape;
  }

  /** The flat, row-major values. Treat as read-only: tensors are shared, never mutated. */
  get values(): FloatArray {
    return this.array.data;
  }

  get dtype(): DType {
    return dtypeOf(this.array.data);
  }

  get size(): number {
    return this.array.data.length;
  }

  get rank(): number {
    return this.array.shape.length;
  }

  /** The single value of a one-element tensor, as a number. */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item: the tensor has shape ${formatShape(this.shape)}, not one element`);
    return this.array.data[0];
  }

  /**
   * Reverse-mode differentiation from this tensor: fills `.grad` of every
   * parameter it depends on. See `backward` in autodiff for the details.
   */
  backward(cotangent?: Tensor): void {
    backward(this, cotangent);
  }

  /** The values as a plain array (flat, row-major). */
  toArray(): number[] {
    return Array.from(this.array.data);
  }

  toString(): string {
    return `Tensor(${this.dtype}, ${formatShape(this.shape)})`;
  }
}

export interface TensorOptions {
  dtype?: DType;
  /** Marks a leaf whose gradient `backward()` should compute (a parameter). */
  requiresGrad?: boolean;
}

/**
 * Creates a tensor from values and a shape (default: a vector of the values' length).
 *
 * @example
 * const x = tensor([1, 2, 3, 4], [2, 2]);
 */
export function tensor(values: ArrayLike<number>, shape?: Shape, options: TensorOptions = {}): Tensor {
  const dtype = options.dtype ?? (values instanceof Float64Array ? 'float64' : 'float32');
  const data =
    (dtype === 'float32' && values instanceof Float32Array) || (dtype === 'float64' && values instanceof Float64Array)
      ? values
      : dtype === 'float64'
        ? Float64Array.from(values)
        : Float32Array.from(values);
  return new Tensor(data, shape ?? [data.length], options.requiresGrad ?? false);
}

/** A tensor of one value repeated over a shape. */
export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  const data = allocate(options.dtype ?? 'float32', sizeOf(shape));
  if (value !== 0) data.fill(value);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 1, options);
}

/** A rank-0 tensor. */
export function scalar(value: number, options: TensorOptions = {}): Tensor {
  return full([], value, options);
}
