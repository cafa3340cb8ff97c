import { describe, expect, it } from 'vitest';
import { Random, tensor } from '@aekit/core';
import { Autoencoder, dense, denseAutoencoder, sequential } from '@aekit/models';

function randomBatch(n: number, d: number, seed = 1) {
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
