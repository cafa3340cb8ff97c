// The convolution forwards of conv.bench.ts (batch 128, 3x3 same) for a machine
// too shared for medians: aekit and TF.js wasm alternate one call at a time,
// `ROUNDS` times, and each keeps its fastest call, the estimate of an
// uncontended one. Both include what a user pays: aekit its copies into and out
// of WebAssembly memory, TF.js its dataSync().
// `cd benchmarks && npx tsx src/conv-alternate.ts [rounds]`
import { wasmKernels, type ConvGeometry } from '@aekit/kernels-wasm';
import { useTf } from './peers.js';
import { elapsedMs } from './report.js';

const ROUNDS = Number(process.argv[2] ?? 60);
const BATCH = 128;
const cases = [
  { name: '28x28 1->32', h: 28, c: 1, f: 32 },
  { name: '14x14 32->64', h: 14, c: 32, f: 64 },
  { name: '7x7 64->128', h: 7, c: 64, f: 128 },
];

const kernels = wasmKernels();
if (kernels === null) throw new Error('conv-alternate: this host has no WebAssembly SIMD');
const tf = await useTf('wasm');
const filled = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => ((i * 2654435761 + seed) % 1000) / 1000 - 0.5);

for (const { name, h, c, f } of cases) {
  const g: ConvGeometry = { n: BATCH, h, w: h, c, kh: 3, kw: 3, sh: 1, sw: 1, oh: h, ow: h, padTop: 1, padLeft: 1, f };
  const x = filled(BATCH * h * h * c, 1);
  const w = filled(9 * c * f, 2);
  const y = new Float32Array(BATCH * h * h * f);
  const tx = tf.tensor4d(x, [BATCH, h, h, c]);
  const tw = tf.tensor4d(w, [3, 3, c, f]);
  const ours = () => kernels.conv2d(g, x, w, y);
  const theirs = () => {
    const out = tf.conv2d(tx, tw, 1, 'same');
    out.dataSync();
    out.dispose();
  };
  ours();
  theirs();
  let [bestOurs, bestTheirs] = [Infinity, Infinity];
  for (let round = 0; round < ROUNDS; round++) {
    bestOurs = Math.min(bestOurs, elapsedMs(ours));
    bestTheirs = Math.min(bestTheirs, elapsedMs(theirs));
  }
  tx.dispose();
  tw.dispose();
  const gflops = (ms: number) => ((2 * BATCH * h * h * 9 * c * f) / (ms * 1e6)).toFixed(1);
  console.log(
    `${name} forward: aekit ${bestOurs.toFixed(2)} ms (${gflops(bestOurs)} GFLOP/s), tfjs-wasm ${bestTheirs.toFixed(2)} ms (${gflops(bestTheirs)}), ` +
      `aekit / tfjs-wasm ${(bestTheirs / bestOurs).toFixed(2)}x`,
  );
}
