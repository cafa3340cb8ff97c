import { bestKernels, referenceKernels, type Kernels } from '@aekit/kernels-wasm';
import type { DType } from './tensor.js';

let active: Kernels | null = null;

/**
 * The kernels for a dtype: float32 runs on the fastest available kernels
 * (WebAssembly SIMD unless overridden), float64 always on the TypeScript
 * reference, which is what the gradient law checks against.
 */
export function kernelsFor(dtype: DType): Kernels {
  if (dtype === 'float64') return referenceKernels;
  return (active ??= bestKernels());
}

/** Replaces the float32 kernels (for example with `referenceKernels`); returns the previous ones. */
export function setKernels(kernels: Kernels): Kernels {
  const previous = kernelsFor('float32');
  active = kernels;
  return previous;
}
