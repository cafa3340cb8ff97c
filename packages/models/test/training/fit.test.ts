import { describe, expect, it, vi } from 'vitest';
import { adam, matmul, meanSquaredError, mul, Random, sgd, sum, tensor, type LossFunction, type Tensor } from '@aekit/core';
import { dense, denseAutoencoder, formatEpochLine, NonFiniteLossError, sequential, terminateOnNaN, type Model, type Trainable } from '@aekit/models';
import { fitModel } from '../../src/training/fit.js';

/** Mean squared error, except that its `n`-th call (1-based) returns NaN: a run that diverges on one batch. */
function nanOnCall(n: number): { loss: LossFunction; calls: () => number } {
  let count = 0;
  const loss: LossFunction = (p, t) => {
    count += 1;
    const value = meanSquaredError(p, t);
    return count === n ? mul(value, Number.NaN) : value;
  };
  return { loss, calls: () => count };
}

function weightsOf(model: Model): number[] {
  return model.parameters().flatMap((p) => p.toArray() as number[]);
}

/** Samples on a 3-dimensional subspace of R^12, squashed into (0, 1): an autoencoder with a code of 3 can learn them. */
function lowRankData(n: number, seed: number): Tensor {
  const rng = new Random(seed);
  const basis = Array.from({ length: 3 * 12 }, () => rng.normal());
  const out = new Float32Array(n * 12);
  for (let i = 0; i < n; i++) {
    const z = [rng.normal(), rng.normal(), rng.normal()];
    for (let j = 0; j < 12; j++) {
      const v = z[0] * basis[j] + z[1] * basis[12 + j] + z[2] * basis[24 + j];
      out[i * 12 + j] = 1 / (1 + Math.exp(-v));
    }
  }
  return tensor(out, [n, 12]);
}

describe('fit', () => {
  it('lowers the loss, logs one line per epoch and returns the history', async () => {
    const data = lowRankData(640, 1);
    const x = tensor(data.values.subarray(0, 512 * 12), [512, 12]);
    const val = tensor(data.values.subarray(512 * 12), [128, 12]);
    const ae = denseAutoencoder({ inputDim: 12, codeDim: 3, hidden: [16], seed: 3 }).compile({
      optimizer: adam({ learningRate: 0.01 }),
      loss: 'mse',
    });
    const lines: string[] = [];
    const history = await ae.fit(x, x, {
      epochs: 6,
      batchSize: 32,
      validationData: [val, val],
      verbose: 0,
      callbacks: [{ onEpochEnd: (e, logs) => void lines.push(formatEpochLine(e, 6, 0.5, logs)) }],
    });
    const { loss, val_loss } = history.history;
    expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5]);
    expect(loss).toHaveLength(6);
    expect(val_loss).toHaveLength(6);
    expect(loss[5]).toBeLessThan(0.5 * loss[0]);
    expect(val_loss[5]).toBeLessThan(0.5 * val_loss[0]);
    expect(lines[2]).toMatch(/^Epoch 3\/6 - 0\.5s - loss: \d\.\d{4}(e-\d)? - val_loss: \d\.\d{4}/);
    expect(ae.evaluate(val, val)).toBeCloseTo(val_loss[5], 5);
  });

  it('gives the same weights for the same seeds', async () => {
    const x = lowRankData(100, 4);
    const train = async (seed: number) => {
      const ae = denseAutoencoder({ inputDim: 12, codeDim: 3, seed: 1 }).compile({ loss: 'mse' });
      await ae.fit(x, x, { epochs: 2, batchSize: 16, seed, verbose: 0 });
      return ae.parameters().flatMap((p) => p.toArray());
    };
    const first = await train(7);
    expect(await train(7)).toEqual(first);
    expect(await train(8)).not.toEqual(first);
  });

  it('runs each step in the kernels\' memory to the same weights as the same steps over host arrays', async () => {
    // 784 inputs and a batch of 64: the batch, activations and gradients are large enough to stay resident.
    const rng = new Random(5);
    const x = tensor(Float32Array.from({ length: 192 * 784 }, () => rng.next()), [192, 784]);
    const fitted = denseAutoencoder({ inputDim: 784, codeDim: 32, hidden: [64], seed: 3 }).compile({ optimizer: 'adam', loss: 'mse' });
    await fitted.fit(x, x, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
    // The same three steps by hand, outside any step memory.
    const manual = denseAutoencoder({ inputDim: 784, codeDim: 32, hidden: [64], seed: 3 });
    const params = manual.parameters();
    const optimizer = adam();
    for (let start = 0; start < 192; start += 64) {
      const batch = tensor(x.values.slice(start * 784, (start + 64) * 784), [64, 784]);
      for (const p of params) p.grad = null;
      meanSquaredError(manual.call(batch, { training: true }), batch).backward();
      optimizer.step(params);
    }
    expect(weightsOf(fitted)).toEqual(params.flatMap((p) => p.toArray()));
    // The gradients lived in the steps' memory: fit leaves none behind.
    expect(fitted.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('lets the event loop run between epochs: a timer set at the start fires before training ends', async () => {
    const x = lowRankData(64, 5);
    const ae = denseAutoencoder({ inputDim: 12, codeDim: 3, seed: 1 }).compile({ loss: 'mse' });
    let fired = false;
    let firedBy = -1;
    await ae.fit(x, x, {
      epochs: 200,
      batchSize: 64,
      verbose: 0,
      callbacks: [
        {
          onTrainBegin: () => void setTimeout(() => (fired = true), 1),
          onEpochEnd: (epoch: number) => {
            if (fired && firedBy < 0) firedBy = epoch;
          },
        },
      ],
    });
    // 200 epochs take far more than the timer's millisecond; it runs between two of them.
    expect(firedBy).toBeGreaterThanOrEqual(0);
    expect(firedBy).toBeLessThan(199);
  });

  it('stops with the epoch and step when the loss turns NaN, without applying that step', async () => {
    const x = lowRankData(64, 5);
    const { loss, calls } = nanOnCall(3); // 2 steps per epoch: the third batch is epoch 2, step 1
    const model = sequential([dense(12)], { inputShape: [12] }).compile({ optimizer: 'sgd', loss });
    const seen: number[] = [];
    let afterFirstEpoch: number[] = [];
    const run = model.fit(x, x, {
      epochs: 3,
      batchSize: 32,
      verbose: 0,
      callbacks: [{ onBatchEnd: (_b, logs) => void seen.push(logs.loss), onEpochEnd: () => void (afterFirstEpoch = weightsOf(model)) }],
    });
    await expect(run).rejects.toThrow(NonFiniteLossError);
    await expect(run).rejects.toThrow(/loss became NaN at epoch 2, step 1/);
    expect(calls()).toBe(3);
    expect(seen).toHaveLength(3);
    expect(seen[2]).toBeNaN(); // callbacks saw the bad batch before fit gave up
    expect(weightsOf(model)).toEqual(afterFirstEpoch);
  });

  it('with terminateOnNaN, ends gracefully with the completed epochs and finite weights', async () => {
    const x = lowRankData(64, 5);
    const { loss } = nanOnCall(4); // epoch 2, step 2
    const model = sequential([dense(12)], { inputShape: [12] }).compile({ optimizer: 'sgd', loss });
    let lastGood: number[] = [];
    const ended: number[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const history = await model.fit(x, x, {
        epochs: 5,
        batchSize: 32,
        shuffle: false,
        verbose: 0,
        callbacks: [
          terminateOnNaN(),
          { onBatchEnd: (_b, logs) => void (Number.isFinite(logs.loss) && (lastGood = weightsOf(model))), onTrainEnd: () => void ended.push(1) },
        ],
      });
      expect(history.epoch).toEqual([0]);
      expect(history.history.loss).toHaveLength(1);
      expect(Number.isFinite(history.history.loss[0])).toBe(true);
      // The weights after epoch 2, step 1: the NaN batch's update was never applied.
      expect(weightsOf(model)).toEqual(lastGood);
      expect(weightsOf(model).every(Number.isFinite)).toBe(true);
      expect(ended).toEqual([1]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/fit \(sequential\): the loss became NaN at epoch 2, step 2; training stopped/);
    } finally {
      warn.mockRestore();
    }
  });

  it('names the argument and the shapes when the data does not fit the model', async () => {
    const model = sequential([dense(3)], { inputShape: [4] }).compile({ loss: 'mse' });
    await expect(model.fit(tensor(new Float32Array(10), [2, 5]), tensor(new Float32Array(6), [2, 3]))).rejects.toThrow(
      /fit \(sequential\): x has shape \[2, 5\], expected \[samples, 4\]/,
    );
  });

  it('takes optimizers by their Keras names and names an unknown one', () => {
    const model = sequential([dense(3)], { inputShape: [4] });
    for (const name of ['adam', 'adamw', 'sgd', 'rmsprop'] as const) expect(() => model.compile({ optimizer: name, loss: 'mse' })).not.toThrow();
    expect(() => model.compile({ optimizer: 'adagrad' as 'adam', loss: 'mse' })).toThrow(/unknown optimizer 'adagrad'; known: adam, adamw, sgd, rmsprop/);
  });

  it('asks for compile first', () => {
    const model = sequential([dense(3)], { inputShape: [4] });
    expect(() => model.evaluate(tensor(new Float32Array(4), [1, 4]), tensor(new Float32Array(3), [1, 3]))).toThrow(/call compile/);
  });
});

/** y = x w with one weight, and an optional penalty 0.5 w^2 from regularizationLosses(). */
function oneWeightModel(penalties: 'none' | 'empty' | 'l2'): Trainable {
  const w = tensor([1], [1, 1], { dtype: 'float64', requiresGrad: true });
  return {
    name: 'one-weight',
    inputShape: [1],
    outputShape: [1],
    stopTraining: false,
    call: (x) => matmul(x, w),
    parameters: () => [w],
    ...(penalties === 'none' ? {} : { regularizationLosses: () => (penalties === 'l2' ? [mul(sum(mul(w, w)), 0.25), mul(sum(mul(w, w)), 0.25)] : []) }),
  };
}

describe('the default objective', () => {
  const x = tensor([1, 2], [2, 1], { dtype: 'float64' });
  const y = tensor([0, 0], [2, 1], { dtype: 'float64' });

  it('adds the regularization penalties to the loss and logs them as regularization_loss', async () => {
    const model = oneWeightModel('l2');
    const history = await fitModel(model, sgd({ learningRate: 0.1 }), meanSquaredError, x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    // w = 1: mse = ((1)^2 + (2)^2) / 2 = 2.5, penalty 2 x 0.25 w^2 = 0.5; d/dw = 5w + w = 6, so w = 1 - 0.1 * 6.
    expect(history.history.regularization_loss).toEqual([0.5]);
    expect(history.history.loss[0]).toBeCloseTo(3.0, 6);
    expect(model.parameters()[0].toArray()[0]).toBeCloseTo(0.4, 6);
  });

  it('logs no regularization term when a model has none', async () => {
    for (const kind of ['none', 'empty'] as const) {
      const model = oneWeightModel(kind);
      const history = await fitModel(model, sgd({ learningRate: 0.1 }), meanSquaredError, x, y, { epochs: 1, batchSize: 2, verbose: 0 });
      expect(Object.keys(history.history)).toEqual(['loss']);
      expect(history.history.loss[0]).toBeCloseTo(2.5, 6);
      expect(model.parameters()[0].toArray()[0]).toBeCloseTo(0.5, 6); // 1 - 0.1 * 5
    }
  });
});
