import type { ResidentBuffer } from '@aekit/kernels-wasm';
import { kernelsFor } from './backend.js';
import { allocate, type DType, type Storage } from './tensor.js';

// A training step's memory. Every step of `fit` computes the same activations
// and gradients, each copied out of WebAssembly memory by the op that made it
// and copied back in by the next, and each a fresh typed array for the
// garbage collector. Inside `withStepMemory`, the fused dense and convolution
// layers, max pooling and the losses keep their large float32 outputs in the
// kernels' memory instead, where the next kernel (Adam included) reads them in
// place; the step's end frees them all at once. `fit` runs each training step
// this way, `predict` and `evaluate` each batch.

/** Outputs smaller than this stay host arrays: a bias gradient or a scalar costs less to copy than to hold. */
const MIN_RESIDENT = 4096;

/** The buffers of the innermost running step, or null outside one. */
let stepBuffers: ResidentBuffer[] | null = null;

/**
 * Runs `fn` as one training step: the large float32 intermediates it computes
 * (activations, gradients) may stay in the kernels' memory, and are freed when
 * `fn` returns or throws. A tensor made inside whose values are first read
 * after the step throws a clear error; read what you need inside (a loss with
 * `.item()`, anything with `.values`). `fit` runs every step this way.
 *
 * @example
 * const loss = withStepMemory(() => {
 *   const l = meanSquaredError(model.call(x), x);
 *   l.backward();
 *   optimizer.step(params);
 *   zeroGrad(params);
 *   return l.item();
 * });
 */
export function withStepMemory<T>(fn: () => T): T {
  const outer = stepBuffers;
  const buffers: ResidentBuffer[] = [];
  stepBuffers = buffers;
  try {
    return fn();
  } finally {
    stepBuffers = outer;
    for (const buffer of buffers) buffer.free();
  }
}

/** Whether a training step's memory is active (inside `withStepMemory`). */
export function inStepMemory(): boolean {
  return stepBuffers !== null;
}

/**
 * Room for an op's output of `size` elements: a buffer of the running step
 * (see `stepBuffer`), else a host array. Only ops whose kernels take resident
 * operands ask for it.
 */
export function outputStorage(dtype: DType, size: number): Storage {
  return stepBuffer(dtype, size) ?? allocate(dtype, size);
}

/**
 * A resident buffer of `size` elements that lives until the running step
 * ends, for a float32 value large enough to be worth keeping in the kernels'
 * memory; `null` outside a step, for float64 and for small sizes. Its
 * contents start undefined: the caller writes all of it (a kernel's output,
 * a batch gathered row by row).
 *
 * @example
 * const buffer = stepBuffer('float32', rows * cols);
 * if (buffer) { buffer.write(row, 0); ... ; return new Tensor(buffer, [rows, cols]); }
 */
export function stepBuffer(dtype: DType, size: number): ResidentBuffer | null {
  if (stepBuffers === null || dtype !== 'float32' || size < MIN_RESIDENT) return null;
  const buffer = kernelsFor('float32').residentBuffer(size, 'any');
  stepBuffers.push(buffer);
  return buffer;
}
