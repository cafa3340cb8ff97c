import { checkGemmArgs, type FloatArray, type Kernels } from './kernels.js';

/**
 * The readable definition of every kernel: plain loops, any float precision.
 * It is the oracle the WebAssembly kernels are tested against, the float64 path
 * of the gradient law, and the fallback where WebAssembly SIMD is missing.
 */
export const referenceKernels: Kernels = {
  tier: 'reference',

  gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
    checkGemmArgs(m, n, k, a, b, c, transA, transB);
    // Strides that absorb the transposes: A[i][p] and B[p][j] of op(A), op(B).
    const aRow = transA ? 1 : k;
    const aCol = transA ? m : 1;
    const bRow = transB ? 1 : n;
    const bCol = transB ? k : 1;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += a[i * aRow + p * aCol] * b[p * bRow + j * bCol];
        const old = beta === 0 ? 0 : beta * c[i * n + j];
        c[i * n + j] = alpha * acc + old;
      }
    }
  },
};

export type { FloatArray };
