import { referenceKernels, wasmKernels, type Kernels } from '@aekit/kernels-wasm';
import { useTf, type TfBackend } from './peers.js';
import { measure, type Measurement } from './report.js';

interface GemmCase {
  name: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

const square = (s: number): GemmCase => ({ name: `${s}^3`, m: s, n: s, k: s, transA: false, transB: false });

/** The sizes issue 2 names, the transposed variants at 512, and the dense autoencoder's three training products. */
export const gemmCases: GemmCase[] = [
  square(128),
  square(256),
  square(512),
  { name: '512^3 A^T', m: 512, n: 512, k: 512, transA: true, transB: false },
  { name: '512^3 B^T', m: 512, n: 512, k: 512, transA: false, transB: true },
  { name: '512^3 A^T B^T', m: 512, n: 512, k: 512, transA: true, transB: true },
  square(1024),
  { name: 'forward 256x784 . 784x64', m: 256, n: 64, k: 784, transA: false, transB: false },
  { name: 'forward 256x64 . 64x784', m: 256, n: 784, k: 64, transA: false, transB: false },
  { name: 'weight grad (256x784)^T . 256x64', m: 784, n: 64, k: 256, transA: true, transB: false },
];

function filled(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * 2654435761 + seed) % 1000) / 1000 - 0.5;
  return out;
}

/**
 * Rounds of the fast runners per case (9 of 200 ms each). aekit and TF.js wasm alternate, so a
 * burst from a noisy neighbour hits both alike; each keeps its best median.
 */
const ROUNDS = 9;

/** Times TF.js's matMul on `backend`, reading the result back as a TF.js user would. */
async function timeTf(backend: TfBackend, c: GemmCase, a: Float32Array, b: Float32Array, timeMs: number, minIterations: number) {
  const tf = await useTf(backend);
  const ta = tf.tensor2d(a, c.transA ? [c.k, c.m] : [c.m, c.k]);
  const tb = tf.tensor2d(b, c.transB ? [c.n, c.k] : [c.k, c.n]);
  try {
    return await measure(() => {
      const y = tf.matMul(ta, tb, c.transA, c.transB);
      y.dataSync();
      y.dispose();
    }, timeMs, minIterations);
  } finally {
    ta.dispose();
    tb.dispose();
  }
}

/**
 * gemm for aekit (wasm, and the reference at small sizes) and TF.js (wasm,
 * cpu), in one process. The TF.js cpu figures come last, in their own pass:
 * switching TF.js back from cpu to wasm slowed its next wasm products by up
 * to 2x in this process, which would flatter aekit.
 */
export async function gemmSuite(): Promise<Measurement[]> {
  const wasm = wasmKernels() as Kernels;
  const operands = (c: GemmCase) => ({ a: filled(c.m * c.k, 1), b: filled(c.k * c.n, 2), out: new Float32Array(c.m * c.n) });
  const best = new Map<string, number>();
  const keep = (c: GemmCase, runner: string, ms: number) => {
    const key = `${c.name}\u0000${runner}`;
    best.set(key, Math.min(ms, best.get(key) ?? Infinity));
  };
  for (const c of gemmCases) {
    const { a, b, out } = operands(c);
    for (let round = 0; round < ROUNDS; round++) {
      keep(c, 'aekit', await measure(() => wasm.gemm(c.transA, c.transB, c.m, c.n, c.k, 1, a, b, 0, out), 200));
      keep(c, 'tfjs-wasm', await timeTf('wasm', c, a, b, 200, 2));
    }
    // The reference once, only where it finishes in time.
    if (2 * c.m * c.n * c.k <= 2 * 256 ** 3) {
      keep(c, 'aekit-ref', await measure(() => referenceKernels.gemm(c.transA, c.transB, c.m, c.n, c.k, 1, a, b, 0, out), 300, 2));
    }
    report(c, best);
  }
  for (const c of gemmCases) {
    // TF.js cpu at 1024^3 takes seconds per call: skip what would dominate the run.
    if (2 * c.m * c.n * c.k > 2 * 512 ** 3) continue;
    const { a, b } = operands(c);
    keep(c, 'tfjs-cpu', await timeTf('cpu', c, a, b, 400, 2));
    report(c, best, 'tfjs-cpu');
  }
  const results: Measurement[] = [];
  for (const c of gemmCases) {
    for (const runner of ['aekit', 'aekit-ref', 'tfjs-wasm', 'tfjs-cpu']) {
      const ms = best.get(`${c.name}\u0000${runner}`);
      if (ms !== undefined) results.push({ suite: 'gemm', case: c.name, runner, ms, flops: 2 * c.m * c.n * c.k });
    }
  }
  return results;
}

function report(c: GemmCase, best: Map<string, number>, only?: string): void {
  const flops = 2 * c.m * c.n * c.k;
  for (const runner of only ? [only] : ['aekit', 'aekit-ref', 'tfjs-wasm']) {
    const ms = best.get(`${c.name}\u0000${runner}`);
    if (ms !== undefined) console.log(`  gemm ${c.name.padEnd(34)} ${runner.padEnd(12)} ${(flops / (ms * 1e6)).toFixed(1)} GFLOP/s`);
  }
}
