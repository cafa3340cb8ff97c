import { describe, expect, it } from 'vitest';
import { adam, l2, lossByName, Random, tensor, type Tensor } from '@aekit/core';
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

describe('VariationalAutoencoder objective', () => {
  it('is reproducible: two fits with the same seeds draw the same eps and give bit-identical weights', async () => {
    const x = data(96, 4);
    const fit = async (seed: number) => {
      const vae = denseVariationalAutoencoder({ inputDim: 10, latentDim: 2, hidden: [8], seed: 1 }).compile({ loss: 'binaryCrossentropy' });
      await vae.fit(x, x, { epochs: 2, batchSize: 32, verbose: 0, seed });
      return vae.namedWeights().map(([, w]) => w.toArray());
    };
    const first = await fit(3);
    expect(await fit(3)).toEqual(first);
    expect(await fit(4)).not.toEqual(first); // the fit seed drives the sampling (and the shuffling)
  });

  it("adds the layers' own penalties, logged as regularization_loss", async () => {
    const encoder = sequential([dense(8, { activation: 'relu', kernelRegularizer: (w) => l2(w, 0.01) }), dense(4)], { inputShape: [10] });
    const vae = new VariationalAutoencoder(encoder, sequential([dense(10, { activation: 'sigmoid' })]), { seed: 2 }).compile({
      loss: 'binaryCrossentropy',
    });
    const x = data(32, 5);
    const objective = vae.objective(x, x, lossByName('binaryCrossentropy'), { training: true, rng: new Random(0) });
    const kernel = encoder.layers[0].weights()[0][1].toArray();
    const penalty = 0.01 * kernel.reduce((s, v) => s + v * v, 0);
    expect(objective.terms.regularization_loss.item()).toBeCloseTo(penalty, 5);
    const { reconstruction_loss: r, kl_loss: kl } = objective.terms;
    expect(objective.total.item()).toBeCloseTo(r.item() + kl.item() + penalty, 4);
    const { history } = await vae.fit(x, x, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(Object.keys(history)).toEqual(['loss', 'reconstruction_loss', 'kl_loss', 'regularization_loss']);
  });
});
