/**
 * The sparse autoencoder from Keras's blog: the vanilla 784-32-784 model with an
 * L1 activity penalty of 1e-4 on the code, beside the same model without it.
 * Logs the penalty as its own term and reports how much sparser the code gets.
 *
 * Run: pnpm --filter @aekit/examples sparse-autoencoder   (EPOCHS=n to change the length)
 */
import { abs, l1, mean, reshape, type Tensor } from '@aekit/core';
import { loadMnist } from '@aekit/data/node';
import { denseAutoencoder } from '@aekit/models';

const epochs = Number(process.env.EPOCHS ?? 10);
const { train, test } = loadMnist();
const xTrain = reshape(train.images, [-1, 784]);
const xTest = reshape(test.images, [-1, 784]);

async function run(penalty: number) {
  console.log(penalty > 0 ? `\nWith an L1 activity penalty of ${penalty} on the code:` : '\nWithout a penalty:');
  const ae = denseAutoencoder({
    inputDim: 784,
    codeDim: 32,
    seed: 3,
    activityRegularizer: penalty > 0 ? (z: Tensor) => l1(z, penalty) : undefined,
  }).compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const history = await ae.fit(xTrain, xTrain, { epochs, batchSize: 256, validationData: [xTest, xTest], seed: 3 });
  const codes = ae.encode(xTest);
  const zeros = codes.toArray().filter((v) => v === 0).length / codes.size;
  return { meanActivation: mean(abs(codes)).item(), zeros, valLoss: history.history.val_loss.at(-1) ?? NaN };
}

const plain = await run(0);
const sparse = await run(1e-4);
console.log('\n| model | mean code activation | zero activations | val loss |');
console.log('| --- | --- | --- | --- |');
for (const [name, r] of [['plain', plain], ['L1 1e-4', sparse]] as const) {
  console.log(`| ${name} | ${r.meanActivation.toFixed(3)} | ${(100 * r.zeros).toFixed(1)}% | ${r.valLoss.toFixed(4)} |`);
}
