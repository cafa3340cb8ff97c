export { Tensor, tensor, full, zeros, ones, scalar, type DType, type TensorOptions } from './tensor.js';
export { sizeOf, formatShape, broadcastShapes, type Shape } from './shape.js';
