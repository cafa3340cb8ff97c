import { formatShape, sameShape, sizeOf, stridesOf, type Shape } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { apply, type OpDef } from './primitive.js';
import { reshape } from './reshape.js';
import { sum } from './reduce.js';
import { gatherStrided } from './strided.js';

/**
 * How `from` broadcasts to `to`: the source strides (0 on every repeated axis)
 * and the axes of `to` that repeat. Throws, naming the shapes, when it cannot.
 */
function broadcastPlan(from: Shape, to: Shape): { strides: number[]; repeatedAxes: number[] } {
  const lead = to.length - from.length;
  const fail = () => new RangeError(`expand: cannot broadcast shape ${formatShape(from)} to ${formatShape(to)}`);
  if (lead < 0) throw fail();
  const fromStrides = stridesOf(from);
  const strides: number[] = [];
  const repeatedAxes: number[] = [];
  for (let axis = 0; axis < to.length; axis++) {
    const d = axis < lead ? 1 : from[axis - lead];
    if (d === to[axis]) {
      strides.push(axis < lead ? 0 : fromStrides[axis - lead]);
    } else if (d === 1) {
      strides.push(0);
      repeatedAxes.push(axis);
    } else {
      throw fail();
    }
    if (axis < lead && to[axis] === 1) repeatedAxes.push(axis);
  }
  return { strides, repeatedAxes };
}

const expandDef: OpDef<[Tensor], Shape> = {
  forward([x], shape) {
    const { strides } = broadcastPlan(x.shape, shape);
    const out = allocate(x.dtype, sizeOf(shape));
    gatherStrided(shape, x.values, strides, out);
    return new Tensor(out, shape);
  },
  // Broadcasting copies x along the repeated axes, so its vjp sums over them: the
  // one place where un-broadcasting lives.
  vjp(dy, [x], _out, shape) {
    const lead = shape.length - x.rank;
    const { repeatedAxes } = broadcastPlan(x.shape, shape);
    const axes = [...new Set([...Array.from({ length: lead }, (_, i) => i), ...repeatedAxes])];
    return [reshape(sum(dy, axes, true), x.shape)];
  },
};

export const expandPrimitives = { expand: expandDef };

/**
 * Broadcasts `x` to `shape` (NumPy rules: aligned from the right, size-1 axes repeat).
 * Its gradient sums back to `x`'s shape.
 */
export function expand(x: Tensor, shape: Shape): Tensor {
  if (sameShape(x.shape, shape)) return x;
  return apply('expand', expandDef, [x], [...shape]);
}
