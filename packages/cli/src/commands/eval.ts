import { loadModel } from '@aekit/models/node';
import type { OptionSpecs, Options } from '../args.js';
import { modelType } from '../catalogue.js';
import { mnistDataset } from '../dataset.js';
import { evaluateRun, reconstructionGrid } from '../figures.js';
import type { Io } from '../io.js';
import { writeRunReport } from '../report.js';
import { RUN_FILES, RunFolder } from '../run-folder.js';

export const evalOptions: OptionSpecs = {
  run: { type: 'string', description: "A run folder written by 'aekit train'", placeholder: 'DIR' },
  'test-limit': { type: 'integer', description: "Score the first N test images only (default: the run's)", min: 1, placeholder: 'N' },
};

export const evalHelp = {
  summary: "Scores a trained model on the MNIST test images (loss, MSE, PSNR and SSIM; for a denoising model, the noisy inputs' too) and updates its run folder.",
  examples: ['aekit eval --run runs/conv'],
};

/** `aekit eval`: recomputes the metrics of a saved run. */
export async function evaluate(options: Options, io: Io): Promise<void> {
  const folder = new RunFolder(options.string('run'));
  const config = folder.config();
  const type = modelType(config.model);
  const model = await loadModel(folder.path(RUN_FILES.model));
  model.compile({ loss: type.loss });
  const data = mnistDataset(type, {
    trainLimit: 1,
    testLimit: options.number('test-limit', true) ?? config.testLimit,
    noise: config.noise,
    seed: config.seed,
  });
  const metrics = evaluateRun(model, type, data);
  await folder.writeJson(RUN_FILES.metrics, metrics);
  await folder.write(RUN_FILES.reconstructions, reconstructionGrid(model, type, data));
  await writeRunReport(folder);
  for (const [name, value] of Object.entries(metrics)) io.out(`${name}: ${value.toFixed(4)}`);
}
