import type { ConvGeometry, FusedActivation } from '@aekit/kernels-wasm';
import { kernelsFor } from '../backend.js';
import { formatShape } from '../shape.js';
import { outputStorage } from '../step-memory.js';
import { allocate, Tensor, type Storage } from '../tensor.js';
import { checkFusedActivation } from './fused.js';
import { apply, type OpDef } from './primitive.js';

// Convolution and pooling over NHWC images, with TensorFlow's conventions for
// shapes and padding. The three convolution kernels (forward, input gradient,
// filter gradient) come from kernels-wasm: im2col plus gemm in WebAssembly for
// float32, plain loops for float64. Conv2DTranspose's forward is conv2d's input
// gradient and its gradients are conv2d and its filter gradient, so the same
// three kernels serve the encoder and the decoder. Max pooling (with its
// argmax) and nearest upsampling are kernels too: in TypeScript, max pooling's
// window walk was about 10% of the convolutional autoencoder's training step.

export type Padding = 'same' | 'valid';

/** Where a sliding window of size k with stride s lands on an axis of length n. */
interface AxisGeometry {
  /** Output length. */
  out: number;
  /** Zeros implicitly added before the first input value. */
  padBefore: number;
}

/** TensorFlow's rule: `valid` keeps whole windows; `same` gives ceil(n / s) outputs, padding evenly with the extra on the far side. */
export function windowGeometry(n: number, k: number, s: number, padding: Padding): AxisGeometry {
  if (padding === 'valid') return { out: Math.max(Math.floor((n - k) / s) + 1, 0), padBefore: 0 };
  const out = Math.ceil(n / s);
  const padTotal = Math.max((out - 1) * s + k - n, 0);
  return { out, padBefore: Math.floor(padTotal / 2) };
}

/** The geometry of a 2-D window sweep over an NHWC batch. */
interface Sweep {
  n: number;
  h: number;
  w: number;
  c: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  oh: number;
  ow: number;
  padTop: number;
  padLeft: number;
}

function sweepOver(op: string, shape: readonly number[], kh: number, kw: number, strides: [number, number], padding: Padding): Sweep {
  if (shape.length !== 4) throw new RangeError(`${op}: expected an NHWC batch [n, height, width, channels], got ${formatShape(shape)}`);
  const [n, h, w, c] = shape;
  const [sh, sw] = strides;
  if (![kh, kw, sh, sw].every((v) => Number.isInteger(v) && v > 0)) {
    throw new RangeError(`${op}: window ${kh}x${kw} and strides ${sh}x${sw} must be positive integers`);
  }
  const rows = windowGeometry(h, kh, sh, padding);
  const cols = windowGeometry(w, kw, sw, padding);
  if (rows.out === 0 || cols.out === 0) {
    throw new RangeError(`${op}: a ${kh}x${kw} window with '${padding}' padding does not fit an input of ${h}x${w}`);
  }
  return { n, h, w, c, kh, kw, sh, sw, oh: rows.out, ow: cols.out, padTop: rows.padBefore, padLeft: cols.padBefore };
}

/** The kernels' view of a sweep: the resolved geometry plus the output channels. */
function convGeometry(g: Sweep, f: number): ConvGeometry {
  return { n: g.n, h: g.h, w: g.w, c: g.c, kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw, oh: g.oh, ow: g.ow, padTop: g.padTop, padLeft: g.padLeft, f };
}

// ---------------------------------------------------------------------------
// conv2d: x [n, h, w, c] * filter [kh, kw, c, f] -> [n, oh, ow, f]

interface ConvAttrs {
  strides: [number, number];
  padding: Padding;
}

function checkFilter(op: string, x: Tensor, filter: Tensor, channelAxis: 2 | 3): void {
  if (filter.rank !== 4) throw new RangeError(`${op}: expected a filter [kh, kw, in, out], got ${formatShape(filter.shape)}`);
  if (x.rank === 4 && filter.shape[channelAxis] !== x.shape[3]) {
    throw new RangeError(
      `${op}: the input has ${x.shape[3]} channels (shape ${formatShape(x.shape)}) but the filter ${formatShape(filter.shape)} expects ${filter.shape[channelAxis]}`,
    );
  }
  if (x.dtype !== filter.dtype) throw new TypeError(`${op}: dtypes ${x.dtype} and ${filter.dtype} differ`);
}

const conv2dDef: OpDef<[Tensor, Tensor], ConvAttrs> = {
  forward([x, filter], { strides, padding }) {
    checkFilter('conv2d', x, filter, 2);
    const [kh, kw, , f] = filter.shape;
    const g = convGeometry(sweepOver('conv2d', x.shape, kh, kw, strides, padding), f);
    const y = allocate(x.dtype, g.n * g.oh * g.ow * f);
    kernelsFor(x.dtype).conv2d(g, x.values, filter.values, y);
    return new Tensor(y, [g.n, g.oh, g.ow, f]);
  },
  // y = im2col(x) W, so dW = im2col(x)ᵀ dy and dx = col2im(dy Wᵀ): the kernels' two backprops.
  vjp(dy, [x, filter], _out, { strides, padding }) {
    const [kh, kw, , f] = filter.shape;
    const g = convGeometry(sweepOver('conv2d', x.shape, kh, kw, strides, padding), f);
    const kernels = kernelsFor(x.dtype);
    let dx: Tensor | null = null;
    if (x.requiresGrad) {
      dx = new Tensor(allocate(x.dtype, x.size), x.shape);
      kernels.conv2dBackpropInput(g, dy.values, filter.values, dx.values);
    }
    let dFilter: Tensor | null = null;
    if (filter.requiresGrad) {
      dFilter = new Tensor(allocate(x.dtype, filter.size), filter.shape);
      kernels.conv2dBackpropFilter(g, x.values, dy.values, dFilter.values);
    }
    return [dx, dFilter];
  },
};

export interface ConvOptions {
  /** Default `[1, 1]`; a number applies to both axes. */
  strides?: number | [number, number];
  /** Default `'valid'`, as in Keras. */
  padding?: Padding;
}

function pair(v: number | [number, number] | undefined, fallback: number): [number, number] {
  return v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : v;
}

/**
 * 2-D convolution (cross-correlation, as in every deep-learning library) of an
 * NHWC batch with a `[kh, kw, inChannels, outChannels]` filter.
 *
 * @example
 * conv2d(images, kernel, { padding: 'same' }); // [n, 28, 28, 1] * [3, 3, 1, 32] -> [n, 28, 28, 32]
 */
export function conv2d(x: Tensor, filter: Tensor, options: ConvOptions = {}): Tensor {
  return apply('conv2d', conv2dDef, [x, filter], { strides: pair(options.strides, 1), padding: options.padding ?? 'valid' });
}

// ---------------------------------------------------------------------------
// conv2dTranspose: x [n, h, w, c] with filter [kh, kw, f, c] -> [n, oh, ow, f],
// the adjoint of conv2d: what conv2d's input gradient computes.

/** Keras's output size for a transposed convolution without output padding. */
function transposedLength(n: number, k: number, s: number, padding: Padding): number {
  return padding === 'same' ? n * s : n * s + Math.max(k - s, 0);
}

interface ConvTransposeAttrs extends ConvAttrs {
  /** The geometry of the conv2d this op is the adjoint of: from the output back to the input. */
  outputShape: [number, number, number, number];
}

/** The conv2d this op is the adjoint of: input = this op's output (f channels), output = this op's input (c channels). */
function transposedSweep(x: Tensor, filter: Tensor, { strides, padding, outputShape }: ConvTransposeAttrs): ConvGeometry {
  const [kh, kw, , c] = filter.shape;
  const g = sweepOver('conv2dTranspose', outputShape, kh, kw, strides, padding);
  if (g.oh !== x.shape[1] || g.ow !== x.shape[2]) {
    throw new RangeError(
      `conv2dTranspose: an output of ${formatShape(outputShape)} maps back to ${g.oh}x${g.ow}, not to the input's ${x.shape[1]}x${x.shape[2]}`,
    );
  }
  return convGeometry(g, c);
}

const conv2dTransposeDef: OpDef<[Tensor, Tensor], ConvTransposeAttrs> = {
  forward([x, filter], attrs) {
    checkFilter('conv2dTranspose', x, filter, 3);
    const g = transposedSweep(x, filter, attrs);
    const y = allocate(x.dtype, g.n * g.h * g.w * g.c);
    kernelsFor(x.dtype).conv2dBackpropInput(g, x.values, filter.values, y);
    return new Tensor(y, attrs.outputShape);
  },
  // y = col2im(x Wᵀ), so dx = im2col(dy) W (conv2d of dy) and dW = im2col(dy)ᵀ x (conv2d's filter gradient, dy as its input).
  vjp(dy, [x, filter], _out, attrs) {
    const g = transposedSweep(x, filter, attrs);
    const kernels = kernelsFor(x.dtype);
    let dx: Tensor | null = null;
    if (x.requiresGrad) {
      dx = new Tensor(allocate(x.dtype, x.size), x.shape);
      kernels.conv2d(g, dy.values, filter.values, dx.values);
    }
    let dFilter: Tensor | null = null;
    if (filter.requiresGrad) {
      dFilter = new Tensor(allocate(x.dtype, filter.size), filter.shape);
      kernels.conv2dBackpropFilter(g, dy.values, x.values, dFilter.values);
    }
    return [dx, dFilter];
  },
};

/**
 * Transposed 2-D convolution (Keras's Conv2DTranspose): upsamples an NHWC batch
 * with a `[kh, kw, outChannels, inChannels]` filter. With `'same'` padding the
 * output is `stride` times the input; with `'valid'`, `(n - 1) stride + k`.
 *
 * @example
 * conv2dTranspose(code, kernel, { strides: 2, padding: 'same' }); // [n, 4, 4, 128] -> [n, 8, 8, f]
 */
export function conv2dTranspose(x: Tensor, filter: Tensor, options: ConvOptions = {}): Tensor {
  return apply('conv2dTranspose', conv2dTransposeDef, [x, filter], transposedAttrs('conv2dTranspose', x, filter, options));
}

/** A transposed convolution's strides, padding and output shape (Keras's, without output padding). */
function transposedAttrs(op: string, x: Tensor, filter: Tensor, options: ConvOptions): ConvTransposeAttrs {
  if (x.rank !== 4) throw new RangeError(`${op}: expected an NHWC batch [n, height, width, channels], got ${formatShape(x.shape)}`);
  checkFilter(op, x, filter, 3);
  const strides = pair(options.strides, 1);
  const padding = options.padding ?? 'valid';
  const [kh, kw, f] = filter.shape;
  const outputShape: [number, number, number, number] = [
    x.shape[0],
    transposedLength(x.shape[1], kh, strides[0], padding),
    transposedLength(x.shape[2], kw, strides[1], padding),
    f,
  ];
  return { strides, padding, outputShape };
}

// ---------------------------------------------------------------------------
// A convolution layer in one primitive: act(conv + bias), conv2d or
// conv2dTranspose. Composed of the ops above it would copy the convolution's
// output out of WebAssembly memory and back in for the bias and activation,
// and the activation's gradient out and in again for each of the two
// convolution gradients; the kernels' convForward and convBackward keep those
// intermediates in WebAssembly memory, as matmulBiasActivation does for dense.

interface ConvLayerAttrs extends ConvAttrs {
  activation: FusedActivation;
  /** Present for a transposed convolution: its output shape (see ConvTransposeAttrs). */
  outputShape?: [number, number, number, number];
}

/** The convolution's geometry, and whether it runs transposed. */
function layerGeometry(x: Tensor, filter: Tensor, attrs: ConvLayerAttrs): { g: ConvGeometry; transposed: boolean } {
  const { strides, padding, outputShape } = attrs;
  if (outputShape !== undefined) return { g: transposedSweep(x, filter, { strides, padding, outputShape }), transposed: true };
  const [kh, kw, , f] = filter.shape;
  return { g: convGeometry(sweepOver('conv2d', x.shape, kh, kw, strides, padding), f), transposed: false };
}

const convBiasActivationDef: OpDef<Tensor[], ConvLayerAttrs> = {
  forward([x, filter, bias], attrs) {
    const transposed = attrs.outputShape !== undefined;
    const op = transposed ? 'conv2dTransposeBiasActivation' : 'conv2dBiasActivation';
    checkFusedActivation(op, attrs.activation);
    if (transposed && x.rank !== 4) throw new RangeError(`${op}: expected an NHWC batch [n, height, width, channels], got ${formatShape(x.shape)}`);
    checkFilter(op, x, filter, transposed ? 3 : 2);
    const { g } = layerGeometry(x, filter, attrs);
    const channels = transposed ? g.c : g.f;
    if (bias !== undefined) {
      if (bias.rank !== 1 || bias.size !== channels) {
        throw new RangeError(`${op}: a bias of shape ${formatShape(bias.shape)} does not fit the ${channels} output channels of a filter ${formatShape(filter.shape)}`);
      }
      if (bias.dtype !== x.dtype) throw new TypeError(`${op}: x is ${x.dtype} but the bias is ${bias.dtype}`);
    }
    const shape: [number, number, number, number] = transposed ? [g.n, g.h, g.w, g.c] : [g.n, g.oh, g.ow, g.f];
    const y = outputStorage(x.dtype, shape[0] * shape[1] * shape[2] * shape[3]);
    kernelsFor(x.dtype).convForward(g, transposed, x.storage, filter.storage, bias?.storage ?? null, attrs.activation, y);
    return new Tensor(y, shape);
  },
  // With dz = dy act'(y), written from the output: conv2d's (or, transposed, conv2dTranspose's) input
  // and filter gradients at dz, and db the per-channel sums of dz; one kernel call computes the ones needed.
  vjp(dy, [x, filter, bias], y, attrs) {
    const { g, transposed } = layerGeometry(x, filter, attrs);
    const dx = x.requiresGrad ? outputStorage(x.dtype, x.size) : null;
    const dFilter = filter.requiresGrad ? outputStorage(x.dtype, filter.size) : null;
    const dBias = bias?.requiresGrad ? outputStorage(x.dtype, bias.size) : null;
    kernelsFor(x.dtype).convBackward(g, transposed, x.storage, filter.storage, y.storage, dy.storage, attrs.activation, dx, dFilter, dBias);
    const wrap = (values: Storage | null, like: Tensor | undefined) => (values === null ? null : new Tensor(values, (like as Tensor).shape));
    return bias === undefined ? [wrap(dx, x), wrap(dFilter, filter)] : [wrap(dx, x), wrap(dFilter, filter), wrap(dBias, bias)];
  },
};

/**
 * A convolution layer in one primitive, `activation(conv2d(x, filter) + bias)`,
 * for `'linear'`, `'relu'` and `'sigmoid'`; `bias` (one value per filter) may
 * be null. On float32 the forward and the backward are one kernel call each,
 * where the composite copies every intermediate in and out of WebAssembly memory.
 *
 * @example
 * conv2dBiasActivation(images, kernel, bias, 'relu', { padding: 'same' }); // [n, 28, 28, 1] -> [n, 28, 28, 32]
 */
export function conv2dBiasActivation(x: Tensor, filter: Tensor, bias: Tensor | null, activation: FusedActivation, options: ConvOptions = {}): Tensor {
  const attrs: ConvLayerAttrs = { strides: pair(options.strides, 1), padding: options.padding ?? 'valid', activation };
  return apply('convBiasActivation', convBiasActivationDef, bias === null ? [x, filter] : [x, filter, bias], attrs);
}

/**
 * {@link conv2dBiasActivation} for a transposed convolution:
 * `activation(conv2dTranspose(x, filter) + bias)`, the filter
 * `[kh, kw, outChannels, inChannels]` and the bias one value per output channel.
 *
 * @example
 * conv2dTransposeBiasActivation(code, kernel, bias, 'relu', { strides: 2, padding: 'same' }); // [n, 4, 4, 128] -> [n, 8, 8, f]
 */
export function conv2dTransposeBiasActivation(
  x: Tensor,
  filter: Tensor,
  bias: Tensor | null,
  activation: FusedActivation,
  options: ConvOptions = {},
): Tensor {
  const { strides, padding, outputShape } = transposedAttrs('conv2dTransposeBiasActivation', x, filter, options);
  const attrs: ConvLayerAttrs = { strides, padding, outputShape, activation };
  return apply('convBiasActivation', convBiasActivationDef, bias === null ? [x, filter] : [x, filter, bias], attrs);
}

// ---------------------------------------------------------------------------
// Pooling and upsampling.

interface PoolAttrs {
  pool: [number, number];
  strides: [number, number];
  padding: Padding;
}

/** Visits every pooling window: `visit(outputIndex, inputIndexOfEachCovered...)` via a callback per covered input. */
function forEachWindow(g: Sweep, visit: (out: number, channelBaseIn: number) => void): void {
  let out = 0;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++, out += g.c) {
        for (let ky = 0; ky < g.kh; ky++) {
          const y = oy * g.sh + ky - g.padTop;
          if (y < 0 || y >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const xx = ox * g.sw + kx - g.padLeft;
            if (xx < 0 || xx >= g.w) continue;
            visit(out, ((b * g.h + y) * g.w + xx) * g.c);
          }
        }
      }
    }
  }
}

/**
 * The argmax of each max-pooling output, kept from the forward pass for the
 * backward one (weakly: it goes with the output tensor).
 */
const poolArgmax = new WeakMap<Tensor, Int32Array>();

/** The max of each window and where it came from, by the kernels (padding never wins: it is not an input). */
function maxPoolWithArgmax(x: Tensor, { pool, strides, padding }: PoolAttrs): { values: Storage; argmax: Int32Array; g: Sweep } {
  const g = sweepOver('maxPool2d', x.shape, pool[0], pool[1], strides, padding);
  const size = g.n * g.oh * g.ow * g.c;
  const values = outputStorage(x.dtype, size);
  const argmax = new Int32Array(size);
  kernelsFor(x.dtype).maxPool2d(g, x.storage, values, argmax);
  return { values, argmax, g };
}

const maxPoolDef: OpDef<[Tensor], PoolAttrs> = {
  forward([x], attrs) {
    const { values, argmax, g } = maxPoolWithArgmax(x, attrs);
    const y = new Tensor(values, [g.n, g.oh, g.ow, g.c]);
    poolArgmax.set(y, argmax);
    return y;
  },
  // Each window's cotangent goes to the element that won it (the first, on a tie).
  vjp(dy, [x], y, attrs) {
    const argmax = poolArgmax.get(y) ?? maxPoolWithArgmax(x, attrs).argmax;
    const g = sweepOver('maxPool2d', x.shape, attrs.pool[0], attrs.pool[1], attrs.strides, attrs.padding);
    const dx = outputStorage(x.dtype, x.size);
    kernelsFor(x.dtype).maxPool2dBackprop(g, dy.storage, argmax, dx);
    return [new Tensor(dx, x.shape)];
  },
};

/** Counts the real (unpadded) inputs under each window: `same` padding averages over those only, as TensorFlow does. */
function windowCounts(g: Sweep): Int32Array {
  const counts = new Int32Array(g.n * g.oh * g.ow * g.c);
  forEachWindow(g, (out) => {
    for (let ch = 0; ch < g.c; ch++) counts[out + ch]++;
  });
  return counts;
}

const avgPoolDef: OpDef<[Tensor], PoolAttrs> = {
  forward([x], { pool, strides, padding }) {
    const g = sweepOver('averagePool2d', x.shape, pool[0], pool[1], strides, padding);
    const out = allocate(x.dtype, g.n * g.oh * g.ow * g.c);
    const xs = x.values;
    forEachWindow(g, (o, base) => {
      for (let ch = 0; ch < g.c; ch++) out[o + ch] += xs[base + ch];
    });
    const counts = windowCounts(g);
    for (let i = 0; i < out.length; i++) out[i] /= counts[i];
    return new Tensor(out, [g.n, g.oh, g.ow, g.c]);
  },
  // Each input contributed 1/count of itself to every window covering it.
  vjp(dy, [x], _out, { pool, strides, padding }) {
    const g = sweepOver('averagePool2d', x.shape, pool[0], pool[1], strides, padding);
    const counts = windowCounts(g);
    const dx = allocate(x.dtype, x.size);
    const gs = dy.values;
    forEachWindow(g, (o, base) => {
      for (let ch = 0; ch < g.c; ch++) dx[base + ch] += gs[o + ch] / counts[o + ch];
    });
    return [new Tensor(dx, x.shape)];
  },
};

export interface PoolOptions {
  /** Window size; default `[2, 2]`. */
  poolSize?: number | [number, number];
  /** Default: the pool size, as in Keras. */
  strides?: number | [number, number];
  /** Default `'valid'`. */
  padding?: Padding;
}

function poolAttrs(options: PoolOptions): PoolAttrs {
  const pool = pair(options.poolSize, 2);
  return { pool, strides: options.strides === undefined ? pool : pair(options.strides, 1), padding: options.padding ?? 'valid' };
}

/**
 * Max pooling over NHWC windows (Keras's MaxPooling2D).
 *
 * @example
 * maxPool2d(h, { poolSize: 2, padding: 'same' }); // [n, 7, 7, 64] -> [n, 4, 4, 64]
 */
export function maxPool2d(x: Tensor, options: PoolOptions = {}): Tensor {
  return apply('maxPool2d', maxPoolDef, [x], poolAttrs(options));
}

/** Average pooling over NHWC windows (Keras's AveragePooling2D); `same` padding averages real inputs only. */
export function averagePool2d(x: Tensor, options: PoolOptions = {}): Tensor {
  return apply('averagePool2d', avgPoolDef, [x], poolAttrs(options));
}

const upSamplingDef: OpDef<[Tensor], [number, number]> = {
  forward([x], [fy, fx]) {
    if (x.rank !== 4) throw new RangeError(`upSampling2d: expected an NHWC batch, got ${formatShape(x.shape)}`);
    const [n, h, w, c] = x.shape;
    const out = allocate(x.dtype, n * h * fy * w * fx * c);
    kernelsFor(x.dtype).upSampling2d({ n, h, w, c, fy, fx }, x.values, out);
    return new Tensor(out, [n, h * fy, w * fx, c]);
  },
  // Nearest upsampling copies each value into a block: its cotangent sums the block.
  vjp(dy, [x], _out, [fy, fx]) {
    const [n, h, w, c] = x.shape;
    const dx = allocate(x.dtype, x.size);
    kernelsFor(x.dtype).upSampling2dBackprop({ n, h, w, c, fy, fx }, dy.values, dx);
    return [new Tensor(dx, x.shape)];
  },
};

/** Nearest-neighbour upsampling of an NHWC batch by whole factors (Keras's UpSampling2D). */
export function upSampling2d(x: Tensor, size: number | [number, number] = 2): Tensor {
  const factors = pair(size, 2);
  if (!factors.every((v) => Number.isInteger(v) && v > 0)) throw new RangeError(`upSampling2d: size must be positive integers, got ${factors}`);
  return apply('upSampling2d', upSamplingDef, [x], factors);
}

export const convPrimitives = {
  conv2d: conv2dDef,
  conv2dTranspose: conv2dTransposeDef,
  convBiasActivation: convBiasActivationDef,
  maxPool2d: maxPoolDef,
  averagePool2d: avgPoolDef,
  upSampling2d: upSamplingDef,
};
