// The models behind each kind (kinds.ts), compiled, as in the seed tutorials
// but sized so that an epoch of 6,000 digits takes seconds on a laptop's CPU.
import type { Random, Tensor } from '@aekit/core';
import { gaussianNoise } from '@aekit/data';
import { convAutoencoder, denseAutoencoder, denseVariationalAutoencoder, type Model } from '@aekit/models';
import type { KindId } from './kinds.js';

/** Gaussian noise at the slider's level of the moment (read at every batch), drawn from fit's seeded generator. */
const liveNoise = (level: () => number) => (x: Tensor, rng: Random) => gaussianNoise(x, level(), rng);

const compiled = { optimizer: 'adam', loss: 'binaryCrossentropy' } as const;

/** Builds a kind's model from a seed; `noise()` is the denoising models' corruption level. */
export const BUILDERS: Record<KindId, (seed: number, noise: () => number) => Model> = {
  dense: (seed) => denseAutoencoder({ inputDim: 784, codeDim: 32, seed }).compile(compiled),
  sparse: (seed) => denseAutoencoder({ inputDim: 784, codeDim: 64, seed, sparsity: { kind: 'l1', factor: 1e-4 } }).compile(compiled),
  'denoising-dense': (seed, noise) =>
    denseAutoencoder({ inputDim: 784, codeDim: 32, hidden: [128], seed, corruption: liveNoise(noise) }).compile(compiled),
  'denoising-conv': (seed, noise) => convAutoencoder({ filters: [16, 32], seed, corruption: liveNoise(noise) }).compile(compiled),
  vae: (seed) => denseVariationalAutoencoder({ inputDim: 784, latentDim: 2, hidden: [256], seed }).compile(compiled),
};
