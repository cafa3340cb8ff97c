import { adam, add, biasAdd, formatShape, logSoftmax, matmul, mean, mul, mulScalar, neg, noGrad, Random, sum, Tensor, zeroGrad } from '@aekit/core';

// Pre-training's yardstick: a linear classifier (softmax regression) on some
// features: an encoder's codes, PCA codes or raw pixels. The same small
// classifier on each tells how much the features themselves are worth.

/** Options for {@link trainSoftmaxClassifier}. */
export interface SoftmaxClassifierOptions {
  /** Passes over the training data; default 100. */
  epochs?: number;
  /** Seeds the batch order (weights start at zero, so nothing else is random); default 0. */
  seed?: number;
  /** Samples per Adam step; default 32. */
  batchSize?: number;
  /** Adam's learning rate; default 0.01. */
  learningRate?: number;
  /** Weight of the L2 penalty `½·l2·‖W‖²` on the weights (not the biases); default 1e-3. */
  l2?: number;
  /** Standardize each feature with the training mean and deviation first (the penalty then treats features alike); default true. */
  standardize?: boolean;
  /** The number of classes; default the largest label + 1. */
  classes?: number;
}

/** A trained softmax-regression classifier. */
export interface SoftmaxClassifier {
  /** The number of features it reads and classes it tells apart. */
  readonly inputDim: number;
  readonly classes: number;
  /** Class probabilities, `[n, classes]`. */
  predictProba(features: Tensor): Tensor;
  /** The most probable class of each sample. */
  predict(features: Tensor): Int32Array;
  /** The fraction of samples whose predicted class is their label. */
  accuracy(features: Tensor, labels: ArrayLike<number>): number;
}

function checkFeatures(where: string, features: Tensor, d?: number): { n: number; d: number } {
  if (features.rank !== 2) throw new RangeError(`${where}: expected features of shape [n, d], got ${formatShape(features.shape)}`);
  if (d !== undefined && features.shape[1] !== d) throw new RangeError(`${where}: expected ${d} features per sample, got shape ${formatShape(features.shape)}`);
  return { n: features.shape[0], d: features.shape[1] };
}

/**
 * Trains softmax regression (multinomial logistic regression) with Adam on
 * mini-batches: cross-entropy of `softmax(xW + b)` plus an L2 penalty. A convex
 * problem started from zero weights, so runs with the same seed are identical.
 *
 * @example
 * const few = pickPerClass(train.labels, 100, { seed: 1 });
 * const clf = trainSoftmaxClassifier(selectRows(codes, few), few.map((i) => train.labels[i]), { epochs: 100, seed: 1 });
 * clf.accuracy(testCodes, test.labels); // e.g. 0.8
 */
export function trainSoftmaxClassifier(features: Tensor, labels: ArrayLike<number>, options: SoftmaxClassifierOptions = {}): SoftmaxClassifier {
  const { n, d } = checkFeatures('trainSoftmaxClassifier', features);
  if (labels.length !== n) throw new RangeError(`trainSoftmaxClassifier: ${n} samples but ${labels.length} labels`);
  if (n === 0) throw new RangeError('trainSoftmaxClassifier: no samples');
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0) throw new RangeError(`trainSoftmaxClassifier: label ${i} is ${label}, expected a class index >= 0`);
    largest = Math.max(largest, label);
  }
  const classes = options.classes ?? largest + 1;
  if (largest >= classes) throw new RangeError(`trainSoftmaxClassifier: label ${largest} is out of range for ${classes} classes`);
  const epochs = options.epochs ?? 100;
  const batchSize = Math.min(options.batchSize ?? 32, n);
  const l2 = options.l2 ?? 1e-3;

  // Standardization, fitted on the training features only.
  const shift = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  if (options.standardize ?? true) {
    const v = features.values;
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) shift[j] += v[i * d + j] / n;
    const variance = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) variance[j] += (v[i * d + j] - shift[j]) ** 2 / n;
    // A constant feature (a border pixel) stays at zero instead of dividing by zero.
    for (let j = 0; j < d; j++) scale[j] = variance[j] > 1e-12 ? 1 / Math.sqrt(variance[j]) : 1;
  }
  const prepare = (x: Tensor, rows: ArrayLike<number> | null): Tensor => {
    const count = rows ? rows.length : x.shape[0];
    const out = new Float32Array(count * d);
    const v = x.values;
    for (let r = 0; r < count; r++) {
      const i = rows ? rows[r] : r;
      for (let j = 0; j < d; j++) {
        const value = v[i * d + j];
        if (!Number.isFinite(value)) throw new RangeError(`softmax classifier: sample ${i} holds ${value} at feature ${j}`);
        out[r * d + j] = (value - shift[j]) * scale[j];
      }
    }
    return new Tensor(out, [count, d]);
  };

  const weights = new Tensor(new Float32Array(d * classes), [d, classes], true);
  const bias = new Tensor(new Float32Array(classes), [classes], true);
  const optimizer = adam({ learningRate: options.learningRate ?? 0.01 });
  const rng = new Random(options.seed ?? 0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = rng.permutation(n);
    for (let start = 0; start < n; start += batchSize) {
      const rows = order.subarray(start, Math.min(n, start + batchSize));
      const x = prepare(features, rows);
      const oneHot = new Float32Array(rows.length * classes);
      rows.forEach((i, r) => (oneHot[r * classes + labels[i]] = 1));
      const logProbabilities = logSoftmax(biasAdd(matmul(x, weights), bias));
      const crossEntropy = neg(mean(sum(mul(new Tensor(oneHot, [rows.length, classes]), logProbabilities), 1)));
      const loss = l2 > 0 ? add(crossEntropy, mulScalar(sum(mul(weights, weights)), l2 / 2)) : crossEntropy;
      zeroGrad([weights, bias]);
      loss.backward();
      optimizer.step([weights, bias]);
    }
  }

  const predictProba = (x: Tensor): Tensor => {
    checkFeatures('SoftmaxClassifier.predictProba', x, d);
    return noGrad(() => {
      const logits = logSoftmax(biasAdd(matmul(prepare(x, null), weights), bias));
      return new Tensor(logits.values.map(Math.exp), logits.shape);
    });
  };
  const predict = (x: Tensor): Int32Array => {
    const p = predictProba(x).values;
    return Int32Array.from({ length: x.shape[0] }, (_, i) => {
      let best = 0;
      for (let c = 1; c < classes; c++) if (p[i * classes + c] > p[i * classes + best]) best = c;
      return best;
    });
  };
  return {
    inputDim: d,
    classes,
    predictProba,
    predict,
    accuracy(x: Tensor, y: ArrayLike<number>): number {
      const predicted = predict(x);
      if (y.length !== predicted.length) throw new RangeError(`SoftmaxClassifier.accuracy: ${predicted.length} samples but ${y.length} labels`);
      let right = 0;
      for (let i = 0; i < predicted.length; i++) if (predicted[i] === y[i]) right++;
      return right / predicted.length;
    },
  };
}

/**
 * Indices of `perClass` samples of every class, drawn reproducibly (a seeded
 * shuffle within each class), in ascending order: "100 labels per class".
 *
 * @example
 * const few = pickPerClass(train.labels, 100, { seed: 1 }); // 1,000 indices for MNIST
 */
export function pickPerClass(labels: ArrayLike<number>, perClass: number, options: { seed?: number } = {}): Int32Array {
  if (!Number.isInteger(perClass) || perClass < 1) throw new RangeError(`pickPerClass: perClass must be a positive integer, got ${perClass}`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]) ?? [];
    list.push(i);
    byClass.set(labels[i], list);
  }
  const rng = new Random(options.seed ?? 0);
  const picked: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(label) as number[];
    if (members.length < perClass) throw new RangeError(`pickPerClass: class ${label} has ${members.length} samples, fewer than ${perClass}`);
    picked.push(...rng.shuffle(members).slice(0, perClass));
  }
  return Int32Array.from(picked).sort();
}

/**
 * The rows `indices` of `x` (samples first), as a new tensor.
 *
 * @example
 * const normal = selectRows(xTrain, indicesOfDigit);
 */
export function selectRows(x: Tensor, indices: ArrayLike<number>): Tensor {
  if (x.rank < 1) throw new RangeError('selectRows: expected samples first, got a scalar');
  const n = x.shape[0];
  const rowSize = n === 0 ? 0 : x.size / n;
  const out = x.dtype === 'float64' ? new Float64Array(indices.length * rowSize) : new Float32Array(indices.length * rowSize);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`selectRows: index ${r} is ${i}, outside [0, ${n})`);
    out.set(x.values.subarray(i * rowSize, (i + 1) * rowSize), r * rowSize);
  }
  return new Tensor(out, [indices.length, ...x.shape.slice(1)]);
}
