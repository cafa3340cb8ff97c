export type { AdamUpdate, FloatArray, Kernels, KernelTier, Operand, PoolGeometry, ResidentBuffer, UpSamplingGeometry } from './kernels.js';
export { checkConvArgs, checkFused, checkGemmArgs, isResidentBuffer, type ConvGeometry, type ConvKernelName, type FusedActivation } from './kernels.js';
export { referenceKernels } from './reference.js';
export { gemmClock, wasmKernels } from './wasm.js';
export { bestKernels, kernelsInfo, type KernelsInfo } from './select.js';
