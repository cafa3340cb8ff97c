import { describe, expect, it } from 'vitest';
import { adam, l1, mean, abs, Random, tensor, type Tensor } from '@aekit/core';
import { Autoencoder, dense, denseAutoencoder, sequential } from '@aekit/models';

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
