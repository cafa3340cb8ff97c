// The WebAssembly kernels' entry points. Pointers are byte offsets into this
// module's memory, which the TypeScript side manages as a scratch arena.
export { gemm, gemmScratchFloats } from './gemm';
export { conv, convScratchFloats } from './conv';

/** Where the scratch arena may begin: the end of the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
export { biasActivation, biasActivationGrad, squaredErrorSum, squaredErrorGrad, binaryCrossentropySum, adam } from './fused';
export { maxPool, maxPoolBackprop, upSample } from './pool';
export { winograd, winogradApplies, winogradScratchFloats, winogradTiles } from './winograd';
