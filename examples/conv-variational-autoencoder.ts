/**
 * A convolutional variational autoencoder on MNIST, as Keras's VAE example:
 * strided 3x3 convolutions (32, 64) -> flatten -> dense 16 -> mean and log-variance
 * of a LATENT-dimensional code (default 2); dense -> 7x7x64 -> transposed
 * convolutions (64, 32, stride 2) -> 28x28x1 sigmoid. Bernoulli decoder plus KL,
 * Adam, batch 128. Prints the test negative ELBO and writes
 * out/conv-variational-autoencoder/samples.png (40 digits decoded from the prior)
 * and interpolation.png (a walk between two test digits through the code space).
 *
 * Run: pnpm --filter @aekit/examples conv-variational-autoencoder   (EPOCHS=n, default 5; LATENT=n)
 */
import { fileURLToPath } from 'node:url';
import { Random, slice } from '@aekit/core';
import { imageGrid } from '@aekit/data';
import { loadMnist, writePng } from '@aekit/data/node';
import { convVariationalAutoencoder } from '@aekit/models';

const epochs = Number(process.env.EPOCHS ?? 5);
const latentDim = Number(process.env.LATENT ?? 2);
const out = (name: string) => fileURLToPath(new URL(`../out/conv-variational-autoencoder/${name}`, import.meta.url));

const { train, test } = loadMnist();
const vae = convVariationalAutoencoder({ latentDim, seed: 7 });
vae.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
vae.summary();
const started = performance.now();
await vae.fit(train.images, train.images, { epochs, batchSize: 128, validationData: [test.images, test.images], seed: 7 });
const seconds = (performance.now() - started) / 1000;
const negativeElbo = vae.evaluate(test.images, test.images, { batchSize: 500 });
console.log(`${epochs} epochs in ${seconds.toFixed(0)} s; test negative ELBO ${negativeElbo.toFixed(2)} nats per image (latent ${latentDim})`);

// New digits: codes drawn from the prior N(0, I), decoded; four rows of ten.
const samples = vae.sample(40, new Random(1));
const rows = [0, 1, 2, 3].map((r) => slice(samples, [r * 10, 0, 0, 0], [10, 28, 28, 1]));
await writePng(out('samples.png'), imageGrid(rows, { scale: 2 }));

// Three walks between pairs of test digits, ten steps each, endpoints included.
const digit = (k: number) => slice(test.images, [k, 0, 0, 0], [1, 28, 28, 1]);
const walks = [[0, 1], [2, 3], [4, 5]].map(([a, b]) => vae.interpolate(digit(a), digit(b), 10));
await writePng(out('interpolation.png'), imageGrid(walks, { scale: 2 }));
console.log(`Wrote ${out('samples.png')} and interpolation.png`);
