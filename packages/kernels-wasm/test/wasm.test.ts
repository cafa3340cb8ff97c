import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceKernels, wasmKernels, type Kernels } from '@aekit/kernels-wasm';

const wasm = wasmKernels() as Kernels;

function randomArray(n: number, seed: number): Float32Array {
  // A small LCG keeps the fixtures cheap; fast-check drives the sizes and seeds.
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 0x100000000 - 0.5;
  }
  return out;
}

/** Runs both kernels on the same float32 inputs; the reference accumulates in float64. */
function compare(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, beta: number, seed: number) {
  const a = randomArray(m * k, seed);
  const b = randomArray(k * n, seed + 1);
  const c0 = beta === 0 ? new Float32Array(m * n).fill(Number.NaN) : randomArray(m * n, seed + 2);
  const got = c0.slice();
  wasm.gemm(transA, transB, m, n, k, alpha, a, b, beta, got);
  const want = Float64Array.from(c0);
  referenceKernels.gemm(transA, transB, m, n, k, alpha, Float64Array.from(a), Float64Array.from(b), beta, want);
  // float32 rounding grows with k; values are O(1), so scale the tolerance by sqrt(k).
  const tolerance = 1e-5 * (1 + Math.sqrt(k)) * (1 + Math.abs(alpha)) + 1e-6 * Math.abs(beta);
  for (let i = 0; i < m * n; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tolerance)) {
      throw new Error(`C[${Math.floor(i / n)}][${i % n}] = ${got[i]}, expected ${want[i]} (m=${m} n=${n} k=${k} transA=${transA} transB=${transB} alpha=${alpha} beta=${beta})`);
    }
  }
}

/** Sizes with 1, primes and non-multiples of the SIMD width and of the 4 x 8 tile well represented. */
const size = (max: number) => fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31), fc.integer({ min: 1, max }));
const flags = fc.tuple(fc.boolean(), fc.boolean());
const scalars = fc.tuple(fc.constantFrom(1, -0.5, 2.25), fc.constantFrom(0, 1, 0.5));

describe('the kernel law: WebAssembly gemm equals the reference', () => {
  it('at random small sizes, every transpose, alpha and beta', () => {
    fc.assert(
      fc.property(flags, size(40), size(40), size(40), scalars, fc.integer(), ([ta, tb], m, n, k, [alpha, beta], seed) =>
        compare(ta, tb, m, n, k, alpha, beta, seed),
      ),
      { numRuns: 300 },
    );
  });

  it('across the cache blocks (k > 256, m > 120) and odd edges', () => {
    fc.assert(
      fc.property(flags, fc.integer({ min: 115, max: 260 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 250, max: 530 }), scalars, fc.integer(), ([ta, tb], m, n, k, [alpha, beta], seed) =>
        compare(ta, tb, m, n, k, alpha, beta, seed),
      ),
      { numRuns: 24 },
    );
  });

  it("at the dense autoencoder's training shapes", () => {
    compare(false, false, 256, 64, 784, 1, 0, 1);
    compare(false, true, 256, 784, 64, 1, 0, 2);
    compare(true, false, 784, 64, 256, 1, 0, 3);
  });

  it('treats k = 0 as an empty product: C = beta * C', () => {
    const c = new Float32Array([1, 2, Number.NaN, 4]);
    wasm.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 0, c);
    expect([...c]).toEqual([0, 0, 0, 0]);
    const d = new Float32Array([1, 2, 3, 4]);
    wasm.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 0.5, d);
    expect([...d]).toEqual([0.5, 1, 1.5, 2]);
  });
});

describe('wasm gemm: errors and memory', () => {
  it('names the operand that is not a Float32Array', () => {
    expect(() => wasm.gemm(false, false, 1, 1, 1, 1, new Float64Array(1), new Float32Array(1), 0, new Float32Array(1))).toThrow(
      /gemm: the WebAssembly kernels take Float32Array; A is a Float64Array/,
    );
  });

  it('names the matrix and the sizes when a buffer is too short', () => {
    expect(() => wasm.gemm(false, true, 2, 3, 4, 1, new Float32Array(8), new Float32Array(11), 0, new Float32Array(6))).toThrow(
      /gemm: B \(transposed, n x k\) needs 3x4 = 12 elements, got 11/,
    );
  });
});
