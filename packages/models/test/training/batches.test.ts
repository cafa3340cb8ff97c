import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Random, tensor } from '@aekit/core';
import { takeBatch } from '../../src/training/batches.js';
import { checkFinite, checkInput, checkPair, checkSamples, dense, sequential, sliceRows } from '@aekit/models';

const model = { inputShape: [2, 3], outputShape: [4] };

describe('checkFinite', () => {
  it('names the argument, the sample and the position of the first bad value', () => {
    const x = tensor(new Float32Array(5 * 2 * 3), [5, 2, 3]);
    x.values[3 * 6 + 1 * 3 + 2] = Number.POSITIVE_INFINITY;
    x.values[4 * 6] = Number.NaN;
    expect(() => checkFinite('fit (m)', 'x', x)).toThrow('fit (m): x holds Infinity at sample 3, position [1, 2]; expected finite numbers');
  });

  it('finds a NaN or an infinity wherever it is, in either precision', () => {
    const bad = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    const dtype = fc.constantFrom<'float32' | 'float64'>('float32', 'float64');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.nat(), bad, dtype, (n, h, w, at, value, type) => {
        const x = tensor(new Float64Array(n * h * w).fill(-0.5), [n, h, w], { dtype: type });
        const i = at % x.size;
        x.values[i] = value;
        const sample = Math.floor(i / (h * w));
        const row = Math.floor((i % (h * w)) / w);
        expect(() => checkFinite('f', 'y', x)).toThrow(`f: y holds ${value} at sample ${sample}, position [${row}, ${i % w}]`);
      }),
    );
  });

  it('finds it in any chunk of a large array (the scan runs 16,384 values at a time)', () => {
    const rows = 50_000;
    for (const at of [0, 16_383, 16_384, 32_769, 2 * rows - 1]) {
      const x = tensor(new Float32Array(rows * 2).fill(0.25), [rows, 2]);
      x.values[at] = Number.NEGATIVE_INFINITY;
      expect(() => checkFinite('f', 'x', x)).toThrow(`f: x holds -Infinity at sample ${Math.floor(at / 2)}, position [${at % 2}]`);
    }
    expect(() => checkFinite('f', 'x', tensor(new Float32Array(rows * 2).fill(0.25), [rows, 2]))).not.toThrow();
  });

  it('passes finite data, including the extremes of float32', () => {
    expect(() => checkFinite('f', 'x', tensor([3.4e38, -3.4e38, 0, -0], [2, 2]))).not.toThrow();
  });
});

describe('checkSamples', () => {
  it('says expected and got, and suspects a label array when one number per sample arrives', () => {
    expect(() => checkSamples('fit (m)', 'x', tensor([1, 7, 3], [3]), [28, 28, 1])).toThrow(
      'fit (m): x has shape [3], expected [samples, 28, 28, 1] (one number per sample: is this a label array?)',
    );
    expect(() => checkSamples('fit (m)', 'x', tensor([1, 7, 3], [3, 1]), [784])).toThrow(/has shape \[3, 1\], expected \[samples, 784\] \(.*label array/);
    // A wrong image size is not a label array.
    expect(() => checkSamples('fit (m)', 'x', tensor(new Float32Array(6), [2, 3]), [4])).toThrow(/has shape \[2, 3\], expected \[samples, 4\]$/);
  });
});

describe('checkPair and checkInput', () => {
  const x = tensor(new Float32Array(3 * 6), [3, 2, 3]);
  it('accepts matching data', () => {
    expect(() => checkPair('w', x, tensor(new Float32Array(12), [3, 4]), model)).not.toThrow();
  });

  it('names a sample count mismatch, emptiness and bad values with the names given', () => {
    expect(() => checkPair('w', x, tensor(new Float32Array(8), [2, 4]), model)).toThrow('w: x has 3 samples but y has 2; expected the same number');
    const empty = tensor(new Float32Array(0), [0, 2, 3]);
    expect(() => checkPair('w', empty, tensor(new Float32Array(0), [0, 4]), model)).toThrow('w: x is empty (shape [0, 2, 3]), expected at least one sample');
    const y = tensor(new Float32Array(12), [3, 4]);
    y.values[9] = Number.NaN;
    expect(() => checkPair('w', x, y, model, ['validationData[0]', 'validationData[1]'])).toThrow(
      'w: validationData[1] holds NaN at sample 2, position [1]',
    );
    expect(() => checkInput('predict (m)', empty, [2, 3])).toThrow(/predict \(m\): x is empty/);
  });
});

describe('fit and evaluate reject bad data with the argument named', () => {
  const ones = (n: number, d = 4) => tensor(new Float32Array(n * d).fill(1), [n, d]);
  const make = () => sequential([dense(4)], { inputShape: [4] }).compile({ loss: 'mse' });

  it('NaN in x, y or validation data, before any step', async () => {
    const m = make();
    const before = m.parameters().map((p) => p.toArray());
    const x = ones(10);
    x.values[7 * 4 + 2] = Number.NaN;
    await expect(m.fit(x, ones(10), { verbose: 0 })).rejects.toThrow('fit (sequential): x holds NaN at sample 7, position [2]');
    const y = ones(10);
    y.values[0] = Number.NEGATIVE_INFINITY;
    await expect(m.fit(ones(10), y, { verbose: 0 })).rejects.toThrow('fit (sequential): y holds -Infinity at sample 0, position [0]');
    await expect(m.fit(ones(10), ones(10), { verbose: 0, validationData: [x, ones(10)] })).rejects.toThrow(
      'fit (sequential): validationData[0] holds NaN at sample 7',
    );
    // With validationSplit the sample is counted in the x that was passed.
    await expect(m.fit(x, x, { verbose: 0, validationSplit: 0.5 })).rejects.toThrow('x holds NaN at sample 7');
    expect(m.parameters().map((p) => p.toArray())).toEqual(before);
    expect(() => m.evaluate(x, x)).toThrow('evaluate (sequential): x holds NaN at sample 7');
  });

  it('a label array where samples belong', async () => {
    await expect(make().fit(tensor([0, 1, 2], [3]), ones(3), { verbose: 0 })).rejects.toThrow(/x has shape \[3\], expected \[samples, 4\] .*is this a label array\?/);
  });

  it('an empty dataset', async () => {
    await expect(make().fit(ones(0), ones(0), { verbose: 0 })).rejects.toThrow('fit (sequential): x is empty (shape [0, 4]), expected at least one sample');
    expect(() => make().evaluate(ones(0), ones(0))).toThrow('evaluate (sequential): x is empty');
  });

  it('a batch size larger than the training samples, counted after the split', async () => {
    await expect(make().fit(ones(10), ones(10), { batchSize: 11, verbose: 0 })).rejects.toThrow(
      'fit (sequential): batchSize 11 is larger than the 10 training samples; expected at most 10',
    );
    await expect(make().fit(ones(10), ones(10), { batchSize: 9, validationSplit: 0.2, verbose: 0 })).rejects.toThrow(
      'batchSize 9 is larger than the 8 training samples (after validationSplit 0.2); expected at most 8',
    );
    // The default batch size (32) is not the user's choice: a small dataset makes one smaller batch.
    await expect(make().fit(ones(10), ones(10), { verbose: 0 })).resolves.toBeDefined();
    await expect(make().fit(ones(10), ones(10), { batchSize: 0, verbose: 0 })).rejects.toThrow('batchSize must be a positive integer, got 0');
  });

  it('a validationSplit that leaves a side empty, with both counts', async () => {
    await expect(make().fit(ones(5), ones(5), { validationSplit: 0.1, verbose: 0 })).rejects.toThrow(
      'fit (sequential): validationSplit 0.1 of 5 samples leaves 5 for training and 0 for validation; expected at least one on each side',
    );
  });

  it('validation data whose two halves differ in length', async () => {
    await expect(make().fit(ones(5), ones(5), { validationData: [ones(3), ones(2)], verbose: 0 })).rejects.toThrow(
      'fit (sequential): validationData[0] has 3 samples but validationData[1] has 2',
    );
  });
});

describe('takeBatch', () => {
  it('gathers the rows of a permutation; an autoencoder fit (y === x) shares one copy, other targets get their own rows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), fc.nat(), fc.nat(), (n, d, seed, cut) => {
        const x = tensor(Float32Array.from({ length: n * d }, (_, i) => i), [n, d]);
        const y = tensor(Float32Array.from({ length: n }, (_, i) => -i), [n, 1]);
        const order = new Random(seed).permutation(n);
        const start = cut % n;
        const [xb, yb] = takeBatch(x, y, order, start, n);
        const rows = Array.from(order.subarray(start, n));
        expect(xb.shape).toEqual([n - start, d]);
        expect(Array.from(xb.values)).toEqual(rows.flatMap((r) => Array.from({ length: d }, (_, j) => r * d + j)));
        expect(Array.from(yb.values)).toEqual(rows.map((r) => -r));
        const [xs, ys] = takeBatch(x, x, order, start, n);
        expect(ys).toBe(xs);
        expect(Array.from(xs.values)).toEqual(Array.from(xb.values));
      }),
    );
  });
});

describe('sliceRows', () => {
  it('gives rows [start, end) as a view on the same values, for any range and sample shape', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 3 }), fc.nat(), fc.nat(), (n, d, a, b) => {
        const x = tensor(Float32Array.from({ length: n * d * 2 }, (_, i) => i), [n, d, 2]);
        const [start, end] = n === 0 ? [0, 0] : [a % (n + 1), b % (n + 1)].sort((p, q) => p - q);
        const rows = sliceRows(x, start, end);
        expect(rows.shape).toEqual([end - start, d, 2]);
        expect(Array.from(rows.values)).toEqual(Array.from(x.values.slice(start * d * 2, end * d * 2)));
        expect(rows.values.buffer).toBe(x.values.buffer);
      }),
    );
  });
});
