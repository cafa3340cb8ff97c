/**
 * The multilayer autoencoder: 784 -> 256 -> 128 -> 32 -> 128 -> 256 -> 784, symmetric,
 * the middle layer the code (476,720 parameters). Relu inside, sigmoid out, Adam,
 * binary cross-entropy, batch 256, validated on the 10,000 test digits. Writes
 * out/multilayer-autoencoder/reconstructions.png: 10 test digits over their reconstructions.
 *
 * Run: pnpm --filter @aekit/examples multilayer-autoencoder   (EPOCHS=n to change the length; default 10)
 */
import { fileURLToPath } from 'node:url';
import { reshape, slice, squaredErrorMean } from '@aekit/core';
import { imageGrid } from '@aekit/data';
import { loadMnist, writePng } from '@aekit/data/node';
import { denseAutoencoder } from '@aekit/models';

const epochs = Number(process.env.EPOCHS ?? 10);
const OUT = fileURLToPath(new URL('../out/multilayer-autoencoder/reconstructions.png', import.meta.url));

const { train, test } = loadMnist();
const xTrain = reshape(train.images, [-1, 784]);
const xTest = reshape(test.images, [-1, 784]);

const autoencoder = denseAutoencoder({ inputDim: 784, hidden: [256, 128], codeDim: 32, seed: 42 });
autoencoder.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
autoencoder.summary();

const started = performance.now();
const history = await autoencoder.fit(xTrain, xTrain, { epochs, batchSize: 256, validationData: [xTest, xTest], seed: 42 });
const seconds = (performance.now() - started) / 1000;

const originals = slice(xTest, [0, 0], [10, 784]);
const codes = autoencoder.encode(originals); // [10, 32]: the code alone, from the encoder half
const reconstructions = autoencoder.decode(codes);
await writePng(OUT, imageGrid([originals, reconstructions], { imageShape: [28, 28], padding: 2, scale: 2 }));
const valLoss = history.history.val_loss.at(-1) ?? NaN;
const mse = squaredErrorMean(autoencoder.predict(xTest, { batchSize: 1000 }), xTest).item();
console.log(`Wrote ${OUT}`);
console.log(`${epochs} epochs in ${seconds.toFixed(0)} s: test BCE ${valLoss.toFixed(4)}, test MSE ${mse.toFixed(4)}`);
