/**
 * A variational autoencoder on MNIST: 784 -> 512 -> (mean, log-variance) of LATENT (default 2)
 * -> z -> 512 -> 784, a Bernoulli decoder (binary cross-entropy summed over the 784 pixels)
 * plus KL, Adam, batch 128. Prints the test negative ELBO in nats per image (reconstruction +
 * KL, averaged over the 10,000 test images). Writes a grid of new digits decoded from the
 * prior and an interpolation strip between two test digits; with a 2-D code, also the latent
 * map (test digits' codes coloured by class) and the decoded manifold over a grid of latent points.
 *
 * Quality bar (issue 5): with LATENT=20 and 10 epochs, test negative ELBO <= 108 nats.
 *
 * Run: pnpm --filter @aekit/examples variational-autoencoder           (2-D code, the figures)
 *      LATENT=20 pnpm --filter @aekit/examples variational-autoencoder (the quality bar)
 *      EPOCHS=n to change the length.
 */
import { fileURLToPath } from 'node:url';
import { Random, reshape, slice, tensor } from '@aekit/core';
import { imageGrid, scatterPlot } from '@aekit/data';
import { loadMnist, writeFileAtomic, writePng } from '@aekit/data/node';
import { denseVariationalAutoencoder } from '@aekit/models';

const epochs = Number(process.env.EPOCHS ?? 10);
const latentDim = Number(process.env.LATENT ?? 2);
const TARGET_NEGATIVE_ELBO = 108;
const out = (name: string) => fileURLToPath(new URL(`../out/variational-autoencoder/latent-${latentDim}/${name}`, import.meta.url));

const { train, test } = loadMnist();
const xTrain = reshape(train.images, [-1, 784]);
const xTest = reshape(test.images, [-1, 784]);

const vae = denseVariationalAutoencoder({ inputDim: 784, latentDim, hidden: [512], seed: 7 });
vae.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
vae.summary();
await vae.fit(xTrain, xTrain, { epochs, batchSize: 128, validationData: [xTest, xTest], seed: 7 });

// With binary cross-entropy and beta 1 the objective is the negative ELBO per image
// (one sample of z per image, drawn from a fixed generator): evaluate gives it on the test set.
const negativeElbo = vae.evaluate(xTest, xTest, { batchSize: 500 });
console.log(`Test negative ELBO: ${negativeElbo.toFixed(2)} nats per image (latent ${latentDim}, ${epochs} epochs)`);

// New digits: codes drawn from the prior N(0, I), decoded.
const samples = vae.sample(40, new Random(1));
const rows = [0, 1, 2, 3].map((r) => slice(samples, [r * 10, 0], [10, 784]));
await writePng(out('samples.png'), imageGrid(rows, { imageShape: [28, 28], scale: 2 }));

// A walk from one test digit to another through the code space.
const first = slice(xTest, [0, 0], [1, 784]);
const second = slice(xTest, [1, 0], [1, 784]);
await writePng(out('interpolation.png'), imageGrid([vae.interpolate(first, second, 10)], { imageShape: [28, 28], scale: 2 }));

if (latentDim === 2) {
  // The latent map (the seed's 2-D code figure): each test digit's mean code, coloured by its class.
  const { mean } = vae.encode(xTest, { batchSize: 1000 });
  const map = scatterPlot(mean, test.labels, { title: 'VAE latent means of the 10,000 test digits', xLabel: 'z₁', yLabel: 'z₂' });
  await writeFileAtomic(out('latent-map.svg'), map);

  // The manifold: decode a 15 x 15 grid of codes spanning [-2, 2]^2.
  const side = 15;
  const codes = new Float32Array(side * side * 2);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      codes[(i * side + j) * 2] = -2 + (4 * j) / (side - 1);
      codes[(i * side + j) * 2 + 1] = 2 - (4 * i) / (side - 1);
    }
  }
  const manifold = vae.decode(tensor(codes, [side * side, 2]));
  const manifoldRows = Array.from({ length: side }, (_, r) => slice(manifold, [r * side, 0], [side, 784]));
  await writePng(out('manifold.png'), imageGrid(manifoldRows, { imageShape: [28, 28], padding: 0 }));
}
console.log(`Wrote ${out('samples.png')} and interpolation.png${latentDim === 2 ? ', latent-map.svg and manifold.png' : ''}`);
if (latentDim === 20 && epochs >= 10 && !(negativeElbo <= TARGET_NEGATIVE_ELBO)) {
  console.error(`Test negative ELBO ${negativeElbo.toFixed(2)} missed the bar of ${TARGET_NEGATIVE_ELBO} nats`);
  process.exit(1);
}
