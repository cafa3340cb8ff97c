import type { NdArray } from 'ndarray';
import type { FloatArray, ResidentBuffer } from '@aekit/kernels-wasm';
import { backward } from './autodiff.js';
import { ndarrayView } from './ndarray-view.js';
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

/**
 * Where a tensor's values live: a host typed array, or a resident buffer in
 * the float32 kernels' memory (an intermediate of a training step, see
 * `withStepMemory`), copied out only if something reads `.values`.
 */
export type Storage = FloatArray | ResidentBuffer;

export function dtypeOf(values: FloatArray): DType {
  return values instanceof Float64Array ? 'float64' : 'float32';
}

export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/**
 * An n-dimensional array of floats: a contiguous, row-major typed array and its
 * shape, seen as an `ndarray` view through `.array`. Tensors are immutable
 * values freed by garbage collection; there is no `dispose`. The one
 * exception: what a training step computes inside `withStepMemory` (as `fit`
 * runs each step) may live in the kernels' memory, freed when the step ends.
 */
export class Tensor {
  #host: FloatArray | null;
  #resident: ResidentBuffer | null;
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** The dimensions, outermost first. */
  readonly shape: readonly number[];
  /** Whether gradients flow to this tensor (parameters, and everything computed from them). */
  readonly requiresGrad: boolean;
  /** The gradient of the last `backward()`, on leaves that require it. */
  grad: Tensor | null = null;
  /** @internal How this tensor was computed; `null` for leaves and after `backward()`. */
  node: GradNode | null;
  #array: NdArray<FloatArray> | undefined;

  constructor(values: Storage, shape: Shape, requiresGrad = false, node: GradNode | null = null) {
    checkShape('tensor', shape);
    if (values.length !== sizeOf(shape)) {
      throw new RangeError(`tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${values.length}`);
    }
    if (ArrayBuffer.isView(values)) {
      this.#host = values;
      this.#resident = null;
      this.dtype = dtypeOf(values);
    } else {
      this.#host = null;
      this.#resident = values;
      this.dtype = 'float32';
    }
    this.size = values.length;
    this.shape = [...shape];
    this.requiresGrad = requiresGrad;
    this.node = node;
  }

  /**
   * The flat, row-major values. Treat as read-only: tensors are shared, never
   * mutated. A tensor held in a training step's memory is copied out on the
   * first read; after its step has ended, reading it throws.
   */
  get values(): FloatArray {
    return this.#host ?? this.#copyOut();
  }

  /**
   * @internal The values where they are, for the kernels: the resident buffer
   * while it lives (read in place, no copy), else the host array.
   */
  get storage(): Storage {
    const resident = this.#resident;
    return resident !== null && !resident.freed ? resident : this.values;
  }

  /** @internal The same values, wherever they are, without a copy, as a new tensor with its own gradient flag and graph node. */
  sharing(requiresGrad: boolean, node: GradNode | null): Tensor {
    const copy = new Tensor(this.storage, this.shape, requiresGrad, node);
    copy.#host = this.#host;
    return copy;
  }

  #copyOut(): FloatArray {
    const resident = this.#resident as ResidentBuffer;
    if (resident.freed) {
      throw new Error(
        `tensor: this ${formatShape(this.shape)} tensor was computed inside a training step, whose memory was freed when the step ended; ` +
          'read its values inside the step (for example in the objective), or compute it again outside training',
      );
    }
    return (this.#host = resident.read());
  }

  /**
   * The `ndarray` view over the values, for element access with `.get(i, j, ...)`.
   * Made on first use (ops work on `values` and `shape`), from ndarray's classes
   * compiled ahead of time, so it also works where a Content-Security-Policy forbids `eval`.
   */
  get array(): NdArray<FloatArray> {
    return (this.#array ??= ndarrayView(this.values, this.shape));
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The single value of a one-element tensor, as a number. */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item: the tensor has shape ${formatShape(this.shape)}, not one element`);
    return this.values[0];
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
    return Array.from(this.values);
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
