import { elementwisePrimitives } from './elementwise.js';
import { convPrimitives } from './conv.js';
import { expandPrimitives } from './expand.js';
import { fusedPrimitives } from './fused.js';
import { layoutPrimitives } from './layout.js';
import { matmulPrimitives } from './matmul.js';
import type { OpDef, PrimitiveName } from './primitive.js';
import { reducePrimitives } from './reduce.js';
import { reshapePrimitives } from './reshape.js';

/**
 * Every primitive by name. The type demands an entry, with its `vjp`, for each
 * name of `PrimitiveName`: a primitive without a backward does not compile.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const primitives: { readonly [K in PrimitiveName]: OpDef<any, any> } = {
  ...elementwisePrimitives,
  ...expandPrimitives,
  ...reducePrimitives,
  ...reshapePrimitives,
  ...matmulPrimitives,
  ...layoutPrimitives,
  ...convPrimitives,
  ...fusedPrimitives,
};

export type { OpDef, PrimitiveName } from './primitive.js';
export * from './elementwise.js';
export { expand } from './expand.js';
export { sum, mean, max, min } from './reduce.js';
export { transpose, slice, takeFirst, pad, crop, concat } from './layout.js';
export { reshape } from './reshape.js';
export { matmul } from './matmul.js';
export {
  conv2d,
  conv2dTranspose,
  conv2dBiasActivation,
  conv2dTransposeBiasActivation,
  maxPool2d,
  averagePool2d,
  upSampling2d,
  windowGeometry,
  type Padding,
  type ConvOptions,
  type PoolOptions,
} from './conv.js';
export { dropout } from './dropout.js';
export { biasAdd, biasActivation, binaryCrossentropyMean, isFusedActivation, matmulBiasActivation, squaredErrorMean } from './fused.js';
export type { FusedActivation } from '@aekit/kernels-wasm';
