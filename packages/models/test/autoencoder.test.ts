import { describe, expect, it } from 'vitest';
import { adam, l1, l2, lossByName, mean, abs, Random, tensor, type Tensor } from '@aekit/core';
import { gaussianNoise, maskingNoise, saltAndPepperNoise } from '@aekit/data';
import { Autoencoder, dense, denseAutoencoder, sequential, type DenseAutoencoderOptions, type NoiseOptions } from '@aekit/models';

function randomBatch(n: number, d: number, seed = 1): Tensor {
  const rng = new Random(seed);
  return tensor(Float32Array.from({ length: n * d }, () => rng.next()), [n, d]);
}

describe('Autoencoder', () => {
  it('has the seed model: 784-64-784 with 101,200 parameters', () => {
    const ae = denseAutoencoder({ inputDim: 784, codeDim: 64 });
    expect(ae.codeShape).toEqual([64]);
    expect(ae.countParams()).toBe(101_200);
  });

  it('has the multilayer model: 784-256-128-32-128-256-784 with 476,720 parameters', () => {
    const ae = denseAutoencoder({ inputDim: 784, hidden: [256, 128], codeDim: 32 });
    expect(ae.countParams()).toBe(476_720);
    expect(ae.summaryRows().map((r) => r.outputShape[0])).toEqual([256, 128, 32, 128, 256, 784]);
  });

  it('encodes and decodes apart, and predict equals decode(encode(x))', () => {
    const ae = denseAutoencoder({ inputDim: 20, codeDim: 3, seed: 5 });
    const x = randomBatch(7, 20);
    const z = ae.encode(x, { batchSize: 3 });
    expect(z.shape).toEqual([7, 3]);
    const viaHalves = ae.decode(z, { batchSize: 4 });
    expect(viaHalves.shape).toEqual([7, 20]);
    expect(ae.predict(x).toArray()).toEqual(viaHalves.toArray());
  });

  it('draws encoder and decoder weights from one seeded generator', () => {
    const a = denseAutoencoder({ inputDim: 6, codeDim: 6, seed: 9 });
    const b = denseAutoencoder({ inputDim: 6, codeDim: 6, seed: 9 });
    const [encA, decA] = [a.namedWeights()[0][1], a.namedWeights()[2][1]];
    expect(encA.toArray()).toEqual(b.namedWeights()[0][1].toArray());
    // Same shapes, but the decoder continues the stream rather than repeating it.
    expect(decA.toArray()).not.toEqual(encA.toArray());
    expect(a.namedWeights().map(([k]) => k)).toEqual(['encoder.0.kernel', 'encoder.0.bias', 'decoder.0.kernel', 'decoder.0.bias']);
  });

  it('names the shapes when the decoder does not take the code', () => {
    const encoder = sequential([dense(4)], { inputShape: [8] });
    const decoder = sequential([dense(8)], { inputShape: [5] });
    expect(() => new Autoencoder(encoder, decoder)).toThrow(/decoder does not accept the encoder's code of shape \[4\]/);
  });
});

describe('denoising and sparse autoencoders', () => {
  it('corrupts the input in training only, with fit\'s generator, and keeps the target clean', async () => {
    const x = randomBatch(64, 6);
    const seen: { training: boolean }[] = [];
    const ae = denseAutoencoder({
      inputDim: 6,
      codeDim: 3,
      corruption: (batch: Tensor, rng: Random) => {
        seen.push({ training: true });
        return tensor(batch.values.map((v) => v + 0.1 * rng.normal()), batch.shape);
      },
    }).compile({ loss: 'mse' });
    const history = await ae.fit(x, x, { epochs: 2, batchSize: 16, validationData: [x, x], verbose: 0 });
    expect(seen).toHaveLength(2 * 4); // every training batch, never a validation batch
    // With clean validation inputs, val_loss is exactly evaluate on clean data.
    expect(ae.evaluate(x, x, { batchSize: 16 })).toBeCloseTo(history.history.val_loss[1], 6);
  });

  it('logs the sparsity penalty apart and makes the code sparser than without it', async () => {
    const x = randomBatch(256, 12, 4);
    const train = async (penalty: number) => {
      const ae = denseAutoencoder({
        inputDim: 12,
        codeDim: 8,
        seed: 5,
        activityRegularizer: penalty > 0 ? (z: Tensor) => l1(z, penalty) : undefined,
      }).compile({ optimizer: adam({ learningRate: 0.01 }), loss: 'mse' });
      const history = await ae.fit(x, x, { epochs: 10, batchSize: 32, verbose: 0 });
      return { history: history.history, activity: mean(abs(ae.encode(x))).item() };
    };
    const plain = await train(0);
    const sparse = await train(0.3);
    expect(Object.keys(sparse.history)).toEqual(['loss', 'reconstruction_loss', 'sparsity_loss']);
    sparse.history.loss.forEach((total, e) => expect(total).toBeCloseTo(sparse.history.reconstruction_loss[e] + sparse.history.sparsity_loss[e], 5));
    expect(sparse.activity).toBeLessThan(0.5 * plain.activity);
  });
});

describe('sparsity, noise and regularization options', () => {
  const mse = lossByName('mse');
  const context = () => ({ training: true, rng: new Random(0) });

  it("scales the L1 penalty per sample, so its weight does not depend on the batch size (the sparse example's collapse: 256 times too strong)", () => {
    const ae = denseAutoencoder({ inputDim: 6, codeDim: 4, seed: 2, sparsity: { kind: 'l1', factor: 0.01 } });
    const rows = randomBatch(3, 6, 7);
    const twice = tensor(Float32Array.from([...rows.values, ...rows.values]), [6, 6]);
    const code = ae.encode(rows);
    const expected = (0.01 * code.toArray().reduce((s, v) => s + Math.abs(v), 0)) / 3;
    expect(code.toArray().some((v) => v > 0)).toBe(true);
    // A batch of 3 and the same 3 twice (a batch of 6): the same penalty, the per-sample mean.
    expect(ae.objective(rows, rows, mse, context()).terms.sparsity_loss.item()).toBeCloseTo(expected, 6);
    expect(ae.objective(twice, twice, mse, context()).terms.sparsity_loss.item()).toBeCloseTo(expected, 6);
  });

  it('gives the KL penalty on the batch mean activation without dividing it again', () => {
    const ae = denseAutoencoder({ inputDim: 6, codeDim: 4, seed: 2, activation: 'sigmoid', sparsity: { kind: 'kl', rho: 0.1, weight: 3 } });
    const x = randomBatch(5, 6, 8);
    const rhoHat = mean(ae.encode(x), 0).toArray();
    const kl = rhoHat.reduce((s, r) => s + 0.1 * Math.log(0.1 / r) + 0.9 * Math.log(0.9 / (1 - r)), 0);
    expect(ae.objective(x, x, mse, context()).terms.sparsity_loss.item()).toBeCloseTo(3 * kl, 5);
  });

  it('trains the same with sparsity l1 as with the equivalent activityRegularizer, bit for bit', async () => {
    const x = randomBatch(100, 8, 3);
    const train = async (options: Partial<DenseAutoencoderOptions>) => {
      const ae = denseAutoencoder({ inputDim: 8, codeDim: 4, seed: 1, ...options }).compile({ loss: 'binaryCrossentropy' });
      await ae.fit(x, x, { epochs: 2, batchSize: 32, verbose: 0 }); // 100 = 3 x 32 + a last batch of 4
      return ae.namedWeights().map(([, w]) => w.toArray());
    };
    expect(await train({ sparsity: { kind: 'l1', factor: 1e-3 } })).toEqual(await train({ activityRegularizer: (z: Tensor) => l1(z, 1e-3) }));
  });

  it('refuses two ways of saying one thing, and bad settings, by name', () => {
    const base = { inputDim: 4, codeDim: 2 };
    expect(() => denseAutoencoder({ ...base, sparsity: { kind: 'l1', factor: 1 }, activityRegularizer: (z: Tensor) => z })).toThrow(
      /give sparsity or activityRegularizer, not both/,
    );
    expect(() => denseAutoencoder({ ...base, noise: { kind: 'masking', fraction: 0.1 }, corruption: (z: Tensor) => z })).toThrow(
      /give noise or corruption, not both/,
    );
    expect(() => denseAutoencoder({ ...base, sparsity: { kind: 'kl', rho: 1.5, weight: 1 } })).toThrow(/rho must lie in \(0, 1\), got 1.5/);
    expect(() => denseAutoencoder({ ...base, sparsity: { kind: 'l1', factor: -1 } })).toThrow(/l1 factor must be >= 0/);
    expect(() => denseAutoencoder({ ...base, noise: { kind: 'pink' } as unknown as NoiseOptions })).toThrow(/unknown kind 'pink'/);
  });

  it('corrupts with each noise kind from fit\'s generator: the same as passing the function by hand', async () => {
    const x = randomBatch(64, 6, 5);
    const kinds: [NoiseOptions, (b: Tensor, rng: Random) => Tensor][] = [
      [{ kind: 'gaussian', factor: 0.2 }, (b, rng) => gaussianNoise(b, 0.2, rng)],
      [{ kind: 'masking', fraction: 0.3 }, (b, rng) => maskingNoise(b, 0.3, rng)],
      [{ kind: 'saltAndPepper', fraction: 0.1 }, (b, rng) => saltAndPepperNoise(b, 0.1, rng)],
    ];
    for (const [noise, corruption] of kinds) {
      const fit = async (options: Partial<DenseAutoencoderOptions>) => {
        const ae = denseAutoencoder({ inputDim: 6, codeDim: 3, seed: 4, ...options }).compile({ loss: 'mse' });
        await ae.fit(x, x, { epochs: 2, batchSize: 16, verbose: 0, seed: 8 });
        return ae.namedWeights().map(([, w]) => w.toArray());
      };
      const viaNoise = await fit({ noise });
      expect(viaNoise, noise.kind).toEqual(await fit({ corruption }));
      expect(viaNoise, noise.kind).not.toEqual(await fit({}));
    }
  });

  it("adds the layers' own penalties, logged as regularization_loss", async () => {
    const encoder = sequential([dense(3, { activation: 'relu', kernelRegularizer: (w) => l2(w, 0.01) })], { inputShape: [6] });
    const decoder = sequential([dense(6, { activation: 'sigmoid', activityRegularizer: (y) => l1(y, 0.001) })]);
    const ae = new Autoencoder(encoder, decoder, { seed: 1 }).compile({ loss: 'mse' });
    const x = randomBatch(32, 6, 6);
    const objective = ae.objective(x, x, mse, context());
    const kernel = encoder.layers[0].weights()[0][1].toArray();
    const out = ae.predict(x).toArray();
    const expected = 0.01 * kernel.reduce((s, v) => s + v * v, 0) + (0.001 * out.reduce((s, v) => s + Math.abs(v), 0)) / 32;
    expect(objective.terms.regularization_loss.item()).toBeCloseTo(expected, 5);
    expect(objective.total.item()).toBeCloseTo(objective.terms.reconstruction_loss.item() + expected, 5);
    const { history } = await ae.fit(x, x, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(Object.keys(history)).toEqual(['loss', 'reconstruction_loss', 'regularization_loss']);
  });
});
