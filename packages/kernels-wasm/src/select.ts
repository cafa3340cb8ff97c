import type { Kernels, KernelTier } from './kernels.js';
import { referenceKernels } from './reference.js';
import { wasmKernels } from './wasm.js';

/**
 * The fastest kernels this host can run: WebAssembly with relaxed SIMD, else
 * plain SIMD128, else the TypeScript reference. Chosen once, on first use.
 */
export function bestKernels(): Kernels {
  return wasmKernels() ?? referenceKernels;
}

/** What the running host selected, for logs and bug reports. */
export interface KernelsInfo {
  readonly tier: KernelTier;
  readonly webAssembly: boolean;
}

/**
 * Reports which kernel tier is active: `'relaxed-simd'` where the engine
 * validates relaxed SIMD (Node 22+, current Chrome; Node 20 with
 * `--experimental-wasm-relaxed-simd`), `'simd128'` on Node 20, `'reference'`
 * without WebAssembly SIMD.
 *
 * @example
 * ```ts
 * console.log(kernelsInfo()); // { tier: 'simd128', webAssembly: true } on Node 20
 * ```
 */
export function kernelsInfo(): KernelsInfo {
  return { tier: bestKernels().tier, webAssembly: typeof WebAssembly === 'object' };
}
