import { describe, expect, it } from 'vitest';
import { adam, Random, Tensor } from '@aekit/core';
import { gaussianNoise } from '@aekit/data';
import { convAutoencoder, convVariationalAutoencoder } from '@aekit/models';

function images(n: number, side: number, seed: number): Tensor {
  const rng = new Random(seed);
  // Blurry blobs in [0, 1]: smooth enough for a small conv net to learn in a few steps.
  const out = new Float32Array(n * side * side);
  for (let k = 0; k < n; k++) {
    const [cy, cx] = [rng.next() * side, rng.next() * side];
    for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) out[(k * side + i) * side + j] = Math.exp(-((i - cy) ** 2 + (j - cx) ** 2) / 8);
  }
  return new Tensor(out, [n, side, side, 1]);
}

describe('convAutoencoder', () => {
  it("is exactly the seed's model: 332,801 parameters, 4x4x128 code, 28x28x1 output", () => {
    const ae = convAutoencoder({ seed: 42 });
    expect(ae.countParams()).toBe(332_801);
    expect(ae.codeShape).toEqual([4, 4, 128]);
    expect(ae.outputShape).toEqual([28, 28, 1]);
    expect(ae.summaryRows().map((r) => [r.layer, [...r.outputShape], r.params])).toEqual([
      ['encoder/conv2d (Conv2D)', [28, 28, 32], 320],
      ['encoder/max_pooling2d (MaxPooling2D)', [14, 14, 32], 0],
      ['encoder/conv2d_1 (Conv2D)', [14, 14, 64], 18_496],
      ['encoder/max_pooling2d_1 (MaxPooling2D)', [7, 7, 64], 0],
      ['encoder/conv2d_2 (Conv2D)', [7, 7, 128], 73_856],
      ['encoder/max_pooling2d_2 (MaxPooling2D)', [4, 4, 128], 0],
      ['decoder/conv2d_transpose (Conv2DTranspose)', [8, 8, 128], 147_584],
      ['decoder/conv2d_transpose_1 (Conv2DTranspose)', [16, 16, 64], 73_792],
      ['decoder/conv2d_transpose_2 (Conv2DTranspose)', [16, 16, 32], 18_464],
      ['decoder/conv2d_transpose_3 (Conv2DTranspose)', [32, 32, 1], 289],
      ['decoder/cropping2d (Cropping2D)', [28, 28, 1], 0],
    ]);
  });

  it('crops back to any input size, odd excess included, and needs no crop when the strides meet it', () => {
    expect(convAutoencoder({ inputShape: [10, 9, 2], filters: [4, 8] }).outputShape).toEqual([10, 9, 2]); // 12x12 cropped
    const exact = convAutoencoder({ inputShape: [8, 8, 1], filters: [4, 8] });
    expect(exact.decoder.layers.map((l) => l.className)).toEqual(['Conv2DTranspose', 'Conv2DTranspose', 'Conv2DTranspose']);
  });

  it('names the bad option', () => {
    expect(() => convAutoencoder({ filters: [] })).toThrow(/convAutoencoder: filters must be a non-empty list/);
    expect(() => convAutoencoder({ inputShape: [28, 28] as unknown as [number, number, number] })).toThrow(/inputShape must be \[height, width, channels\]/);
    expect(() => convAutoencoder({ kernelSize: 0 })).toThrow(/kernelSize must be a positive integer, got 0/);
  });

  it('denoises: trains on fresh noise from fit\'s generator, the encoder and decoder work apart', async () => {
    const x = images(64, 8, 1);
    const make = () =>
      convAutoencoder({ inputShape: [8, 8, 1], filters: [4, 8], seed: 3, noise: { kind: 'gaussian', factor: 0.2 } }).compile({
        optimizer: adam({ learningRate: 0.01 }),
        loss: 'binaryCrossentropy',
      });
    const ae = make();
    const noisyVal = gaussianNoise(x, 0.2, new Random(9));
    const { history } = await ae.fit(x, x, { epochs: 4, batchSize: 16, validationData: [noisyVal, x], seed: 5, verbose: 0 });
    expect(history.val_loss[3]).toBeLessThan(history.val_loss[0]);
    const codes = ae.encoder.predict(noisyVal);
    expect(codes.shape).toEqual([64, 2, 2, 8]);
    expect(ae.decoder.predict(codes).toArray()).toEqual(ae.predict(noisyVal).toArray());
    // Same seeds, same noise draws, same weights, bit for bit.
    const again = make();
    await again.fit(x, x, { epochs: 4, batchSize: 16, validationData: [noisyVal, x], seed: 5, verbose: 0 });
    again.namedWeights().forEach(([name, w], i) => expect(w.toArray(), name).toEqual(ae.namedWeights()[i][1].toArray()));
  });
});

describe('convVariationalAutoencoder', () => {
  it("has Keras's conv VAE layout: strided convs, flatten, dense 16, mean and log-variance", () => {
    const vae = convVariationalAutoencoder({ latentDim: 2, seed: 1 });
    expect(vae.latentDim).toBe(2);
    expect(vae.encoder.outputShape).toEqual([4]);
    expect(vae.outputShape).toEqual([28, 28, 1]);
    expect(vae.summaryRows().map((r) => r.layer.split(' ')[0])).toEqual([
      'encoder/conv2d',
      'encoder/conv2d_1',
      'encoder/flatten',
      'encoder/dense',
      'encoder/dense_1',
      'decoder/dense',
      'decoder/reshape',
      'decoder/conv2d_transpose',
      'decoder/conv2d_transpose_1',
      'decoder/conv2d_transpose_2',
    ]);
    // Keras's example: 69,076 encoder and 65,089 decoder parameters for latent 2.
    expect(vae.encoder.countParams()).toBe(69_076);
    expect(vae.decoder.countParams()).toBe(65_089);
  });

  it('trains on reconstruction + KL, samples images and interpolates', async () => {
    const x = images(64, 12, 2);
    const vae = convVariationalAutoencoder({ inputShape: [12, 12, 1], filters: [4, 8], hidden: 8, latentDim: 3, seed: 2 }).compile({
      optimizer: adam({ learningRate: 0.005 }),
      loss: 'binaryCrossentropy',
    });
    const { history } = await vae.fit(x, x, { epochs: 4, batchSize: 16, verbose: 0, seed: 1 });
    expect(Object.keys(history)).toEqual(['loss', 'reconstruction_loss', 'kl_loss']);
    expect(history.loss[3]).toBeLessThan(history.loss[0]);
    expect(vae.sample(5, new Random(1)).shape).toEqual([5, 12, 12, 1]);
    const one = (k: number) => new Tensor(x.values.slice(k * 144, (k + 1) * 144), [1, 12, 12, 1]);
    expect(vae.interpolate(one(0), one(1), 6).shape).toEqual([6, 12, 12, 1]);
  });

  it('names the bad option', () => {
    expect(() => convVariationalAutoencoder({ latentDim: 0 })).toThrow(/latentDim must be a positive integer, got 0/);
    expect(() => convVariationalAutoencoder({ hidden: -1 })).toThrow(/hidden must be a non-negative integer/);
  });
});
