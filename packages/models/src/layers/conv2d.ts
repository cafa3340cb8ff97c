import {
  activation as activationByName,
  biasAdd,
  conv2d as conv2dOp,
  conv2dBiasActivation,
  formatShape,
  isFusedActivation,
  mulScalar,
  windowGeometry,
  type ActivationName,
  type Initializer,
  type InitializerName,
  type Padding,
  type Random,
  type Shape,
  type FusedActivation,
  type Tensor,
} from '@aekit/core';
import {
  asParameter,
  builtShape,
  checkInput,
  imageShape,
  initializerName,
  pair,
  resolveInitializer,
  type Regularizer,
  type RegularizedLayer,
} from './common.js';
import type { CallContext, LayerConfig } from './layer.js';

/** Options shared by `conv2d` and `conv2dTranspose`, with Keras's defaults. */
export interface ConvLayerOptions {
  /** Default 1; a number applies to both axes. */
  strides?: number | [number, number];
  /** Default `'valid'`, as in Keras. */
  padding?: Padding;
  /** Applied to the output; default `linear`. */
  activation?: ActivationName;
  /** Whether to add a bias per filter; default true. */
  useBias?: boolean;
  /** Default `glorotUniform`, as in Keras. */
  kernelInitializer?: InitializerName | Initializer;
  /** Default `zeros`. */
  biasInitializer?: InitializerName | Initializer;
  /** A penalty on the kernel, e.g. `(w) => l2(w, 1e-4)`; see `regularizationLosses()`. */
  kernelRegularizer?: Regularizer;
  /** A penalty on the bias; see `regularizationLosses()`. */
  biasRegularizer?: Regularizer;
  /** A penalty on the layer's output (after the activation), divided by the batch size as Keras does; see `regularizationLosses()`. */
  activityRegularizer?: Regularizer;
  /** The layer's name; default Keras's (`conv2d`, `conv2d_transpose`), numbered by the model. */
  name?: string;
}

/**
 * What both convolution layers share: options, weights and penalties.
 * The config (`getConfig()`) holds Keras's fields and the initializer names;
 * regularizers and custom initializer functions are training-time settings and are not saved.
 */
export abstract class ConvBase implements RegularizedLayer {
  abstract readonly className: string;
  name: string;
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelRegularizer: Regularizer | undefined;
  readonly biasRegularizer: Regularizer | undefined;
  readonly activityRegularizer: Regularizer | undefined;
  kernel: Tensor | null = null;
  bias: Tensor | null = null;
  protected inputShape: Shape | null = null;
  protected readonly applyActivation: (x: Tensor) => Tensor;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly initializerNames: { kernel: InitializerName | null; bias: InitializerName | null };
  /** The activity penalty of the latest call; replaced on every call. */
  private activityLoss: Tensor | null = null;

  constructor(defaultName: string, filters: number, kernelSize: number | [number, number], options: ConvLayerOptions) {
    this.name = options.name ?? defaultName;
    if (!Number.isInteger(filters) || filters <= 0) throw new RangeError(`${this.name}: filters must be a positive integer, got ${filters}`);
    this.filters = filters;
    this.kernelSize = pair(this.name, 'kernelSize', kernelSize);
    this.strides = pair(this.name, 'strides', options.strides ?? 1);
    this.padding = options.padding ?? 'valid';
    if (this.padding !== 'same' && this.padding !== 'valid') {
      throw new RangeError(`${this.name}: padding must be 'same' or 'valid', got '${String(this.padding)}'`);
    }
    this.activation = options.activation ?? 'linear';
    this.applyActivation = activationByName(this.activation);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = resolveInitializer(options.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(options.biasInitializer ?? 'zeros');
    this.initializerNames = {
      kernel: initializerName(options.kernelInitializer, 'glorotUniform'),
      bias: initializerName(options.biasInitializer, 'zeros'),
    };
    this.kernelRegularizer = options.kernelRegularizer;
    this.biasRegularizer = options.biasRegularizer;
    this.activityRegularizer = options.activityRegularizer;
  }

  get built(): boolean {
    return this.kernel !== null;
  }

  /** The kernel's shape for `channels` input channels. */
  protected abstract kernelShape(channels: number): Shape;
  /** The output's height and width for an input of `h` x `w`. */
  protected abstract outputSize(h: number, w: number): [number, number];
  /** The convolution itself, without bias and activation. */
  protected abstract convolve(x: Tensor, kernel: Tensor): Tensor;
  /** The convolution, bias and a fusable activation as one primitive (one kernel call each way). */
  protected abstract convolveBiasActivation(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: FusedActivation): Tensor;

  build(inputShape: Shape, rng: Random): Shape {
    const [h, w, c] = imageShape(this.name, inputShape);
    const [oh, ow] = this.outputSize(h, w);
    if (oh <= 0 || ow <= 0) {
      throw new RangeError(
        `${this.name}: a ${this.kernelSize.join('x')} kernel with '${this.padding}' padding does not fit an input of shape ${formatShape(inputShape)}`,
      );
    }
    this.kernel = asParameter(this.kernelInitializer(this.kernelShape(c), rng));
    this.bias = this.useBias ? asParameter(this.biasInitializer([this.filters], rng)) : null;
    this.inputShape = [...inputShape];
    return [oh, ow, this.filters];
  }

  call(x: Tensor, _context: CallContext): Tensor {
    const inputShape = builtShape(this.name, this.inputShape);
    checkInput(this.name, x, inputShape);
    const kernel = this.kernel as Tensor;
    // NHWC: the channels are the last axis, which is where the bias adds; relu,
    // sigmoid and linear fuse with the convolution into one primitive, so its
    // output and gradient never leave WebAssembly memory in between.
    let y: Tensor;
    if (isFusedActivation(this.activation)) {
      y = this.convolveBiasActivation(x, kernel, this.bias, this.activation);
    } else {
      const z = this.convolve(x, kernel);
      y = this.applyActivation(this.bias === null ? z : biasAdd(z, this.bias));
    }
    // Keras divides the activity penalty by the batch size, so its weight does not depend on batchSize.
    this.activityLoss = this.activityRegularizer ? mulScalar(this.activityRegularizer(y), 1 / y.shape[0]) : null;
    return y;
  }

  weights(): [string, Tensor][] {
    const list: [string, Tensor][] = [];
    if (this.kernel) list.push(['kernel', this.kernel]);
    if (this.bias) list.push(['bias', this.bias]);
    return list;
  }

  regularizationLosses(): Tensor[] {
    const losses: Tensor[] = [];
    if (this.kernelRegularizer && this.kernel) losses.push(this.kernelRegularizer(this.kernel));
    if (this.biasRegularizer && this.bias) losses.push(this.biasRegularizer(this.bias));
    if (this.activityLoss) losses.push(this.activityLoss);
    return losses;
  }

  /** Keras's `get_config`: what the constructor needs, without regularizers. */
  getConfig(): LayerConfig {
    return {
      name: this.name,
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.initializerNames.kernel,
      biasInitializer: this.initializerNames.bias,
    };
  }
}

/**
 * A 2-D convolution over NHWC images (Keras's `Conv2D`): kernel
 * `[kh, kw, inChannels, filters]`, then bias and activation.
 */
export class Conv2D extends ConvBase {
  readonly className = 'Conv2D';

  constructor(filters: number, kernelSize: number | [number, number], options: ConvLayerOptions = {}) {
    super('conv2d', filters, kernelSize, options);
  }

  protected kernelShape(channels: number): Shape {
    return [...this.kernelSize, channels, this.filters];
  }

  protected outputSize(h: number, w: number): [number, number] {
    // TensorFlow's rule, the one core's op applies: same gives ceil(n / s), valid keeps whole windows.
    return [
      windowGeometry(h, this.kernelSize[0], this.strides[0], this.padding).out,
      windowGeometry(w, this.kernelSize[1], this.strides[1], this.padding).out,
    ];
  }

  protected convolve(x: Tensor, kernel: Tensor): Tensor {
    return conv2dOp(x, kernel, { strides: this.strides, padding: this.padding });
  }

  protected convolveBiasActivation(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: FusedActivation): Tensor {
    return conv2dBiasActivation(x, kernel, bias, activation, { strides: this.strides, padding: this.padding });
  }
}

/**
 * A 2-D convolution layer, as Keras's `Conv2D(filters, kernel_size, ...)`.
 *
 * @param filters the number of output channels
 * @param kernelSize the window, `3` or `[3, 3]`
 * @param options strides (1), padding (`'valid'`), activation (`linear`), useBias (true),
 *   kernelInitializer (`glorotUniform`), biasInitializer (`zeros`), kernel/bias/activity regularizers, name
 * @example
 * const encoder = sequential(
 *   [conv2d(32, 3, { activation: 'relu', padding: 'same' }), maxPooling2d(2, { padding: 'same' })],
 *   { inputShape: [28, 28, 1] },
 * ); // output [14, 14, 32]
 */
export function conv2d(filters: number, kernelSize: number | [number, number], options: ConvLayerOptions = {}): Conv2D {
  return new Conv2D(filters, kernelSize, options);
}
