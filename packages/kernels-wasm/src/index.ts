export type { FloatArray, Kernels, KernelTier } from './kernels.js';
export { checkConvArgs, checkGemmArgs, type ConvGeometry, type ConvKernelName } from './kernels.js';
export { referenceKernels } from './reference.js';
export { wasmKernels } from './wasm.js';
export { bestKernels, kernelsInfo, type KernelsInfo } from './select.js';
