// The gemm kernel law, shared by the in-process tests and by the child process
// that runs the relaxed-SIMD tier under Node 20's --experimental-wasm-relaxed-simd.
import fc from 'fast-check';
import { referenceKernels, type Kernels } from '../../src/index.js';

/** The kernel's cache blocks (assembly/gemm.ts): sizes just past them take the multi-block paths. */
export const KC = 256;
export const MC = 120;

export function randomArray(n: number, seed: number): Float32Array {
  // A small LCG keeps the fixtures cheap; fast-check drives the sizes and seeds.
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 0x100000000 - 0.5;
  }
  return out;
}

/** Unit roundoff of float32. */
const U32 = 2 ** -24;

/**
 * Runs `kernels` and the reference on the same float32 inputs (the reference
 * accumulates in float64) and checks every element against the worst-case
 * float32 error bound of a length-k dot product in any summation order, fused
 * or not: (k + 3) u (|alpha| sum_p |a_ip b_pj| + |beta c_ij|), the 3 covering
 * alpha rounded to float32, the scale by alpha and the beta term. Scaled by k
 * and by the magnitudes, so it is tight and never flaky.
 */
export function compareGemm(
  kernels: Kernels,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  beta: number,
  seed: number,
): void {
  const a = randomArray(m * k, seed);
  const b = randomArray(k * n, seed + 1);
  // beta = 0 must ignore C entirely, NaN included.
  const c0 = beta === 0 ? new Float32Array(m * n).fill(Number.NaN) : randomArray(m * n, seed + 2);
  const got = c0.slice();
  kernels.gemm(transA, transB, m, n, k, alpha, a, b, beta, got);
  const want = Float64Array.from(c0);
  referenceKernels.gemm(transA, transB, m, n, k, alpha, Float64Array.from(a), Float64Array.from(b), beta, want);
  const magnitude = new Float64Array(m * n);
  referenceKernels.gemm(transA, transB, m, n, k, Math.abs(alpha), Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), 0, magnitude);
  for (let i = 0; i < m * n; i++) {
    const old = beta === 0 ? 0 : Math.abs(beta * c0[i]);
    const tolerance = (k + 3) * U32 * (magnitude[i] + old) + 1e-30;
    if (!(Math.abs(got[i] - want[i]) <= tolerance)) {
      throw new Error(
        `${kernels.tier}: C[${Math.floor(i / n)}][${i % n}] = ${got[i]}, expected ${want[i]} within ${tolerance} ` +
          `(m=${m} n=${n} k=${k} transA=${transA} transB=${transB} alpha=${alpha} beta=${beta})`,
      );
    }
  }
}

/** Sizes with 1, primes and non-multiples of the SIMD width and of the 4 x 8 tile well represented. */
export const size = (max: number) => fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31), fc.integer({ min: 1, max }));
export const flags = fc.tuple(fc.boolean(), fc.boolean());
/** beta: the special values BLAS callers rely on (0, 1, -1) and arbitrary ones. */
export const betas = fc.oneof(fc.constantFrom(0, 1, -1), fc.double({ min: -3, max: 3, noNaN: true }));
export const alphas = fc.oneof(fc.constantFrom(1, -1), fc.double({ min: -3, max: 3, noNaN: true }));

/** The law's properties, by name, each with its number of runs; `scale` shrinks them for a child process. */
export function gemmLaw(kernels: Kernels, scale = 1): { name: string; run: () => void }[] {
  const runs = (n: number) => ({ numRuns: Math.max(4, Math.round(n * scale)) });
  const check = (m: number, n: number, k: number, [ta, tb]: [boolean, boolean], alpha: number, beta: number, seed: number) =>
    compareGemm(kernels, ta, tb, m, n, k, alpha, beta, seed);
  return [
    {
      name: 'at every size from 1 to 16, every transpose',
      run: () => {
        const s = fc.integer({ min: 1, max: 16 });
        fc.assert(fc.property(s, s, s, flags, alphas, betas, fc.integer(), check), runs(400));
      },
    },
    {
      name: 'at random sizes up to 40, every transpose, random alpha and beta',
      run: () => fc.assert(fc.property(size(40), size(40), size(40), flags, alphas, betas, fc.integer(), check), runs(300)),
    },
    {
      name: 'across the cache blocks: k past one and two KC slabs, m past one and two MC blocks',
      run: () =>
        fc.assert(
          fc.property(
            fc.integer({ min: MC - 5, max: 2 * MC + 11 }),
            fc.integer({ min: 1, max: 37 }),
            fc.integer({ min: KC - 6, max: 2 * KC + 19 }),
            flags,
            alphas,
            betas,
            fc.integer(),
            check,
          ),
          runs(24),
        ),
    },
    {
      name: 'with wide C (n in the hundreds) and every transpose',
      run: () => fc.assert(fc.property(size(20), fc.integer({ min: 100, max: 300 }), size(60), flags, alphas, betas, fc.integer(), check), runs(24)),
    },
    {
      name: "at the dense autoencoder's training shapes",
      run: () => {
        compareGemm(kernels, false, false, 256, 64, 784, 1, 0, 1); // forward, encoder
        compareGemm(kernels, false, true, 256, 784, 64, 1, 0, 2); // dX = dY W^T
        compareGemm(kernels, true, false, 784, 64, 256, 1, 0, 3); // dW = X^T dY
        compareGemm(kernels, true, false, 784, 64, 256, 1, 1, 4); // dW accumulated into an existing gradient
      },
    },
  ];
}
