import { formatShape, sizeOf, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { apply, type OpDef } from './primitive.js';

/** Resolves one `-1` dimension and checks that the sizes agree. */
function resolveShape(from: Shape, to: Shape): number[] {
  const unknown = to.filter((d) => d === -1).length;
  const known = to.reduce((n, d) => (d === -1 ? n : n * d), 1);
  const size = sizeOf(from);
  const fail = () => new RangeError(`reshape: cannot reshape ${formatShape(from)} (${size} elements) to ${formatShape(to)}`);
  if (unknown > 1 || to.some((d) => d !== -1 && (!Number.isInteger(d) || d < 0))) throw fail();
  if (unknown === 1) {
    if (known === 0 || size % known !== 0) throw fail();
    return to.map((d) => (d === -1 ? size / known : d));
  }
  if (known !== size) throw fail();
  return [...to];
}

const reshapeDef: OpDef<[Tensor], Shape> = {
  // Tensors are contiguous and never mutated, so a reshape shares the values.
  forward: ([x], shape) => new Tensor(x.values, shape),
  // Reshaping only renames indices: the cotangent is reshaped back.
  vjp: (dy, [x]) => [reshape(dy, x.shape)],
};

export const reshapePrimitives = { reshape: reshapeDef };

/**
 * The same values under another shape; one dimension may be -1 and is inferred.
 *
 * @example
 * reshape(images, [-1, 784]); // [n, 28, 28, 1] -> [n, 784]
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  return apply('reshape', reshapeDef, [x], resolveShape(x.shape, shape));
}
