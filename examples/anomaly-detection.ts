/**
 * MNIST one-class anomaly detection, each digit in turn as "normal": train on
 * that digit's training images only, score all 10,000 test images by
 * reconstruction error, and measure how well the scores rank the other nine
 * digits above it (AUROC), beside PCA with the same code size fitted on the
 * same images. The threshold comes from the 95th percentile of the errors of
 * held-out normal images (10% of the digit's training images, never trained on).
 *
 * Run: pnpm --filter @aekit/examples anomaly-detection   (about 3 minutes on 2 cores)
 *
 * Measured (seed 42; `pnpm --filter @aekit/examples anomaly-detection`, 179 s in all; AUROC):
 *
 * | normal digit | PCA-32 | AE 5 epochs, batch 256 | AE 5 epochs, batch 64 | AE 30 epochs, batch 256 |
 * |---|---|---|---|---|
 * | 0 | 0.9926 | 0.9880 | 0.9947 | 0.9941 |
 * | 1 | 0.9989 | 0.9952 | 0.9992 | 0.9995 |
 * | 2 | 0.9239 | 0.9104 | 0.9050 | 0.9268 |
 * | 3 | 0.9544 | 0.9138 | 0.9538 | 0.9636 |
 * | 4 | 0.9449 | 0.9028 | 0.9738 | 0.9760 |
 * | 5 | 0.9732 | 0.8949 | 0.9671 | 0.9743 |
 * | 6 | 0.9846 | 0.9427 | 0.9906 | 0.9893 |
 * | 7 | 0.9701 | 0.9507 | 0.9744 | 0.9718 |
 * | 8 | 0.8466 | 0.8706 | 0.8825 | 0.8758 |
 * | 9 | 0.9632 | 0.9241 | 0.9637 | 0.9709 |
 * | **mean** | **0.9552** | **0.9293** | **0.9605** | **0.9642** |
 *
 * PCA-32 wins against the issue's reference run (0.9552 vs 0.9293): 5 epochs of batch 256 are about
 * 110 Adam steps on one digit's ~5,400 images, and the network is under-trained. What made the
 * difference was training longer: 5 epochs of batch 64 (~530 steps) already reach 0.9605, and
 * 30 epochs of batch 256 (~660 steps, 10 s per digit) reach 0.9642, above PCA on all 10 digits
 * (closest: digit 5, 0.9743 vs 0.9732, and digit 7, 0.9718 vs 0.9701).
 * At the threshold (95th percentile of held-out normal errors), means over the digits:
 * PCA-32 AP 0.9942, precision 0.9926, recall 0.8156, F1 0.8887, false-positive rate 0.0536;
 * AE 30x256 AP 0.9954, precision 0.9926, recall 0.8450, F1 0.9076, false-positive rate 0.0565.
 *
 * Other scores and training tried (a throwaway exploration script, not kept; AE trained on all of each
 * digit's images, seed 42; mean AUROC over the 10 digits; PCA-32 is 0.9553 there):
 *
 * | score | 5 ep. b256 | 5 ep. b64 | 30 ep. b256 | 30 ep. b64 | denoising (σ 0.2), 5 ep. b256 |
 * |---|---|---|---|---|---|
 * | reconstruction MSE | 0.9326 | 0.9614 | 0.9669 | 0.9625 | 0.9356 |
 * | Mahalanobis distance of the code to the normal codes | 0.8301 | 0.8297 | 0.8560 | 0.8849 | 0.8030 |
 * | z(MSE) + z(Mahalanobis), standardized on normal training images | 0.9233 | 0.9464 | 0.9620 | 0.9596 | 0.9296 |
 * | z(log MSE) + z(log Mahalanobis) | 0.9040 | 0.9327 | 0.9454 | 0.9542 | 0.9039 |
 *
 * The code's distance to the normal class never helps (other digits land inside the normal code
 * cloud), and denoising barely moves the under-trained network: plain MSE after enough training wins.
 */
import { adam, reshape, type Tensor } from '@aekit/core';
import { loadMnist } from '@aekit/data/node';
import { anomalyDetector, denseAutoencoder, fitPca, selectRows, type AnomalyReport, type Reconstructor } from '@aekit/models';

const CODE = 32;
const PERCENTILE = 95;
/**
 * The issue's reference configuration (5 epochs of batch 256: about 110 Adam steps on one digit),
 * then two ways of training longer: more steps per epoch (batch 64), or more epochs (30 of batch 256,
 * the best found). The last one is the one reported at the threshold.
 */
const CONFIGS = [
  { name: 'AE 5 epochs, batch 256', epochs: 5, batchSize: 256 },
  { name: 'AE 5 epochs, batch 64', epochs: 5, batchSize: 64 },
  { name: 'AE 30 epochs, batch 256', epochs: 30, batchSize: 256 },
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
