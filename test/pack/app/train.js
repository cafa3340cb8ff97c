// What a user's code does with the installed packages, the same in Node, in a
// Vite app and in a page with an import map: train a small dense autoencoder on
// data that lies near a 3-dimensional subspace, and draw a few inputs and
// reconstructions as a PNG.
import { adam, kernelsInfo, Random, tensor } from '@aekit/core';
import { encodePng, gaussianNoise, imageGrid } from '@aekit/data';
import { denseAutoencoder } from '@aekit/models';

export async function train() {
  const random = new Random(7);
  const samples = 256, features = 16, factors = 3;
  const mixing = Array.from({ length: factors * features }, () => random.normal());
  const values = new Float32Array(samples * features);
  for (let s = 0; s < samples; s++) {
    const z = Array.from({ length: factors }, () => random.normal());
    for (let f = 0; f < features; f++) {
      let v = 0;
      for (let k = 0; k < factors; k++) v += z[k] * mixing[k * features + f];
      values[s * features + f] = 1 / (1 + Math.exp(-v));
    }
  }
  const x = tensor(values, [samples, features]);
  const autoencoder = denseAutoencoder({ inputDim: features, codeDim: 4, hidden: [12], seed: 7 });
  autoencoder.compile({ optimizer: adam({ learningRate: 0.01 }), loss: 'mse' });
  const history = await autoencoder.fit(gaussianNoise(x, 0.01, random), x, { epochs: 12, batchSize: 32, shuffle: true, seed: 7, verbose: 0 });
  const first = tensor(x.values.subarray(0, 4 * features), [4, features]);
  const reconstruction = autoencoder.predict(first);
  const png = encodePng(imageGrid([first, reconstruction], { imageShape: [4, 4] }));
  return {
    tier: kernelsInfo().tier,
    losses: history.history.loss,
    // Element access through the tensor's ndarray view.
    corner: reconstruction.array.get(3, features - 1),
    pngSignature: Array.from(png.subarray(0, 8)),
  };
}
