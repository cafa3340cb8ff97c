import type { Kernels, KernelTier } from './kernels.js';
import { referenceKernels } from './reference.js';
import { wasmKernels } from './wasm.js';

/** The fastest kernels this host can run: WebAssembly SIMD, else the TypeScript reference. */
export function bestKernels(): Kernels {
  return wasmKernels() ?? referenceKernels;
}

/** What the running host selected, for logs and bug reports. */
export interface KernelsInfo {
  readonly tier: KernelTier;
  readonly webAssembly: boolean;
}

/** Reports which kernel tier is active. */
export function kernelsInfo(): KernelsInfo {
  return { tier: bestKernels().tier, webAssembly: typeof WebAssembly === 'object' };
}
