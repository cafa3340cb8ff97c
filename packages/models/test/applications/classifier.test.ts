import { describe, expect, it } from 'vitest';
import { Random, tensor, type Tensor } from '@aekit/core';
import { pickPerClass, selectRows, trainSoftmaxClassifier } from '@aekit/models';

/** Three Gaussian blobs in 2-D around (0, 4), (4, 0) and (-4, -4), with a constant third feature. */
function blobs(perClass: number, seed: number): { x: Tensor; y: number[] } {
  const rng = new Random(seed);
  const centres = [[0, 4], [4, 0], [-4, -4]];
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < perClass * 3; i++) {
    const c = i % 3;
    x.push(centres[c][0] + rng.normal(), centres[c][1] + rng.normal(), 7);
    y.push(c);
  }
  return { x: tensor(x, [perClass * 3, 3]), y };
}

describe('trainSoftmaxClassifier', () => {
  it('separates well-separated classes, on held-out data too', () => {
    const train = blobs(30, 1);
    const test = blobs(100, 2);
    const clf = trainSoftmaxClassifier(train.x, train.y, { epochs: 30, seed: 3 });
    expect(clf.classes).toBe(3);
    expect(clf.accuracy(train.x, train.y)).toBe(1);
    expect(clf.accuracy(test.x, test.y)).toBeGreaterThan(0.97);
  });

  it('gives probabilities that sum to 1, and predict is their argmax', () => {
    const { x, y } = blobs(10, 4);
    const clf = trainSoftmaxClassifier(x, y, { epochs: 10 });
    const p = clf.predictProba(x).values;
    const predicted = clf.predict(x);
    for (let i = 0; i < y.length; i++) {
      const row = Array.from(p.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      expect(predicted[i]).toBe(row.indexOf(Math.max(...row)));
    }
  });

  it('falls back to the class frequencies under a huge L2 penalty (weights pinned at zero)', () => {
    // Labels 3:1; with W = 0 the loss is minimised by softmax(b) = the class frequencies.
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], [8, 1]);
    const y = [0, 0, 1, 0, 0, 0, 1, 0];
    const clf = trainSoftmaxClassifier(x, y, { epochs: 400, l2: 1e6, batchSize: 8, learningRate: 0.05 });
    const p = clf.predictProba(tensor([100], [1, 1])).values;
    expect(p[0]).toBeCloseTo(0.75, 2);
    expect(p[1]).toBeCloseTo(0.25, 2);
  });

  it('is reproducible: the same seed gives the same probabilities', () => {
    const { x, y } = blobs(10, 5);
    const a = trainSoftmaxClassifier(x, y, { epochs: 5, seed: 9 }).predictProba(x).toArray();
    expect(trainSoftmaxClassifier(x, y, { epochs: 5, seed: 9 }).predictProba(x).toArray()).toEqual(a);
  });

  it('names bad labels and shapes', () => {
    const { x, y } = blobs(2, 1);
    expect(() => trainSoftmaxClassifier(x, y.slice(1))).toThrow(/6 samples but 5 labels/);
    expect(() => trainSoftmaxClassifier(x, [0, 1, 2, 0, 1.5, 2])).toThrow(/label 4 is 1.5, expected a class index >= 0/);
    expect(() => trainSoftmaxClassifier(x, y, { classes: 2 })).toThrow(/label 2 is out of range for 2 classes/);
    expect(() => trainSoftmaxClassifier(tensor([1, 2, 3]), [0, 1, 0])).toThrow(/expected features of shape \[n, d\], got \[3\]/);
    const clf = trainSoftmaxClassifier(x, y, { epochs: 1 });
    expect(() => clf.predict(tensor([1, 2], [1, 2]))).toThrow(/expected 3 features per sample/);
    expect(() => clf.predict(tensor([1, NaN, 2], [1, 3]))).toThrow(/sample 0 holds NaN at feature 1/);
  });
});

describe('pickPerClass', () => {
  const labels = Uint8Array.from({ length: 200 }, (_, i) => (i * 7) % 5);

  it('picks n of each class, sorted, the same for the same seed', () => {
    const picked = pickPerClass(labels, 10, { seed: 4 });
    expect(picked.length).toBe(50);
    for (let c = 0; c < 5; c++) expect(Array.from(picked).filter((i) => labels[i] === c).length).toBe(10);
    expect(Array.from(picked)).toEqual([...picked].sort((a, b) => a - b));
    expect(new Set(picked).size).toBe(50);
    expect(Array.from(pickPerClass(labels, 10, { seed: 4 }))).toEqual(Array.from(picked));
    expect(Array.from(pickPerClass(labels, 10, { seed: 5 }))).not.toEqual(Array.from(picked));
  });

  it('names a class with too few samples', () => {
    expect(() => pickPerClass([0, 0, 1], 2)).toThrow(/class 1 has 1 samples, fewer than 2/);
    expect(() => pickPerClass([0], 0)).toThrow(/perClass must be a positive integer/);
  });
});

describe('selectRows', () => {
  it('gathers rows in the given order, keeping the sample shape', () => {
    const x = tensor([0, 1, 2, 3, 4, 5, 6, 7], [4, 2, 1]);
    const rows = selectRows(x, [3, 0, 3]);
    expect(rows.shape).toEqual([3, 2, 1]);
    expect(rows.toArray()).toEqual([6, 7, 0, 1, 6, 7]);
    expect(() => selectRows(x, [4])).toThrow(/index 0 is 4, outside \[0, 4\)/);
  });
});
