import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceKernels, wasmKernels, type Kernels } from '@aekit/kernels-wasm';
// Internal, not part of the package's public API: how much memory the module holds.
import { wasmMemoryBytes } from '../src/wasm.js';

const wasm = wasmKernels() as Kernels;

/** The kernel's cache blocks (assembly/gemm.ts): sizes just past them take the multi-block paths. */
const KC = 256;
const MC = 120;

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

/** Unit roundoff of float32. */
const U32 = 2 ** -24;

/**
 * Runs both kernels on the same float32 inputs (the reference accumulates in
 * float64) and checks every element against the worst-case float32 error bound
 * of a length-k dot product in any summation order, (k + 3) u (|alpha| sum_p
 * |a_ip b_pj| + |beta c_ij|): the 3 covers rounding alpha to float32, the scale
 * by alpha and the beta term. Scaled by k and by the magnitudes, never flaky.
 */
function compare(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, beta: number, seed: number) {
  const a = randomArray(m * k, seed);
  const b = randomArray(k * n, seed + 1);
  // beta = 0 must ignore C entirely, NaN included.
  const c0 = beta === 0 ? new Float32Array(m * n).fill(Number.NaN) : randomArray(m * n, seed + 2);
  const got = c0.slice();
  wasm.gemm(transA, transB, m, n, k, alpha, a, b, beta, got);
  const want = Float64Array.from(c0);
  referenceKernels.gemm(transA, transB, m, n, k, alpha, Float64Array.from(a), Float64Array.from(b), beta, want);
  const absA = Float64Array.from(a, Math.abs);
  const absB = Float64Array.from(b, Math.abs);
  const magnitude = new Float64Array(m * n);
  referenceKernels.gemm(transA, transB, m, n, k, Math.abs(alpha), absA, absB, 0, magnitude);
  for (let i = 0; i < m * n; i++) {
    const old = beta === 0 ? 0 : Math.abs(beta * c0[i]);
    const tolerance = (k + 3) * U32 * (magnitude[i] + old) + 1e-30;
    if (!(Math.abs(got[i] - want[i]) <= tolerance)) {
      throw new Error(
        `C[${Math.floor(i / n)}][${i % n}] = ${got[i]}, expected ${want[i]} within ${tolerance} ` +
          `(m=${m} n=${n} k=${k} transA=${transA} transB=${transB} alpha=${alpha} beta=${beta})`,
      );
    }
  }
}

/** Sizes with 1, primes and non-multiples of the SIMD width and of the 4 x 8 tile well represented. */
const size = (max: number) => fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31), fc.integer({ min: 1, max }));
const flags = fc.tuple(fc.boolean(), fc.boolean());
/** alpha and beta: the special values BLAS callers rely on (0, 1, -1) and arbitrary ones. */
const scalar = fc.oneof(fc.constantFrom(0, 1, -1), fc.double({ min: -3, max: 3, noNaN: true }));
const alphas = fc.oneof(fc.constantFrom(1, -1), fc.double({ min: -3, max: 3, noNaN: true }));

describe('the kernel law: WebAssembly gemm equals the reference', () => {
  it('at every size from 1 to 16, every transpose', () => {
    fc.assert(
      fc.property(flags, fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 16 }), alphas, scalar, fc.integer(), ([ta, tb], m, n, k, alpha, beta, seed) =>
        compare(ta, tb, m, n, k, alpha, beta, seed),
      ),
      { numRuns: 400 },
    );
  });

  it('at random sizes up to 40, every transpose, random alpha and beta', () => {
    fc.assert(
      fc.property(flags, size(40), size(40), size(40), alphas, scalar, fc.integer(), ([ta, tb], m, n, k, alpha, beta, seed) =>
        compare(ta, tb, m, n, k, alpha, beta, seed),
      ),
      { numRuns: 300 },
    );
  });

  it('across the cache blocks: k past one and two KC slabs, m past one and two MC blocks', () => {
    fc.assert(
      fc.property(
        flags,
        fc.integer({ min: MC - 5, max: 2 * MC + 11 }),
        fc.integer({ min: 1, max: 37 }),
        fc.integer({ min: KC - 6, max: 2 * KC + 19 }),
        alphas,
        scalar,
        fc.integer(),
        ([ta, tb], m, n, k, alpha, beta, seed) => compare(ta, tb, m, n, k, alpha, beta, seed),
      ),
      { numRuns: 24 },
    );
  });

  it('with wide C (n in the hundreds) and every transpose', () => {
    fc.assert(
      fc.property(flags, size(20), fc.integer({ min: 100, max: 300 }), size(60), alphas, scalar, fc.integer(), ([ta, tb], m, n, k, alpha, beta, seed) =>
        compare(ta, tb, m, n, k, alpha, beta, seed),
      ),
      { numRuns: 24 },
    );
  });

  it("at the dense autoencoder's training shapes", () => {
    compare(false, false, 256, 64, 784, 1, 0, 1); // forward, encoder
    compare(false, true, 256, 784, 64, 1, 0, 2); // dX = dY W^T
    compare(true, false, 784, 64, 256, 1, 0, 3); // dW = X^T dY
    compare(true, false, 784, 64, 256, 1, 1, 4); // dW accumulated into an existing gradient
  });

  it('treats k = 0 as an empty product: C = beta * C', () => {
    const c = new Float32Array([1, 2, Number.NaN, 4]);
    wasm.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 0, c);
    expect([...c]).toEqual([0, 0, 0, 0]);
    const d = new Float32Array([1, 2, 3, 4]);
    wasm.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 0.5, d);
    expect([...d]).toEqual([0.5, 1, 1.5, 2]);
  });

  it('multiplies a 2x3 by a 3x2 matrix (hand-computed), plain and with both operands transposed', () => {
    const c = new Float32Array(4);
    wasm.gemm(false, false, 2, 2, 3, 1, new Float32Array([1, 2, 3, 4, 5, 6]), new Float32Array([7, 8, 9, 10, 11, 12]), 0, c);
    expect([...c]).toEqual([58, 64, 139, 154]);
    // The same product from A^T (3x2) and B^T (2x3).
    wasm.gemm(true, true, 2, 2, 3, 1, new Float32Array([1, 4, 2, 5, 3, 6]), new Float32Array([7, 9, 11, 8, 10, 12]), 0, c);
    expect([...c]).toEqual([58, 64, 139, 154]);
  });

  it('leaves the rest of a longer C untouched', () => {
    const c = new Float32Array(7).fill(9);
    wasm.gemm(false, false, 2, 3, 1, 1, new Float32Array([1, 2]), new Float32Array([1, 1, 1]), 0, c);
    expect([...c]).toEqual([1, 1, 1, 2, 2, 2, 9]);
  });
});

describe('wasm gemm: errors', () => {
  const f32 = (n: number) => new Float32Array(n);
  it.each([
    ['A', [new Float64Array(1), f32(1), f32(1)]],
    ['B', [f32(1), new Float64Array(1), f32(1)]],
    ['C', [f32(1), f32(1), new Float64Array(1)]],
  ] as const)('names %s when it is not a Float32Array', (name, [a, b, c]) => {
    expect(() => wasm.gemm(false, false, 1, 1, 1, 1, a, b, 0, c)).toThrow(TypeError);
    expect(() => wasm.gemm(false, false, 1, 1, 1, 1, a, b, 0, c)).toThrow(
      new RegExp(`gemm: the WebAssembly kernels take Float32Array; ${name} is a Float64Array`),
    );
  });

  it('names the matrix and the sizes when a buffer is too short', () => {
    // m = 2, n = 3, k = 4.
    expect(() => wasm.gemm(false, false, 2, 3, 4, 1, f32(7), f32(12), 0, f32(6))).toThrow(/gemm: A \(m x k\) needs 2x4 = 8 elements, got 7/);
    expect(() => wasm.gemm(true, false, 2, 3, 4, 1, f32(7), f32(12), 0, f32(6))).toThrow(/gemm: A \(transposed, k x m\) needs 4x2 = 8 elements, got 7/);
    expect(() => wasm.gemm(false, true, 2, 3, 4, 1, f32(8), f32(11), 0, f32(6))).toThrow(/gemm: B \(transposed, n x k\) needs 3x4 = 12 elements, got 11/);
    expect(() => wasm.gemm(false, false, 2, 3, 4, 1, f32(8), f32(12), 0, f32(5))).toThrow(/gemm: C \(m x n\) needs 2x3 = 6 elements, got 5/);
    expect(() => wasm.gemm(false, false, 2, 3, 4, 1, f32(8), f32(12), 0, f32(5))).toThrow(RangeError);
  });

  it('rejects sizes that are not non-negative integers', () => {
    expect(() => wasm.gemm(false, false, 1.5, 1, 1, 1, f32(2), f32(2), 0, f32(2))).toThrow(/gemm: m must be a non-negative integer, got 1.5/);
    expect(() => wasm.gemm(false, false, 1, -1, 1, 1, f32(2), f32(2), 0, f32(2))).toThrow(/gemm: n must be a non-negative integer, got -1/);
  });
});

describe('wasm gemm: memory', () => {
  it('10,000 small calls and repeated large ones never grow memory past the first large call', () => {
    const big = 300;
    const a = randomArray(big * big, 1);
    const b = randomArray(big * big, 2);
    const c = new Float32Array(big * big);
    wasm.gemm(false, false, big, big, big, 1, a, b, 0, c);
    const after = wasmMemoryBytes();
    expect(after).toBeGreaterThanOrEqual(3 * big * big * 4);
    const small = [randomArray(16 * 16, 3), randomArray(16 * 16, 4), new Float32Array(16 * 16)] as const;
    for (let i = 0; i < 10_000; i++) {
      const s = 1 + (i % 16);
      wasm.gemm(i % 2 === 1, i % 3 === 1, s, 17 - s, s, 1, small[0], small[1], i % 5 === 0 ? 0 : 1, small[2]);
    }
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      wasm.gemm(ta, tb, big, big, big, 1, a, b, 1, c);
    }
    expect(wasmMemoryBytes()).toBe(after);
  });
});
