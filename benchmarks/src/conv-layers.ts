// Where the seed's convolutional autoencoder spends its training step: each of
// its seven convolution layers (batch 128, 3x3 same, relu, bias), forward and
// backward, through the fused core primitives its layers run
// (conv2dBiasActivation, conv2dTransposeBiasActivation), so each figure
// includes the copies, the bias and the activation. Fastest of `ROUNDS` calls.
// The first layer's input gradient is not computed, as in training.
// `cd benchmarks && npx tsx src/conv-layers.ts [rounds]`
import { backward, conv2dBiasActivation, conv2dTransposeBiasActivation, Random, tensor, type Tensor } from '@aekit/core';
import { kernelsInfo } from '@aekit/kernels-wasm';
import { elapsedMs } from './report.js';

const ROUNDS = Number(process.argv[2] ?? 6);
const BATCH = 128;
const layers = [
  { name: 'conv2d 28x28 1->32', size: 28, inChannels: 1, outChannels: 32, stride: 1, transposed: false, inputGradient: false },
  { name: 'conv2d 14x14 32->64', size: 14, inChannels: 32, outChannels: 64, stride: 1, transposed: false, inputGradient: true },
  { name: 'conv2d 7x7 64->128', size: 7, inChannels: 64, outChannels: 128, stride: 1, transposed: false, inputGradient: true },
  { name: 'transpose 4x4 128->128 s2', size: 4, inChannels: 128, outChannels: 128, stride: 2, transposed: true, inputGradient: true },
  { name: 'transpose 8x8 128->64 s2', size: 8, inChannels: 128, outChannels: 64, stride: 2, transposed: true, inputGradient: true },
  { name: 'transpose 16x16 64->32', size: 16, inChannels: 64, outChannels: 32, stride: 1, transposed: true, inputGradient: true },
  { name: 'transpose 16x16 32->1 s2', size: 16, inChannels: 32, outChannels: 1, stride: 2, transposed: true, inputGradient: true },
];

const rng = new Random(3);
const uniform = (shape: readonly number[], requiresGrad: boolean): Tensor =>
  tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() - 0.5), shape, { requiresGrad });

console.log(`the seed's conv autoencoder, batch ${BATCH}, kernels ${kernelsInfo().tier}, fastest of ${ROUNDS}`);
console.log('| layer | forward (ms) | backward (ms) |');
console.log('| --- | --- | --- |');
let forwardTotal = 0;
let backwardTotal = 0;
for (const { name, size, inChannels, outChannels, stride, transposed, inputGradient } of layers) {
  const x = uniform([BATCH, size, size, inChannels], inputGradient);
  const filter = uniform(transposed ? [3, 3, outChannels, inChannels] : [3, 3, inChannels, outChannels], true);
  const bias = uniform([outChannels], true);
  const options = { strides: stride, padding: 'same' as const };
  let forward = Infinity;
  let back = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    let y: Tensor | undefined;
    forward = Math.min(
      forward,
      elapsedMs(() => {
        y = transposed ? conv2dTransposeBiasActivation(x, filter, bias, 'relu', options) : conv2dBiasActivation(x, filter, bias, 'relu', options);
      }),
    );
    const dy = uniform(y!.shape, false);
    back = Math.min(
      back,
      elapsedMs(() => backward(y!, dy)),
    );
    x.grad = filter.grad = bias.grad = null;
  }
  forwardTotal += forward;
  backwardTotal += back;
  console.log(`| ${name} | ${forward.toFixed(2)} | ${back.toFixed(2)} |`);
}
console.log(`| all seven | ${forwardTotal.toFixed(2)} | ${backwardTotal.toFixed(2)} |`);
