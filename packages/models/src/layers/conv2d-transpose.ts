import { conv2dTranspose as conv2dTransposeOp, conv2dTransposeBiasActivation, type FusedActivation, type Shape, type Tensor } from '@aekit/core';
import { ConvBase, type ConvLayerOptions } from './conv2d.js';

/**
 * A transposed 2-D convolution over NHWC images (Keras's `Conv2DTranspose`),
 * the adjoint of `Conv2D` that the decoders use to upsample: kernel
 * `[kh, kw, filters, inChannels]`, as in Keras and TensorFlow.
 */
export class Conv2DTranspose extends ConvBase {
  readonly className = 'Conv2DTranspose';

  constructor(filters: number, kernelSize: number | [number, number], options: ConvLayerOptions = {}) {
    super('conv2d_transpose', filters, kernelSize, options);
  }

  protected kernelShape(channels: number): Shape {
    return [...this.kernelSize, this.filters, channels];
  }

  protected outputSize(h: number, w: number): [number, number] {
    // Keras's deconv_output_length without output padding: same gives n * s,
    // valid gives n * s + max(k - s, 0).
    const length = (n: number, k: number, s: number) => (this.padding === 'same' ? n * s : n * s + Math.max(k - s, 0));
    return [length(h, this.kernelSize[0], this.strides[0]), length(w, this.kernelSize[1], this.strides[1])];
  }

  protected convolve(x: Tensor, kernel: Tensor): Tensor {
    return conv2dTransposeOp(x, kernel, { strides: this.strides, padding: this.padding });
  }

  protected convolveBiasActivation(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: FusedActivation): Tensor {
    return conv2dTransposeBiasActivation(x, kernel, bias, activation, { strides: this.strides, padding: this.padding });
  }
}

/**
 * A transposed convolution layer, as Keras's `Conv2DTranspose(filters, kernel_size, ...)`.
 * Options and defaults are `conv2d`'s; `outputPadding` and dilation are not supported.
 *
 * @example
 * const decoder = sequential(
 *   [conv2dTranspose(64, 3, { strides: 2, activation: 'relu', padding: 'same' })],
 *   { inputShape: [4, 4, 128] },
 * ); // output [8, 8, 64]
 */
export function conv2dTranspose(filters: number, kernelSize: number | [number, number], options: ConvLayerOptions = {}): Conv2DTranspose {
  return new Conv2DTranspose(filters, kernelSize, options);
}
