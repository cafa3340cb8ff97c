// The eigendecomposition of a symmetric matrix, for PCA: Householder reduction
// to tridiagonal form, then the implicit QL method with Wilkinson shifts on the
// tridiagonal matrix, accumulating every transformation into the eigenvectors.
// Both stages are direct, backward-stable and deterministic (no random start,
// no convergence tolerance on a subspace): about 4n³ flops, well under a second
// for n = 784 in float64.
// For the top few eigenpairs of a large positive semidefinite operator there is
// topEigen: block subspace iteration from a seeded random start, with
// Rayleigh-Ritz on the small block (solved by symmetricEigen).

import { Random } from '@aekit/core';

/** Eigenvalues, descending, and the matching unit eigenvectors as the rows of an n×n row-major matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  /** Row i is the eigenvector of `values[i]`. */
  vectors: Float64Array;
}

const MAX_QL_ITERATIONS = 64;

/**
 * Eigenvalues (descending) and orthonormal eigenvectors of a symmetric n×n
 * matrix given row-major. Only the lower triangle is read. Each eigenvector's
 * entry of largest magnitude is made positive, so the result is unique up to
 * ties in the eigenvalues.
 *
 * @example
 * const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
 * // values [3, 1]; vectors rows [0.7071, 0.7071] and [0.7071, -0.7071]
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): SymmetricEigen {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`symmetricEigen: n must be a positive integer, got ${n}`);
  if (matrix.length !== n * n) throw new RangeError(`symmetricEigen: a ${n}x${n} matrix needs ${n * n} values, got ${matrix.length}`);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = matrix[i * n + j];
      if (!Number.isFinite(v)) throw new RangeError(`symmetricEigen: entry (${i}, ${j}) is ${v}`);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  const diagonal = new Float64Array(n);
  const off = new Float64Array(n);
  // q holds Qᵀ (rows are the columns of Q), so the QL rotations, which mix columns of Q, mix contiguous rows.
  const qt = tridiagonalize(a, n, diagonal, off);
  implicitQl(diagonal, off, qt, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => diagonal[j] - diagonal[i] || i - j);
  const values = Float64Array.from(order, (i) => diagonal[i]);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    const row = vectors.subarray(to * n, (to + 1) * n);
    row.set(qt.subarray(from * n, (from + 1) * n));
    signNormalize(row);
  });
  return { values, vectors };
}

/** Flips `v` in place so that its entry of largest magnitude (the first, on ties) is positive: one sign convention for every solver. */
export function signNormalize(v: Float64Array): void {
  let peak = 0;
  for (let j = 1; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[peak])) peak = j;
  if (v[peak] < 0) for (let j = 0; j < v.length; j++) v[j] = -v[j];
}

/**
 * Householder reduction: A = Q T Qᵀ with T tridiagonal (diagonal, and `off[i]`
 * coupling i and i + 1). Overwrites `a`; returns Qᵀ row-major.
 */
function tridiagonalize(a: Float64Array, n: number, diagonal: Float64Array, off: Float64Array): Float64Array {
  const reflectors: Float64Array[] = [];
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    // The reflector H = I - 2vvᵀ maps column k below the diagonal, x, onto alpha·e₁.
    const m = n - k - 1;
    const v = new Float64Array(m);
    let norm2 = 0;
    for (let i = 0; i < m; i++) {
      v[i] = a[(k + 1 + i) * n + k];
      norm2 += v[i] * v[i];
    }
    const norm = Math.sqrt(norm2);
    reflectors.push(v);
    if (norm === 0) {
      off[k] = 0;
      v.fill(0);
      continue;
    }
    // alpha takes the sign opposite to x₀, so v = x - alpha·e₁ suffers no cancellation.
    const alpha = v[0] > 0 ? -norm : norm;
    const x0 = v[0];
    v[0] = x0 - alpha;
    const scale = 1 / Math.sqrt(norm2 - x0 * x0 + v[0] * v[0]);
    for (let i = 0; i < m; i++) v[i] *= scale;
    off[k] = alpha;
    // The trailing block B becomes H B H = B - 2vwᵀ - 2wvᵀ with p = Bv, w = p - (vᵀp)v.
    let vp = 0;
    for (let i = 0; i < m; i++) {
      const row = (k + 1 + i) * n + k + 1;
      let s = 0;
      for (let j = 0; j < m; j++) s += a[row + j] * v[j];
      p[i] = s;
      vp += v[i] * s;
    }
    for (let i = 0; i < m; i++) p[i] -= vp * v[i];
    for (let i = 0; i < m; i++) {
      const row = (k + 1 + i) * n + k + 1;
      const vi = 2 * v[i];
      const pi = 2 * p[i];
      for (let j = 0; j < m; j++) a[row + j] -= vi * p[j] + pi * v[j];
    }
  }
  for (let i = 0; i < n; i++) diagonal[i] = a[i * n + i];
  if (n >= 2) off[n - 2] = a[(n - 1) * n + n - 2];
  off[n - 1] = 0;
  // Q = H₀H₁…: build Qᵀ = …H₁H₀ (each H symmetric) from the right, Qᵀ ← Qᵀ H_k, last reflector first.
  // H_k only touches indices above k, where the product so far is still the identity outside its block.
  const qt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  const w = new Float64Array(n);
  for (let k = reflectors.length - 1; k >= 0; k--) {
    const v = reflectors[k];
    const m = v.length;
    const o = k + 1;
    // Qᵀ block (rows o.., cols o..) ← block - 2 (block v) vᵀ.
    for (let i = 0; i < m; i++) {
      const row = (o + i) * n + o;
      let s = 0;
      for (let j = 0; j < m; j++) s += qt[row + j] * v[j];
      w[i] = 2 * s;
    }
    for (let i = 0; i < m; i++) {
      const row = (o + i) * n + o;
      const wi = w[i];
      if (wi === 0) continue;
      for (let j = 0; j < m; j++) qt[row + j] -= wi * v[j];
    }
  }
  return qt;
}

/**
 * Diagonalizes the tridiagonal (diagonal, off) in place by implicit QL sweeps
 * with a Wilkinson shift, applying each Givens rotation to the rows of `qt`
 * (so its rows end as the eigenvectors of the original matrix).
 */
function implicitQl(d: Float64Array, e: Float64Array, qt: Float64Array, n: number): void {
  // An off-diagonal entry is negligible beside its neighbours or beside the whole matrix: the second test
  // ends the sweeps on a block of zero eigenvalues (e.g. pixels that never vary), where the first never holds.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]));
  const negligible = (m: number) => {
    const magnitude = Math.abs(e[m]);
    return magnitude <= Number.EPSILON * (Math.abs(d[m]) + Math.abs(d[m + 1])) || magnitude <= Number.EPSILON * norm;
  };
  for (let l = 0; l < n; l++) {
    for (let iteration = 0; ; iteration++) {
      // The first negligible off-diagonal entry at or after l splits off the block l..m.
      let m = l;
      while (m < n - 1 && !negligible(m)) m++;
      if (m === l) break;
      if (iteration === MAX_QL_ITERATIONS) throw new Error(`symmetricEigen: no convergence for eigenvalue ${l} after ${MAX_QL_ITERATIONS} QL sweeps`);
      // Shift by the eigenvalue of the leading 2x2 block closer to d[l].
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // An exact split appeared inside the sweep: undo the pending shift and start again.
          d[i + 1] -= p;
          e[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        const rowI = i * n;
        const rowNext = (i + 1) * n;
        for (let k = 0; k < n; k++) {
          const next = qt[rowNext + k];
          const cur = qt[rowI + k];
          qt[rowNext + k] = s * cur + c * next;
          qt[rowI + k] = c * cur - s * next;
        }
      }
      if (r === 0 && i >= l) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/** Eigenvalues below this fraction of the largest are judged on that scale: rounding moves them by more than a fraction of themselves. */
const ZERO_EIGENVALUE = 1e-6;

/** Options for {@link topEigen}. */
export interface TopEigenOptions {
  /** Basis vectors beyond k, p = k + oversampling: the error shrinks like (λ[p] / λ[k − 1])^iteration (0-based). Default 10. */
  oversampling?: number;
  /**
   * Stop once every top-k Ritz value moves by at most this fraction of itself between iterations
   * (of 1e-6 of the largest, for those smaller than that). Default 1e-9; an operator in float32
   * needs about 1e-6, its rounding noise.
   */
  tolerance?: number;
  /** The iteration cap: stop there, converged or not. Default 100. */
  maxIterations?: number;
  /** The seed of the random start, so the same operator gives the same result. Default 0. */
  seed?: number;
}

/** The top k eigenpairs found by {@link topEigen}, with how the iteration ended. */
export interface TopEigen extends SymmetricEigen {
  /** Iterations run (operator products). */
  iterations: number;
  /** Whether the tolerance was met before the cap. */
  converged: boolean;
}

/**
 * The k largest eigenvalues (descending) and their unit eigenvectors (rows of
 * a k×n matrix, signs as {@link symmetricEigen} sets them) of a symmetric
 * positive semidefinite n×n operator A known only through `multiply`, which
 * must return the rows of (A·V)ᵀ for the p×n row-major block Vᵀ it is given.
 * Block subspace iteration: V ← orth(A·V) from a seeded Gaussian V of
 * p = k + oversampling columns, with a Rayleigh-Ritz step (the p×p problem
 * VᵀAV) each time, until the top-k Ritz values settle. Each step costs one
 * operator product plus O(n·p²), so it beats the O(n³) direct solver when
 * k ≪ n; the operator can be a data product XᵀX·V that never forms A.
 *
 * @example
 * // The top eigenpair of [[2, 1], [1, 2]] from products alone: row r of the result is (row r of Vᵀ)·A.
 * const a = [2, 1, 1, 2];
 * const { values, vectors } = topEigen((vt, p) => {
 *   const out = new Float64Array(p * 2);
 *   for (let r = 0; r < p; r++) for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) out[r * 2 + j] += vt[r * 2 + i] * a[i * 2 + j];
 *   return out;
 * }, 2, 1);
 * // values [3]; vectors [0.7071, 0.7071]
 */
export function topEigen(multiply: (vt: Float64Array, p: number) => ArrayLike<number>, n: number, k: number, options: TopEigenOptions = {}): TopEigen {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`topEigen: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`topEigen: k must be an integer in [1, ${n}], got ${k}`);
  const { oversampling = 10, tolerance = 1e-9, maxIterations = 100, seed = 0 } = options;
  if (!Number.isInteger(oversampling) || oversampling < 0) throw new RangeError(`topEigen: oversampling must be a non-negative integer, got ${oversampling}`);
  if (!(tolerance >= 0 && tolerance < 1)) throw new RangeError(`topEigen: tolerance must be in [0, 1), got ${tolerance}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError(`topEigen: maxIterations must be a positive integer, got ${maxIterations}`);
  const p = Math.min(n, k + oversampling);
  const rng = new Random(seed);
  const draw = (row: Float64Array) => {
    for (let j = 0; j < n; j++) row[j] = rng.normal();
  };
  let vt: Float64Array = new Float64Array(p * n);
  draw(vt);
  orthonormalizeRows(vt, p, n, draw);
  let previous: SymmetricEigen['values'] | null = null;
  for (let iteration = 1; ; iteration++) {
    const yt = multiply(vt, p);
    if (yt.length !== p * n) throw new RangeError(`topEigen: multiply returned ${yt.length} values for a ${p}x${n} block, expected ${p * n}`);
    // Rayleigh-Ritz: the p×p matrix B = Vᵀ(AV); its eigenvectors U rotate V into Ritz vectors.
    const b = new Float64Array(p * p);
    for (let i = 0; i < p; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let t = 0; t < n; t++) s += vt[i * n + t] * yt[j * n + t];
        if (!Number.isFinite(s)) throw new RangeError(`topEigen: multiply returned non-finite values (row ${j} of the block, iteration ${iteration})`);
        b[i * p + j] = b[j * p + i] = s;
      }
    }
    const ritz = symmetricEigen(b, p);
    const values = ritz.values;
    const last = previous;
    const scale = ZERO_EIGENVALUE * values[0];
    const settled = last !== null && values.subarray(0, k).every((v, i) => Math.abs(v - last[i]) <= tolerance * Math.max(Math.abs(v), scale));
    if (settled || iteration >= maxIterations) {
      const vectors = rotateRows(ritz.vectors, vt, k, p, n);
      for (let i = 0; i < k; i++) signNormalize(vectors.subarray(i * n, (i + 1) * n));
      return { values: values.slice(0, k), vectors, iterations: iteration, converged: settled };
    }
    previous = values;
    // Rotating AV by U first keeps the dominant directions first through Gram-Schmidt.
    vt = rotateRows(ritz.vectors, Float64Array.from(yt), p, p, n);
    orthonormalizeRows(vt, p, n, draw);
  }
}

/** The first `rows` rows of U·M, for U p×p and M p×n (row-major). */
function rotateRows(u: Float64Array, m: Float64Array, rows: number, p: number, n: number): Float64Array {
  const out = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    const o = out.subarray(i * n, (i + 1) * n);
    for (let j = 0; j < p; j++) {
      const c = u[i * p + j];
      if (c === 0) continue;
      const r = j * n;
      for (let t = 0; t < n; t++) o[t] += c * m[r + t];
    }
  }
  return out;
}

/**
 * Modified Gram-Schmidt on the rows of a p×n block, twice per row ("twice is
 * enough" for orthogonality to rounding). A row that is (numerically) in the
 * span of those before it, as past the rank of a low-rank operator, is
 * redrawn by `draw` and orthonormalized in its place.
 */
function orthonormalizeRows(a: Float64Array, p: number, n: number, draw: (row: Float64Array) => void): void {
  for (let i = 0; i < p; i++) {
    const row = a.subarray(i * n, (i + 1) * n);
    for (let attempt = 0; ; attempt++) {
      const before = Math.sqrt(dot(row, row));
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < i; j++) {
          const other = a.subarray(j * n, (j + 1) * n);
          const c = dot(row, other);
          for (let t = 0; t < n; t++) row[t] -= c * other[t];
        }
      }
      const norm = Math.sqrt(dot(row, row));
      if (norm > 1e-10 * before && norm > 0) {
        for (let t = 0; t < n; t++) row[t] /= norm;
        break;
      }
      if (attempt === 8) throw new Error(`topEigen: could not extend the basis past ${i} vectors`);
      draw(row);
    }
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += a[t] * b[t];
  return s;
}
