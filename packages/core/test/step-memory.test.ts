import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceKernels } from '@aekit/kernels-wasm';
import {
  adam,
  binaryCrossentropy,
  conv2dBiasActivation,
  conv2dTransposeBiasActivation,
  maxPool2d,
  inStepMemory,
  matmulBiasActivation,
  meanSquaredError,
  Random,
  setKernels,
  stepBuffer,
  Tensor,
  tensor,
  withStepMemory,
  zeroGrad,
} from '@aekit/core';

const resident = (t: Tensor) => !ArrayBuffer.isView(t.storage);

/** A two-layer network's parameters and a batch, from a seed; m * hidden and m * input reach the resident size. */
function network(seed: number, m: number, input: number, hidden: number) {
  const rng = new Random(seed);
  const values = (n: number, scale: number) => Float32Array.from({ length: n }, () => scale * (rng.next() - 0.5));
  const param = (n: number, shape: number[]) => tensor(values(n, 0.6), shape, { requiresGrad: true });
  return {
    x: tensor(values(m * input, 2).map(Math.abs), [m, input]),
    params: [param(input * hidden, [input, hidden]), param(hidden, [hidden]), param(hidden * input, [hidden, input]), param(input, [input])],
  };
}

/**
 * Two Adam steps of `loss()` over `params`, each in a step's memory when
 * `inStep`; `afterBackward` checks the gradients before each update. Returns
 * the losses and the weights after.
 */
function twoAdamSteps(params: Tensor[], loss: () => Tensor, inStep: boolean, afterBackward: () => void) {
  const optimizer = adam({ learningRate: 0.01 });
  const losses: number[] = [];
  for (let step = 0; step < 2; step++) {
    const run = () => {
      zeroGrad(params);
      const l = loss();
      l.backward();
      afterBackward();
      optimizer.step(params);
      zeroGrad(params);
      return l.item();
    };
    losses.push(inStep ? withStepMemory(run) : run());
  }
  return { losses, weights: params.map((p) => [...p.values]) };
}

/** Two Adam steps of a dense autoencoder's loss; returns the losses and the weights after. */
function train(seed: number, m: number, input: number, hidden: number, loss: 'mse' | 'bce', inStep: boolean) {
  const { x, params } = network(seed, m, input, hidden);
  const [w1, b1, w2, b2] = params;
  const objective = () => {
    const y = matmulBiasActivation(matmulBiasActivation(x, w1, b1, 'relu'), w2, b2, 'sigmoid');
    if (inStep) expect(resident(y)).toBe(true);
    return loss === 'mse' ? meanSquaredError(y, x) : binaryCrossentropy(y, x);
  };
  return twoAdamSteps(params, objective, inStep, () => {
    if (inStep) expect(resident(w1.grad as Tensor)).toBe(true);
  });
}

/**
 * Two Adam steps of a small convolutional autoencoder (conv 3x3 + relu, 2x2 max
 * pooling, transposed conv 3x3 stride 2 + sigmoid, cross-entropy); returns
 * the losses and the weights after. n * h * w * filters reaches the resident size.
 */
function trainConv(seed: number, n: number, side: number, filters: number, inStep: boolean) {
  const rng = new Random(seed);
  const values = (count: number, scale: number) => Float32Array.from({ length: count }, () => scale * (rng.next() - 0.5));
  const x = tensor(values(n * side * side, 2).map(Math.abs), [n, side, side, 1]);
  // The transposed convolution (stride 2, same) gives 2 ceil(side / 2): an odd side comes back one larger.
  const out = 2 * Math.ceil(side / 2);
  const target = tensor(values(n * out * out, 2).map(Math.abs), [n, out, out, 1]);
  const params = [
    tensor(values(9 * filters, 0.8), [3, 3, 1, filters], { requiresGrad: true }),
    tensor(values(filters, 0.2), [filters], { requiresGrad: true }),
    tensor(values(9 * filters, 0.8), [3, 3, 1, filters], { requiresGrad: true }),
    tensor(values(1, 0.2), [1], { requiresGrad: true }),
  ];
  const [f1, b1, f2, b2] = params;
  const objective = () => {
    const h = conv2dBiasActivation(x, f1, b1, 'relu', { padding: 'same' });
    if (inStep) expect(resident(h)).toBe(true);
    const pooled = maxPool2d(h, { pool: 2, padding: 'same' });
    return binaryCrossentropy(conv2dTransposeBiasActivation(pooled, f2, b2, 'sigmoid', { strides: 2, padding: 'same' }), target);
  };
  return twoAdamSteps(params, objective, inStep, () => {
    if (inStep) expect(resident(f1.grad as Tensor)).toBe(false); // 9 x filters: small, a host array
  });
}

describe('withStepMemory', () => {
  it('a convolutional step in the kernels\' memory gives bit for bit the losses and weights of one over host arrays', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 2 ** 30 }),
          // n * side² * filters >= 4096 at every size drawn, odd sides included.
          n: fc.constantFrom(2, 3),
          side: fc.constantFrom(12, 13, 16),
          filters: fc.constantFrom(16, 17),
        }),
        ({ seed, n, side, filters }) => {
          const host = trainConv(seed, n, side, filters, false);
          const inStep = trainConv(seed, n, side, filters, true);
          expect(inStep.losses).toEqual(host.losses);
          expect(inStep.weights).toEqual(host.weights);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('a training step in the kernels\' memory gives bit for bit the losses and weights of one over host arrays', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 2 ** 30 }),
          // m * hidden >= 4096, so the activations, gradients and batch-sized outputs are resident; odd sizes included.
          m: fc.constantFrom(64, 67, 97),
          input: fc.constantFrom(64, 71, 83),
          hidden: fc.constantFrom(64, 67, 89),
          loss: fc.constantFrom<'mse' | 'bce'>('mse', 'bce'),
        }),
        ({ seed, m, input, hidden, loss }) => {
          const host = train(seed, m, input, hidden, loss, false);
          const inStep = train(seed, m, input, hidden, loss, true);
          expect(inStep.losses).toEqual(host.losses);
          expect(inStep.weights).toEqual(host.weights);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('frees the step\'s buffers when it ends: values read inside survive, unread ones throw a clear error', () => {
    const { x, params } = network(3, 64, 80, 64);
    let read: Tensor | null = null;
    let unread: Tensor | null = null;
    const kept = withStepMemory(() => {
      expect(inStepMemory()).toBe(true);
      read = matmulBiasActivation(x, params[0], params[1], 'relu');
      unread = matmulBiasActivation(x, params[0], params[1], 'sigmoid');
      expect(resident(read) && resident(unread)).toBe(true);
      return [...read.values];
    });
    expect(inStepMemory()).toBe(false);
    expect([...(read as unknown as Tensor).values]).toEqual(kept);
    expect(() => (unread as unknown as Tensor).values).toThrow(/this \[64, 64\] tensor was computed inside a training step, whose memory was freed when the step ended/);
    // Outside a step, the same op gives a host array.
    expect(resident(matmulBiasActivation(x, params[0], params[1], 'relu'))).toBe(false);
  });

  it('frees them when the step throws, and an inner step frees only its own', () => {
    const { x, params } = network(4, 64, 80, 64);
    let lost: Tensor | null = null;
    expect(() =>
      withStepMemory(() => {
        lost = matmulBiasActivation(x, params[0], params[1], 'relu');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(() => (lost as unknown as Tensor).values).toThrow(/freed when the step ended/);
    expect(inStepMemory()).toBe(false);

    withStepMemory(() => {
      const outer = matmulBiasActivation(x, params[0], params[1], 'relu');
      const inner = withStepMemory(() => matmulBiasActivation(x, params[0], params[1], 'relu'));
      expect(() => inner.values).toThrow(/freed when the step ended/);
      expect(inStepMemory()).toBe(true);
      expect(outer.values.length).toBe(64 * 64);
    });
  });

  it('keeps float64, small outputs and everything outside a step on the host', () => {
    expect(stepBuffer('float32', 1 << 16)).toBeNull();
    withStepMemory(() => {
      expect(stepBuffer('float64', 1 << 16)).toBeNull();
      expect(stepBuffer('float32', 4095)).toBeNull();
      const buffer = stepBuffer('float32', 4096);
      expect(buffer?.length).toBe(4096);
      const x64 = tensor(new Float64Array(64 * 80).fill(0.5), [64, 80]);
      const w64 = tensor(new Float64Array(80 * 64).fill(0.25), [80, 64]);
      expect(resident(matmulBiasActivation(x64, w64, null, 'linear'))).toBe(false);
    });
  });

  it('runs the same way on the reference kernels, whose resident buffers are plain arrays', () => {
    const previous = setKernels(referenceKernels);
    try {
      const host = train(9, 64, 67, 64, 'mse', false);
      const inStep = train(9, 64, 67, 64, 'mse', true);
      expect(inStep.weights).toEqual(host.weights);
    } finally {
      setKernels(previous);
    }
  });
});
