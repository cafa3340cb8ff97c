import { formatShape, sameShape } from './shape.js';
import { Tensor, full, type GradNode } from './tensor.js';

let gradEnabled = true;

/** Whether ops currently record the graph for `backward()`. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording any graph: inference, metrics, and the
 * vector-Jacobian products themselves run this way.
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * The same values, cut off from the graph: gradients do not flow through it.
 * For constants computed from parameters, like the max subtracted inside softmax.
 */
export function stopGradient(x: Tensor): Tensor {
  return x.requiresGrad ? x.sharing(false, null) : x;
}

let training = false;

/** Whether a training step is running: dropout and noise act only then. */
export function isTraining(): boolean {
  return training;
}

/** Runs `fn` with the training flag set to `flag` (`fit` runs its steps under `withTraining(true, ...)`). */
export function withTraining<T>(flag: boolean, fn: () => T): T {
  const previous = training;
  training = flag;
  try {
    return fn();
  } finally {
    training = previous;
  }
}

/**
 * Wraps a freshly computed output so that `backward()` can reach its inputs,
 * or returns it as it is when no input needs a gradient or recording is off.
 */
export function record(output: Tensor, op: string, inputs: readonly Tensor[], vjp: GradNode['vjp']): Tensor {
  if (!gradEnabled || !inputs.some((t) => t.requiresGrad)) return output;
  return output.sharing(true, { op, inputs, vjp });
}

/** Every tensor that `root` depends on through recorded ops, inputs before the tensors made from them. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  // An explicit stack instead of recursion: a deep network must not overflow the call stack.
  const stack: { tensor: Tensor; next: number }[] = [{ tensor: root, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const inputs = frame.tensor.node?.inputs ?? [];
    if (frame.next < inputs.length) {
      const input = inputs[frame.next++];
      if (input.requiresGrad && !visited.has(input)) {
        visited.add(input);
        stack.push({ tensor: input, next: 0 });
      }
    } else {
      order.push(frame.tensor);
      stack.pop();
    }
  }
  return order;
}

/**
 * Reverse-mode differentiation from `root`: adds d(root)/d(leaf) to the `.grad`
 * of every leaf that requires a gradient (gradients accumulate over calls, so
 * several backward passes sum; clear `.grad` to start afresh). The graph is
 * released as it is walked, so a result can be differentiated once.
 *
 * @param cotangent the seed gradient; defaults to ones, which is what a scalar loss needs.
 */
export function backward(root: Tensor, cotangent?: Tensor): void {
  if (!root.requiresGrad) {
    throw new Error('backward: the tensor does not depend on any tensor that requires a gradient');
  }
  const seed = cotangent ?? full(root.shape, 1, { dtype: root.dtype });
  if (!sameShape(seed.shape, root.shape)) {
    throw new RangeError(`backward: the cotangent has shape ${formatShape(seed.shape)}, expected ${formatShape(root.shape)}`);
  }
  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const tensor = order[i];
      const grad = grads.get(tensor);
      grads.delete(tensor); // let each cotangent go as soon as it has been used
      const node = tensor.node;
      if (node === null) {
        if (grad !== undefined) tensor.grad = tensor.grad === null ? grad : addSameShape(tensor.grad, grad);
        continue;
      }
      tensor.node = null; // release the graph behind us
      if (grad === undefined) continue;
      const inputGrads = node.vjp(grad);
      node.inputs.forEach((input, k) => {
        const g = inputGrads[k];
        if (!input.requiresGrad || g === null || g === undefined) return;
        if (!sameShape(g.shape, input.shape)) {
          throw new Error(`backward: the vjp of ${node.op} gave input ${k} a gradient of shape ${formatShape(g.shape)}, expected ${formatShape(input.shape)}`);
        }
        const previous = grads.get(input);
        grads.set(input, previous === undefined ? g : addSameShape(previous, g));
      });
    }
  });
}

/** Elementwise sum of two same-shaped tensors, outside the graph (gradients only). */
function addSameShape(a: Tensor, b: Tensor): Tensor {
  const out = a.values.slice();
  const bv = b.values;
  for (let i = 0; i < out.length; i++) out[i] += bv[i];
  return new Tensor(out, a.shape);
}

/** The value of a function and its gradient with respect to each argument. */
export interface ValueAndGrad {
  value: Tensor;
  grads: Tensor[];
}

/**
 * Turns a scalar function of tensors into one that also returns its gradients,
 * one per argument, in the style of JAX's `value_and_grad`. The arguments are
 * not modified; each is differentiated through a fresh leaf that shares its values.
 *
 * @example
 * const f = valueAndGrad((x) => sum(mul(x, x)));
 * const { value, grads } = f(tensor([1, 2, 3])); // value 14, grads [[2, 4, 6]]
 */
export function valueAndGrad<A extends Tensor[]>(fn: (...args: A) => Tensor): (...args: A) => ValueAndGrad {
  return (...args: A) => {
    const leaves = args.map((t) => t.sharing(true, null)) as A;
    const value = fn(...leaves);
    if (value.size !== 1) {
      throw new RangeError(`valueAndGrad: the function must return one value, got shape ${formatShape(value.shape)}`);
    }
    if (value.requiresGrad) backward(value);
    const grads = leaves.map((leaf) => leaf.grad ?? full(leaf.shape, 0, { dtype: leaf.dtype }));
    return { value: value.sharing(false, null), grads };
  };
}
