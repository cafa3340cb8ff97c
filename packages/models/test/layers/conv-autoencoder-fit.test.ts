import { describe, expect, it } from 'vitest';
import { adam, Random, Tensor } from '@aekit/core';
import { batchNormalization, conv2d, conv2dTranspose, cropping2d, dropout, maxPooling2d, sequential } from '@aekit/models';

/** 8x8 images of one bright bar, horizontal or vertical, at a random place: a tiny conv autoencoder can learn them. */
function bars(n: number, seed: number): Tensor {
  const rng = new Random(seed);
  const out = new Float32Array(n * 64);
  for (let i = 0; i < n; i++) {
    const at = rng.int(8);
    const vertical = rng.next() < 0.5;
    for (let k = 0; k < 8; k++) out[i * 64 + (vertical ? k * 8 + at : at * 8 + k)] = 1;
  }
  return new Tensor(out, [n, 8, 8, 1]);
}

describe('a tiny convolutional autoencoder', () => {
  it('lowers its loss under fit and moves every trainable weight and the moving statistics', async () => {
    const bn = batchNormalization();
    const model = sequential(
      [
        conv2d(8, 3, { activation: 'relu', padding: 'same' }),
        bn,
        maxPooling2d(2, { padding: 'same' }),
        dropout(0.1),
        conv2dTranspose(8, 3, { strides: 2, activation: 'relu', padding: 'same' }),
        conv2dTranspose(1, 3, { strides: 1, activation: 'sigmoid', padding: 'valid' }),
        cropping2d(1),
      ],
      { inputShape: [8, 8, 1], seed: 1 },
    ).compile({ optimizer: adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy' });
    expect(model.outputShape).toEqual([8, 8, 1]);
    const before = model.namedWeights().map(([name, t]): [string, number[]] => [name, t.toArray()]);
    const movingBefore = bn.movingMean!.toArray();

    const x = bars(64, 2);
    const history = await model.fit(x, x, { epochs: 12, batchSize: 16, verbose: 0, seed: 3 });
    const loss = history.history.loss;
    expect(loss[loss.length - 1]).toBeLessThan(0.2 * loss[0]);

    for (const [name, values] of before) {
      const after = model.namedWeights().find(([n]) => n === name)![1].toArray();
      expect(after, `${name} did not move`).not.toEqual(values);
    }
    expect(bn.movingMean!.toArray()).not.toEqual(movingBefore);
    // Inference runs on the moving statistics, which lag the batch ones after 48 steps at momentum 0.99, yet still beat the first epoch.
    expect(model.evaluate(x, x)).toBeLessThan(loss[0]);
  });
});
