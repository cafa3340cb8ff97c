import { describe, expect, it } from 'vitest';
import { tensor } from '@aekit/core';
import { dense, earlyStopping, sequential, type TrainingModel } from '@aekit/models';

function fakeModel(values: number[]): TrainingModel {
  const p = tensor(values, [values.length]);
  return { name: 'fake', stopTraining: false, parameters: () => [p] };
}

describe('earlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', () => {
    const model = fakeModel([0]);
    const cb = earlyStopping({ patience: 1, restoreBestWeights: true });
    cb.setModel?.(model);
    cb.onTrainBegin?.();
    const losses = [0.5, 0.3, 0.35, 0.31];
    losses.forEach((v, epoch) => {
      if (model.stopTraining) return;
      model.parameters()[0].values[0] = epoch; // the weights of this epoch
      cb.onEpochEnd?.(epoch, { loss: 1, val_loss: v });
    });
    expect(model.stopTraining).toBe(true);
    expect(cb.bestEpoch).toBe(1);
    expect(cb.stoppedEpoch).toBe(3);
    cb.onTrainEnd?.({});
    expect(model.parameters()[0].toArray()).toEqual([1]);
  });

  it('needs an improvement larger than minDelta, and watches scores upward in max mode', () => {
    const model = fakeModel([0]);
    const cb = earlyStopping({ monitor: 'acc', mode: 'max', minDelta: 0.05 });
    cb.setModel?.(model);
    cb.onTrainBegin?.();
    cb.onEpochEnd?.(0, { acc: 0.5 });
    cb.onEpochEnd?.(1, { acc: 0.52 }); // +0.02 is under minDelta: no improvement, patience 0
    expect(model.stopTraining).toBe(true);
  });

  it('ends fit early', async () => {
    const x = tensor(Float32Array.from({ length: 64 * 4 }, (_, i) => (i % 7) / 7), [64, 4]);
    const model = sequential([dense(4)], { inputShape: [4] }).compile({ loss: 'mse' });
    // The loss falls every epoch, so in 'max' mode nothing ever improves after epoch 0.
    const history = await model.fit(x, x, { epochs: 10, batchSize: 16, verbose: 0, callbacks: [earlyStopping({ monitor: 'loss', mode: 'max', patience: 2 })] });
    expect(history.epoch).toEqual([0, 1, 2, 3]);
  });
});

describe('validationSplit', () => {
  it('holds out the last samples and logs val_loss', async () => {
    const x = tensor(Float32Array.from({ length: 100 * 4 }, (_, i) => (i % 5) / 5), [100, 4]);
    const model = sequential([dense(4)], { inputShape: [4] }).compile({ loss: 'mse' });
    const history = await model.fit(x, x, { epochs: 2, batchSize: 10, validationSplit: 0.2, verbose: 0 });
    expect(history.history.val_loss).toHaveLength(2);
    const last20 = tensor(x.values.subarray(80 * 4), [20, 4]);
    expect(model.evaluate(last20, last20, { batchSize: 10 })).toBeCloseTo(history.history.val_loss[1], 6);
    await expect(model.fit(x, x, { validationSplit: 1.5, verbose: 0 })).rejects.toThrow(/validationSplit must be in \(0, 1\), got 1.5/);
  });
});
