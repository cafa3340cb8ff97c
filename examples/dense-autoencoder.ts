/**
 * The seed tutorial's first walkthrough, line by line: a dense autoencoder on
 * MNIST (784 -> 64 relu -> 784 sigmoid), Adam, MSE, 10 epochs of batch 256,
 * shuffled, validated on the 10,000 test digits. Writes the tutorial's figure:
 * six test digits above their reconstructions.
 *
 * Run: pnpm demo   (or: pnpm --filter @aekit/examples dense-autoencoder)
 */
import { adam, kernelsInfo, reshape, tensor } from '@aekit/core';
import { imageGrid } from '@aekit/data';
import { loadMnist, writePng } from '@aekit/data/node';
import { Autoencoder, dense, sequential } from '@aekit/models';
import { fileURLToPath } from 'node:url';

/** The published Keras run ends at val_loss 0.0051; we hold ourselves to 0.0055. */
const TARGET_VAL_LOSS = 0.0055;
const OUT = fileURLToPath(new URL('../out/dense-autoencoder/reconstructions.png', import.meta.url));

const { train, test } = loadMnist();
const xTrain = reshape(train.images, [-1, 784]);
const xTest = reshape(test.images, [-1, 784]);
console.log(`MNIST: ${xTrain.shape[0]} training and ${xTest.shape[0]} test images; kernels: ${kernelsInfo().tier}`);

const encoder = sequential([dense(64, { activation: 'relu' })], { inputShape: [784], name: 'encoder' });
const decoder = sequential([dense(784, { activation: 'sigmoid' })], { name: 'decoder' });
const autoencoder = new Autoencoder(encoder, decoder, { seed: 42 });
autoencoder.compile({ optimizer: adam(), loss: 'mse' });
autoencoder.summary();

const history = await autoencoder.fit(xTrain, xTrain, {
  epochs: 10,
  batchSize: 256,
  shuffle: true,
  validationData: [xTest, xTest],
  seed: 42,
});

// The figure: six test digits (top row) over their reconstructions (bottom row).
const originals = tensor(xTest.values.subarray(0, 6 * 784), [6, 784]);
const reconstructions = autoencoder.decode(autoencoder.encode(originals));
await writePng(OUT, imageGrid([originals, reconstructions], { imageShape: [28, 28], padding: 2, scale: 3 }));
console.log(`Wrote ${OUT}`);

const valLoss = history.history.val_loss[history.history.val_loss.length - 1];
if (!(valLoss <= TARGET_VAL_LOSS)) {
  console.error(`val_loss ${valLoss.toFixed(4)} missed the target of ${TARGET_VAL_LOSS}`);
  process.exit(1);
}
console.log(`val_loss ${valLoss.toFixed(4)} <= ${TARGET_VAL_LOSS}: the seed tutorial is reproduced.`);
