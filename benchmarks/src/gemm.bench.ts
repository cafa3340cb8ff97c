import { referenceKernels, wasmKernels, type Kernels } from '@aekit/kernels-wasm';
import { useTf } from './peers.js';
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

/** gemm for aekit (wasm, and the reference at small sizes) and TF.js (wasm, cpu), in one process. */
export async function gemmSuite(): Promise<Measurement[]> {
  const results: Measurement[] = [];
  const wasm = wasmKernels() as Kernels;
  for (const c of gemmCases) {
    const flops = 2 * c.m * c.n * c.k;
    const a = filled(c.m * c.k, 1);
    const b = filled(c.k * c.n, 2);
    const out = new Float32Array(c.m * c.n);
    const record = (runner: string, meanMs: number) => {
      results.push({ suite: 'gemm', case: c.name, runner, meanMs, flops });
      console.log(`  gemm ${c.name.padEnd(34)} ${runner.padEnd(12)} ${(flops / (meanMs * 1e6)).toFixed(1)} GFLOP/s`);
    };
    record('aekit', await measure(() => wasm.gemm(c.transA, c.transB, c.m, c.n, c.k, 1, a, b, 0, out)));
    if (flops <= 2 * 256 ** 3) {
      record('aekit-ref', await measure(() => referenceKernels.gemm(c.transA, c.transB, c.m, c.n, c.k, 1, a, b, 0, out), 300, 2));
    }
    for (const backend of ['wasm', 'cpu'] as const) {
      // TF.js cpu at 1024^3 takes seconds per call: skip what would dominate the run.
      if (backend === 'cpu' && flops > 2 * 512 ** 3) continue;
      const tf = await useTf(backend);
      const ta = tf.tensor2d(a, c.transA ? [c.k, c.m] : [c.m, c.k]);
      const tb = tf.tensor2d(b, c.transB ? [c.n, c.k] : [c.k, c.n]);
      record(`tfjs-${backend}`, await measure(() => {
        const y = tf.matMul(ta, tb, c.transA, c.transB);
        y.dataSync();
        y.dispose();
      }, backend === 'cpu' ? 400 : 600, backend === 'cpu' ? 2 : 5));
      ta.dispose();
      tb.dispose();
    }
  }
  return results;
}
