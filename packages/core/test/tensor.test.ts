import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceKernels } from '@aekit/kernels-wasm';
import { adam, kernelsFor, matmulBiasActivation, Random, setKernels, stopGradient, tensor, type Tensor, withStepMemory } from '@aekit/core';

// A parameter that Adam updates keeps a copy in the kernels' memory (Tensor.updatableIn).
// These tests drive one through random sequences of what training and user code do to it,
// beside a plain array that holds what its values must be, and check that every way of
// reading it (.values, .array, a kernel, a tensor sharing it) sees those values.

const LR = 0.01;
const [BETA1, BETA2, EPSILON] = [0.9, 0.999, 1e-7];

/** What the parameter must hold, updated by the same kernel on host arrays. */
class Truth {
  readonly m: Float32Array;
  readonly v: Float32Array;
  t = 0;
  constructor(readonly w: Float32Array) {
    this.m = new Float32Array(w.length);
    this.v = new Float32Array(w.length);
  }
  adamStep(g: Float32Array): void {
    this.t++;
    const alpha = (LR * Math.sqrt(1 - BETA2 ** this.t)) / (1 - BETA1 ** this.t);
    kernelsFor('float32').adam(this.w.length, this.w, g, this.m, this.v, alpha, BETA1, BETA2, EPSILON);
  }
}

type Action = 'step' | 'stepInMemory' | 'write' | 'read' | 'array' | 'forward' | 'share' | 'sync' | 'referenceForward';

function run(seed: number, rows: number, cols: number, actions: readonly Action[]): void {
  const rng = new Random(seed);
  const draw = (n: number) => Float32Array.from({ length: n }, () => rng.next() - 0.5);
  const p = tensor(draw(rows * cols), [rows, cols], { requiresGrad: true });
  const truth = new Truth(Float32Array.from(p.values));
  const optimizer = adam({ learningRate: LR, beta1: BETA1, beta2: BETA2, epsilon: EPSILON });
  const held = p.values;
  const x = tensor(draw(3 * rows), [3, rows]);
  actions.forEach((action, i) => {
    const where = `action ${i} (${action}) of [${actions.join(', ')}], ${rows}x${cols}`;
    const expectValues = (actual: ArrayLike<number>) => expect([...actual], where).toEqual([...truth.w]);
    switch (action) {
      case 'step':
      case 'stepInMemory': {
        const g = draw(p.size);
        const update = () => {
          p.grad = tensor(g, p.shape);
          optimizer.step([p]);
          p.grad = null;
        };
        if (action === 'step') update();
        else withStepMemory(update);
        truth.adamStep(g);
        break;
      }
      case 'write': {
        // What a weight restore or a load does: write the array `.values` hands out.
        const values = draw(p.size);
        p.values.set(values);
        truth.w.set(values);
        break;
      }
      case 'read':
        expectValues(p.values);
        break;
      case 'array':
        expectValues(Array.from({ length: p.size }, (_, j) => p.array.get(Math.floor(j / cols), j % cols)));
        break;
      case 'forward':
      case 'referenceForward': {
        // A kernel reads the parameter where it is: it must see the same weights as a fresh tensor of the truth.
        const previous = action === 'referenceForward' ? setKernels(referenceKernels) : null;
        try {
          const y = matmulBiasActivation(x, p, null, 'linear');
          const expected = matmulBiasActivation(x, tensor(Float32Array.from(truth.w), [rows, cols]), null, 'linear');
          expect([...y.values], where).toEqual([...expected.values]);
        } finally {
          if (previous !== null) setKernels(previous);
        }
        break;
      }
      case 'share':
        expectValues(stopGradient(p).values);
        break;
      case 'sync':
        // What fit does after each epoch: an array kept from before catches up.
        p.syncHost();
        expectValues(held);
        break;
    }
  });
  expect([...p.values], `after [${actions.join(', ')}]`).toEqual([...truth.w]);
}

describe('a parameter kept in the kernels\' memory by its optimizer', () => {
  it('reads back, through every path, the weights its updates and writes made, in any order', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 2 ** 30 }),
          rows: fc.constantFrom(1, 2, 7, 13),
          cols: fc.constantFrom(1, 3, 5, 17),
          actions: fc.array(fc.constantFrom<Action>('step', 'stepInMemory', 'write', 'read', 'array', 'forward', 'share', 'sync', 'referenceForward'), {
            minLength: 1,
            maxLength: 14,
          }),
        }),
        ({ seed, rows, cols, actions }) => run(seed, rows, cols, actions),
      ),
      { numRuns: 150 },
    );
  });

  it('is read in place by the kernels after the first update, and stays a host array for float64', () => {
    const p = tensor(new Float32Array(12).fill(0.5), [3, 4], { requiresGrad: true });
    expect(ArrayBuffer.isView(p.storage)).toBe(true);
    p.grad = tensor(new Float32Array(12).fill(1), [3, 4]);
    adam().step([p]);
    expect(ArrayBuffer.isView(p.storage)).toBe(false);
    const q = tensor(new Float64Array(12).fill(0.5), [3, 4], { requiresGrad: true });
    q.grad = tensor(new Float64Array(12).fill(1), [3, 4]);
    adam().step([q]);
    expect(ArrayBuffer.isView(q.storage)).toBe(true);
    expect(q.values[0]).toBeCloseTo(0.5 - 1e-3, 6);
  });

  it('moves to the kernels of the optimizer that updates it, keeping its values', () => {
    const p = tensor(Float32Array.from([1, 2, 3]), [3], { requiresGrad: true });
    const grad = (t: Tensor) => (t.grad = tensor(Float32Array.from([1, -1, 1]), [3]));
    grad(p);
    adam({ learningRate: 0.5 }).step([p]);
    const twin = tensor(Float32Array.from(p.values), [3], { requiresGrad: true });
    const previous = setKernels(referenceKernels);
    try {
      // A new Adam under the reference kernels keeps the parameter there from now on.
      for (const t of [p, twin]) {
        grad(t);
        adam({ learningRate: 0.5 }).step([t]);
      }
    } finally {
      setKernels(previous);
    }
    expect(ArrayBuffer.isView(p.storage)).toBe(true);
    expect([...p.values]).toEqual([...twin.values]);
    expect(p.values[0]).toBeLessThan(1);
  });
});
