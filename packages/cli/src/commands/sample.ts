import { VariationalAutoencoder } from '@aekit/models';
import { loadModel } from '@aekit/models/node';
import { UsageError, type OptionSpecs, type Options } from '../args.js';
import { modelType } from '../catalogue.js';
import { mnistDataset } from '../dataset.js';
import { generativeFigures } from '../figures.js';
import type { Io } from '../io.js';
import { writeRunReport } from '../report.js';
import { RUN_FILES, RunFolder } from '../run-folder.js';

export const sampleOptions: OptionSpecs = {
  run: { type: 'string', description: "A run folder of a variational model written by 'aekit train'", placeholder: 'DIR' },
  seed: { type: 'integer', description: 'Seeds the codes drawn from the prior', default: 1 },
};

export const sampleHelp = {
  summary: 'Draws new digits from a trained variational autoencoder, and an interpolation strip between two test digits.',
  examples: ['aekit sample --run runs/vae --seed 7'],
};

/** `aekit sample`: new samples and an interpolation from a saved VAE. */
export async function sample(options: Options, io: Io): Promise<void> {
  const folder = new RunFolder(options.string('run'));
  const config = folder.config();
  const type = modelType(config.model);
  if (!type.generative) throw new UsageError(`the run in ${folder.dir} is a '${config.model}' model, which cannot generate; train a vae`);
  const model = await loadModel(folder.path(RUN_FILES.model));
  if (!(model instanceof VariationalAutoencoder)) {
    throw new UsageError(`${folder.path(RUN_FILES.model)} holds a ${model.constructor.name}, not a variational autoencoder`);
  }
  const data = mnistDataset(type, { trainLimit: 1, testLimit: 100, noise: config.noise, seed: config.seed });
  const { samples, interpolation } = generativeFigures(model, data, options.number('seed'));
  await folder.write(RUN_FILES.samples, samples);
  await folder.write(RUN_FILES.interpolation, interpolation);
  await writeRunReport(folder);
  io.out(`Wrote ${folder.path(RUN_FILES.samples)} and ${folder.path(RUN_FILES.interpolation)}`);
}
