/**
 * Pre-training: an autoencoder learns features from the 60,000 training images
 * without their labels; then a small classifier (softmax regression) learns
 * from only 100 labelled images per class. Its test accuracy on the encoder's
 * code, beside the same classifier on raw pixels and on PCA codes of the same
 * size (PCA fitted on the same unlabelled images).
 *
 * Run: pnpm --filter @aekit/examples pretraining   (about 2 minutes on 2 cores)
 *
 * Measured (seed 42; `pnpm --filter @aekit/examples pretraining`):
 *
 * | features | draw 1 | draw 2 | draw 3 | mean |
 * |---|---|---|---|---|
 * | raw pixels (784) | 0.8607 | 0.8625 | 0.8615 | **0.8616** |
 * | PCA codes (32) | 0.8597 | 0.8633 | 0.8691 | **0.8640** |
 * | autoencoder codes (32) | 0.8662 | 0.8626 | 0.8664 | **0.8651** |
 *
 * With 100 labels per class the three are within one draw's spread of each other (0.862 to 0.865):
 * a 32-float code, linear (PCA) or not (the autoencoder), keeps what a linear classifier needs from the
 * 784 pixels, 24 times fewer inputs at no cost in accuracy, but this plain MSE autoencoder's code is not
 * measurably more separable than PCA's. (Encoder trained 10 epochs of batch 256 in 48 s; classifier:
 * 100 epochs of Adam, batch 32, L2 1e-3 on standardized features.)
 */
import { adam, reshape, type Tensor } from '@aekit/core';
import { loadMnist } from '@aekit/data/node';
import { denseAutoencoder, fitPca, pickPerClass, selectRows, trainSoftmaxClassifier } from '@aekit/models';

const CODE = 32;
const PER_CLASS = 100;
const SEEDS = [1, 2, 3];

const { train, test } = loadMnist();
const xTrain = reshape(train.images, [-1, 784]);
const xTest = reshape(test.images, [-1, 784]);

let start = performance.now();
const autoencoder = denseAutoencoder({ inputDim: 784, hidden: [128], codeDim: CODE, seed: 42 });
autoencoder.compile({ optimizer: adam(), loss: 'mse' });
await autoencoder.fit(xTrain, xTrain, { epochs: 10, batchSize: 256, shuffle: true, seed: 42, verbose: 0 });
console.log(`autoencoder 784-128-${CODE}-128-784 trained on 60,000 unlabelled images in ${((performance.now() - start) / 1000).toFixed(0)} s`);
start = performance.now();
const pca = fitPca(xTrain, CODE);
console.log(`PCA-${CODE} fitted in ${((performance.now() - start) / 1000).toFixed(1)} s`);

const features: [string, Tensor, Tensor][] = [
  ['raw pixels (784)', xTrain, xTest],
  [`PCA codes (${CODE})`, pca.transform(xTrain), pca.transform(xTest)],
  [`autoencoder codes (${CODE})`, autoencoder.encode(xTrain), autoencoder.encode(xTest)],
];

// Three draws of the 1,000 labelled images, so the spread is visible beside the mean.
const results = features.map(([name, train_, test_]) => {
  const accuracies = SEEDS.map((seed) => {
    const few = pickPerClass(train.labels, PER_CLASS, { seed });
    const clf = trainSoftmaxClassifier(selectRows(train_, few), Array.from(few, (i) => train.labels[i]), { epochs: 100, seed });
    return clf.accuracy(test_, test.labels);
  });
  const mean = accuracies.reduce((s, a) => s + a, 0) / accuracies.length;
  console.log(`${name}: ${accuracies.map((a) => a.toFixed(4)).join(', ')}`);
  return { name, accuracies, mean };
});

console.log(`\n### Softmax regression on ${PER_CLASS} labels per class: test accuracy on the 10,000 MNIST test digits\n`);
console.log(`| features | ${SEEDS.map((s) => `draw ${s}`).join(' | ')} | mean |`);
console.log(`|---|${'---|'.repeat(SEEDS.length + 1)}`);
for (const r of results) console.log(`| ${r.name} | ${r.accuracies.map((a) => a.toFixed(4)).join(' | ')} | **${r.mean.toFixed(4)}** |`);
