import { adam, kernelsInfo } from '@aekit/core';
import { UsageError, type OptionSpecs, type Options } from '../args.js';
import { codeSize, modelType, modelTypes } from '../catalogue.js';
import { mnistDataset } from '../dataset.js';
import { evaluateRun, writeFigures } from '../figures.js';
import type { Io } from '../io.js';
import { writeRunReport } from '../report.js';
import { RUN_FILES, RunFolder, type RunConfig } from '../run-folder.js';

export const trainOptions: OptionSpecs = {
  model: { type: 'string', description: 'The autoencoder type', choices: Object.keys(modelTypes), default: 'dense' },
  epochs: { type: 'integer', description: 'Passes over the training images', default: 10, min: 1 },
  'batch-size': { type: 'integer', description: "Samples per step (default: the model type's, 256 or 128)", min: 1 },
  'code-dim': { type: 'integer', description: "Width of the code (default: the model type's)", min: 1 },
  noise: { type: 'number', description: 'Gaussian noise factor of the denoising types', default: 0.2, min: 0, max: 1 },
  'learning-rate': { type: 'number', description: "Adam's learning rate", default: 0.001, min: 0 },
  'train-limit': { type: 'integer', description: 'Train on the first N training images only', min: 1, placeholder: 'N' },
  'test-limit': { type: 'integer', description: 'Validate on the first N test images only', min: 1, placeholder: 'N' },
  seed: { type: 'integer', description: 'Seeds weights, shuffling and noise: the same seed gives the same weights', default: 42 },
  out: { type: 'string', description: 'The run folder to write (default: runs/<model>)', placeholder: 'DIR' },
  quiet: { type: 'boolean', description: 'Print nothing but errors' },
};

export const trainHelp = {
  summary:
    'Trains an autoencoder on MNIST and writes a run folder: the model, its history (JSON and CSV), metrics, figures and report.html.',
  examples: ['aekit train --model conv-denoising --epochs 5 --out runs/conv', 'aekit train --model vae --code-dim 2 --epochs 10'],
};

/** `aekit train`: returns the run folder it wrote. */
export async function train(options: Options, io: Io): Promise<RunFolder> {
  const name = options.string('model');
  const type = modelType(name);
  const folder = new RunFolder(options.string('out', true) ?? `runs/${name}`).create();
  const quiet = options.flag('quiet');
  const givenCodeDim = options.number('code-dim', true);
  if (givenCodeDim !== undefined && type.codeDim === null) {
    throw new UsageError(`--code-dim does not apply to --model ${name}: its architecture fixes the code`);
  }
  const settings = {
    codeDim: givenCodeDim ?? type.codeDim ?? 0,
    noise: options.number('noise'),
    seed: options.number('seed'),
  };
  const data = mnistDataset(type, {
    trainLimit: options.number('train-limit', true),
    testLimit: options.number('test-limit', true),
    noise: settings.noise,
    seed: settings.seed,
  });
  const model = type.build(settings);
  const learningRate = options.number('learning-rate');
  model.compile({ optimizer: adam({ learningRate }), loss: type.loss });
  const summary = model.summary(quiet ? null : io.out);
  const batchSize = options.number('batch-size', true) ?? type.batchSize;
  const epochs = options.number('epochs');

  const started = performance.now();
  const history = await model.fit(data.train, data.train, {
    epochs,
    batchSize: Math.min(batchSize, data.train.shape[0]),
    validationData: [data.testInput, data.testTarget],
    seed: settings.seed,
    verbose: quiet ? 0 : 1,
  });
  const config: RunConfig = {
    model: name,
    epochs,
    batchSize,
    codeDim: codeSize(model),
    noise: settings.noise,
    seed: settings.seed,
    learningRate,
    trainLimit: options.number('train-limit', true),
    testLimit: options.number('test-limit', true),
    kernels: kernelsInfo().tier,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    created: new Date().toISOString(),
  };

  await folder.writeTraining(model, config, history);
  await folder.write(RUN_FILES.summary, `${summary}\n`);
  await folder.writeJson(RUN_FILES.metrics, evaluateRun(model, type, data));
  await writeFigures(folder, model, type, data, settings.seed);
  const report = await writeRunReport(folder);
  if (!quiet) io.out(`Wrote ${report}`);
  return folder;
}
