// `pnpm --filter @aekit/benchmarks run bench:heap`: does training leak? Runs
// 10,000 steps of the dense autoencoder (784-64-784, batch 256) and compares
// the heap and the typed-array memory after a forced collection at step 100
// and at step 10,000. Run with --expose-gc (the script's npm entry sets it).
import { adam, meanSquaredError, Random, tensor, zeroGrad } from '@aekit/core';
import { denseAutoencoder } from '@aekit/models';

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('bench:heap needs node --expose-gc');

const rng = new Random(1);
const x = tensor(Float32Array.from({ length: 256 * 784 }, () => rng.next()), [256, 784]);
const model = denseAutoencoder({ inputDim: 784, codeDim: 64, seed: 1 });
const params = model.parameters();
const optimizer = adam();

/**
 * Heap and typed-array memory after full collections. V8 frees array-buffer
 * backing stores on a background sweeper, so collect a few times with pauses
 * between: a single gc() still counts buffers that are already garbage.
 */
async function memory(): Promise<{ heapMb: number; arrayBuffersMb: number }> {
  for (let i = 0; i < 4; i++) {
    collect?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const usage = process.memoryUsage();
  return { heapMb: usage.heapUsed / 2 ** 20, arrayBuffersMb: usage.arrayBuffers / 2 ** 20 };
}

const total = Number(process.env.STEPS ?? 10_000);
let atHundred = await memory();
const start = performance.now();
for (let step = 1; step <= total; step++) {
  zeroGrad(params);
  const loss = meanSquaredError(model.call(x, { training: true }), x);
  loss.backward();
  optimizer.step(params);
  if (step === 100) atHundred = await memory();
}
const atEnd = await memory();
const seconds = (performance.now() - start) / 1000;
console.log(`${total} steps in ${seconds.toFixed(1)} s`);
console.log(`after 100 steps:   heap ${atHundred.heapMb.toFixed(2)} MB, array buffers ${atHundred.arrayBuffersMb.toFixed(2)} MB`);
console.log(`after ${total} steps: heap ${atEnd.heapMb.toFixed(2)} MB, array buffers ${atEnd.arrayBuffersMb.toFixed(2)} MB`);
console.log(`growth: heap ${(atEnd.heapMb - atHundred.heapMb).toFixed(2)} MB, array buffers ${(atEnd.arrayBuffersMb - atHundred.arrayBuffersMb).toFixed(2)} MB`);
