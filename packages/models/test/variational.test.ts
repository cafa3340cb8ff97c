import { describe, expect, it } from 'vitest';
import { adam, Random, tensor, type Tensor } from '@aekit/core';
import { dense, denseVariationalAutoencoder, sequential, VariationalAutoencoder } from '@aekit/models';

/** Points near a 2-D manifold in R^10, squashed into (0, 1). */
function data(n: number, seed: number): Tensor {
  const rng = new Random(seed);
  const basis = Array.from({ length: 20 }, () => rng.normal());
  const out = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) {
    const a = rng.normal(), b = rng.normal();
    for (let j = 0; j < 10; j++) out[i * 10 + j] = 1 / (1 + Math.exp(-(a * basis[j] + b * basis[10 + j])));
  }
  return tensor(out, [n, 10]);
}

describe('VariationalAutoencoder', () => {
  it('trains on reconstruction + KL, logging both terms, and both fall', async () => {
    const x = data(512, 1);
    const vae = denseVariationalAutoencoder({ inputDim: 10, latentDim: 2, hidden: [16], seed: 2 }).compile({
      optimizer: adam({ learningRate: 0.01 }),
      loss: 'binaryCrossentropy',
    });
    const { history } = await vae.fit(x, x, { epochs: 8, batchSize: 32, validationSplit: 0.25, verbose: 0 });
    for (const key of ['loss', 'reconstruction_loss', 'kl_loss', 'val_loss', 'val_reconstruction_loss', 'val_kl_loss']) {
      expect(history[key], key).toHaveLength(8);
    }
    history.loss.forEach((total, e) => expect(total).toBeCloseTo(history.reconstruction_loss[e] + history.kl_loss[e], 4));
    expect(history.reconstruction_loss[7]).toBeLessThan(history.reconstruction_loss[0]);
    expect(history.kl_loss[7]).toBeGreaterThan(0); // the code carries information: it is not the prior
  });

  it('encodes to a mean and a log-variance, samples from the prior and interpolates between two inputs', () => {
    const vae = denseVariationalAutoencoder({ inputDim: 10, latentDim: 3, hidden: [8], seed: 3 });
    const x = data(4, 2);
    const { mean, logVar } = vae.encode(x);
    expect(mean.shape).toEqual([4, 3]);
    expect(logVar.shape).toEqual([4, 3]);
    expect(vae.sample(5, new Random(1)).shape).toEqual([5, 10]);
    expect(vae.sample(5, new Random(1)).toArray()).toEqual(vae.sample(5, new Random(1)).toArray());
    const a = tensor(x.values.subarray(0, 10), [1, 10]);
    const b = tensor(x.values.subarray(10, 20), [1, 10]);
    const path = vae.interpolate(a, b, 5);
    expect(path.shape).toEqual([5, 10]);
    // The endpoints decode the two means: the same as predict (which decodes the mean).
    const ends = vae.predict(tensor(x.values.subarray(0, 20), [2, 10])).toArray();
    path.toArray().slice(0, 10).forEach((v, i) => expect(v).toBeCloseTo(ends[i], 5));
    path.toArray().slice(40).forEach((v, i) => expect(v).toBeCloseTo(ends[10 + i], 5));
  });

  it('names the shape when the encoder does not output mean and log-variance', () => {
    const encoder = sequential([dense(3)], { inputShape: [4] });
    expect(() => new VariationalAutoencoder(encoder, sequential([dense(4)]))).toThrow(/must output \[2 \* latent\].*got \[3\]/);
  });
});
