/**
 * The sparse autoencoder from Keras's blog: the vanilla 784-32-784 model with an
 * L1 activity penalty of 1e-4 on the code, beside the same model without it,
 * and the KL sparsity alternative (a sigmoid code pulled toward a mean
 * activation rho = 0.05). Adam, binary cross-entropy, batch 256, 10 epochs.
 * Each penalty is logged as `sparsity_loss`; the table compares how sparse the
 * codes get and what it costs in test reconstruction loss.
 *
 * Quality bar (issue 5): with L1, the mean code activation is at most 0.6 of the
 * plain model's, at a test reconstruction loss within 15% of it.
 *
 * Run: pnpm --filter @aekit/examples sparse-autoencoder   (EPOCHS=n to change the length)
 */
import { abs, mean, reshape } from '@aekit/core';
import { loadMnist } from '@aekit/data/node';
import { denseAutoencoder, type DenseAutoencoderOptions } from '@aekit/models';

const epochs = Number(process.env.EPOCHS ?? 10);
const { train, test } = loadMnist();
const xTrain = reshape(train.images, [-1, 784]);
const xTest = reshape(test.images, [-1, 784]);

async function run(title: string, options: Partial<DenseAutoencoderOptions>) {
  console.log(`\n${title}:`);
  const ae = denseAutoencoder({ inputDim: 784, codeDim: 32, seed: 3, ...options }).compile({
    optimizer: 'adam',
    loss: 'binaryCrossentropy',
  });
  const history = await ae.fit(xTrain, xTrain, { epochs, batchSize: 256, validationData: [xTest, xTest], seed: 3 });
  const codes = ae.encode(xTest, { batchSize: 1000 });
  const zeros = codes.toArray().filter((v) => v < 1e-3).length / codes.size;
  const h = history.history;
  // The reconstruction part alone: val_loss of a penalised model includes its penalty.
  const reconstruction = (h.val_reconstruction_loss ?? h.val_loss).at(-1) ?? NaN;
  return { meanActivation: mean(abs(codes)).item(), zeros, reconstruction };
}

const plain = await run('Without a penalty (relu code)', {});
const sparse = await run('With an L1 activity penalty of 1e-4 on the code (relu code)', { sparsity: { kind: 'l1', factor: 1e-4 } });
const plainSigmoid = await run('Without a penalty (sigmoid code)', { activation: 'sigmoid' });
const kl = await run('With the KL sparsity penalty, rho 0.05, weight 0.01 (sigmoid code)', {
  activation: 'sigmoid',
  sparsity: { kind: 'kl', rho: 0.05, weight: 0.01 },
});

console.log('\n| model | mean code activation | activations < 1e-3 | test reconstruction loss (BCE) |');
console.log('| --- | --- | --- | --- |');
const rows = [
  ['plain, relu code', plain],
  ['L1 1e-4, relu code', sparse],
  ['plain, sigmoid code', plainSigmoid],
  ['KL rho 0.05, sigmoid code', kl],
] as const;
for (const [name, r] of rows) {
  console.log(`| ${name} | ${r.meanActivation.toFixed(3)} | ${(100 * r.zeros).toFixed(1)}% | ${r.reconstruction.toFixed(4)} |`);
}
const activationRatio = sparse.meanActivation / plain.meanActivation;
const lossRatio = sparse.reconstruction / plain.reconstruction;
console.log(`\nL1: mean activation ${activationRatio.toFixed(2)} of plain (bar <= 0.6), reconstruction loss ${lossRatio.toFixed(3)}x plain (bar <= 1.15)`);
if (!(activationRatio <= 0.6 && lossRatio <= 1.15)) {
  console.error('The sparse autoencoder missed its quality bar');
  process.exit(1);
}
