import { formatShape, type ActivationName } from '@aekit/core';
import { Autoencoder, type AutoencoderOptions } from './autoencoder.js';
import { conv2d } from './layers/conv2d.js';
import { conv2dTranspose } from './layers/conv2d-transpose.js';
import { cropping2d } from './layers/cropping2d.js';
import type { Layer } from './layers/layer.js';
import { dense } from './layers/dense.js';
import { flatten } from './layers/flatten.js';
import { maxPooling2d } from './layers/max-pooling2d.js';
import { reshape } from './layers/reshape.js';
import { sequential, type Sequential } from './sequential.js';
import { VariationalAutoencoder, type VariationalAutoencoderOptions } from './variational.js';

/** The convolutional layout shared by `convAutoencoder` and `convVariationalAutoencoder`. */
export interface ConvLayout {
  /** One image, `[height, width, channels]`; default `[28, 28, 1]` (MNIST). */
  inputShape?: [number, number, number];
  /** Filters of each encoder block (conv then 2x2 max pooling); default `[32, 64, 128]`, the seed's. */
  filters?: number[];
  /** Kernel size of every convolution; default 3. */
  kernelSize?: number;
  /** Activation of every hidden convolution; default `relu`. */
  activation?: ActivationName;
  /** Activation of the reconstruction; default `sigmoid`, for images in [0, 1]. */
  outputActivation?: ActivationName;
}

/** The layout with its defaults filled in and checked. */
export function convLayout(where: string, layout: ConvLayout) {
  const inputShape = layout.inputShape ?? [28, 28, 1];
  const filters = layout.filters ?? [32, 64, 128];
  const kernelSize = layout.kernelSize ?? 3;
  if (inputShape.length !== 3 || !inputShape.every((n) => Number.isInteger(n) && n > 0)) {
    throw new RangeError(`${where}: inputShape must be [height, width, channels] of positive integers, got ${formatShape(inputShape)}`);
  }
  if (filters.length === 0 || !filters.every((n) => Number.isInteger(n) && n > 0)) {
    throw new RangeError(`${where}: filters must be a non-empty list of positive integers, got [${filters.join(', ')}]`);
  }
  if (!Number.isInteger(kernelSize) || kernelSize < 1) throw new RangeError(`${where}: kernelSize must be a positive integer, got ${kernelSize}`);
  const blocks = filters.length;
  // Each 2x2 'same' pooling halves a side, rounding up: 28 -> 14 -> 7 -> 4.
  const codeSide = (n: number) => Array.from({ length: blocks }).reduce<number>((s) => Math.ceil(s / 2), n);
  const codeShape: [number, number, number] = [codeSide(inputShape[0]), codeSide(inputShape[1]), filters[blocks - 1]];
  return {
    inputShape,
    filters,
    kernelSize,
    activation: layout.activation ?? 'relu',
    outputActivation: layout.outputActivation ?? 'sigmoid',
    codeShape,
  };
}

/**
 * A cropping back to the input's size when the decoder's strides overshoot it
 * (32x32 -> 28x28), none when they meet it; an odd excess leaves the larger
 * half at the bottom and right.
 */
function cropBack(decoded: [number, number], inputShape: readonly number[]): Layer[] {
  const [dh, dw] = [decoded[0] - inputShape[0], decoded[1] - inputShape[1]];
  if (dh === 0 && dw === 0) return [];
  return [cropping2d([[Math.floor(dh / 2), Math.ceil(dh / 2)], [Math.floor(dw / 2), Math.ceil(dw / 2)]])];
}

/** The encoder's layers: per block a 'same' convolution and a 2x2 'same' max pooling. */
export function convEncoderLayers(layout: ReturnType<typeof convLayout>): Layer[] {
  return layout.filters.flatMap((f) => [
    conv2d(f, layout.kernelSize, { activation: layout.activation, padding: 'same' }),
    maxPooling2d(2, { padding: 'same' }),
  ]);
}

/**
 * The decoder's layers from a code of `layout.codeShape`, as in the seed:
 * transposed convolutions over the filters in reverse, stride 2 but the last
 * (stride 1), then the output transposed convolution (stride 2, one filter per
 * input channel), then cropping back to the input size (32x32 -> 28x28).
 */
export function convDecoderLayers(layout: ReturnType<typeof convLayout>): Layer[] {
  const { filters, kernelSize, activation, inputShape, codeShape } = layout;
  const reversed = [...filters].reverse();
  const up = (f: number, strides: number, act: ActivationName) => conv2dTranspose(f, kernelSize, { strides, activation: act, padding: 'same' });
  const layers: Layer[] = reversed.map((f, i) => up(f, i < reversed.length - 1 ? 2 : 1, activation));
  layers.push(up(inputShape[2], 2, layout.outputActivation));
  const scale = 2 ** filters.length;
  return [...layers, ...cropBack([codeShape[0] * scale, codeShape[1] * scale], inputShape)];
}

export interface ConvAutoencoderOptions extends AutoencoderOptions, ConvLayout {}

/**
 * A convolutional autoencoder; with the defaults, exactly the seed tutorial's
 * model (332,801 parameters): Conv2D 32, 64, 128 (3x3, relu, same), each
 * followed by 2x2 max pooling (same), down to a 4x4x128 code; Conv2DTranspose
 * 128 (stride 2), 64 (stride 2), 32 (stride 1) and 1 (stride 2, sigmoid) to
 * 32x32x1, cropped by 2 on each side to 28x28x1. The encoder ends at the code,
 * so `encoder` and `decoder` can be used apart.
 *
 * For the seed's denoising run, pass `noise` (drawn afresh for every training
 * batch from fit's seeded generator) and compile with binary cross-entropy.
 *
 * @example
 * const ae = convAutoencoder({ seed: 42, noise: { kind: 'gaussian', factor: 0.2 } })
 *   .compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
 * await ae.fit(images, images, { epochs: 1, batchSize: 128, seed: 42 });
 * const codes = ae.encode(images); // [n, 4, 4, 128]
 */
export function convAutoencoder(options: ConvAutoencoderOptions = {}): Autoencoder {
  const layout = convLayout('convAutoencoder', options);
  const encoder: Sequential = sequential(convEncoderLayers(layout), { inputShape: layout.inputShape, name: 'encoder' });
  const decoder: Sequential = sequential(convDecoderLayers(layout), { name: 'decoder' });
  return new Autoencoder(encoder, decoder, { name: 'conv_autoencoder', ...options });
}

export interface ConvVariationalAutoencoderOptions extends VariationalAutoencoderOptions {
  /** Width of the code z; default 2 (a latent map to plot). */
  latentDim?: number;
  /** One image, `[height, width, channels]`; default `[28, 28, 1]`. */
  inputShape?: [number, number, number];
  /** Filters of each strided (stride 2) convolution of the encoder; default `[32, 64]`, as Keras's VAE example. */
  filters?: number[];
  /** Kernel size of every convolution; default 3. */
  kernelSize?: number;
  /** Width of a dense layer between the encoder's convolutions and the code; default 16 (Keras's example), 0 for none. */
  hidden?: number;
  /** Activation of the hidden layers; default `relu`. */
  activation?: ActivationName;
  /** Activation of the reconstruction; default `sigmoid`, for images in [0, 1]. */
  outputActivation?: ActivationName;
}

/**
 * A convolutional VAE, as Keras's VAE example: the encoder is strided 3x3
 * convolutions (32 then 64 filters, stride 2, relu, same: 28 -> 14 -> 7), flatten,
 * a dense layer of 16, then dense to `2 * latentDim` (mean and log-variance);
 * the decoder is dense to 7x7x64, reshape, transposed convolutions
 * over the filters in reverse (stride 2: 7 -> 14 -> 28), and a transposed
 * convolution to the input's channels (stride 1, sigmoid), cropped to the
 * input's size if the strides overshoot.
 *
 * @example
 * const vae = convVariationalAutoencoder({ latentDim: 2, seed: 1 }).compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
 * await vae.fit(images, images, { epochs: 10, batchSize: 128 });
 * const digits = vae.sample(16); // [16, 28, 28, 1]
 */
export function convVariationalAutoencoder(options: ConvVariationalAutoencoderOptions = {}): VariationalAutoencoder {
  const where = 'convVariationalAutoencoder';
  const latentDim = options.latentDim ?? 2;
  const hidden = options.hidden ?? 16;
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new RangeError(`${where}: latentDim must be a positive integer, got ${latentDim}`);
  if (!Number.isInteger(hidden) || hidden < 0) throw new RangeError(`${where}: hidden must be a non-negative integer, got ${hidden}`);
  const layout = convLayout(where, { filters: [32, 64], ...options });
  const { inputShape, filters, kernelSize, activation } = layout;
  // Each stride-2 'same' convolution halves a side, rounding up.
  const side = (n: number) => filters.reduce((s) => Math.ceil(s / 2), n);
  const [h, w] = [side(inputShape[0]), side(inputShape[1])];
  const last = filters[filters.length - 1];
  const conv = (f: number) => conv2d(f, kernelSize, { strides: 2, activation, padding: 'same' });
  const encoder = sequential(
    [...filters.map(conv), flatten(), ...(hidden > 0 ? [dense(hidden, { activation })] : []), dense(2 * latentDim)],
    { inputShape, name: 'encoder' },
  );
  const up = (f: number, strides: number, act: ActivationName) => conv2dTranspose(f, kernelSize, { strides, activation: act, padding: 'same' });
  const decoderLayers: Layer[] = [
    dense(h * w * last, { activation }),
    reshape([h, w, last]),
    ...[...filters].reverse().map((f) => up(f, 2, activation)),
    up(inputShape[2], 1, layout.outputActivation),
  ];
  const scale = 2 ** filters.length;
  decoderLayers.push(...cropBack([h * scale, w * scale], inputShape));
  const decoder = sequential(decoderLayers, { name: 'decoder' });
  return new VariationalAutoencoder(encoder, decoder, { name: 'conv_variational_autoencoder', ...options });
}
