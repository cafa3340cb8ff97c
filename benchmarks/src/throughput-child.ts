// One end-to-end training run in a process of its own, so its peak memory is
// its own: `node --import tsx throughput-child.ts <model> <runner> <samples> <batch> <epochs>`.
// Prints one JSON line: samples per second of one `fit` call of `epochs`
// epochs over `samples` samples, the process's peak RSS and its heap after
// training. The rate is the steady state a real run spends nearly all its
// time in: before it, every runner gets the same warm-up, WARMUP_EPOCHS
// epochs over the same samples. V8 tiers JavaScript and WebAssembly up over
// the first hundreds of calls: after a warm-up of 8 batches, aekit's first
// three dense epochs took 109-184 ms against 80-100 for the later ones
// (TF.js cpu, whose epochs take seconds to minutes, warms up on 4 batches).
// Run by throughput.bench.ts; aekit runs never load TensorFlow.js.
import { Random } from '@aekit/core';

export type ModelName = 'dense' | 'multilayer' | 'conv';
export type Runner = 'aekit' | 'tfjs-wasm' | 'tfjs-cpu';

export interface ThroughputResult {
  model: ModelName;
  runner: Runner;
  samples: number;
  batch: number;
  epochs: number;
  samplesPerSecond?: number;
  error?: string;
  peakRssMb: number;
  heapMb: number;
}

const [model, runner, samplesArg, batchArg, epochsArg] = process.argv.slice(2) as [ModelName, Runner, string, string, string];
const samples = Number(samplesArg);
const batch = Number(batchArg);
const epochs = Number(epochsArg ?? 1);
const imageShape = model === 'conv' ? [28, 28, 1] : [784];
const size = 784;
const WARMUP_EPOCHS = 2;

/** Clean inputs in [0, 1] and, for the denoising model, the same images with Gaussian noise (factor 0.2, clipped). */
function data(count: number): { x: Float32Array; y: Float32Array } {
  const rng = new Random(7);
  const y = Float32Array.from({ length: count * size }, () => rng.next());
  if (model !== 'conv') return { x: y, y };
  const x = y.map((v) => Math.min(1, Math.max(0, v + 0.2 * rng.normal())));
  return { x, y };
}

async function aekit(): Promise<number> {
  const { tensor } = await import('@aekit/core');
  const { convAutoencoder, denseAutoencoder } = await import('@aekit/models');
  const net =
    model === 'conv'
      ? convAutoencoder({ seed: 1 })
      : denseAutoencoder({ inputDim: 784, codeDim: model === 'dense' ? 64 : 32, hidden: model === 'dense' ? [] : [256, 128], seed: 1 });
  net.compile({ optimizer: 'adam', loss: model === 'conv' ? 'binaryCrossentropy' : 'meanSquaredError' });
  const prepare = (count: number, epochs = 1) => {
    const { x, y } = data(count);
    const shape = [count, ...imageShape];
    return () => net.fit(tensor(x, shape), tensor(y, shape), { epochs, batchSize: batch, verbose: 0, seed: 1 });
  };
  await prepare(samples, WARMUP_EPOCHS)();
  const run = prepare(samples, epochs);
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function tfjs(backend: 'wasm' | 'cpu'): Promise<number> {
  const { useTf } = await import('./peers.js');
  await useTf(backend);
  const tf = await import('@tensorflow/tfjs');
  const net = tf.sequential();
  if (model === 'conv') {
    net.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' }));
    net.add(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
    for (const filters of [64, 128]) {
      net.add(tf.layers.conv2d({ filters, kernelSize: 3, activation: 'relu', padding: 'same' }));
      net.add(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
    }
    for (const [filters, strides] of [[128, 2], [64, 2], [32, 1]]) {
      net.add(tf.layers.conv2dTranspose({ filters, kernelSize: 3, strides, activation: 'relu', padding: 'same' }));
    }
    net.add(tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, activation: 'sigmoid', padding: 'same' }));
    net.add(tf.layers.cropping2D({ cropping: [[2, 2], [2, 2]] }));
  } else {
    const hidden = model === 'dense' ? [64] : [256, 128, 32, 128, 256];
    hidden.forEach((units, i) => net.add(tf.layers.dense({ units, activation: 'relu', ...(i === 0 ? { inputShape: [784] } : {}) })));
    net.add(tf.layers.dense({ units: 784, activation: 'sigmoid' }));
  }
  net.compile({ optimizer: tf.train.adam(1e-3, 0.9, 0.999, 1e-7), loss: model === 'conv' ? 'binaryCrossentropy' : 'meanSquaredError' });
  const prepare = (count: number, epochs = 1) => {
    const { x, y } = data(count);
    const [xs, ys] = [tf.tensor(x, [count, ...imageShape]), tf.tensor(y, [count, ...imageShape])];
    return async () => {
      await net.fit(xs, ys, { epochs, batchSize: batch, verbose: 0, shuffle: true });
      xs.dispose();
      ys.dispose();
    };
  };
  // TF.js cpu's convolution gradients take minutes per batch: no warm-up there.
  if (backend === 'wasm') await prepare(samples, WARMUP_EPOCHS)();
  else if (model !== 'conv') await prepare(4 * batch)();
  const run = prepare(samples, epochs);
  const start = performance.now();
  await run();
  return performance.now() - start;
}

const result: ThroughputResult = { model, runner, samples, batch, epochs, peakRssMb: 0, heapMb: 0 };
try {
  const ms = runner === 'aekit' ? await aekit() : await tfjs(runner === 'tfjs-wasm' ? 'wasm' : 'cpu');
  result.samplesPerSecond = (samples * epochs) / (ms / 1000);
} catch (error) {
  result.error = (error as Error).message.split('\n')[0];
}
result.peakRssMb = process.resourceUsage().maxRSS / 1024;
result.heapMb = process.memoryUsage().heapUsed / 2 ** 20;
console.log(JSON.stringify(result));
