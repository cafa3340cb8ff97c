import type { FusedActivation } from '@aekit/kernels-wasm';
import { isGradEnabled } from '../autodiff.js';
import { kernelsFor } from '../backend.js';
import { formatShape, sameShape } from '../shape.js';
import { outputStorage } from '../step-memory.js';
import { allocate, Tensor, type Storage } from '../tensor.js';
import { apply, type OpDef } from './primitive.js';
import { sum } from './reduce.js';

// Composites promoted to primitives for measured speed: each replaces a chain
// of full-size temporaries in every training step with one pass. Measured on
// the dense autoencoder's step (784-64-784, batch 256): expand + add of the
// bias took 1.3 ms against 0.4 for biasAdd, and MSE's sub, mul, sum, scale and
// their backward about 5 ms against 0.7 for the fused pair. biasActivation and
// the MSE pair then moved into WebAssembly kernels (kernels-wasm's
// assembly/fused.ts): the step went from about 14 to 8 ms, sigmoid's Math.exp
// having been 3.5 ms of it (benchmarks/RESULTS.md).

const biasAddDef: OpDef<[Tensor, Tensor]> = {
  forward([x, bias]) {
    const units = bias.size;
    if (bias.rank !== 1 || x.rank < 1 || x.shape[x.rank - 1] !== units) {
      throw new RangeError(`biasAdd: a bias of shape ${formatShape(bias.shape)} does not fit the last axis of ${formatShape(x.shape)}`);
    }
    if (x.dtype !== bias.dtype) throw new TypeError(`biasAdd: dtypes ${x.dtype} and ${bias.dtype} differ`);
    const xs = x.values, b = bias.values, out = allocate(x.dtype, xs.length);
    for (let row = 0; row < xs.length; row += units) {
      for (let j = 0; j < units; j++) out[row + j] = xs[row + j] + b[j];
    }
    return new Tensor(out, x.shape);
  },
  // d(x + b) = dx + (db summed over every leading axis)
  vjp: (dy, [x, bias]) => [dy, bias.requiresGrad ? sum(dy, x.shape.slice(0, -1).map((_, i) => i)) : null],
};

/**
 * Adds a bias vector along the last axis: `x + bias` broadcast over the rows,
 * without materialising the broadcast.
 *
 * @example
 * biasAdd(matmul(x, kernel), bias); // a dense layer's pre-activation
 */
export function biasAdd(x: Tensor, bias: Tensor): Tensor {
  return apply('biasAdd', biasAddDef, [x, bias], undefined);
}

/**
 * The gradient of mean((p - t)²) for a cotangent of 1, computed by the forward
 * pass in the same sweep when a backward pass will follow (kept weakly, with
 * the loss tensor): the backward then reads nothing again.
 */
const squaredErrorGradient = new WeakMap<Tensor, Storage>();

const meanSquaredErrorDef: OpDef<[Tensor, Tensor]> = {
  forward([prediction, target]) {
    if (!sameShape(prediction.shape, target.shape)) {
      throw new RangeError(
        `meanSquaredError: the prediction has shape ${formatShape(prediction.shape)} but the target has ${formatShape(target.shape)}`,
      );
    }
    if (prediction.dtype !== target.dtype) throw new TypeError(`meanSquaredError: dtypes ${prediction.dtype} and ${target.dtype} differ`);
    const n = prediction.size;
    const training = isGradEnabled() && (prediction.requiresGrad || target.requiresGrad);
    const dp = training ? outputStorage(prediction.dtype, n) : null;
    const out = allocate(prediction.dtype, 1);
    out[0] = kernelsFor(prediction.dtype).squaredErrorSum(n, prediction.storage, target.storage, 2 / n, dp) / n;
    const loss = new Tensor(out, []);
    if (dp !== null) squaredErrorGradient.set(loss, dp);
    return loss;
  },
  // d/dp mean((p - t)²) = 2 (p - t) / n, and the negative of that for t.
  vjp(dy, [prediction, target], loss) {
    const n = prediction.size;
    const cached = squaredErrorGradient.get(loss);
    squaredErrorGradient.delete(loss);
    let dp: Tensor;
    if (cached !== undefined && dy.values[0] === 1) {
      dp = new Tensor(cached, prediction.shape);
    } else {
      const values = allocate(prediction.dtype, n);
      kernelsFor(prediction.dtype).squaredErrorGrad(n, prediction.values, target.values, (2 * dy.values[0]) / n, values);
      dp = new Tensor(values, prediction.shape);
    }
    let dt: Tensor | null = null;
    if (target.requiresGrad) {
      const neg = allocate(prediction.dtype, n);
      const dpValues = dp.values;
      for (let i = 0; i < n; i++) neg[i] = -dpValues[i];
      dt = new Tensor(neg, target.shape);
    }
    return [prediction.requiresGrad ? dp : null, dt];
  },
};

/** Mean squared error over every element, `mean((prediction - target)²)`, in one pass. */
export function squaredErrorMean(prediction: Tensor, target: Tensor): Tensor {
  return apply('squaredErrorMean', meanSquaredErrorDef, [prediction, target], undefined);
}

/** The gradient of a binary cross-entropy for a cotangent of 1, from its forward sweep (as for the MSE). */
const crossentropyGradient = new WeakMap<Tensor, Storage>();

const binaryCrossentropyDef: OpDef<[Tensor, Tensor], number> = {
  forward([probabilities, target], epsilon) {
    if (!sameShape(probabilities.shape, target.shape)) {
      throw new RangeError(
        `binaryCrossentropy: the prediction has shape ${formatShape(probabilities.shape)} but the target has ${formatShape(target.shape)}`,
      );
    }
    if (probabilities.dtype !== target.dtype) throw new TypeError(`binaryCrossentropy: dtypes ${probabilities.dtype} and ${target.dtype} differ`);
    const n = probabilities.size;
    const dp = isGradEnabled() && probabilities.requiresGrad ? outputStorage(probabilities.dtype, n) : null;
    const out = allocate(probabilities.dtype, 1);
    out[0] = kernelsFor(probabilities.dtype).binaryCrossentropySum(n, probabilities.storage, target.storage, epsilon, 1 / n, dp) / n;
    const loss = new Tensor(out, []);
    if (dp !== null) crossentropyGradient.set(loss, dp);
    return loss;
  },
  // d/dp = ((1 - t) / (1 - q) - t / q) / n where the clip passes p; d/dt = (log(1 - q) - log q) / n.
  vjp(dy, [probabilities, target], loss, epsilon) {
    const n = probabilities.size, g = dy.values[0];
    let dp: Tensor | null = null;
    if (probabilities.requiresGrad) {
      let values = crossentropyGradient.get(loss);
      if (values === undefined || g !== 1) {
        values = allocate(probabilities.dtype, n);
        kernelsFor(probabilities.dtype).binaryCrossentropySum(n, probabilities.storage, target.storage, epsilon, g / n, values);
      }
      dp = new Tensor(values, probabilities.shape);
    }
    crossentropyGradient.delete(loss);
    let dt: Tensor | null = null;
    if (target.requiresGrad) {
      const p = probabilities.values, t = target.values;
      const values = allocate(target.dtype, n);
      for (let i = 0; i < n; i++) {
        const q = Math.min(Math.max(p[i], epsilon), 1 - epsilon);
        values[i] = (g * (Math.log(1 - q) - Math.log(q))) / n;
      }
      dt = new Tensor(values, target.shape);
    }
    return [dp, dt];
  },
};

/**
 * Binary cross-entropy averaged over every element,
 * `-mean(t log q + (1 - t) log(1 - q))` with `q` the probabilities clipped to
 * `[epsilon, 1 - epsilon]`, in one pass (one more for the target's gradient,
 * when it has one). On float32 it runs in WebAssembly SIMD with a polynomial
 * log; the composite it replaces took about 50 ms of a 64 ms training step
 * of the dense autoencoder (784-64-784, batch 256).
 */
export function binaryCrossentropyMean(probabilities: Tensor, target: Tensor, epsilon = 1e-7): Tensor {
  return apply('binaryCrossentropyMean', binaryCrossentropyDef, [probabilities, target], epsilon);
}

/** The activations `biasActivation` fuses with the bias; others run as their own ops after `biasAdd`. */
export const fusedActivations: readonly FusedActivation[] = ['linear', 'relu', 'sigmoid'];

/** Whether `biasActivation` can fuse an activation of this name. */
export function isFusedActivation(name: string): name is FusedActivation {
  return (fusedActivations as readonly string[]).includes(name);
}

/** Throws unless `act` is one of the fused activations, naming the op. */
export function checkFusedActivation(op: string, act: string): void {
  if (!isFusedActivation(act)) throw new RangeError(`${op}: activation must be one of ${fusedActivations.join(', ')}, got '${act}'`);
}

/** The matrix a bias is added along: every axis but the last folded into rows. */
function rowsAndCols(x: Tensor): [number, number] {
  const cols = x.rank === 0 ? 1 : x.shape[x.rank - 1];
  return [cols === 0 ? 0 : x.size / cols, cols];
}

const biasActivationDef: OpDef<Tensor[], FusedActivation> = {
  forward([x, bias], act) {
    checkFusedActivation('biasActivation', act);
    if (bias !== undefined) {
      if (bias.rank !== 1 || x.rank < 1 || x.shape[x.rank - 1] !== bias.size) {
        throw new RangeError(`biasActivation: a bias of shape ${formatShape(bias.shape)} does not fit the last axis of ${formatShape(x.shape)}`);
      }
      if (x.dtype !== bias.dtype) throw new TypeError(`biasActivation: dtypes ${x.dtype} and ${bias.dtype} differ`);
    }
    const [rows, cols] = rowsAndCols(x);
    const y = allocate(x.dtype, x.size);
    kernelsFor(x.dtype).biasActivation(act, rows, cols, x.values, bias?.values ?? null, y);
    return new Tensor(y, x.shape);
  },
  // dx = dy act'(x + b), written from the output; db sums dx over every leading axis (one kernel does both).
  vjp(dy, [x, bias], y, act) {
    const [rows, cols] = rowsAndCols(x);
    const dx = allocate(x.dtype, x.size);
    const db = bias?.requiresGrad ? allocate(x.dtype, cols) : null;
    kernelsFor(x.dtype).biasActivationGrad(act, rows, cols, y.values, dy.values, dx, db);
    return [x.requiresGrad ? new Tensor(dx, x.shape) : null, db === null ? null : new Tensor(db, (bias as Tensor).shape)];
  },
};

/**
 * A layer's `activation(x + bias)` in one pass (and one backward pass that
 * also sums the bias gradient), for `'linear'`, `'relu'` and `'sigmoid'`;
 * `bias` may be null. On float32 it runs in WebAssembly SIMD, where sigmoid
 * uses a polynomial exp within a few float32 ulps of `Math.exp`'s.
 *
 * @example
 * biasActivation(matmul(x, kernel), bias, 'relu'); // relu(x · kernel + bias)
 */
export function biasActivation(x: Tensor, bias: Tensor | null, activation: FusedActivation): Tensor {
  if (bias === null && activation === 'linear') return x;
  return apply('biasActivation', biasActivationDef, bias === null ? [x] : [x, bias], activation);
}

const matmulBiasActivationDef: OpDef<Tensor[], FusedActivation> = {
  forward([x, kernel, bias], act) {
    checkFusedActivation('matmulBiasActivation', act);
    if (x.rank !== 2 || kernel.rank !== 2 || x.shape[1] !== kernel.shape[0]) {
      throw new RangeError(`matmulBiasActivation: expected x [m, k] and a kernel [k, n], got ${formatShape(x.shape)} and ${formatShape(kernel.shape)}`);
    }
    const [m, k] = x.shape;
    const n = kernel.shape[1];
    if (bias !== undefined && (bias.rank !== 1 || bias.size !== n)) {
      throw new RangeError(`matmulBiasActivation: a bias of shape ${formatShape(bias.shape)} does not fit a kernel of shape ${formatShape(kernel.shape)}`);
    }
    for (const [name, t] of [['kernel', kernel], ['bias', bias]] as const) {
      if (t !== undefined && t.dtype !== x.dtype) throw new TypeError(`matmulBiasActivation: x is ${x.dtype} but the ${name} is ${t.dtype}`);
    }
    const y = outputStorage(x.dtype, m * n);
    kernelsFor(x.dtype).denseForward(m, n, k, x.storage, kernel.storage, bias?.storage ?? null, act, y);
    return new Tensor(y, [m, n]);
  },
  // With dz = dy act'(x w + b), written from the output: dx = dz wᵀ, dw = xᵀ dz, db = the column sums of dz; one kernel
  // call computes the ones needed (a batch of data gets no dx gemm).
  vjp(dy, [x, kernel, bias], y, act) {
    const [m, k] = x.shape;
    const n = kernel.shape[1];
    const dx = x.requiresGrad ? outputStorage(x.dtype, m * k) : null;
    const dw = kernel.requiresGrad ? outputStorage(x.dtype, k * n) : null;
    const db = bias?.requiresGrad ? outputStorage(x.dtype, n) : null;
    kernelsFor(x.dtype).denseBackward(m, n, k, x.storage, kernel.storage, y.storage, dy.storage, act, dx, dw, db);
    const wrap = (values: Storage | null, like: Tensor | undefined) => (values === null ? null : new Tensor(values, (like as Tensor).shape));
    return bias === undefined ? [wrap(dx, x), wrap(dw, kernel)] : [wrap(dx, x), wrap(dw, kernel), wrap(db, bias)];
  },
};

/**
 * A dense layer in one primitive, `activation(x · kernel + bias)`, for
 * `'linear'`, `'relu'` and `'sigmoid'`; `bias` may be null. On float32 the
 * forward is one kernel call (gemm, then bias and activation on its output
 * before it leaves WebAssembly memory) and so is the backward (the activation's
 * derivative and the bias sums, then the two gemms), where the composite
 * `biasActivation(matmul(x, kernel), bias, activation)` copies every
 * intermediate in and out of WebAssembly memory.
 *
 * @example
 * matmulBiasActivation(x, kernel, bias, 'relu'); // [batch, in] by [in, out] -> [batch, out]
 */
export function matmulBiasActivation(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: FusedActivation): Tensor {
  return apply('matmulBiasActivation', matmulBiasActivationDef, bias === null ? [x, kernel] : [x, kernel, bias], activation);
}

export const fusedPrimitives = {
  biasAdd: biasAddDef,
  biasActivation: biasActivationDef,
  matmulBiasActivation: matmulBiasActivationDef,
  squaredErrorMean: meanSquaredErrorDef,
  binaryCrossentropyMean: binaryCrossentropyDef,
};
