import type { NdArray } from 'ndarray';
import type { FloatArray, Kernels, ResidentBuffer } from '@aekit/kernels-wasm';
import { backward } from './autodiff.js';
import { kernelsFor } from './backend.js';
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
 * A parameter's second copy, in the memory of the kernels whose optimizer
 * updates it there (see `Tensor.updatableIn`), and which copy is current.
 */
interface Mirror {
  readonly buffer: ResidentBuffer;
  readonly kernels: Kernels;
  /** `'host'`: the host array may have been written since; `'kernels'`: an update in place has not reached the host array yet. */
  current: 'both' | 'host' | 'kernels';
}

/**
 * An n-dimensional array of floats: a contiguous, row-major typed array and its
 * shape, seen as an `ndarray` view through `.array`. Tensors are immutable
 * values freed by garbage collection; there is no `dispose`. The exceptions:
 * what a training step computes inside `withStepMemory` (as `fit` runs each
 * step) may live in the kernels' memory, freed when the step ends; and a
 * parameter that an optimizer updates (the one thing that mutates) may keep
 * a copy there, which its `.values` brings back when read.
 */
export class Tensor {
  #host: FloatArray | null;
  #resident: ResidentBuffer | null;
  #mirror: Mirror | null = null;
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
   * mutated (an optimizer updating a parameter is the exception). A tensor
   * held in a training step's memory is copied out on the first read; after
   * its step has ended, reading it throws. A parameter updated in the
   * kernels' memory is brought up to date on every read: read it again
   * rather than keep the array across training steps.
   */
  get values(): FloatArray {
    const host = this.#host ?? this.#copyOut();
    const mirror = this.#mirror;
    if (mirror !== null) {
      if (mirror.current === 'kernels') mirror.buffer.read(host as Float32Array);
      // Whoever asked may write the array (a weight restore, an optimizer on host values): the kernels' copy is refreshed before its next use.
      mirror.current = 'host';
    }
    return host;
  }

  /**
   * @internal The values where they are, for the kernels: a parameter's copy
   * in the active kernels' memory or a step's resident buffer while it lives
   * (read in place, no copy), else the host array.
   */
  get storage(): Storage {
    const mirror = this.#mirror;
    if (mirror !== null) return mirror.kernels === kernelsFor('float32') ? this.#refreshed(mirror) : this.values;
    const resident = this.#resident;
    return resident !== null && !resident.freed ? resident : this.values;
  }

  /**
   * @internal The values for `kernels` to update in place (an optimizer's
   * step). A float32 parameter is kept in their memory from then on, where
   * the kernels read it without a copy (`storage`); its host array catches up
   * when `.values` is read. Anything else is its host array.
   */
  updatableIn(kernels: Kernels): Storage {
    if (this.dtype !== 'float32' || this.#host === null) return this.values;
    let mirror = this.#mirror;
    if (mirror !== null && mirror.kernels !== kernels) {
      this.#dropMirror();
      mirror = null;
    }
    mirror ??= this.#mirror = { buffer: kernels.residentBuffer(this.size, 'any'), kernels, current: 'host' };
    const buffer = this.#refreshed(mirror);
    mirror.current = 'kernels';
    return buffer;
  }

  /** @internal Brings the host array up to date with the kernels' copy (as a read of `.values` does) while that copy stays current. */
  syncHost(): void {
    const mirror = this.#mirror;
    if (mirror === null || mirror.current !== 'kernels') return;
    mirror.buffer.read(this.#host as Float32Array);
    mirror.current = 'both';
  }

  /** The kernels' copy, first rewritten from the host array if that may have changed. */
  #refreshed(mirror: Mirror): ResidentBuffer {
    if (mirror.current === 'host') {
      mirror.buffer.write(this.#host as Float32Array);
      mirror.current = 'both';
    }
    return mirror.buffer;
  }

  /** Gives up the kernels' copy (another kernels object now updates this parameter), keeping its values. */
  #dropMirror(): void {
    this.syncHost();
    this.#mirror?.buffer.free();
    this.#mirror = null;
  }

  /** @internal The same values, wherever they are, without a copy, as a new tensor with its own gradient flag and graph node. */
  sharing(requiresGrad: boolean, node: GradNode | null): Tensor {
    // A parameter's kernels' copy stays its own: the new tensor shares the (current) host array.
    if (this.#mirror !== null) return new Tensor(this.values, this.shape, requiresGrad, node);
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
    const values = this.values; // brings a parameter's host array up to date, every time
    return (this.#array ??= ndarrayView(values, this.shape));
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
