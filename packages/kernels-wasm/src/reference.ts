import { checkConvArgs, checkGemmArgs, type ConvGeometry, type FloatArray, type Kernels } from './kernels.js';

/**
 * Visits every (output position, filter tap) pair whose input position lies
 * inside the image: `visit(xBase, fBase, yBase)` with the offsets of the input's
 * c channels, the filter's c x f block and the output's f channels. Taps over
 * the padding are skipped, which is what multiplying by zero would give.
 */
function forEachTap(g: ConvGeometry, visit: (xBase: number, fBase: number, yBase: number) => void): void {
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const yBase = ((b * g.oh + oy) * g.ow + ox) * g.f;
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh + ky - g.padTop;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw + kx - g.padLeft;
            if (ix < 0 || ix >= g.w) continue;
            visit(((b * g.h + iy) * g.w + ix) * g.c, (ky * g.kw + kx) * g.c * g.f, yBase);
          }
        }
      }
    }
  }
}

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

  conv2d(g, x, filter, y) {
    checkConvArgs('conv2d', g, x, filter, y);
    const { c: cin, f } = g;
    y.fill(0, 0, g.n * g.oh * g.ow * f);
    forEachTap(g, (xb, fb, yb) => {
      for (let i = 0; i < cin; i++) {
        const v = x[xb + i];
        for (let o = 0; o < f; o++) y[yb + o] += v * filter[fb + i * f + o];
      }
    });
  },

  // Every product x * w that conv2d adds into y sends dy * w back to x.
  conv2dBackpropInput(g, dy, filter, dx) {
    checkConvArgs('conv2dBackpropInput', g, dx, filter, dy);
    const { c: cin, f } = g;
    dx.fill(0, 0, g.n * g.h * g.w * cin);
    forEachTap(g, (xb, fb, yb) => {
      for (let i = 0; i < cin; i++) {
        let acc = 0;
        for (let o = 0; o < f; o++) acc += dy[yb + o] * filter[fb + i * f + o];
        dx[xb + i] += acc;
      }
    });
  },

  // ... and x * dy back to w.
  conv2dBackpropFilter(g, x, dy, dFilter) {
    checkConvArgs('conv2dBackpropFilter', g, x, dFilter, dy);
    const { c: cin, f } = g;
    dFilter.fill(0, 0, g.kh * g.kw * cin * f);
    forEachTap(g, (xb, fb, yb) => {
      for (let i = 0; i < cin; i++) {
        const v = x[xb + i];
        for (let o = 0; o < f; o++) dFilter[fb + i * f + o] += v * dy[yb + o];
      }
    });
  },
};

export type { FloatArray };
