import { describe, expect, it } from 'vitest';
import { adam, reshape, type Tensor } from '@aekit/core';
import { loadMnist } from '@aekit/data/node';
import { denseAutoencoder } from '@aekit/models';

/** The MSE on `val` of always predicting the mean training image. */
function meanImageError(train: Tensor, val: Tensor): number {
  const d = train.shape[1];
  const meanImage = new Float64Array(d);
  for (let i = 0; i < train.size; i++) meanImage[i % d] += train.values[i] / train.shape[0];
  let total = 0;
  for (let i = 0; i < val.size; i++) total += (val.values[i] - meanImage[i % d]) ** 2;
  return total / val.size;
}

describe('fit on real MNIST', () => {
  it('lowers the training and validation loss of the dense autoencoder on a small slice', async () => {
    const { train, test } = loadMnist({ trainLimit: 2048, testLimit: 512 });
    const x = reshape(train.images, [-1, 784]);
    const xVal = reshape(test.images, [-1, 784]);
    const ae = denseAutoencoder({ inputDim: 784, codeDim: 32, seed: 1 }).compile({
      optimizer: adam({ learningRate: 3e-3 }),
      loss: 'mse',
    });
    const { history } = await ae.fit(x, x, { epochs: 4, batchSize: 32, validationData: [xVal, xVal], verbose: 0 });
    expect(history.loss[3]).toBeLessThan(0.75 * history.loss[0]);
    expect(history.val_loss[3]).toBeLessThan(history.val_loss[0]);
    // Well below the error of predicting the mean image: the model reconstructs each digit.
    expect(history.val_loss[3]).toBeLessThan(0.7 * meanImageError(x, xVal));
  });
});
