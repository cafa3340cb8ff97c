/**
 * The main demo: every job an autoencoder does, on real MNIST, in one report.
 * Trains the vanilla, convolutional denoising (on a subset), sparse and
 * variational autoencoders, runs one-class anomaly detection and the
 * autoencoder-versus-PCA comparison (with pre-training on few labels), and
 * writes out/demo/report.html with every figure beside it. The work runs in
 * two worker threads, one per core (see lanes.ts).
 *
 * Run: pnpm demo
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { kernelsInfo } from '@aekit/core';
import { writeReport } from '@aekit/data/node';
import { timed } from './context.js';
import type { LaneName, LaneResult } from './lanes.js';

const OUT = fileURLToPath(new URL('../../out/demo/', import.meta.url));
const SEED = 42;
const started = performance.now();

/** Runs one lane in a worker thread, printing its progress lines as they come. */
function lane(name: LaneName): Promise<LaneResult> {
  return new Promise((resolve, reject) => {
    const entry = new URL('./lane-worker.ts', import.meta.url).href;
    const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { entry, lane: name, seed: SEED } });
    let result: LaneResult | undefined;
    worker.on('message', (message: { log?: string; result?: LaneResult }) => {
      if (message.log !== undefined) console.log(`${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  ${message.log}`);
      if (message.result !== undefined) result = message.result;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (result ? resolve(result) : reject(new Error(`demo: lane '${name}' stopped (exit code ${code}) before it finished`))));
  });
}

console.log(`aekit demo: training on MNIST in two lanes, writing ${OUT}report.html`);
const [lanes, seconds] = await timed(() => Promise.all([lane('models'), lane('applications')]));
const metrics = Object.assign({}, ...lanes.map((l) => l.metrics));
const report = await writeReport(
  OUT,
  {
    title: 'aekit: what autoencoders do, on MNIST',
    intro:
      `Every model on this page was trained on the real MNIST images (60,000 training, 10,000 test) on this machine's CPU ` +
      `in ${Math.round(seconds)} s, in two single-threaded lanes side by side (${lanes.map((l) => `${Math.round(l.seconds)} s`).join(' and ')}), ` +
      `on the ${kernelsInfo().tier} kernels. Seed ${SEED}: a second run gives the same weights and the same figures.`,
    metrics,
    sections: lanes.flatMap((l) => l.sections),
    config: { seed: SEED, kernels: kernelsInfo(), node: process.version, seconds: Math.round(seconds) },
  },
  Object.assign({}, ...lanes.map((l) => l.files)),
);
console.log(`\nWrote ${report} in ${Math.round(seconds)} s`);
for (const [name, value] of Object.entries(metrics)) console.log(`  ${name}: ${value}`);
const missed = lanes.flatMap((l) => l.checks).filter((check) => !check.passed);
for (const check of missed) console.error(`demo: missed the bar for ${check.name}: ${check.detail}`);
if (missed.length > 0) process.exit(1);
