import { UsageError } from './args.js';
import type { LossName } from '@aekit/core';
import {
  contractiveAutoencoder,
  convAutoencoder,
  convVariationalAutoencoder,
  denseAutoencoder,
  denseVariationalAutoencoder,
  type Model,
  type NoiseOptions,
  Autoencoder,
  VariationalAutoencoder,
} from '@aekit/models';

/** What a model type needs from the command line. */
export interface ModelSettings {
  /** Width of the code (latent) vector. */
  codeDim: number;
  /** Gaussian noise factor for the denoising types. */
  noise: number;
  seed: number;
}

/** One model type the CLI can train, named as in the library. */
export interface ModelType {
  /** One line for `--help` and the report. */
  description: string;
  /** How samples enter the model: flat vectors `[784]` or images `[28, 28, 1]`. */
  input: 'flat' | 'image';
  loss: LossName;
  batchSize: number;
  /** The default code width when `--code-dim` is not given; null when the architecture fixes the code (the seed's 4x4x128). */
  codeDim: number | null;
  /** Whether the model is trained on corrupted inputs against clean targets. */
  denoising: boolean;
  /** Whether `sample` can draw new data from it. */
  generative: boolean;
  build(settings: ModelSettings): Model;
}

/** The seed's corruption: Gaussian noise scaled by `factor`, clipped to [0, 1], drawn afresh each batch. */
const gaussian = (factor: number): NoiseOptions => ({ kind: 'gaussian', factor, clip: true });

/**
 * The model types, by the names the CLI and the report use. Each is the
 * library's constructor with the settings of its seed tutorial.
 */
export const modelTypes: Record<string, ModelType> = {
  dense: {
    description: 'the vanilla autoencoder: 784 -> code (relu) -> 784 (sigmoid), MSE',
    input: 'flat',
    loss: 'mse',
    batchSize: 256,
    codeDim: 64,
    denoising: false,
    generative: false,
    build: (s) => denseAutoencoder({ inputDim: 784, codeDim: s.codeDim, seed: s.seed }),
  },
  multilayer: {
    description: 'the multilayer autoencoder 784-256-128-code-128-256-784, MSE',
    input: 'flat',
    loss: 'mse',
    batchSize: 256,
    codeDim: 32,
    denoising: false,
    generative: false,
    build: (s) => denseAutoencoder({ inputDim: 784, hidden: [256, 128], codeDim: s.codeDim, seed: s.seed }),
  },
  denoising: {
    description: 'the vanilla autoencoder trained on Gaussian-noised inputs against clean targets, binary cross-entropy',
    input: 'flat',
    loss: 'binaryCrossentropy',
    batchSize: 256,
    codeDim: 64,
    denoising: true,
    generative: false,
    build: (s) => denseAutoencoder({ inputDim: 784, codeDim: s.codeDim, seed: s.seed, noise: gaussian(s.noise) }),
  },
  sparse: {
    description: 'the vanilla autoencoder with an L1 activity penalty of 1e-4 on its code, binary cross-entropy',
    input: 'flat',
    loss: 'binaryCrossentropy',
    batchSize: 256,
    codeDim: 32,
    denoising: false,
    generative: false,
    build: (s) => denseAutoencoder({ inputDim: 784, codeDim: s.codeDim, seed: s.seed, sparsity: { kind: 'l1', factor: 1e-4 } }),
  },
  vae: {
    description: 'the variational autoencoder 784-512-code-512-784 (Bernoulli decoder), reconstruction + KL',
    input: 'flat',
    loss: 'binaryCrossentropy',
    batchSize: 128,
    codeDim: 2,
    denoising: false,
    generative: true,
    build: (s) => denseVariationalAutoencoder({ inputDim: 784, latentDim: s.codeDim, hidden: [512], seed: s.seed }),
  },
  contractive: {
    description: 'the contractive autoencoder 784 -> code (sigmoid) -> 784, binary cross-entropy plus 1e-4 x the squared Frobenius norm of the encoder Jacobian',
    input: 'flat',
    loss: 'binaryCrossentropy',
    batchSize: 128,
    codeDim: 64,
    denoising: false,
    generative: false,
    build: (s) => contractiveAutoencoder({ inputDim: 784, codeDim: s.codeDim, lambda: 1e-4, seed: s.seed }),
  },
  conv: {
    description: "the seed's convolutional autoencoder (Conv2D 32-64-128 with max pooling to a 4x4x128 code, Conv2DTranspose back, cropped to 28x28), binary cross-entropy",
    input: 'image',
    loss: 'binaryCrossentropy',
    batchSize: 128,
    codeDim: null,
    denoising: false,
    generative: false,
    build: (s) => convAutoencoder({ seed: s.seed }),
  },
  'conv-denoising': {
    description: "the seed's convolutional autoencoder trained on Gaussian-noised images (factor 0.2, clipped) against clean targets, binary cross-entropy",
    input: 'image',
    loss: 'binaryCrossentropy',
    batchSize: 128,
    codeDim: null,
    denoising: true,
    generative: false,
    build: (s) => convAutoencoder({ seed: s.seed, noise: gaussian(s.noise) }),
  },
  'conv-vae': {
    description: "the convolutional variational autoencoder of Keras's example (strided Conv2D 32-64, dense 16, code, Conv2DTranspose back), reconstruction + KL",
    input: 'image',
    loss: 'binaryCrossentropy',
    batchSize: 128,
    codeDim: 2,
    denoising: false,
    generative: true,
    build: (s) => convVariationalAutoencoder({ latentDim: s.codeDim, seed: s.seed }),
  },
};

/** The type named `name`, or a usage error listing the known ones. */
export function modelType(name: string): ModelType {
  const type = modelTypes[name];
  if (type === undefined) throw new UsageError(`unknown model '${name}'; known: ${Object.keys(modelTypes).join(', ')}`);
  return type;
}

/** The number of floats in one sample's code: what the model compresses an image to. */
export function codeSize(model: Model): number {
  if (model instanceof VariationalAutoencoder) return model.latentDim;
  if (model instanceof Autoencoder) return model.codeShape.reduce((a, b) => a * b, 1);
  throw new TypeError(`${model.name} is not an autoencoder: it has no code`);
}
