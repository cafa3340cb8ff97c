import { describe, expect, it } from 'vitest';
import { adam, adamw, Random, rmsprop, sgd, Tensor, type Optimizer } from '@aekit/core';
import { denseAutoencoder, fromArtifacts, toArtifacts, type Model } from '@aekit/models';

const x = (() => {
  const rng = new Random(21);
  return new Tensor(Float32Array.from({ length: 12 * 5 }, () => rng.uniform(0, 1)), [12, 5]);
})();

const weights = (m: Model) => m.namedWeights().map(([, t]) => Array.from(t.values));
const options = { batchSize: 4, shuffle: false, verbose: 0 as const };

const optimizers: [string, () => Optimizer][] = [
  ['Adam', () => adam({ learningRate: 0.02, beta2: 0.99, clipnorm: 1 })],
  ['AdamW', () => adamw({ weightDecay: 0.01 })],
  ['SGD', () => sgd({ learningRate: 0.1, momentum: 0.8, nesterov: true })],
  ['RMSprop', () => rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5 })],
];

describe('optimizer state in artifacts', () => {
  for (const [name, make] of optimizers) {
    it(`${name}: rebuilt from its saved hyper-parameters, one epoch after loading equals the second epoch of a straight run`, async () => {
      const build = () => denseAutoencoder({ inputDim: 5, codeDim: 2, hidden: [3], seed: 8 }).compile({ optimizer: make(), loss: 'binaryCrossentropy' });
      const straight = build();
      await straight.fit(x, x, { ...options, epochs: 2 });
      const first = build();
      await first.fit(x, x, { ...options, epochs: 1 });
      const { weightData, ...json } = toArtifacts(first, { includeOptimizer: true });
      const resumed = fromArtifacts({ ...JSON.parse(JSON.stringify(json)), weightData });
      expect(resumed.optimizer?.constructor).toBe(first.optimizer?.constructor);
      expect(resumed.optimizer?.iterations).toBe(3);
      await resumed.fit(x, x, { ...options, epochs: 1 });
      expect(weights(resumed)).toEqual(weights(straight));
    });
  }
});
