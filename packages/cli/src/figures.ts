import { mean, Random, reshape, square, sub, type Tensor } from '@aekit/core';
import { encodePng, imageGrid, scatterPlot } from '@aekit/data';
import { Autoencoder, fitPca, psnr, sliceRows, ssim, VariationalAutoencoder, type Model } from '@aekit/models';
import type { ModelType } from './catalogue.js';
import { firstRows, type Dataset } from './dataset.js';
import { RUN_FILES, type RunFolder } from './run-folder.js';

/** Test images shown in the reconstruction grid. */
const GRID_COUNT = 10;

/** The test metrics of a trained model, as `metrics.json` records them. */
export interface RunMetrics {
  /** The training objective on the test set (for a VAE, the negative ELBO per image in nats). */
  test_loss: number;
  /** Mean squared error of the reconstructions against the clean test images. */
  test_mse: number;
  /** Peak signal-to-noise ratio (dB) and structural similarity of the reconstructions. */
  psnr: number;
  ssim: number;
  /** For a denoising model, the same for the noisy inputs: what denoising started from. */
  noisy_psnr?: number;
  noisy_ssim?: number;
}

/** Flattened images as `[n, 28, 28]` for the image metrics. */
const asImages = (x: Tensor) => reshape(x, [-1, 28, 28]);
const MNIST_IMAGE = { imageShape: [28, 28] as [number, number] };

/** Scores `model` on the test set: its loss, and how close its reconstructions come to the clean images. */
export function evaluateRun(model: Model, type: ModelType, data: Dataset): RunMetrics {
  const reconstructions = model.predict(data.testInput, { batchSize: 256 });
  const metrics: RunMetrics = {
    test_loss: model.evaluate(data.testInput, data.testTarget, { batchSize: 256 }),
    test_mse: mean(square(sub(reconstructions, data.testTarget))).item(),
    psnr: psnr(asImages(reconstructions), asImages(data.testTarget)),
    ssim: ssim(asImages(reconstructions), asImages(data.testTarget), MNIST_IMAGE),
  };
  if (type.denoising) {
    metrics.noisy_psnr = psnr(asImages(data.testInput), asImages(data.testTarget));
    metrics.noisy_ssim = ssim(asImages(data.testInput), asImages(data.testTarget), MNIST_IMAGE);
  }
  return metrics;
}

/** The code of each sample: the encoder's output, or a VAE's posterior mean. */
export function codesOf(model: Model, x: Tensor): Tensor {
  if (model instanceof VariationalAutoencoder) return model.encode(x, { batchSize: 256 }).mean;
  if (model instanceof Autoencoder) return reshape(model.encode(x, { batchSize: 256 }), [x.shape[0], -1]);
  throw new TypeError(`${model.name} is not an autoencoder: it has no code to map`);
}

/** The reconstruction grid: (noisy inputs,) reconstructions and clean originals, one row each, as the seed's figure. */
export function reconstructionGrid(model: Model, type: ModelType, data: Dataset): Uint8Array {
  const input = firstRows(data.testInput, GRID_COUNT);
  const rows = [
    ...(type.denoising ? [input] : []),
    model.predict(input),
    firstRows(data.testTarget, GRID_COUNT),
  ].map((t) => reshape(t, [-1, 28, 28]));
  return encodePng(imageGrid(rows, { padding: 2, scale: 2 }));
}

/** The 2-D latent map of the test digits coloured by label: the code itself when 2-D, else its first two principal components. */
export function latentMap(model: Model, data: Dataset): string {
  const codes = codesOf(model, data.testInput);
  const width = codes.shape[1];
  const points = width === 2 ? codes : fitPca(codes, 2).transform(codes);
  const title = width === 2 ? 'The 2-D code of the test digits' : `The ${width}-D code of the test digits, projected on its first two principal components`;
  return scatterPlot(points, data.testLabels, { title, legend: true });
}

/** New digits decoded from the prior, and an interpolation strip between two test digits (a VAE only). */
export function generativeFigures(model: VariationalAutoencoder, data: Dataset, seed: number): { samples: Uint8Array; interpolation: Uint8Array } {
  const samples = model.sample(40, new Random(seed));
  const rows = [0, 1, 2, 3].map((r) => reshape(sliceRows(samples, r * 10, (r + 1) * 10), [10, 28, 28]));
  const row = (i: number) => sliceRows(data.testInput, i, i + 1);
  // The first two test digits of different classes, so the strip morphs one into the other.
  const second = data.testLabels.findIndex((label) => label !== data.testLabels[0]);
  const strip = model.interpolate(row(0), row(Math.max(second, 1)), 10);
  return {
    samples: encodePng(imageGrid(rows, { padding: 2, scale: 2 })),
    interpolation: encodePng(imageGrid([reshape(strip, [10, 28, 28])], { padding: 2, scale: 2 })),
  };
}

/** Writes every figure a trained model supports into its run folder. */
export async function writeFigures(folder: RunFolder, model: Model, type: ModelType, data: Dataset, seed: number): Promise<void> {
  await folder.write(RUN_FILES.reconstructions, reconstructionGrid(model, type, data));
  await folder.write(RUN_FILES.latentMap, latentMap(model, data));
  if (model instanceof VariationalAutoencoder) {
    const { samples, interpolation } = generativeFigures(model, data, seed);
    await folder.write(RUN_FILES.samples, samples);
    await folder.write(RUN_FILES.interpolation, interpolation);
  }
}
