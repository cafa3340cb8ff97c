import { checkConvArgs, checkFused, checkNotFreed, convLayerSizes, checkGemmArgs, checkResidentRead, checkResidentWrite, type ConvGeometry, type Operand, type ResidentBuffer, type FloatArray, type FusedActivation, type Kernels, type PoolGeometry, type UpSamplingGeometry } from './kernels.js';

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

/** The reference's resident buffer: a plain array, nothing to keep anywhere else. */
class HeldBuffer implements ResidentBuffer {
  #values: Float32Array;
  freed = false;

  constructor(readonly length: number) {
    this.#values = new Float32Array(length);
  }

  /** The array itself (kernels read and write it in place). */
  get values(): Float32Array {
    checkNotFreed(this, 'values');
    return this.#values;
  }

  read(into?: Float32Array): Float32Array {
    checkResidentRead(this.length, into);
    if (into === undefined) return this.values.slice();
    into.set(this.values);
    return into;
  }

  write(values: ArrayLike<number>, offset?: number): void {
    checkResidentWrite(this.length, values, offset);
    this.values.set(values, offset ?? 0);
  }

  free(): void {
    this.freed = true;
    this.#values = new Float32Array(0);
  }
}

/** An operand as the array the loops index: a held buffer's own array (written in place), or the host array itself. */
function hostOf(op: string, name: string, x: Operand): FloatArray {
  if (ArrayBuffer.isView(x)) return x;
  if (!(x instanceof HeldBuffer)) throw new TypeError(`${op}: ${name} is a resident buffer of another kernel tier, passed to the reference kernels`);
  return x.values;
}

function hostOrNull(op: string, name: string, x: Operand | null): FloatArray | null {
  return x === null ? null : hostOf(op, name, x);
}

/**
 * The readable definition of every kernel: plain loops, any float precision.
 * It is the oracle the WebAssembly kernels are tested against, the float64 path
 * of the gradient law, and the fallback where WebAssembly SIMD is missing.
 */
/** The activations, exact: sigmoid split by sign so exp never overflows; relu lets NaN through. */
const activate: Record<FusedActivation, (v: number) => number> = {
  linear: (v) => v,
  relu: (v) => (v > 0 || v !== v ? v : 0),
  sigmoid: (v) => {
    if (v >= 0) return 1 / (1 + Math.exp(-v));
    const e = Math.exp(v);
    return e / (1 + e);
  },
};

/** act'(x) times dy, written from the output y = act(x). */
const derivative: Record<FusedActivation, (y: number, dy: number) => number> = {
  linear: (_y, dy) => dy,
  relu: (y, dy) => (y > 0 ? dy : 0),
  sigmoid: (y, dy) => dy * y * (1 - y),
};

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

  biasActivation(act, rows, cols, x, bias, y) {
    checkFused.biasActivation(act, rows, cols, x, bias, y);
    const f = activate[act];
    for (let i = 0; i < rows; i++) {
      for (let j = 0, o = i * cols; j < cols; j++, o++) y[o] = f(bias === null ? x[o] : x[o] + bias[j]);
    }
  },

  biasActivationGrad(act, rows, cols, y, dy, dx, dBias) {
    checkFused.biasActivationGrad(act, rows, cols, y, dy, dx, dBias);
    const d = derivative[act];
    dBias?.fill(0, 0, cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0, o = i * cols; j < cols; j++, o++) {
        dx[o] = d(y[o], dy[o]);
        if (dBias !== null) dBias[j] += dx[o];
      }
    }
  },

  squaredErrorSum(n, pOperand, tOperand, scale, dpOperand) {
    checkFused.squaredError('squaredErrorSum', n, pOperand, tOperand, dpOperand);
    const [p, t, dp] = [hostOf('squaredErrorSum', 'p', pOperand), hostOf('squaredErrorSum', 't', tOperand), hostOrNull('squaredErrorSum', 'dp', dpOperand)];
    let total = 0;
    for (let i = 0; i < n; i++) total += (p[i] - t[i]) ** 2;
    if (dp !== null) for (let i = 0; i < n; i++) dp[i] = scale * (p[i] - t[i]);
    return total;
  },

  binaryCrossentropySum(n, pOperand, tOperand, epsilon, scale, dpOperand) {
    const op = 'binaryCrossentropySum';
    checkFused.squaredError(op, n, pOperand, tOperand, dpOperand);
    const [p, t, dp] = [hostOf(op, 'p', pOperand), hostOf(op, 't', tOperand), hostOrNull(op, 'dp', dpOperand)];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const pi = p[i];
      const q = pi !== pi ? pi : Math.min(Math.max(pi, epsilon), 1 - epsilon);
      total += t[i] * Math.log(q) + (1 - t[i]) * Math.log(1 - q);
      if (dp !== null) dp[i] = pi > epsilon && pi <= 1 - epsilon ? scale * ((1 - t[i]) / (1 - q) - t[i] / q) : 0;
    }
    return -total;
  },

  squaredErrorGrad(n, p, t, scale, dp) {
    checkFused.squaredError('squaredErrorGrad', n, p, t, dp);
    for (let i = 0; i < n; i++) dp[i] = scale * (p[i] - t[i]);
  },

  adam(n, w, g, m, v, alpha, beta1, beta2, epsilon, decay = 0) {
    checkFused.adam(n, w, g, m, v);
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      m[i] += (gi - m[i]) * (1 - beta1);
      v[i] += (gi * gi - v[i]) * (1 - beta2);
      if (decay !== 0) w[i] -= w[i] * decay;
      w[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + epsilon);
    }
  },

  residentBuffer(length) {
    checkFused.residentLength(length);
    return new HeldBuffer(length);
  },

  adamMany(updates, alpha, beta1, beta2, epsilon, decay = 0) {
    checkFused.adamMany(updates);
    for (const { w, g, m, v } of updates) {
      referenceKernels.adam(w.length, hostOf('adamMany', 'w', w), hostOf('adamMany', 'g', g), hostOf('adamMany', 'm', m), hostOf('adamMany', 'v', v), alpha, beta1, beta2, epsilon, decay);
    }
  },

  // The dense pair, composed from the kernels above (this is their definition).
  denseForward(m, n, k, xOperand, wOperand, biasOperand, act, yOperand) {
    const op = 'denseForward';
    checkFused.denseForward(m, n, k, xOperand, wOperand, biasOperand, act, yOperand);
    const y = hostOf(op, 'y', yOperand);
    referenceKernels.gemm(false, false, m, n, k, 1, hostOf(op, 'x', xOperand), hostOf(op, 'w', wOperand), 0, y);
    referenceKernels.biasActivation(act, m, n, y, hostOrNull(op, 'bias', biasOperand), y);
  },

  denseBackward(m, n, k, xOperand, wOperand, yOperand, dyOperand, act, dxOperand, dWOperand, dBiasOperand) {
    const op = 'denseBackward';
    checkFused.denseBackward(m, n, k, xOperand, wOperand, yOperand, dyOperand, act, dxOperand, dWOperand, dBiasOperand);
    const [y, dW, dx] = [hostOf(op, 'y', yOperand), hostOrNull(op, 'dW', dWOperand), hostOrNull(op, 'dx', dxOperand)];
    const dz = y instanceof Float32Array ? new Float32Array(m * n) : new Float64Array(m * n);
    referenceKernels.biasActivationGrad(act, m, n, y, hostOf(op, 'dy', dyOperand), dz, hostOrNull(op, 'dBias', dBiasOperand));
    if (dW !== null) referenceKernels.gemm(true, false, k, n, m, 1, hostOf(op, 'x', xOperand), dz, 0, dW);
    if (dx !== null) referenceKernels.gemm(false, true, m, k, n, 1, dz, hostOf(op, 'w', wOperand), 0, dx);
  },

  convForward(g, transposed, xOperand, filterOperand, biasOperand, act, yOperand) {
    const op = 'convForward';
    checkFused.convForward(g, transposed, xOperand, filterOperand, biasOperand, act, yOperand);
    const [x, filter, bias, y] = [hostOf(op, 'x', xOperand), hostOf(op, 'filter', filterOperand), hostOrNull(op, 'bias', biasOperand), hostOf(op, 'y', yOperand)];
    const { rows, channels } = convLayerSizes(g, transposed);
    if (transposed) referenceKernels.conv2dBackpropInput(g, x, filter, y);
    else referenceKernels.conv2d(g, x, filter, y);
    referenceKernels.biasActivation(act, rows, channels, y, bias, y);
  },

  convBackward(g, transposed, xOperand, filterOperand, yOperand, dyOperand, act, dxOperand, dFilterOperand, dBiasOperand) {
    const op = 'convBackward';
    checkFused.convBackward(g, transposed, xOperand, filterOperand, yOperand, dyOperand, act, dxOperand, dFilterOperand, dBiasOperand);
    const [x, filter, y, dy] = [hostOf(op, 'x', xOperand), hostOf(op, 'filter', filterOperand), hostOf(op, 'y', yOperand), hostOf(op, 'dy', dyOperand)];
    const [dx, dFilter, dBias] = [hostOrNull(op, 'dx', dxOperand), hostOrNull(op, 'dFilter', dFilterOperand), hostOrNull(op, 'dBias', dBiasOperand)];
    const { rows, channels } = convLayerSizes(g, transposed);
    const dz = y instanceof Float32Array ? new Float32Array(rows * channels) : new Float64Array(rows * channels);
    referenceKernels.biasActivationGrad(act, rows, channels, y, dy, dz, dBias);
    if (transposed) {
      if (dx !== null) referenceKernels.conv2d(g, dz, filter, dx);
      if (dFilter !== null) referenceKernels.conv2dBackpropFilter(g, dz, x, dFilter);
    } else {
      if (dx !== null) referenceKernels.conv2dBackpropInput(g, dz, filter, dx);
      if (dFilter !== null) referenceKernels.conv2dBackpropFilter(g, x, dz, dFilter);
    }
  },

  maxPool2d(g, xOperand, yOperand, argmax) {
    checkFused.pool('maxPool2d', g, xOperand, yOperand, argmax);
    const [x, y] = [hostOf('maxPool2d', 'x', xOperand), hostOf('maxPool2d', 'y', yOperand)];
    let out = 0;
    forEachPoolWindow(g, (b, y0, y1, x0, x1) => {
      for (let ch = 0; ch < g.c; ch++, out++) {
        let best = -Infinity;
        let where = -1;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const at = ((b * g.h + iy) * g.w + ix) * g.c + ch;
            const v = x[at];
            // The first maximum wins a tie; a NaN wins outright so it is never hidden.
            if (v > best || (v !== v && best === best)) {
              best = v;
              where = at;
            }
          }
        }
        y[out] = best;
        argmax[out] = where;
      }
    });
  },

  maxPool2dBackprop(g, dyOperand, argmax, dxOperand) {
    checkFused.pool('maxPool2dBackprop', g, dxOperand, dyOperand, argmax);
    const [dy, dx] = [hostOf('maxPool2dBackprop', 'dy', dyOperand), hostOf('maxPool2dBackprop', 'dx', dxOperand)];
    dx.fill(0, 0, g.n * g.h * g.w * g.c);
    const count = g.n * g.oh * g.ow * g.c;
    for (let i = 0; i < count; i++) if (argmax[i] >= 0) dx[argmax[i]] += dy[i];
  },

  upSampling2d(g, x, y) {
    checkFused.upSampling('upSampling2d', g, x, y);
    forEachUpsampled(g, (src, dst) => {
      for (let ch = 0; ch < g.c; ch++) y[dst + ch] = x[src + ch];
    });
  },

  upSampling2dBackprop(g, dy, dx) {
    checkFused.upSampling('upSampling2dBackprop', g, dx, dy);
    dx.fill(0, 0, g.n * g.h * g.w * g.c);
    forEachUpsampled(g, (src, dst) => {
      for (let ch = 0; ch < g.c; ch++) dx[src + ch] += dy[dst + ch];
    });
  },
};

/** Visits every output pixel of a pooling sweep, in order, with its window clipped to the input. */
function forEachPoolWindow(g: PoolGeometry, visit: (b: number, y0: number, y1: number, x0: number, x1: number) => void): void {
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      const top = oy * g.sh - g.padTop;
      for (let ox = 0; ox < g.ow; ox++) {
        const left = ox * g.sw - g.padLeft;
        visit(b, Math.max(top, 0), Math.min(top + g.kh, g.h), Math.max(left, 0), Math.min(left + g.kw, g.w));
      }
    }
  }
}

/** Visits every output pixel of a nearest upsampling with the offsets of its source pixel and of itself. */
function forEachUpsampled(g: UpSamplingGeometry, visit: (src: number, dst: number) => void): void {
  let dst = 0;
  for (let b = 0; b < g.n; b++) {
    for (let Y = 0; Y < g.h * g.fy; Y++) {
      const row = (b * g.h + Math.floor(Y / g.fy)) * g.w;
      for (let X = 0; X < g.w * g.fx; X++, dst += g.c) visit((row + Math.floor(X / g.fx)) * g.c, dst);
    }
  }
}

export type { FloatArray };
