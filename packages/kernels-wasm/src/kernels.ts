/**
 * The contract every kernel implementation fulfils: few, flat entry points over
 * contiguous row-major buffers plus integer sizes. Kernels know nothing of
 * tensors or gradients; `@aekit/core` builds those on top.
 */

/** A contiguous row-major buffer. The WebAssembly kernels accept `Float32Array` only. */
export type FloatArray = Float32Array | Float64Array;

/** Which implementation is running: WebAssembly with relaxed SIMD, plain SIMD128, or TypeScript. */
export type KernelTier = 'relaxed-simd' | 'simd128' | 'reference';

export interface Kernels {
  /** The tier this implementation runs on. */
  readonly tier: KernelTier;

  /**
   * General matrix multiply: `C = alpha * op(A) * op(B) + beta * C`.
   *
   * `op(A)` is `m x k` and `op(B)` is `k x n`; C is `m x n`. With `transA`, A is
   * stored as `k x m` (so `op(A) = Aᵀ`); with `transB`, B is stored as `n x k`.
   * When `beta` is 0, C is overwritten and its old contents (even NaN) are ignored,
   * as in BLAS.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: FloatArray,
    b: FloatArray,
    beta: number,
    c: FloatArray,
  ): void;
}

/** Checks the sizes of a gemm call before any kernel runs; the message names what is wrong. */
export function checkGemmArgs(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  transA: boolean,
  transB: boolean,
): void {
  for (const [name, v] of [['m', m], ['n', n], ['k', k]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`gemm: ${name} must be a non-negative integer, got ${v}`);
  }
  const need = (what: string, arr: FloatArray, rows: number, cols: number) => {
    if (arr.length < rows * cols) {
      throw new RangeError(`gemm: ${what} needs ${rows}x${cols} = ${rows * cols} elements, got ${arr.length}`);
    }
  };
  need(transA ? 'A (transposed, k x m)' : 'A (m x k)', a, transA ? k : m, transA ? m : k);
  need(transB ? 'B (transposed, n x k)' : 'B (k x n)', b, transB ? n : k, transB ? k : n);
  need('C (m x n)', c, m, n);
}
