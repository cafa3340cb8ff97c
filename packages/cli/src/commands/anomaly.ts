import { adam, kernelsInfo, reshape, type Tensor } from '@aekit/core';
import { loadMnist } from '@aekit/data/node';
import { auroc, averagePrecision, fitPca, percentileThreshold, precisionRecallF1, reconstructionErrors, selectRows, sliceRows } from '@aekit/models';
import { UsageError, type OptionSpecs, type Options } from '../args.js';
import { modelType, modelTypes } from '../catalogue.js';
import type { Io } from '../io.js';
import { writeRunReport } from '../report.js';
import { RUN_FILES, RunFolder, type RunConfig } from '../run-folder.js';

export const anomalyOptions: OptionSpecs = {
  normal: { type: 'integer', description: 'The digit that counts as normal; every other digit is an anomaly', default: 0, min: 0, max: 9 },
  model: { type: 'string', description: 'The autoencoder type', choices: Object.keys(modelTypes).filter((m) => !modelTypes[m].generative), default: 'dense' },
  epochs: { type: 'integer', description: 'Passes over the normal training images', default: 5, min: 1 },
  'code-dim': { type: 'integer', description: 'Width of the code, and the number of PCA components of the baseline', default: 32, min: 1 },
  percentile: { type: 'number', description: 'The threshold: this percentile of the held-out normal errors', default: 95, min: 0, max: 100 },
  seed: { type: 'integer', description: 'Seeds weights and shuffling', default: 42 },
  out: { type: 'string', description: 'The run folder to write (default: runs/anomaly-<normal>)', placeholder: 'DIR' },
  quiet: { type: 'boolean', description: 'Print nothing but errors' },
};

export const anomalyHelp = {
  summary:
    'One-class anomaly detection on MNIST: trains on one digit only, scores the 10,000 test images by reconstruction error, and reports AUROC, average precision and F1 at a threshold beside a PCA baseline of the same code size.',
  examples: ['aekit anomaly --normal 3 --epochs 5 --out runs/anomaly-3'],
};

/** The rows of `x` whose label is `digit`. */
const rowsOfDigit = (x: Tensor, labels: Uint8Array, digit: number): Tensor =>
  selectRows(x, Int32Array.from(labels.keys()).filter((i) => labels[i] === digit));

/** The detection figures of one scorer: ranking quality, and the decisions at the threshold. */
function detectionReport(scores: ArrayLike<number>, labels: Uint8Array, threshold: number) {
  const { precision, recall, f1 } = precisionRecallF1(scores, labels, threshold);
  return { auroc: auroc(scores, labels), averagePrecision: averagePrecision(scores, labels), threshold, precision, recall, f1 };
}

/** `aekit anomaly`: one digit normal, the rest anomalies. */
export async function anomaly(options: Options, io: Io): Promise<void> {
  const normal = options.number('normal');
  const name = options.string('model');
  const type = modelType(name);
  if (type.generative) throw new UsageError(`--model ${name} is not supported here; use a reconstruction model`);
  const quiet = options.flag('quiet');
  const folder = new RunFolder(options.string('out', true) ?? `runs/anomaly-${normal}`).create();
  const seed = options.number('seed');
  const codeDim = options.number('code-dim');

  const { train, test } = loadMnist();
  const shape = (x: Tensor) => (type.input === 'flat' ? reshape(x, [-1, 784]) : x);
  const normalTrain = rowsOfDigit(shape(train.images), train.labels, normal);
  // Hold out the last tenth of the normal images: the threshold is a percentile of errors the model never trained on.
  const held = Math.floor(normalTrain.shape[0] / 10);
  const fitRows = normalTrain.shape[0] - held;
  const fitSet = sliceRows(normalTrain, 0, fitRows);
  const heldOut = sliceRows(normalTrain, fitRows, fitRows + held);
  const xTest = shape(test.images);
  const isAnomaly = Uint8Array.from(test.labels, (label) => (label === normal ? 0 : 1));

  const model = type.build({ codeDim, noise: 0.2, seed });
  model.compile({ optimizer: adam(), loss: type.loss });
  const started = performance.now();
  const history = await model.fit(fitSet, fitSet, { epochs: options.number('epochs'), batchSize: type.batchSize, seed, verbose: quiet ? 0 : 1 });
  const threshold = percentileThreshold(reconstructionErrors(model, heldOut).perSample, options.number('percentile'));
  const autoencoder = detectionReport(reconstructionErrors(model, xTest).perSample, isAnomaly, threshold);

  // The baseline: PCA with as many components as the code, fitted on the same normal images.
  const flat = (x: Tensor) => reshape(x, [x.shape[0], -1]);
  const pca = fitPca(flat(fitSet), codeDim);
  const pcaErrors = (x: Tensor) => pca.reconstructionErrors(flat(x));
  const pcaReport = detectionReport(pcaErrors(xTest), isAnomaly, percentileThreshold(pcaErrors(heldOut), options.number('percentile')));

  const config: RunConfig = {
    model: name,
    epochs: options.number('epochs'),
    batchSize: type.batchSize,
    codeDim,
    noise: 0.2,
    seed,
    learningRate: 0.001,
    kernels: kernelsInfo().tier,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    created: new Date().toISOString(),
  };
  await folder.writeTraining(model, config, history);
  await folder.writeJson(RUN_FILES.anomaly, { normal, percentile: options.number('percentile'), autoencoder, pca: pcaReport });
  const report = await writeRunReport(folder);
  if (!quiet) {
    const line = (label: string, r: ReturnType<typeof detectionReport>) =>
      `${label.padEnd(12)} AUROC ${r.auroc.toFixed(4)}  AP ${r.averagePrecision.toFixed(4)}  precision ${r.precision.toFixed(3)}  recall ${r.recall.toFixed(3)}  F1 ${r.f1.toFixed(3)}`;
    io.out(`Digit ${normal} as normal, the other nine as anomalies (${xTest.shape[0]} test images):`);
    io.out(line('autoencoder', autoencoder));
    io.out(line(`PCA-${codeDim}`, pcaReport));
    io.out(`Wrote ${report}`);
  }
}
