// Compiled with tsc against the installed packages' declarations: the types a user gets.
import { adam, tensor, type Tensor } from '@aekit/core';
import { encodePng, imageGrid } from '@aekit/data';
import { denseAutoencoder, type History } from '@aekit/models';

const x: Tensor = tensor([0.1, 0.2, 0.3, 0.4], [1, 4]);
const element: number = x.array.get(0, 3);
const autoencoder = denseAutoencoder({ inputDim: 4, codeDim: 2, seed: 1 });
autoencoder.compile({ optimizer: adam(), loss: 'mse' });
const history: Promise<History> = autoencoder.fit(x, x, { epochs: 1, verbose: 0 });
const png: Uint8Array = encodePng(imageGrid([x], { imageShape: [2, 2] }));
export { element, history, png };
