/**
 * The contract every kernel implementation fulfils: few, flat entry points over
 * contiguous row-major buffers plus integer sizes. Kernels know nothing of
 * tensors or gradients; `@aekit/core` builds those on top.
 */

/** A contiguous row-major buffer. The WebAssembly kernels accept `Float32Array` only. */
export type FloatArray = Float32Array | Float64Array;

/**
 * An operand of the kernels that can stay in their memory: a host array, or a
 * {@link ResidentBuffer} of the same kernels, which is read and written where
 * it lives instead of being copied in and out. The dense and convolution
 * layer kernels, max pooling, the losses and Adam take them, so a training
 * step's weights, activations and gradients need not leave WebAssembly memory.
 */
export type Operand = FloatArray | ResidentBuffer;

/** Which implementation is running: WebAssembly with relaxed SIMD, plain SIMD128, or TypeScript. */
export type KernelTier = 'relaxed-simd' | 'simd128' | 'reference';

export interface Kernels {
  /** The tier this implementation runs on. */
  readonly tier: KernelTier;

  /**
   * General matrix multiply: `C = alpha * op(A) * op(B) + beta * C`.
   *
   * `op(A)` is `m x k` and `op(B)` is `k x n`; C is `m x n`. With `transA`, A is
   * stored as `k x m` (so `op(A) = Aᵀ`); with `transB`, B is stored as `n x k`.
   * When `beta` is 0, C is overwritten and its old contents (even NaN) are ignored,
   * as in BLAS.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: FloatArray,
    b: FloatArray,
    beta: number,
    c: FloatArray,
  ): void;

  /**
   * NHWC convolution (cross-correlation): `y[b, oy, ox, o] = sum over ky, kx, i of
   * x[b, oy * sh + ky - padTop, ox * sw + kx - padLeft, i] * filter[ky, kx, i, o]`.
   * Overwrites `y` (`n x oh x ow x f`).
   */
  conv2d(g: ConvGeometry, x: FloatArray, filter: FloatArray, y: FloatArray): void;

  /**
   * The gradient of {@link Kernels.conv2d} with respect to its input: the adjoint
   * of the convolution applied to `dy`, which is also the forward pass of a
   * transposed convolution. Overwrites `dx` (`n x h x w x c`).
   */
  conv2dBackpropInput(g: ConvGeometry, dy: FloatArray, filter: FloatArray, dx: FloatArray): void;

  /**
   * The gradient of {@link Kernels.conv2d} with respect to its filter:
   * `dFilter[ky, kx, i, o] = sum over b, oy, ox of x[b, y, x, i] * dy[b, oy, ox, o]`.
   * Overwrites `dFilter` (`kh x kw x c x f`).
   */
  conv2dBackpropFilter(g: ConvGeometry, x: FloatArray, dy: FloatArray, dFilter: FloatArray): void;

  /**
   * A layer's bias plus activation in one pass over a `rows x cols` matrix:
   * `y[i][j] = act(x[i][j] + bias[j])`, or `act(x[i][j])` when `bias` is null.
   * The WebAssembly sigmoid is a polynomial exp, within a few float32 ulps of
   * the reference where the result is a normal float (|x| <= 87).
   */
  biasActivation(act: FusedActivation, rows: number, cols: number, x: FloatArray, bias: FloatArray | null, y: FloatArray): void;

  /**
   * The backward of {@link Kernels.biasActivation}, from its output `y`:
   * `dx = dy * act'(y)` and, unless `dBias` is null, `dBias[j] = sum over i of dx[i][j]`.
   */
  biasActivationGrad(
    act: FusedActivation,
    rows: number,
    cols: number,
    y: FloatArray,
    dy: FloatArray,
    dx: FloatArray,
    dBias: FloatArray | null,
  ): void;

  /**
   * `sum((p - t)²)` over the first `n` elements, accumulated in float64; unless
   * `dp` is null, also `dp = scale * (p - t)` in the same pass (the gradient a
   * training step needs next, without reading p and t again).
   */
  squaredErrorSum(n: number, p: Operand, t: Operand, scale: number, dp: Operand | null): number;

  /**
   * Binary cross-entropy summed over the first `n` elements,
   * `-sum(t log q + (1 - t) log(1 - q))` with `q = p` clipped to `[epsilon, 1 - epsilon]`
   * (a NaN stays NaN), accumulated in float64; unless `dp` is null, also the
   * gradient times `scale`: `dp = scale ((1 - t) / (1 - q) - t / q)` where the
   * clip lets p through (`epsilon < p <= 1 - epsilon`), else 0. The
   * WebAssembly log is a polynomial within a few float32 ulps.
   */
  binaryCrossentropySum(n: number, p: Operand, t: Operand, epsilon: number, scale: number, dp: Operand | null): number;

  /** `dp = scale * (p - t)` over the first `n` elements. */
  squaredErrorGrad(n: number, p: FloatArray, t: FloatArray, scale: number, dp: FloatArray): void;

  /**
   * Adam's update of one parameter in place, in Keras's form (bias correction
   * folded into `alpha`): `m += (g - m)(1 - beta1)`, `v += (g² - v)(1 - beta2)`,
   * `w -= alpha m / (√v + epsilon)`, over the first `n` elements. A `decay`
   * (AdamW's `weightDecay * lr`; 0 by default) first shrinks the weights,
   * `w -= w * decay`, in the same pass.
   */
  adam(n: number, w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, alpha: number, beta1: number, beta2: number, epsilon: number, decay?: number): void;

  /**
   * A zero-filled float32 buffer of `length` elements that lives in the
   * kernels' own memory between calls, so what a kernel reads and writes every
   * step (an optimizer's moments, a training step's activations) is never
   * copied in or out. Freed by its `free()`, or else when the returned object
   * is garbage-collected. With `contents: 'any'` it holds whatever the memory
   * held: for a buffer written whole before it is read (a kernel's output),
   * which then skips the zero fill.
   */
  residentBuffer(length: number, contents?: 'zeros' | 'any'): ResidentBuffer;

  /**
   * {@link Kernels.adam} over several float32 parameters in one call, each
   * with its moments in resident buffers of its size (from this object's
   * {@link Kernels.residentBuffer}): only host weights and gradients move
   * (resident ones do not), the weights updated in place.
   */
  adamMany(updates: readonly AdamUpdate[], alpha: number, beta1: number, beta2: number, epsilon: number, decay?: number): void;

  /**
   * A dense layer's forward in one call: `y = act(x · w + bias)`, with x
   * `m x k`, w `k x n`, bias `n` (or null) and y `m x n`. The WebAssembly tiers
   * apply the bias and activation to gemm's output before it leaves
   * WebAssembly memory, so the pre-activation never becomes a JS array.
   */
  denseForward(m: number, n: number, k: number, x: Operand, w: Operand, bias: Operand | null, act: FusedActivation, y: Operand): void;

  /**
   * The backward of {@link Kernels.denseForward} from its output y and the
   * cotangent dy: with `dz = dy * act'(y)`, `dW = xᵀ dz`, `dBias` = the column
   * sums of dz, `dx = dz wᵀ`; each is skipped when its buffer is null.
   */
  denseBackward(
    m: number,
    n: number,
    k: number,
    x: Operand,
    w: Operand,
    y: Operand,
    dy: Operand,
    act: FusedActivation,
    dx: Operand | null,
    dW: Operand | null,
    dBias: Operand | null,
  ): void;

  /**
   * A convolution layer's forward in one call: `y = act(conv + bias)`, bias one
   * value per output channel (or null). conv is {@link Kernels.conv2d} (x
   * `n x h x w x c`, y `n x oh x ow x f`) or, when `transposed`, Keras's
   * Conv2DTranspose: {@link Kernels.conv2dBackpropInput} of the convolution `g`
   * (x `n x oh x ow x f`, y `n x h x w x c`). As in
   * {@link Kernels.denseForward}, the WebAssembly tiers apply the bias and
   * activation before the output leaves WebAssembly memory, and any operand
   * may be a resident buffer, read or written in place.
   */
  convForward(g: ConvGeometry, transposed: boolean, x: Operand, filter: Operand, bias: Operand | null, act: FusedActivation, y: Operand): void;

  /**
   * The backward of {@link Kernels.convForward} from its output y and the
   * cotangent dy: with `dz = dy * act'(y)`, `dBias` = the per-channel sums of
   * dz, and dx and dFilter the convolution's gradients at dz (conv2d's input
   * and filter gradients; transposed, conv2d of dz and the filter gradient
   * with dz as the input). Each is skipped when its buffer is null. Operands
   * may be resident buffers, as for convForward; dy is never written.
   */
  convBackward(
    g: ConvGeometry,
    transposed: boolean,
    x: Operand,
    filter: Operand,
    y: Operand,
    dy: Operand,
    act: FusedActivation,
    dx: Operand | null,
    dFilter: Operand | null,
    dBias: Operand | null,
  ): void;

  /**
   * Max pooling over NHWC windows: `y` (`n x oh x ow x c`) gets each window's
   * maximum and `argmax` the flat index into `x` of the element that won (the
   * first on a tie; a NaN wins outright). Padding never wins. x and y may be
   * resident buffers.
   */
  maxPool2d(g: PoolGeometry, x: Operand, y: Operand, argmax: Int32Array): void;

  /** The backward of {@link Kernels.maxPool2d}: overwrites `dx` with zeros, then `dx[argmax[i]] += dy[i]`; dy and dx may be resident buffers. */
  maxPool2dBackprop(g: PoolGeometry, dy: Operand, argmax: Int32Array, dx: Operand): void;

  /** Nearest upsampling by whole factors: `y[b, Y, X, ch] = x[b, floor(Y / fy), floor(X / fx), ch]`. Overwrites `y`. */
  upSampling2d(g: UpSamplingGeometry, x: FloatArray, y: FloatArray): void;

  /** The backward of {@link Kernels.upSampling2d}: each `dx` pixel sums `dy` over its `fy x fx` block. Overwrites `dx`. */
  upSampling2dBackprop(g: UpSamplingGeometry, dy: FloatArray, dx: FloatArray): void;
}

/** A pooling window sweep: {@link ConvGeometry} without the output channels (pooling keeps `c`). */
export type PoolGeometry = Omit<ConvGeometry, 'f'>;

/** Nearest upsampling of an `n x h x w x c` batch by `fy x fx`. */
export interface UpSamplingGeometry {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly fy: number;
  readonly fx: number;
}

/** Floats kept inside a kernel implementation between calls; see {@link Kernels.residentBuffer}. */
export interface ResidentBuffer {
  readonly length: number;
  /** Whether `free()` has been called: a freed buffer refuses every use. */
  readonly freed: boolean;
  /** A copy of the contents: into `into` when given (it must hold exactly `length` floats), else a new array. */
  read(into?: Float32Array): Float32Array;
  /**
   * Overwrites the contents with `values`, which must hold exactly `length`
   * numbers; with an `offset`, overwrites `values.length` elements from there.
   */
  write(values: ArrayLike<number>, offset?: number): void;
  /** Gives the memory back now instead of at garbage collection; idempotent. */
  free(): void;
}

/** Whether `x` is a resident buffer rather than an array (typed or plain): it has no indices, only `read`. */
export function isResidentBuffer(x: unknown): x is ResidentBuffer {
  return typeof x === 'object' && x !== null && !ArrayBuffer.isView(x) && typeof (x as { read?: unknown }).read === 'function';
}

/** Refuses to use a resident buffer after its `free()`. */
export function checkNotFreed(buffer: ResidentBuffer, use: string): void {
  if (buffer.freed) throw new Error(`ResidentBuffer.${use}: the buffer of ${buffer.length} elements was freed`);
}

/** Refuses to read a resident buffer of `length` elements into an array of another length. */
export function checkResidentRead(length: number, into: Float32Array | undefined): void {
  if (into !== undefined && into.length !== length) throw new RangeError(`ResidentBuffer.read: the buffer holds ${length} elements, the target ${into.length}`);
}

/** Refuses a write of the wrong size into a resident buffer of `length` elements (whole, or from `offset`). */
export function checkResidentWrite(length: number, values: ArrayLike<number>, offset?: number): void {
  if (offset === undefined) {
    if (values.length !== length) throw new RangeError(`ResidentBuffer.write: the buffer holds ${length} elements, got ${values.length}`);
  } else if (!Number.isInteger(offset) || offset < 0 || offset + values.length > length) {
    throw new RangeError(`ResidentBuffer.write: ${values.length} elements at offset ${offset} do not fit a buffer of ${length}`);
  }
}

/** One parameter of {@link Kernels.adamMany}: its weights (updated in place, wherever they are), gradient and moments. */
export interface AdamUpdate {
  readonly w: Float32Array | ResidentBuffer;
  readonly g: Float32Array | ResidentBuffer;
  readonly m: ResidentBuffer;
  readonly v: ResidentBuffer;
}

/** The activations {@link Kernels.biasActivation} fuses. */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid';

/** Fused, pooling and upsampling kernels by name, for {@link checkSizes}. */
export type FusedKernelName =
  | 'biasActivation'
  | 'biasActivationGrad'
  | 'squaredErrorSum'
  | 'squaredErrorGrad'
  | 'binaryCrossentropySum'
  | 'adam'
  | 'adamMany'
  | 'denseForward'
  | 'denseBackward'
  | 'convForward'
  | 'convBackward'
  | 'maxPool2d'
  | 'maxPool2dBackprop'
  | 'upSampling2d'
  | 'upSampling2dBackprop';

/**
 * Checks that each buffer holds at least `count` elements (and that the sizes
 * are non-negative integers) before a fused kernel runs; the message names the
 * kernel, the buffer and the sizes.
 *
 * @param sizes the integer sizes by name, e.g. `{ rows, cols }`
 * @param buffers `[name, buffer, elements needed]`; a null buffer is skipped
 */
export function checkSizes(
  op: FusedKernelName,
  sizes: Record<string, number>,
  buffers: readonly (readonly [string, { readonly length: number } | null, number])[],
): void {
  for (const [name, v] of Object.entries(sizes)) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${op}: ${name} must be a non-negative integer, got ${v}`);
  }
  for (const [name, arr, count] of buffers) {
    if (arr !== null && arr.length < count) {
      // Described only when it goes wrong: every kernel call of a training step passes here.
      const described = Object.entries(sizes).map(([k, v]) => `${k} = ${v}`).join(', ');
      throw new RangeError(`${op}: ${name} needs ${count} elements (${described}), got ${arr.length}`);
    }
  }
}

/** Checks an activation name before a fused kernel runs. */
export function checkActivation(op: FusedKernelName, act: string): asserts act is FusedActivation {
  if (act !== 'linear' && act !== 'relu' && act !== 'sigmoid') {
    throw new RangeError(`${op}: activation must be 'linear', 'relu' or 'sigmoid', got '${act}'`);
  }
}

/** Checks the sizes of a gemm call before any kernel runs; the message names what is wrong. */
export function checkGemmArgs(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  transA: boolean,
  transB: boolean,
): void {
  for (const [name, v] of [['m', m], ['n', n], ['k', k]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`gemm: ${name} must be a non-negative integer, got ${v}`);
  }
  const need = (what: string, arr: FloatArray, rows: number, cols: number) => {
    if (arr.length < rows * cols) {
      throw new RangeError(`gemm: ${what} needs ${rows}x${cols} = ${rows * cols} elements, got ${arr.length}`);
    }
  };
  need(transA ? 'A (transposed, k x m)' : 'A (m x k)', a, transA ? k : m, transA ? m : k);
  need(transB ? 'B (transposed, n x k)' : 'B (k x n)', b, transB ? n : k, transB ? k : n);
  need('C (m x n)', c, m, n);
}

/**
 * The geometry of a 2-D convolution over an NHWC batch, resolved by the caller
 * (core's `windowGeometry` applies TensorFlow's `same`/`valid` rules): the input
 * is `n x h x w x c`, the filter `kh x kw x c x f`, the output `n x oh x ow x f`,
 * and output position (oy, ox) reads input rows `oy * sh + ky - padTop` and
 * columns `ox * sw + kx - padLeft`, positions outside the input being zeros.
 */
export interface ConvGeometry {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly oh: number;
  readonly ow: number;
  readonly padTop: number;
  readonly padLeft: number;
  /** Output channels. */
  readonly f: number;
}

/** Which buffers a convolution kernel reads and writes, for the size check. */
export type ConvKernelName = 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter';

/**
 * Checks a convolution's geometry and buffer sizes before any kernel runs; the
 * message names the kernel and what is wrong. `x` is the input-sized buffer,
 * `filter` the filter-sized one and `y` the output-sized one, whichever of them
 * the kernel reads or writes.
 */
export function checkConvArgs(
  op: ConvKernelName | 'convForward' | 'convBackward',
  g: ConvGeometry,
  x: Operand,
  filter: Operand,
  y: Operand,
  names: readonly [string, string, string] = [op === 'conv2dBackpropInput' ? 'dx' : 'x', op === 'conv2dBackpropFilter' ? 'dFilter' : 'filter', op === 'conv2d' ? 'y' : 'dy'],
): void {
  for (const key of ['n', 'h', 'w', 'c', 'kh', 'kw', 'sh', 'sw', 'oh', 'ow', 'f'] as const) {
    const v = g[key];
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${op}: ${key} must be a positive integer, got ${v}`);
  }
  for (const key of ['padTop', 'padLeft'] as const) {
    const v = g[key];
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${op}: ${key} must be a non-negative integer, got ${v}`);
  }
  if (g.padTop >= g.kh || g.padLeft >= g.kw) {
    throw new RangeError(`${op}: padding ${g.padTop}x${g.padLeft} must be smaller than the ${g.kh}x${g.kw} window`);
  }
  const need = (what: string, arr: Operand, dims: number[]) => {
    const count = dims.reduce((a, b) => a * b, 1);
    if (arr.length < count) throw new RangeError(`${op}: ${what} [${dims.join(', ')}] needs ${count} elements, got ${arr.length}`);
  };
  need(names[0], x, [g.n, g.h, g.w, g.c]);
  need(names[1], filter, [g.kh, g.kw, g.c, g.f]);
  need(names[2], y, [g.n, g.oh, g.ow, g.f]);
}

/**
 * A convolution layer's input and output sizes, and its output as `rows` of
 * `channels` (where the bias adds): conv2d's x and y, swapped when
 * `transposed` (a Conv2DTranspose layer runs the convolution's input gradient).
 * Internal: shared by the checks and the tiers.
 */
export function convLayerSizes(g: ConvGeometry, transposed: boolean): { inSize: number; outSize: number; rows: number; channels: number } {
  const xPixels = g.n * g.h * g.w;
  const yPixels = g.n * g.oh * g.ow;
  return transposed
    ? { inSize: yPixels * g.f, outSize: xPixels * g.c, rows: xPixels, channels: g.c }
    : { inSize: xPixels * g.c, outSize: yPixels * g.f, rows: yPixels, channels: g.f };
}

/**
 * A convolution layer's geometry and buffers (see {@link Kernels.convForward}):
 * conv2d's checks with x and y swapped when `transposed`, and a bias of one
 * value per output channel.
 */
function checkConvLayer(op: 'convForward' | 'convBackward', g: ConvGeometry, transposed: boolean, x: Operand, filter: Operand, y: Operand, bias: Operand | null): void {
  // Transposed, the layer's input x has the convolution's output shape and its output y the input shape.
  if (transposed) checkConvArgs(op, g, y, filter, x, ['y', 'filter', 'x']);
  else checkConvArgs(op, g, x, filter, y, ['x', 'filter', 'y']);
  checkSizes(op, { f: g.f, c: g.c }, [['bias', bias, convLayerSizes(g, transposed).channels]]);
}

/** The size checks of the fused kernels, shared by every tier so each refuses the same calls with the same words. */
export const checkFused = {
  biasActivation(act: string, rows: number, cols: number, x: FloatArray, bias: FloatArray | null, y: FloatArray): void {
    checkActivation('biasActivation', act);
    checkSizes('biasActivation', { rows, cols }, [['x', x, rows * cols], ['bias', bias, cols], ['y', y, rows * cols]]);
  },
  biasActivationGrad(act: string, rows: number, cols: number, y: FloatArray, dy: FloatArray, dx: FloatArray, dBias: FloatArray | null): void {
    checkActivation('biasActivationGrad', act);
    checkSizes('biasActivationGrad', { rows, cols }, [['y', y, rows * cols], ['dy', dy, rows * cols], ['dx', dx, rows * cols], ['dBias', dBias, cols]]);
  },
  squaredError(op: 'squaredErrorSum' | 'squaredErrorGrad' | 'binaryCrossentropySum', n: number, p: Operand, t: Operand, dp: Operand | null): void {
    checkSizes(op, { n }, [['p', p, n], ['t', t, n], ['dp', dp, n]]);
  },
  adam(n: number, w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray): void {
    checkSizes('adam', { n }, [['w', w, n], ['g', g, n], ['m', m, n], ['v', v, n]]);
  },
  adamMany(updates: readonly AdamUpdate[]): void {
    updates.forEach(({ w, g, m, v }, i) => {
      for (const [name, x] of [['w', w], ['g', g]] as const) {
        if (!(x instanceof Float32Array) && !isResidentBuffer(x)) {
          throw new TypeError(`adamMany: update ${i}: ${name} must be a Float32Array or a resident buffer, got ${(x as object)?.constructor?.name ?? typeof x}`);
        }
      }
      if (g.length !== w.length || m.length !== w.length || v.length !== w.length) {
        throw new RangeError(`adamMany: update ${i}: w, g, m and v must have the same length, got ${w.length}, ${g.length}, ${m.length} and ${v.length}`);
      }
    });
  },
  residentLength(length: number): void {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`residentBuffer: length must be a non-negative integer, got ${length}`);
  },
  denseForward(m: number, n: number, k: number, x: Operand, w: Operand, bias: Operand | null, act: string, y: Operand): void {
    checkActivation('denseForward', act);
    checkSizes('denseForward', { m, n, k }, [['x', x, m * k], ['w', w, k * n], ['bias', bias, n], ['y', y, m * n]]);
  },
  denseBackward(
    m: number, n: number, k: number, x: Operand, w: Operand, y: Operand, dy: Operand, act: string,
    dx: Operand | null, dW: Operand | null, dBias: Operand | null,
  ): void {
    checkActivation('denseBackward', act);
    checkSizes('denseBackward', { m, n, k }, [
      ['x', x, m * k], ['w', w, k * n], ['y', y, m * n], ['dy', dy, m * n], ['dx', dx, m * k], ['dW', dW, k * n], ['dBias', dBias, n],
    ]);
  },
  convForward(g: ConvGeometry, transposed: boolean, x: Operand, filter: Operand, bias: Operand | null, act: string, y: Operand): void {
    checkActivation('convForward', act);
    checkConvLayer('convForward', g, transposed, x, filter, y, bias);
  },
  convBackward(
    g: ConvGeometry, transposed: boolean, x: Operand, filter: Operand, y: Operand, dy: Operand, act: string,
    dx: Operand | null, dFilter: Operand | null, dBias: Operand | null,
  ): void {
    checkActivation('convBackward', act);
    checkConvLayer('convBackward', g, transposed, x, filter, y, null);
    const { inSize, outSize, channels } = convLayerSizes(g, transposed);
    const sizes = { n: g.n, h: g.h, w: g.w, c: g.c, oh: g.oh, ow: g.ow, f: g.f };
    checkSizes('convBackward', sizes, [
      ['dy', dy, outSize], ['dx', dx, inSize], ['dFilter', dFilter, g.kh * g.kw * g.c * g.f], ['dBias', dBias, channels],
    ]);
  },
  pool(op: 'maxPool2d' | 'maxPool2dBackprop', g: PoolGeometry, x: Operand, y: Operand, argmax: Int32Array): void {
    const { n, h, w, c, kh, kw, sh, sw, oh, ow, padTop, padLeft } = g;
    checkSizes(op, { n, h, w, c, kh, kw, sh, sw, oh, ow, padTop, padLeft }, []);
    for (const [key, v] of Object.entries({ kh, kw, sh, sw })) if (v < 1) throw new RangeError(`${op}: ${key} must be a positive integer, got ${v}`);
    if (padTop >= kh || padLeft >= kw) throw new RangeError(`${op}: padding ${padTop}x${padLeft} must be smaller than the ${kh}x${kw} window`);
    // Every window must hold an input, or its argmax would point nowhere.
    if ((oh - 1) * sh - padTop >= h || (ow - 1) * sw - padLeft >= w) {
      throw new RangeError(`${op}: an output of ${oh}x${ow} with strides ${sh}x${sw} and padding ${padTop}x${padLeft} has windows past a ${h}x${w} input`);
    }
    const out = n * oh * ow * c;
    const dx = op === 'maxPool2d' ? 'x' : 'dx';
    const dy = op === 'maxPool2d' ? 'y' : 'dy';
    checkSizes(op, { n, h, w, c, oh, ow }, [[dx, x, n * h * w * c], [dy, y, out], ['argmax', argmax, out]]);
  },
  upSampling(op: 'upSampling2d' | 'upSampling2dBackprop', g: UpSamplingGeometry, x: FloatArray, y: FloatArray): void {
    const { n, h, w, c, fy, fx } = g;
    checkSizes(op, { n, h, w, c, fy, fx }, []);
    if (fy < 1 || fx < 1) throw new RangeError(`${op}: the factors must be positive, got ${fy}x${fx}`);
    const [small, big] = op === 'upSampling2d' ? ['x', 'y'] : ['dx', 'dy'];
    checkSizes(op, { n, h, w, c, fy, fx }, [[small, x, n * h * w * c], [big, y, n * h * fy * w * fx * c]]);
  },
};
