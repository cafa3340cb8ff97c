import { describe, expect, it } from 'vitest';
import { exponentialDecay, sgd, sum, tensor, type Optimizer, type Tensor } from '@aekit/core';
import { dense, learningRateScheduler, reduceLROnPlateau, sequential, type Trainable, type TrainingModel } from '@aekit/models';
import { fitModel } from '../../src/training/fit.js';

/** One weight whose objective is the weight itself: every step moves it by exactly minus the learning rate. */
function slope(optimizer: Optimizer): Trainable & { optimizer: Optimizer; w: Tensor } {
  const w = tensor([10], [1], { dtype: 'float64', requiresGrad: true });
  return {
    name: 'slope',
    inputShape: [1],
    outputShape: [1],
    stopTraining: false,
    optimizer,
    w,
    call: (x) => x,
    parameters: () => [w],
    objective: () => ({ total: sum(w), terms: {} }),
  };
}

describe('learningRateScheduler', () => {
  it('sets the rate at the start of each epoch, steps with it, and logs it as learning_rate', async () => {
    const optimizer = sgd({ learningRate: 1 });
    const model = slope(optimizer);
    const seen: [number, number][] = [];
    const schedule = learningRateScheduler((epoch, lr) => {
      seen.push([epoch, lr]);
      return 0.5 / (epoch + 1);
    });
    const x = tensor([0, 0], [2, 1], { dtype: 'float64' });
    const history = await fitModel(model, optimizer, sum, x, x, { epochs: 3, batchSize: 1, verbose: 0, callbacks: [schedule] });
    expect(seen).toEqual([
      [0, 1],
      [1, 0.5],
      [2, 0.25],
    ]);
    expect(history.history.learning_rate).toEqual([0.5, 0.25, 0.5 / 3]);
    // Two steps per epoch at each epoch's rate: 10 - 2 (0.5 + 0.25 + 1/6).
    expect(model.w.toArray()[0]).toBeCloseTo(10 - 2 * (0.5 + 0.25 + 0.5 / 3), 12);
  });

  it('prints the rate when verbose, as Keras', async () => {
    const lines: string[] = [];
    const x = tensor(new Float32Array(8).fill(0.5), [2, 4]);
    const model = sequential([dense(4)], { inputShape: [4] }).compile({ optimizer: sgd({ learningRate: 0.1 }), loss: 'mse' });
    await model.fit(x, x, { epochs: 2, verbose: 0, callbacks: [learningRateScheduler((e, lr) => lr * 0.1, { verbose: true, print: (l) => void lines.push(l) })] });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Epoch 1: LearningRateScheduler setting learning rate to 0\.01\d*\.$/);
    expect(model.optimizer?.learningRate).toBeCloseTo(0.001, 12);
  });

  it('refuses an optimizer driven by a schedule, and a schedule that gives no usable rate', async () => {
    const x = tensor(new Float32Array(8).fill(0.5), [2, 4]);
    const decaying = sequential([dense(4)], { inputShape: [4] }).compile({
      optimizer: sgd({ learningRate: exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }) }),
      loss: 'mse',
    });
    await expect(decaying.fit(x, x, { verbose: 0, callbacks: [learningRateScheduler((_e, lr) => lr)] })).rejects.toThrow(
      /learningRateScheduler: the optimizer was given a learning-rate schedule/,
    );
    const model = sequential([dense(4)], { inputShape: [4] }).compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(model.fit(x, x, { epochs: 3, verbose: 0, callbacks: [learningRateScheduler((e) => (e === 1 ? Number.NaN : 0.1))] })).rejects.toThrow(
      'learningRateScheduler: the schedule gave NaN at epoch 1; expected a finite non-negative number',
    );
  });
});

describe('reduceLROnPlateau', () => {
  function run(losses: number[], options: Parameters<typeof reduceLROnPlateau>[0]): { logged: number[]; final: number } {
    const optimizer = sgd({ learningRate: 1 });
    const model: TrainingModel = { name: 'fake', stopTraining: false, parameters: () => [], optimizer };
    const cb = reduceLROnPlateau(options);
    cb.setModel?.(model);
    cb.onTrainBegin?.();
    const logged = losses.map((v, epoch) => {
      const logs: Record<string, number> = { val_loss: v };
      cb.onEpochEnd?.(epoch, logs);
      return logs.learning_rate;
    });
    return { logged, final: optimizer.learningRate as number };
  }

  it('multiplies the rate by factor after patience epochs without improvement, then cools down', () => {
    // Hand trace (patience 2, cooldown 1): best 1, best 0.5, wait 1, wait 2 -> 0.5 (cooling),
    // cooling ends (wait 1), best 0.2, wait 1, wait 2 -> 0.25.
    const { logged, final } = run([1, 0.5, 0.5, 0.5, 0.5, 0.2, 0.2, 0.2], { factor: 0.5, patience: 2, cooldown: 1, minDelta: 0 });
    expect(logged).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5]);
    expect(final).toBe(0.25);
  });

  it('never goes below minLr and counts a change under minDelta as no improvement', () => {
    expect(run([1, 0.99, 0.98, 0.97], { factor: 0.1, patience: 1, minDelta: 0.05, minLr: 0.05 }).logged).toEqual([1, 1, 0.1, 0.05]);
  });

  it('rejects a factor outside (0, 1)', () => {
    expect(() => reduceLROnPlateau({ factor: 1 })).toThrow('reduceLROnPlateau: factor must be in (0, 1), got 1');
  });
});
