import { tensor, type Tensor } from '@aekit/core';
import { parseIdx, type IdxArray } from './idx.js';

/** One split of MNIST (or an MNIST-shaped dataset): images, labels and their count. */
export interface MnistSplit {
  /** Images as `[count, rows, cols, 1]` float32, pixel values scaled from 0–255 to [0, 1]. */
  images: Tensor;
  /** One label per image (0–9 for MNIST). */
  labels: Uint8Array;
  /** The number of images (and labels). */
  count: number;
}

/** MNIST's training and test splits. */
export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
}

/** How many images to keep from each split; the default keeps them all. */
export interface MnistLimits {
  /** Keep only the first `trainLimit` training images (of 60,000). */
  trainLimit?: number;
  /** Keep only the first `testLimit` test images (of 10,000). */
  testLimit?: number;
}

/** The four standard MNIST file names, as published (add `.gz` for the compressed ones). */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The bytes of one split's two IDX files (plain or gzipped). */
export interface MnistIdxFiles {
  /** The images file: 3-D uint8, `[count, rows, cols]`. */
  images: Uint8Array;
  /** The labels file: 1-D uint8, `[count]`. */
  labels: Uint8Array;
  /** A name for the split (a directory, URL or file-name prefix), used in error messages. */
  source?: string;
  /** Keep only the first `limit` images. */
  limit?: number;
}

/**
 * Builds one MNIST split from the bytes of its images and labels IDX files.
 *
 * Checks that the images are 3-D uint8 and the labels 1-D uint8 with the same
 * count, then scales pixels to [0, 1] in float32 (`x / 255`, as the Keras
 * tutorial's `astype('float32') / 255.` does).
 *
 * @param files - The two files' bytes, a source name for errors, and an optional limit.
 * @returns The images as a `[count, rows, cols, 1]` tensor, the labels and the count.
 * @throws {IdxFormatError} for a malformed file; {@link RangeError} for files of the wrong type or shape.
 * @example
 * ```ts
 * const split = mnistFromIdx({ images: imageBytes, labels: labelBytes, source: 'mnist/train' });
 * split.images.shape; // [60000, 28, 28, 1]
 * ```
 */
export function mnistFromIdx(files: MnistIdxFiles): MnistSplit {
  const source = files.source ?? '<mnist>';
  const images = parseIdx(files.images, `${source} (images)`);
  const labels = parseIdx(files.labels, `${source} (labels)`);
  return mnistFromArrays(images, labels, source, files.limit);
}

/** @internal Checks parsed IDX images and labels and builds the split. */
export function mnistFromArrays(images: IdxArray, labels: IdxArray, source: string, limit?: number): MnistSplit {
  if (images.dtype !== 'uint8' || images.shape.length !== 3) {
    throw new RangeError(
      `${source}: expected images as 3-D uint8 [count, rows, cols], found ${images.shape.length}-D ${images.dtype} [${images.shape.join(', ')}]`,
    );
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw new RangeError(
      `${source}: expected labels as 1-D uint8 [count], found ${labels.shape.length}-D ${labels.dtype} [${labels.shape.join(', ')}]`,
    );
  }
  const [total, rows, cols] = images.shape;
  if (labels.shape[0] !== total) {
    throw new RangeError(`${source}: ${total} images but ${labels.shape[0]} labels; expected one label per image`);
  }
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`${source}: limit must be a non-negative integer, got ${limit}`);
  }
  const count = Math.min(total, limit ?? total);
  const pixels = images.data;
  const size = count * rows * cols;
  const scaled = new Float32Array(size);
  // One tight loop over a Uint8Array: 47M pixels take tens of milliseconds.
  for (let i = 0; i < size; i++) scaled[i] = pixels[i] / 255;
  return {
    images: tensor(scaled, [count, rows, cols, 1]),
    labels: labels.data.slice(0, count),
    count,
  };
}

/** Options for {@link loadMnistFromUrl}. */
export interface LoadMnistFromUrlOptions extends MnistLimits {
  /** The fetch to use; defaults to the global `fetch`. */
  fetch?: (url: string) => Promise<Response>;
  /**
   * Which file names to request: `true` for the `.gz` names, `false` for the
   * plain names, `'auto'` (the default) for the plain name first and the `.gz`
   * name if that answers 404. Either way the content is recognised by its magic
   * number, so a server that already decompressed the file also works.
   */
  gzip?: boolean | 'auto';
}

/**
 * Loads MNIST over HTTP from a directory holding the four standard files, for the browser.
 *
 * @param baseUrl - The directory's URL, with or without a trailing slash.
 * @param options - A custom `fetch`, which file names to request, and limits per split.
 * @returns The training and test splits.
 * @throws {Error} naming the URL when a request fails; {@link IdxFormatError} for a malformed file.
 * @example
 * ```ts
 * const { train, test } = await loadMnistFromUrl('/datasets/mnist/', { trainLimit: 10_000 });
 * ```
 */
export async function loadMnistFromUrl(baseUrl: string, options: LoadMnistFromUrlOptions = {}): Promise<Mnist> {
  const doFetch = options.fetch ?? ((url: string) => globalThis.fetch(url));
  const gzip = options.gzip ?? 'auto';
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;

  const get = async (name: string): Promise<{ bytes: Uint8Array; url: string }> => {
    const candidates = gzip === 'auto' ? [name, `${name}.gz`] : [gzip ? `${name}.gz` : name];
    const tried: string[] = [];
    for (const candidate of candidates) {
      const url = base + candidate;
      const response = await doFetch(url);
      if (response.ok) return { bytes: new Uint8Array(await response.arrayBuffer()), url };
      tried.push(`${url} (${response.status} ${response.statusText})`.replace(/ \)$/, ')'));
      if (response.status !== 404) break;
    }
    throw new Error(`loadMnistFromUrl: could not fetch ${name}: ${tried.join(', ')}`);
  };

  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    get(MNIST_FILES.trainImages),
    get(MNIST_FILES.trainLabels),
    get(MNIST_FILES.testImages),
    get(MNIST_FILES.testLabels),
  ]);
  const split = (images: { bytes: Uint8Array; url: string }, labels: { bytes: Uint8Array; url: string }, limit?: number) =>
    mnistFromArrays(parseIdx(images.bytes, images.url), parseIdx(labels.bytes, labels.url), `${images.url} + ${labels.url}`, limit);
  return {
    train: split(trainImages, trainLabels, options.trainLimit),
    test: split(testImages, testLabels, options.testLimit),
  };
}
