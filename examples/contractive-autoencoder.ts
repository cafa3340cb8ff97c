/**
 * A contractive autoencoder (Rifai et al. 2011) on MNIST: 784 -> 64 (sigmoid) -> 784
 * (sigmoid), binary cross-entropy plus lambda ||J_f(x)||_F^2, the squared Frobenius
 * norm of the encoder's Jacobian (closed form for one dense layer), logged as
 * `contractive_loss`; beside the same model with lambda = 0. Adam, batch 128.
 * Reports how much less sensitive the code becomes and what it costs in reconstruction,
 * and writes out/contractive-autoencoder/reconstructions.png (test digits, plain, contractive).
 *
 * Run: pnpm --filter @aekit/examples contractive-autoencoder   (EPOCHS=n, default 5; LAMBDA=x, default 1e-3)
 */
import { fileURLToPath } from 'node:url';
import { reshape, slice } from '@aekit/core';
import { imageGrid } from '@aekit/data';
import { loadMnist, writePng } from '@aekit/data/node';
import { contractiveAutoencoder } from '@aekit/models';

const epochs = Number(process.env.EPOCHS ?? 5);
const lambda = Number(process.env.LAMBDA ?? 1e-3);
const OUT = fileURLToPath(new URL('../out/contractive-autoencoder/reconstructions.png', import.meta.url));

const { train, test } = loadMnist();
const xTrain = reshape(train.images, [-1, 784]);
const xTest = reshape(test.images, [-1, 784]);

async function run(weight: number) {
  console.log(`\nlambda = ${weight}:`);
  const cae = contractiveAutoencoder({ inputDim: 784, codeDim: 64, lambda: weight, seed: 5 });
  cae.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const history = await cae.fit(xTrain, xTrain, { epochs, batchSize: 128, validationData: [xTest, xTest], seed: 5 });
  const h = history.history;
  return { cae, jacobian: cae.jacobianNorm(xTest), reconstruction: (h.val_reconstruction_loss ?? h.val_loss).at(-1) ?? NaN };
}

const plain = await run(0);
const contractive = await run(lambda);
console.log('\n| model | test mean ||J_f(x)||_F^2 | test reconstruction loss (BCE) |');
console.log('| --- | --- | --- |');
console.log(`| lambda 0 | ${plain.jacobian.toFixed(3)} | ${plain.reconstruction.toFixed(4)} |`);
console.log(`| lambda ${lambda} | ${contractive.jacobian.toFixed(3)} | ${contractive.reconstruction.toFixed(4)} |`);

const originals = slice(xTest, [0, 0], [10, 784]);
await writePng(OUT, imageGrid([originals, plain.cae.predict(originals), contractive.cae.predict(originals)], { imageShape: [28, 28], scale: 2 }));
console.log(`Wrote ${OUT}`);
