// The kernel law of the fused kernels (assembly/fused.ts), shared by the
// in-process tests and the relaxed-SIMD child process: each WebAssembly kernel
// equals the TypeScript reference, run in float64 on the same float32 inputs,
// within a float32 rounding bound scaled by the magnitudes (and, for the bias
// gradient's column sum, by the number of rows).
import fc from 'fast-check';
import { referenceKernels, type FusedActivation, type Kernels, type Operand } from '../../src/index.js';
import { randomArray } from './gemm-law.js';

const U32 = 2 ** -24;
/** Sigmoid's polynomial exp is clamped at -87 (see assembly/fused.ts): below, it gives e^-87. */
const CLAMPED = Math.exp(-87) * (1 + 1e-6);
/** Half the spacing of float32 denormals: a denormal result is rounded to that. */
const DENORMAL = 2 ** -150;

function expectClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tolerance: (i: number) => number): void {
  for (let i = 0; i < want.length; i++) {
    const bound = tolerance(i);
    const same = Object.is(got[i], want[i]) || Math.abs(got[i] - want[i]) <= bound || (Number.isNaN(got[i]) && Number.isNaN(want[i]));
    if (!same) throw new Error(`${what}: element ${i} is ${got[i]}, expected ${want[i]} within ${bound}`);
  }
}

/** Sizes that cover 1, primes and lengths that are not multiples of 4; values spread over `scale`. */
export const fusedCase = fc.record({
  rows: fc.integer({ min: 1, max: 9 }),
  cols: fc.integer({ min: 1, max: 67 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  scale: fc.constantFrom(1, 8, 200),
  act: fc.constantFrom<FusedActivation>('linear', 'relu', 'sigmoid'),
  withBias: fc.boolean(),
});

export type FusedCase = typeof fusedCase extends fc.Arbitrary<infer T> ? T : never;

const scaled = (n: number, seed: number, scale: number) => randomArray(n, seed).map((v) => v * scale);

export function compareBiasActivation(kernels: Kernels, { rows, cols, seed, scale, act, withBias }: FusedCase): void {
  const x = scaled(rows * cols, seed, scale);
  const bias = withBias ? scaled(cols, seed + 1, scale) : null;
  const got = new Float32Array(rows * cols + 3).fill(7);
  kernels.biasActivation(act, rows, cols, x, bias, got);
  // The reference on the float32-rounded sums, which is what the kernel activates.
  const sums = Float64Array.from(x, (v, i) => (bias === null ? v : Math.fround(v + bias[i % cols])));
  const want = new Float64Array(rows * cols);
  referenceKernels.biasActivation(act, rows, cols, sums, null, want);
  const where = `${kernels.tier} biasActivation(${act}, ${rows}x${cols}, bias ${withBias})`;
  expectClose(where, got.subarray(0, rows * cols), want, (i) => (act === 'sigmoid' ? (want[i] < CLAMPED ? CLAMPED : 8 * U32 * want[i]) : 0));
  expectClose(`${where} past the end`, got.subarray(rows * cols), [7, 7, 7], () => 0);
}

export function compareBiasActivationGrad(kernels: Kernels, { rows, cols, seed, scale, act, withBias }: FusedCase): void {
  const size = rows * cols;
  const y = new Float32Array(size);
  referenceKernels.biasActivation(act, rows, cols, scaled(size, seed, scale), null, y);
  const dy = scaled(size, seed + 2, 1);
  const dx = new Float32Array(size);
  const dBias = withBias ? new Float32Array(cols).fill(Number.NaN) : null;
  kernels.biasActivationGrad(act, rows, cols, y, dy, dx, dBias);
  const wantDx = new Float64Array(size);
  const wantDb = new Float64Array(cols);
  referenceKernels.biasActivationGrad(act, rows, cols, Float64Array.from(y), Float64Array.from(dy), wantDx, wantDb);
  const where = `${kernels.tier} biasActivationGrad(${act}, ${rows}x${cols})`;
  expectClose(`${where} dx`, dx, wantDx, (i) => 4 * U32 * Math.abs(wantDx[i]) + DENORMAL);
  if (dBias !== null) {
    const magnitude = new Float64Array(cols);
    wantDx.forEach((v, i) => (magnitude[i % cols] += Math.abs(v)));
    expectClose(`${where} dBias`, dBias, wantDb, (j) => (rows + 4) * (U32 * magnitude[j] + DENORMAL));
  }
}

export function compareSquaredError(kernels: Kernels, { rows, cols, seed, scale }: FusedCase): void {
  const n = rows * cols;
  const p = scaled(n, seed, scale);
  const t = scaled(n, seed + 1, scale);
  const scale2 = 2 / n;
  const want = referenceKernels.squaredErrorSum(n, Float64Array.from(p), Float64Array.from(t), 0, null);
  for (const withGrad of [false, true]) {
    const dp = withGrad ? new Float32Array(n) : null;
    const sum = kernels.squaredErrorSum(n, p, t, scale2, dp);
    expectClose(`${kernels.tier} squaredErrorSum(n = ${n})`, [sum], [want], () => 4 * U32 * want);
    if (dp !== null) {
      const wantDp = Float64Array.from(p, (v, i) => scale2 * (v - t[i]));
      expectClose(`${kernels.tier} squaredErrorSum's gradient (n = ${n})`, dp, wantDp, (i) => 4 * U32 * Math.abs(wantDp[i]));
    }
  }
  const dp = new Float32Array(n);
  kernels.squaredErrorGrad(n, p, t, scale2, dp);
  const wantDp = new Float64Array(n);
  referenceKernels.squaredErrorGrad(n, Float64Array.from(p), Float64Array.from(t), scale2, wantDp);
  expectClose(`${kernels.tier} squaredErrorGrad(n = ${n})`, dp, wantDp, (i) => 4 * U32 * Math.abs(wantDp[i]));
}

/**
 * Binary cross-entropy: predictions spread over [-0.25, 1.25] so some are
 * clipped (and 0, 1 and a NaN appear in some draws), targets in [0, 1]. The
 * clip bound is a power of two so 1 - epsilon is the same in float32 and float64.
 */
export function compareBinaryCrossentropy(kernels: Kernels, { rows, cols, seed, withBias }: FusedCase): void {
  const n = rows * cols;
  const epsilon = 2 ** -20;
  const p = randomArray(n, seed).map((v) => v * 1.5 + 0.5);
  const t = randomArray(n, seed + 1).map((v) => v + 0.5);
  if (seed % 4 === 0) [p[0], p[n - 1]] = [0, 1];
  if (seed % 7 === 0) p[seed % n] = Number.NaN;
  const scale = 1 / n;
  const dp = withBias ? new Float32Array(n) : null;
  const got = kernels.binaryCrossentropySum(n, p, t, epsilon, scale, dp);
  const wantDp = new Float64Array(n);
  const want = referenceKernels.binaryCrossentropySum(n, Float64Array.from(p), Float64Array.from(t), epsilon, scale, wantDp);
  const where = `${kernels.tier} binaryCrossentropySum(n = ${n})`;
  // Each log to a few ulps, and 1 - q rounded once in float32: an absolute u on log(1 - q).
  const q = Float64Array.from(p, (v) => Math.min(Math.max(v, epsilon), 1 - epsilon));
  const bound = q.reduce((s, qi, i) => s + 8 * U32 * (Math.abs(t[i]) + Math.abs(1 - t[i])) * (1 + Math.abs(Math.log(qi)) + Math.abs(Math.log(1 - qi))), 0);
  expectClose(where, [got], [want], () => bound);
  if (dp !== null) {
    // The kernel divides q - t by q (1 - q) once: q - t cancels to within u (q + t).
    expectClose(`${where} gradient`, dp, wantDp, (i) => 8 * U32 * scale * (Math.abs(1 - t[i]) / (1 - q[i]) + Math.abs(t[i]) / q[i] + (q[i] + t[i]) / (q[i] * (1 - q[i]))));
  }
}

export function compareAdam(kernels: Kernels, { rows, cols, seed, scale }: FusedCase): void {
  const n = rows * cols;
  const w = scaled(n, seed, scale);
  const g = scaled(n, seed + 1, scale);
  const m = scaled(n, seed + 2, scale);
  const v = scaled(n, seed + 3, scale).map(Math.abs);
  const [w64, g64, m64, v64] = [w, g, m, v].map((a) => Float64Array.from(a));
  const [alpha, beta1, beta2, epsilon] = [1e-3 * (1 + (seed % 7)), 0.9, 0.999, 1e-7];
  // AdamW's decoupled decay (weightDecay * lr) on two draws in three, none on the third.
  const decay = seed % 3 === 0 ? 0 : 1e-4 * (seed % 11) + 1e-6;
  kernels.adam(n, w, g, m, v, alpha, beta1, beta2, epsilon, decay);
  referenceKernels.adam(n, w64, g64, m64, v64, alpha, beta1, beta2, epsilon, decay);
  const where = `${kernels.tier} adam(n = ${n}, decay = ${decay})`;
  const g0 = scaled(n, seed + 1, scale);
  expectClose(`${where} m`, m, m64, (i) => 8 * U32 * (Math.abs(m64[i]) + Math.abs(g0[i])));
  expectClose(`${where} v`, v, v64, (i) => 8 * U32 * (Math.abs(v64[i]) + g0[i] * g0[i]));
  // w from the kernel's own m and v: the decayed weight to two roundings of w, the step alpha m / (√v + ε)
  // to a few ulps, then one rounding of the result.
  const w0 = Float64Array.from(scaled(n, seed, scale), (wi) => wi - wi * decay);
  const step = Float64Array.from(m, (mi, i) => (alpha * mi) / (Math.sqrt(v[i]) + epsilon));
  const wantW = w0.map((wi, i) => wi - step[i]);
  expectClose(`${where} w`, w, wantW, (i) => U32 * Math.abs(wantW[i]) + 2 * U32 * Math.abs(w0[i]) + 8 * U32 * Math.abs(step[i]) + DENORMAL);
}

/** A dense layer's sizes: 1, primes and non-multiples of 4 for m, n and k. */
export const denseCase = fc.record({
  m: fc.integer({ min: 1, max: 9 }),
  n: fc.integer({ min: 1, max: 21 }),
  k: fc.integer({ min: 1, max: 19 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  act: fc.constantFrom<FusedActivation>('linear', 'relu', 'sigmoid'),
  withBias: fc.boolean(),
  withDx: fc.boolean(),
  withDW: fc.boolean(),
});

type DenseCase = typeof denseCase extends fc.Arbitrary<infer T> ? T : never;

const abs64 = (a: ArrayLike<number>) => Float64Array.from(a, Math.abs);

/**
 * denseForward and denseBackward against the reference in float64: each gemm
 * within (length + 8) u of the magnitudes |x| |w| (or |x|ᵀ |dz|, |dz| |w|ᵀ),
 * plus the activation's few ulps.
 */
export function compareDense(kernels: Kernels, { m, n, k, seed, act, withBias, withDx, withDW }: DenseCase): void {
  const x = randomArray(m * k, seed).map((v) => v * 4);
  const w = randomArray(k * n, seed + 1);
  const bias = withBias ? randomArray(n, seed + 2) : null;
  const y = new Float32Array(m * n);
  kernels.denseForward(m, n, k, x, w, bias, act, y);
  const [x64, w64] = [Float64Array.from(x), Float64Array.from(w)];
  const want = new Float64Array(m * n);
  referenceKernels.denseForward(m, n, k, x64, w64, bias === null ? null : Float64Array.from(bias), act, want);
  const magnitude = new Float64Array(m * n);
  referenceKernels.gemm(false, false, m, n, k, 1, abs64(x), abs64(w), 0, magnitude);
  const where = `${kernels.tier} dense(${act}, m=${m} n=${n} k=${k}, bias ${withBias})`;
  expectClose(`${where} forward`, y, want, (i) => (k + 8) * U32 * (magnitude[i] + (bias === null ? 0 : Math.abs(bias[i % n]))) + 8 * U32 * Math.abs(want[i]));

  // The backward from the kernel's own y, so both sides differentiate the same point.
  const dy = randomArray(m * n, seed + 3);
  const [dx, dW, dBias] = [withDx ? new Float32Array(m * k) : null, withDW ? new Float32Array(k * n) : null, withBias ? new Float32Array(n) : null];
  kernels.denseBackward(m, n, k, x, w, y, dy, act, dx, dW, dBias);
  const y64 = Float64Array.from(y);
  const [wantDx, wantDW, wantDb] = [new Float64Array(m * k), new Float64Array(k * n), new Float64Array(n)];
  referenceKernels.denseBackward(m, n, k, x64, w64, y64, Float64Array.from(dy), act, wantDx, wantDW, wantDb);
  const dz = new Float64Array(m * n);
  referenceKernels.biasActivationGrad(act, m, n, y64, abs64(dy), dz, null);
  const [magW, magX, magB] = [new Float64Array(k * n), new Float64Array(m * k), new Float64Array(n)];
  referenceKernels.gemm(true, false, k, n, m, 1, abs64(x), dz, 0, magW);
  referenceKernels.gemm(false, true, m, k, n, 1, dz, abs64(w), 0, magX);
  dz.forEach((v, i) => (magB[i % n] += v));
  if (dW !== null) expectClose(`${where} dW`, dW, wantDW, (i) => (m + 8) * U32 * magW[i] + DENORMAL);
  if (dx !== null) expectClose(`${where} dx`, dx, wantDx, (i) => (n + 8) * U32 * magX[i] + DENORMAL);
  if (dBias !== null) expectClose(`${where} dBias`, dBias, wantDb, (j) => (m + 8) * U32 * magB[j] + DENORMAL);
}
/** Parameter sizes for adamMany: 1, primes, odd lengths, and none at all; with AdamW's decay or without. */
export const adamManyCase = fc.record({
  sizes: fc.array(fc.constantFrom(0, 1, 2, 3, 7, 13, 64, 97, 250), { minLength: 1, maxLength: 5 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  steps: fc.integer({ min: 1, max: 3 }),
  decay: fc.constantFrom(0, 4e-6, 1e-3),
});

/**
 * adamMany over resident moments, for a few steps, is bit for bit the same
 * tier's adam run on each parameter with plain moment arrays: the moments
 * persist between calls and each parameter gets its own.
 */
export function compareAdamMany(kernels: Kernels, { sizes, seed, steps, decay }: typeof adamManyCase extends fc.Arbitrary<infer T> ? T : never): void {
  const ws = sizes.map((n, i) => scaled(n, seed + 10 * i, 2));
  const plain = sizes.map((n, i) => ({ w: Float32Array.from(ws[i]), m: new Float32Array(n), v: new Float32Array(n) }));
  const updates = sizes.map((n, i) => ({ w: Float32Array.from(ws[i]), g: new Float32Array(n), m: kernels.residentBuffer(n), v: kernels.residentBuffer(n) }));
  for (let step = 1; step <= steps; step++) {
    const alpha = 1e-3 * step;
    sizes.forEach((n, i) => {
      updates[i].g.set(scaled(n, seed + 10 * i + step, 2));
      kernels.adam(n, plain[i].w, updates[i].g, plain[i].m, plain[i].v, alpha, 0.9, 0.999, 1e-7, decay);
    });
    kernels.adamMany(updates, alpha, 0.9, 0.999, 1e-7, decay);
  }
  sizes.forEach((n, i) => {
    const where = `${kernels.tier} adamMany(sizes = [${sizes.join(', ')}], decay = ${decay}) parameter ${i}`;
    expectClose(`${where} w`, updates[i].w, plain[i].w, () => 0);
    expectClose(`${where} m`, updates[i].m.read(), plain[i].m, () => 0);
    expectClose(`${where} v`, updates[i].v.read(), plain[i].v, () => 0);
  });
}

/** A dense layer's case plus which operands go in as resident buffers (one bit each, up to 14 of them). */
export const residentCase = fc.record({ dense: denseCase, resident: fc.integer({ min: 0, max: 2 ** 16 - 1 }) });

/**
 * The dense pair, both losses and adamMany with some operands in resident
 * buffers (each chosen by a bit of the case) give bit for bit what the same
 * tier gives with host arrays: a kernel reads a resident input in place and
 * writes a resident output in place, and nothing else changes.
 */
export function compareResidentOperands(kernels: Kernels, { dense, resident }: typeof residentCase extends fc.Arbitrary<infer T> ? T : never): void {
  const { m, n, k, seed, act, withBias, withDx, withDW } = dense;
  let bit = 0;
  /** A host copy of `values` and, chosen by the next bit of `resident`, a resident copy to pass instead. */
  const operand = (values: Float32Array): [Float32Array, Operand] => {
    const inPlace = (resident >> bit++) & 1;
    if (!inPlace) return [values, Float32Array.from(values)];
    const buffer = kernels.residentBuffer(values.length, 'any');
    buffer.write(values);
    return [values, buffer];
  };
  const read = (o: Operand | null): Float32Array => (o === null ? new Float32Array(0) : ArrayBuffer.isView(o) ? Float32Array.from(o) : o.read());
  const where = `${kernels.tier} resident operands (mask ${resident}, dense ${act} m=${m} n=${n} k=${k})`;
  const [x, xOp] = operand(randomArray(m * k, seed));
  const [w, wOp] = operand(randomArray(k * n, seed + 1));
  const [bias, biasOp] = withBias ? operand(randomArray(n, seed + 2)) : [null, null];
  const [, yOp] = operand(new Float32Array(m * n));
  const y = new Float32Array(m * n);
  kernels.denseForward(m, n, k, x, w, bias, act, y);
  kernels.denseForward(m, n, k, xOp, wOp, biasOp, act, yOp);
  expectClose(`${where} y`, read(yOp), y, () => 0);

  const [dy, dyOp] = operand(randomArray(m * n, seed + 3));
  const outputs = (make: (size: number) => Operand) => [withDx ? make(m * k) : null, withDW ? make(k * n) : null, withBias ? make(n) : null];
  const host = outputs((size) => new Float32Array(size));
  const inPlace = outputs((size) => operand(new Float32Array(size))[1]);
  kernels.denseBackward(m, n, k, x, w, y, dy, act, host[0], host[1], host[2]);
  kernels.denseBackward(m, n, k, xOp, wOp, yOp, dyOp, act, inPlace[0], inPlace[1], inPlace[2]);
  ['dx', 'dW', 'dBias'].forEach((name, i) => expectClose(`${where} ${name}`, read(inPlace[i]), read(host[i]), () => 0));
  // dy is an input: a resident one is the caller's and stays as it was.
  expectClose(`${where} dy after denseBackward`, read(dyOp), dy, () => 0);

  // The losses of y against x's first m * n values (inputs in [0, 1) for the cross-entropy).
  const size = m * n;
  const [t, tOp] = operand(randomArray(size, seed + 4).map(Math.abs));
  const [p, pOp] = operand(y.map((v) => Math.abs(Math.tanh(v))));
  for (const loss of ['squaredErrorSum', 'binaryCrossentropySum'] as const) {
    const dp = new Float32Array(size);
    const [, dpOp] = operand(new Float32Array(size));
    const run = (pp: Operand, tt: Operand, out: Operand) =>
      loss === 'squaredErrorSum' ? kernels.squaredErrorSum(size, pp, tt, 0.5, out) : kernels.binaryCrossentropySum(size, pp, tt, 1e-7, 0.5, out);
    const [inPlaceSum, hostSum] = [run(pOp, tOp, dpOp), run(p, t, dp)];
    if (inPlaceSum !== hostSum) throw new Error(`${where} ${loss}: ${inPlaceSum} in place, ${hostSum} from host arrays`);
    expectClose(`${where} ${loss} dp`, read(dpOp), dp, () => 0);
  }

  // Adam on resident weights, from a resident gradient: the same update as on host ones, in place.
  const [g, gOp] = operand(randomArray(k * n, seed + 5));
  const [wHost, wInPlace] = operand(Float32Array.from(w));
  const moments = () => ({ m: kernels.residentBuffer(k * n), v: kernels.residentBuffer(k * n) });
  kernels.adamMany([{ w: wHost, g, ...moments() }], 1e-3, 0.9, 0.999, 1e-7);
  kernels.adamMany([{ w: wInPlace, g: gOp, ...moments() }], 1e-3, 0.9, 0.999, 1e-7);
  expectClose(`${where} adamMany w`, read(wInPlace), wHost, () => 0);
}

/** Every fused-kernel property, as named runnable checks (for the child process too). */
export function fusedLaw(kernels: Kernels, numRuns = 200): { name: string; run: () => void }[] {
  const check = (f: (k: Kernels, c: FusedCase) => void) => () => fc.assert(fc.property(fusedCase, (c) => f(kernels, c)), { numRuns });
  return [
    { name: 'biasActivation equals the reference', run: check(compareBiasActivation) },
    { name: 'biasActivationGrad equals the reference', run: check(compareBiasActivationGrad) },
    { name: 'squaredErrorSum and squaredErrorGrad equal the reference', run: check(compareSquaredError) },
    { name: 'binaryCrossentropySum and its gradient equal the reference', run: check(compareBinaryCrossentropy) },
    { name: 'adam equals the reference', run: check(compareAdam) },
    { name: 'adamMany over resident moments equals adam over plain ones', run: () => fc.assert(fc.property(adamManyCase, (c) => compareAdamMany(kernels, c)), { numRuns: numRuns / 4 }) },
    { name: 'denseForward and denseBackward equal the reference', run: () => fc.assert(fc.property(denseCase, (c) => compareDense(kernels, c)), { numRuns }) },
    { name: 'resident operands give what host arrays give', run: () => fc.assert(fc.property(residentCase, (c) => compareResidentOperands(kernels, c)), { numRuns: numRuns / 2 }) },
  ];
}
