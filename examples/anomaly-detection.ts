/**
 * MNIST one-class anomaly detection, each digit in turn as "normal": train on
 * that digit's training images only, score all 10,000 test images by
 * reconstruction error, and measure how well the scores rank the other nine
 * digits above it (AUROC), beside PCA with the same code size fitted on the
 * same images. The threshold comes from the 95th percentile of the errors of
 * held-out normal images (10% of the digit's training images, never trained on).
 *
 * Run: pnpm --filter @aekit/examples anomaly-detection   (about 5 minutes on 2 cores)
 *
 * Measured (seed 42; `pnpm --filter @aekit/examples anomaly-detection`, 257 s in all; AUROC):
 *
 * | normal digit | PCA-32 | AE 5 epochs, batch 256 | AE 30 epochs, batch 64 |
 * |---|---|---|---|
 * | 0 | 0.9926 | 0.9880 | 0.9932 |
 * | 1 | 0.9989 | 0.9952 | 0.9994 |
 * | 2 | 0.9239 | 0.9106 | 0.9338 |
 * | 3 | 0.9544 | 0.9137 | 0.9565 |
 * | 4 | 0.9449 | 0.9028 | 0.9596 |
 * | 5 | 0.9732 | 0.8949 | 0.9777 |
 * | 6 | 0.9846 | 0.9428 | 0.9904 |
 * | 7 | 0.9701 | 0.9507 | 0.9720 |
 * | 8 | 0.8466 | 0.8706 | 0.8674 |
 * | 9 | 0.9632 | 0.9241 | 0.9723 |
 * | **mean** | **0.9552** | **0.9293** | **0.9622** |
 *
 * PCA-32 wins against the issue's reference run (5 epochs of batch 256: about 110 Adam steps on one digit's
 * ~5,400 images, an under-trained network). What made the difference was training longer: 30 epochs of
 * batch 64 (about 2,500 steps, 20 s per digit) beat PCA on all 10 digits and reach a mean of 0.962. Scores
 * tried on the same trained networks (all digits, seed 42, AE trained on all of each digit's images):
 *
 * | score (mean AUROC over the 10 digits) | 5 epochs, batch 256 | 30 epochs, batch 64 |
 * |---|---|---|
 * | PCA-32 reconstruction MSE | 0.9553 | 0.9553 |
 * | AE reconstruction MSE | 0.9326 | 0.9625 |
 * | Mahalanobis distance of the code to the normal codes | 0.8301 | 0.8849 |
 * | z(MSE) + z(Mahalanobis), standardized on the normal training images | 0.9233 | 0.9596 |
 * | z(log MSE) + z(log Mahalanobis) | 0.9040 | 0.9542 |
 *
 * The code's distance to the normal class does not help: other digits map to codes inside the normal
 * cloud (the encoder never saw them), so plain MSE stays the best score here.
 * Precision, recall and F1 at the threshold (95th percentile of held-out normal errors): see the second
 * table the script prints; means PCA-32 precision 0.9926, recall 0.8156, F1 0.8887; AE (30 epochs)
 * precision 0.9927, recall 0.8489, F1 0.9106, false-positive rate 0.055 (target 0.05).
 */
import { adam, reshape, type Tensor } from '@aekit/core';
import { loadMnist } from '@aekit/data/node';
import { anomalyDetector, denseAutoencoder, fitPca, selectRows, type AnomalyReport, type Reconstructor } from '@aekit/models';

const CODE = 32;
const PERCENTILE = 95;
/** The issue's reference configuration, and the one that closes the gap to PCA. */
const CONFIGS = [
  { name: 'AE 5 epochs, batch 256', epochs: 5, batchSize: 256 },
  { name: 'AE 30 epochs, batch 64', epochs: 30, batchSize: 64 },
] as const;

const { train, test } = loadMnist();
const xTrain = reshape(train.images, [-1, 784]);
const xTest = reshape(test.images, [-1, 784]);

const indicesOf = (labels: Uint8Array, digit: number) => [...labels.keys()].filter((i) => labels[i] === digit);

/** Trains on 90% of the digit's images, thresholds on the held-out 10%, reports on the test set. */
function evaluate(model: Reconstructor, validation: Tensor, labels: number[]): AnomalyReport {
  return anomalyDetector(model, { threshold: { percentile: PERCENTILE, normal: validation } }).report(xTest, labels);
}

const rows: { digit: number; pca: AnomalyReport; ae: AnomalyReport[]; seconds: number[] }[] = [];
for (let digit = 0; digit <= 9; digit++) {
  const own = indicesOf(train.labels, digit);
  const cut = Math.floor(own.length * 0.9);
  const normal = selectRows(xTrain, own.slice(0, cut));
  const validation = selectRows(xTrain, own.slice(cut));
  const labels = Array.from(test.labels, (l) => (l === digit ? 0 : 1));

  let start = performance.now();
  const pca = evaluate(fitPca(normal, CODE), validation, labels);
  const seconds = [(performance.now() - start) / 1000];
  const ae: AnomalyReport[] = [];
  for (const config of CONFIGS) {
    start = performance.now();
    const autoencoder = denseAutoencoder({ inputDim: 784, hidden: [128], codeDim: CODE, seed: 42 });
    autoencoder.compile({ optimizer: adam(), loss: 'mse' });
    await autoencoder.fit(normal, normal, { epochs: config.epochs, batchSize: config.batchSize, shuffle: true, seed: 42, verbose: 0 });
    ae.push(evaluate(autoencoder, validation, labels));
    seconds.push((performance.now() - start) / 1000);
  }
  rows.push({ digit, pca, ae, seconds });
  console.log(`digit ${digit}: PCA-${CODE} ${pca.auroc.toFixed(4)}, ${CONFIGS.map((c, i) => `${c.name} ${ae[i].auroc.toFixed(4)}`).join(', ')} (${seconds.map((s) => `${s.toFixed(1)}s`).join(' / ')})`);
}

const f = (v: number) => v.toFixed(4);
const meanOf = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + pick(r), 0) / rows.length;
const last = CONFIGS.length - 1;

console.log(`\n### AUROC, one digit normal, 10,000 test images scored (code size ${CODE})\n`);
console.log(`| normal digit | PCA-${CODE} | ${CONFIGS.map((c) => c.name).join(' | ')} |`);
console.log(`|---|${'---|'.repeat(CONFIGS.length + 1)}`);
for (const r of rows) console.log(`| ${r.digit} | ${f(r.pca.auroc)} | ${r.ae.map((a) => f(a.auroc)).join(' | ')} |`);
console.log(`| **mean** | **${f(meanOf((r) => r.pca.auroc))}** | ${CONFIGS.map((_, i) => `**${f(meanOf((r) => r.ae[i].auroc))}**`).join(' | ')} |`);

console.log(`\n### At the ${PERCENTILE}th percentile of held-out normal errors (${CONFIGS[last].name} vs PCA-${CODE})\n`);
console.log('| normal digit | model | AP | threshold | precision | recall | F1 | false-positive rate |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  for (const [name, rep] of [[`PCA-${CODE}`, r.pca], ['AE', r.ae[last]]] as const) {
    console.log(`| ${r.digit} | ${name} | ${f(rep.averagePrecision)} | ${rep.threshold.toFixed(5)} | ${f(rep.precision)} | ${f(rep.recall)} | ${f(rep.f1)} | ${f(rep.falsePositiveRate)} |`);
  }
}
console.log(`| **mean** | PCA-${CODE} | ${f(meanOf((r) => r.pca.averagePrecision))} | | ${f(meanOf((r) => r.pca.precision))} | ${f(meanOf((r) => r.pca.recall))} | ${f(meanOf((r) => r.pca.f1))} | ${f(meanOf((r) => r.pca.falsePositiveRate))} |`);
console.log(`| **mean** | AE | ${f(meanOf((r) => r.ae[last].averagePrecision))} | | ${f(meanOf((r) => r.ae[last].precision))} | ${f(meanOf((r) => r.ae[last].recall))} | ${f(meanOf((r) => r.ae[last].f1))} | ${f(meanOf((r) => r.ae[last].falsePositiveRate))} |`);
const total = rows.reduce((s, r) => s + r.seconds.reduce((a, b) => a + b, 0), 0);
console.log(`\nSeconds per digit (fit + score): PCA ${meanOf((r) => r.seconds[0]).toFixed(1)}, ${CONFIGS.map((c, i) => `${c.name} ${meanOf((r) => r.seconds[i + 1]).toFixed(1)}`).join(', ')}; total ${total.toFixed(0)} s.`);
