import { describe, expect, it } from 'vitest';
import { IdxFormatError } from '../src/idx.js';
import { MNIST_FILES, loadMnistFromUrl, mnistFromIdx } from '../src/mnist.js';
import { encodeIdx } from './helpers/idx-encoder.js';

// Three 2×2 "digits" and their labels.
const pixels = [0, 255, 51, 102, 255, 255, 0, 0, 1, 2, 3, 4];
const imagesFile = encodeIdx('uint8', [3, 2, 2], pixels);
const labelsFile = encodeIdx('uint8', [3], [7, 0, 9]);

describe('mnistFromIdx', () => {
  it('builds [n, rows, cols, 1] float32 images scaled to [0, 1], and the labels', () => {
    const split = mnistFromIdx({ images: imagesFile, labels: labelsFile, source: 'tiny' });
    expect(split.count).toBe(3);
    expect(split.images.shape).toEqual([3, 2, 2, 1]);
    expect(split.images.dtype).toBe('float32');
    // x / 255 rounded once to float32, as numpy's astype('float32') / 255. gives.
    expect(Array.from(split.images.values)).toEqual(pixels.map((p) => Math.fround(p / 255)));
    expect(split.images.values[1]).toBe(1);
    expect(split.labels).toEqual(new Uint8Array([7, 0, 9]));
  });

  it('keeps only the first `limit` images and labels', () => {
    const split = mnistFromIdx({ images: imagesFile, labels: labelsFile, limit: 2 });
    expect(split.count).toBe(2);
    expect(split.images.shape).toEqual([2, 2, 2, 1]);
    expect(split.images.values.length).toBe(8);
    expect(split.labels).toEqual(new Uint8Array([7, 0]));
    expect(mnistFromIdx({ images: imagesFile, labels: labelsFile, limit: 99 }).count).toBe(3);
    expect(() => mnistFromIdx({ images: imagesFile, labels: labelsFile, limit: -1, source: 's' })).toThrow(
      /s: limit must be a non-negative integer, got -1/,
    );
  });

  it('accepts gzipped files', () => {
    const split = mnistFromIdx({
      images: encodeIdx('uint8', [3, 2, 2], pixels, { gzip: true }),
      labels: encodeIdx('uint8', [3], [7, 0, 9], { gzip: true }),
    });
    expect(split.labels).toEqual(new Uint8Array([7, 0, 9]));
  });

  it('rejects images that are not 3-D uint8, labels that are not 1-D uint8, and mismatched counts', () => {
    const flat = encodeIdx('uint8', [3, 4], pixels);
    expect(() => mnistFromIdx({ images: flat, labels: labelsFile, source: 'mnist/train' })).toThrow(
      'mnist/train: expected images as 3-D uint8 [count, rows, cols], found 2-D uint8 [3, 4]',
    );
    const floats = encodeIdx('float32', [3, 2, 2], pixels);
    expect(() => mnistFromIdx({ images: floats, labels: labelsFile, source: 'm' })).toThrow(/found 3-D float32 \[3, 2, 2\]/);
    const intLabels = encodeIdx('int32', [3], [7, 0, 9]);
    expect(() => mnistFromIdx({ images: imagesFile, labels: intLabels, source: 'm' })).toThrow(
      'm: expected labels as 1-D uint8 [count], found 1-D int32 [3]',
    );
    const twoLabels = encodeIdx('uint8', [2], [7, 0]);
    expect(() => mnistFromIdx({ images: imagesFile, labels: twoLabels, source: 'm' })).toThrow(
      'm: 3 images but 2 labels; expected one label per image',
    );
  });

  it('names which file is malformed', () => {
    const truncated = imagesFile.subarray(0, imagesFile.length - 1);
    expect(() => mnistFromIdx({ images: truncated, labels: labelsFile, source: 'mnist/train' })).toThrow(IdxFormatError);
    expect(() => mnistFromIdx({ images: truncated, labels: labelsFile, source: 'mnist/train' })).toThrow(
      /^mnist\/train \(images\): invalid IDX file at byte 27: truncated data/,
    );
  });
});

/** A fake fetch serving `files` by URL, recording the URLs asked for. */
function fakeFetch(files: Record<string, Uint8Array>, status = 404) {
  const requested: string[] = [];
  const fetch = async (url: string): Promise<Response> => {
    requested.push(url);
    const body = files[url];
    return body ? new Response(body) : new Response(null, { status, statusText: status === 404 ? 'Not Found' : 'Server Error' });
  };
  return { fetch, requested };
}

function serve(base: string, suffix: string, gzip: boolean): Record<string, Uint8Array> {
  return {
    [`${base}${MNIST_FILES.trainImages}${suffix}`]: encodeIdx('uint8', [3, 2, 2], pixels, { gzip }),
    [`${base}${MNIST_FILES.trainLabels}${suffix}`]: encodeIdx('uint8', [3], [7, 0, 9], { gzip }),
    [`${base}${MNIST_FILES.testImages}${suffix}`]: encodeIdx('uint8', [1, 2, 2], [9, 9, 9, 9], { gzip }),
    [`${base}${MNIST_FILES.testLabels}${suffix}`]: encodeIdx('uint8', [1], [4], { gzip }),
  };
}

describe('loadMnistFromUrl', () => {
  it('fetches the four plain files from a base URL with or without a trailing slash', async () => {
    const { fetch, requested } = fakeFetch(serve('https://host/mnist/', '', false));
    const { train, test } = await loadMnistFromUrl('https://host/mnist', { fetch });
    expect(train.count).toBe(3);
    expect(train.labels).toEqual(new Uint8Array([7, 0, 9]));
    expect(test.images.shape).toEqual([1, 2, 2, 1]);
    expect(test.labels).toEqual(new Uint8Array([4]));
    expect(requested).toHaveLength(4);
  });

  it("falls back to the .gz names on 404 by default, and asks only for them with gzip: true", async () => {
    const files = serve('/data/', '.gz', true);
    const auto = fakeFetch(files);
    const { train } = await loadMnistFromUrl('/data/', { fetch: auto.fetch, trainLimit: 1 });
    expect(train.count).toBe(1);
    expect(train.labels).toEqual(new Uint8Array([7]));
    expect(auto.requested).toHaveLength(8);
    const gz = fakeFetch(files);
    await loadMnistFromUrl('/data/', { fetch: gz.fetch, gzip: true });
    expect(gz.requested.every((url) => url.endsWith('.gz'))).toBe(true);
    expect(gz.requested).toHaveLength(4);
  });

  it('names the URLs it tried when a file cannot be fetched', async () => {
    const { fetch } = fakeFetch({});
    await expect(loadMnistFromUrl('/none', { fetch })).rejects.toThrow(
      /could not fetch train-images-idx3-ubyte: \/none\/train-images-idx3-ubyte \(404 Not Found\), \/none\/train-images-idx3-ubyte\.gz \(404 Not Found\)/,
    );
    // A server error is not a missing file: no fallback.
    const failing = fakeFetch({}, 500);
    await expect(loadMnistFromUrl('/none', { fetch: failing.fetch })).rejects.toThrow(
      /could not fetch ([\w-]+): \/none\/\1 \(500 Server Error\)$/,
    );
  });

  it('names the URL of a malformed file', async () => {
    const files = serve('/d/', '', false);
    files['/d/t10k-labels-idx1-ubyte'] = new Uint8Array([1, 2, 3, 4, 5]);
    await expect(loadMnistFromUrl('/d', { fetch: fakeFetch(files).fetch })).rejects.toThrow(
      /^\/d\/t10k-labels-idx1-ubyte: invalid IDX file at byte 0: expected magic 00 00, found 01 02$/,
    );
  });
});
